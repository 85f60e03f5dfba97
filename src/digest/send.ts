import nodemailer from 'nodemailer';

/** What a digest needs of a mail transport. The SMTP one is the only adapter; tests pass fakes too. */
export interface Mailer {
  send(message: { from: string; to: string[]; subject: string; html: string; text: string }): Promise<{ messageId: string }>;
  /** Connect and greet the server without sending (for `touchpoint doctor`). */
  verify?(): Promise<void>;
}

/** nodemailer over SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`). The URL is never logged. */
export function smtpMailer(url: string, options: { timeoutMs?: number } = {}): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({ url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(message) {
      const info = await transport.sendMail({ from: message.from, to: message.to, subject: message.subject, html: message.html, text: message.text });
      return { messageId: info.messageId };
    },
    async verify() {
      await transport.verify();
    },
  };
}
