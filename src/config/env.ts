import { existsSync } from 'node:fs';

/** Secrets touchpoint reads; they come only from the environment and are never logged. */
export interface Secrets {
  notionToken: string | null;
  airtableToken: string | null;
  smtpUrl: string | null;
  dashboardToken: string | null;
  /** Slack incoming-webhook URLs by variable name: SLACK_WEBHOOK_URL and every SLACK_WEBHOOK_<NAME>. */
  slackWebhooks: Readonly<Record<string, string>>;
}

/**
 * Load `.env` from the working directory if present (Node's own loader; variables already
 * set win), then read the secrets. The only place that reads `process.env`.
 */
export function loadSecrets(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Secrets {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : null;
  };
  return {
    notionToken: read('NOTION_TOKEN'),
    airtableToken: read('AIRTABLE_TOKEN'),
    smtpUrl: read('SMTP_URL'),
    dashboardToken: read('DASHBOARD_TOKEN'),
    slackWebhooks: Object.fromEntries(
      Object.keys(env)
        .filter((name) => /^SLACK_WEBHOOK_(URL|[A-Z0-9_]+)$/.test(name))
        .flatMap((name) => {
          const value = read(name);
          return value ? [[name, value]] : [];
        }),
    ),
  };
}

/** Whether stdout is an interactive terminal (progress bars) — read here so nothing else touches process state. */
export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && process.env['CI'] !== 'true';
}

/**
 * SMTP_URL checked once, without ever echoing it: a URL that does not parse, or is not smtp: or
 * smtps:, is one sentence about the variable. Null when it is fine (or unset).
 */
export function smtpUrlProblem(url: string | null): string | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'SMTP_URL is not a valid URL (its value is not shown): write it as smtp://user:password@host:587 or smtps://user:password@host:465, with special characters in the password percent-encoded.';
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    return `SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}// (its value is not shown).`;
  if (!parsed.hostname) return 'SMTP_URL names no host (its value is not shown): smtp://user:password@host:587.';
  return null;
}

/**
 * Every configured secret in the forms it could be printed in — as set, URL-encoded, and the
 * password and user:password of URL-shaped ones — for redaction of everything written.
 */
export function secretValues(secrets: Secrets): string[] {
  const raw = [secrets.notionToken, secrets.airtableToken, secrets.smtpUrl, secrets.dashboardToken, ...Object.values(secrets.slackWebhooks)].filter(
    (v): v is string => Boolean(v),
  );
  const forms = new Set<string>();
  for (const value of raw) {
    forms.add(value);
    forms.add(encodeURIComponent(value));
    try {
      const url = new URL(value);
      if (url.password) {
        forms.add(url.password);
        forms.add(decodeURIComponent(url.password));
      }
      if (url.pathname.length > 8) forms.add(url.pathname); // a webhook's secret path
    } catch {
      // not a URL: the value itself is enough
    }
  }
  return [...forms].filter((f) => f.length >= 6).sort((a, b) => b.length - a.length);
}

/** Replaces every configured secret in `text` with `[redacted]`. */
export function secretRedactor(secrets: Secrets): (text: string) => string {
  const values = secretValues(secrets);
  return (text) => values.reduce((out, value) => out.split(value).join('[redacted]'), text);
}
