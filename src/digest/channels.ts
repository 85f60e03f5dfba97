import { TouchpointError, type DigestChannel, type DigestTarget, type Mailer, type Secrets } from '../index.js';
import { emailChannel } from './email.js';
import { mailerFrom } from './send.js';
import { slackChannel } from './slack.js';

/**
 * The channels of a digest: e-mail when it names recipients, Slack when it names a webhook
 * variable. The mailer is made once, on first use; a variable that is not set is one line.
 */
export function digestChannels(secrets: Secrets, options: { mailer?: () => Mailer; fetch?: typeof fetch } = {}): (target: DigestTarget) => DigestChannel[] {
  let mailer: Mailer | null = null;
  const makeMailer = options.mailer ?? (() => mailerFrom(secrets));
  return (target) => {
    const channels: DigestChannel[] = [];
    if (target.to?.length) channels.push(emailChannel((mailer ??= makeMailer()), { from: target.from, to: target.to }));
    if (target.slack) {
      const url = secrets.slackWebhooks[target.slack];
      if (!url) {
        throw new TouchpointError(
          'digest_failed',
          `${target.slack} is not set: put the Slack incoming-webhook URL (Slack → Apps → Incoming Webhooks → Add to a channel) in the environment or .env.`,
        );
      }
      channels.push(slackChannel(target.slack, url, options.fetch ? { fetch: options.fetch } : {}));
    }
    return channels;
  };
}
