import { existsSync } from 'node:fs';

/** Secrets touchpoint reads; they come only from the environment and are never logged. */
export interface Secrets {
  notionToken: string | null;
  airtableToken: string | null;
  smtpUrl: string | null;
  dashboardToken: string | null;
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
  };
}

/** Whether stdout is an interactive terminal (progress bars) — read here so nothing else touches process state. */
export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && process.env['CI'] !== 'true';
}
