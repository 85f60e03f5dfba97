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
