import type { DigestChannel, Mailer } from '../index.js';
import { renderDigest } from './compose.js';

/** The e-mail body a channel message carries. */
interface EmailBody {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

/** A digest by e-mail: one message, HTML and text, to the configured recipients over the mailer (SMTP). */
export function emailChannel(mailer: Mailer, options: { from: string; to: string[] }): DigestChannel<EmailBody> {
  return {
    name: 'email',
    broadcast: false,
    spacingMs: 0,
    render(content) {
      const digest = renderDigest(content);
      const body: EmailBody = { from: options.from, to: options.to, subject: digest.subject, html: digest.html, text: digest.text };
      return [{ summary: `to ${options.to.join(', ')}: "${digest.subject}"`, body }];
    },
    async send(message) {
      return (await mailer.send(message.body)).messageId;
    },
  };
}
