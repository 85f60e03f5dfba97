import type { Transporter } from 'nodemailer';
import type { Mailer } from '../app/digests.js';
import { smtpUrlProblem, type Secrets } from '../config/env.js';
import { TouchpointError } from '../errors.js';

export type { Mailer } from '../app/digests.js';

/** The mailer for SMTP_URL, or a clear error when digests are configured without it. */
export function mailerFrom(secrets: Pick<Secrets, 'smtpUrl'>): Mailer {
  if (!secrets.smtpUrl)
    throw new TouchpointError(
      'digest_failed',
      'SMTP_URL is not set: put the SMTP server in the environment or .env, e.g. smtps://user:password@smtp.example.com:465 (see .env.example).',
    );
  return smtpMailer(secrets.smtpUrl);
}

/** SMTP_URL, checked before nodemailer sees it (nodemailer's own error would print the URL, password and all). */
function checkedUrl(url: string): string {
  const problem = smtpUrlProblem(url);
  if (problem) throw new TouchpointError('digest_failed', problem);
  return url;
}

/**
 * nodemailer over SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`). The URL is never
 * logged. nodemailer loads on the first message (a tenth of every command's start otherwise).
 */
export function smtpMailer(url: string, options: { timeoutMs?: number } = {}): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const checked = checkedUrl(url);
  let transport: Promise<Transporter> | null = null;
  const open = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        url: checked,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      } as Parameters<typeof nodemailer.createTransport>[0]),
    ));
  return {
    async send(message) {
      const info = await (await open()).sendMail({ from: message.from, to: message.to, subject: message.subject, html: message.html, text: message.text });
      return { messageId: info.messageId };
    },
    async verify() {
      await (await open()).verify();
    },
  };
}
