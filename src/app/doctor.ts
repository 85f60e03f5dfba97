import { existsSync } from 'node:fs';
import { loadConfig } from '../config/load.js';
import { loadSecrets, smtpUrlProblem } from '../config/env.js';
import { isLoopback, MIN_TOKEN_LENGTH } from '../config/hosts.js';
import { Store } from '../store/store.js';
import { mappedColumns } from '../sources/kit/columns.js';
import { createSource } from '../sources/create.js';
import { isPm } from '../model/person.js';
import { TouchpointError } from '../errors.js';
import { dashboardUrlWarning } from './digests.js';

export type Verdict = 'ok' | 'fail' | 'note';

/** One line of `touchpoint doctor`. */
export interface Check {
  verdict: Verdict;
  what: string;
  detail: string;
  more: readonly string[];
}

/**
 * Config, store, each source's access and mapping, SMTP and the dashboard binding, checked in turn
 * (`touchpoint doctor`). Returns one check per line; nothing is written.
 */
export async function runDoctor(configPath: string, deps: { smtpVerify: (url: string) => Promise<void> }): Promise<Check[]> {
  const checks: Check[] = [];
  const say = (verdict: Verdict, what: string, detail: string, more: readonly string[] = []) => void checks.push({ verdict, what, detail, more });
  const explain = (error: unknown): [string, readonly string[]] =>
    TouchpointError.isTouchpointError(error) ? [error.message, error.details] : [(error as Error).message ?? String(error), []];

  let loaded;
  try {
    loaded = loadConfig(configPath);
  } catch (error) {
    say('fail', 'config', ...explain(error));
    return checks;
  }
  const { config, path } = loaded;
  const pms = config.roster.filter(isPm).length;
  say(
    'ok',
    'config',
    `${path}: ${config.sources.length} source${config.sources.length === 1 ? '' : 's'}, ${config.roster.length} people (${pms} PMs), weeks in ${config.timezone}`,
  );
  if (pms === 0) say('fail', 'roster', 'no one has role: pm, so cadence has nobody to measure. Add the PMs under roster.');

  const secrets = loadSecrets();
  let store: Store | null = null;
  if (config.store.path !== ':memory:' && !existsSync(config.store.path)) {
    say('note', 'store', `${config.store.path} does not exist yet; touchpoint sync creates it`);
  } else {
    try {
      store = Store.open(config.store.path);
      // SQLite's quick_check first: on a damaged file, every other figure would be a guess.
      const problems = store.check();
      if (problems.length > 0)
        throw new TouchpointError(
          'store_damaged',
          `The store at ${config.store.path} is damaged: ${problems.join('; ')}. Restore a backup, or delete it and run \`touchpoint sync --full\`.`,
        );
      const runs = store.runs(1);
      say(
        'ok',
        'store',
        `${config.store.path}: schema ${store.schemaVersion()}, ${store.interviews().length} interviews, last sync ${runs[0] ? `${runs[0].finishedAt.slice(0, 16).replace('T', ' ')} UTC (${runs[0].status})` : 'never'}`,
      );
    } catch (error) {
      say('fail', 'store', ...explain(error));
    }
  }

  if (config.sources.length === 0) say('fail', 'sources', 'none configured. Add one under sources (see README "Configuration").');
  for (const sourceConfig of config.sources) {
    try {
      const source = createSource(sourceConfig, config, { secrets });
      say('ok', `source ${sourceConfig.name}`, `${sourceConfig.kind}: ${await source.probe()}`);
      const schema = await source.describeSchema();
      const mapped = new Set(mappedColumns(sourceConfig.mapping).map((c) => c.trim().toLowerCase()));
      const unmapped = schema.columns.filter((c) => !mapped.has(c.name.trim().toLowerCase()) && !mapped.has(c.id)).map((c) => `"${c.name}" (${c.type})`);
      if (unmapped.length > 0)
        say('note', `source ${sourceConfig.name}`, `${schema.columns.length} columns, ${unmapped.length} not mapped: ${unmapped.join(', ')}`);
    } catch (error) {
      say('fail', `source ${sourceConfig.name}`, ...explain(error));
    }
  }

  const digests = config.digests;
  const targets = [...(digests.exec?.enabled ? [{ name: 'exec', ...digests.exec }] : []), ...digests.teams.map((t) => ({ name: `team ${t.team}`, ...t }))];
  const wantsMail = targets.some((t) => t.to?.length);
  const linkWarning = targets.length > 0 ? dashboardUrlWarning(config) : null;
  if (linkWarning) say('note', 'digest links', linkWarning);
  for (const t of targets.filter((x) => x.slack)) {
    // Checked without posting: a test post would land in the channel.
    if (secrets.slackWebhooks[t.slack!])
      say('ok', 'Slack', `${t.name} digest: ${t.slack} is set (participants ${digests.redact === 'none' ? 'shown' : 'withheld'} in Slack posts)`);
    else say('fail', 'Slack', `${t.name} digest: ${t.slack} is not set; put the incoming-webhook URL in the environment or .env.`);
  }
  if (!wantsMail) say('note', 'SMTP', secrets.smtpUrl ? 'SMTP_URL is set, but no digest goes by e-mail' : 'not needed: no digest goes by e-mail');
  else if (!secrets.smtpUrl) say('fail', 'SMTP', 'digests are configured but SMTP_URL is not set (see .env.example).');
  else if (smtpUrlProblem(secrets.smtpUrl)) say('fail', 'SMTP', smtpUrlProblem(secrets.smtpUrl)!);
  else {
    try {
      await deps.smtpVerify(secrets.smtpUrl);
      say(
        'ok',
        'SMTP',
        `the server behind SMTP_URL answers; digests go to ${[...(digests.exec?.enabled ? (digests.exec.to ?? []) : []), ...digests.teams.flatMap((t) => t.to ?? [])].join(', ')}`,
      );
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; response?: string };
      say(
        'fail',
        'SMTP',
        `the server behind SMTP_URL did not accept a connection (${e.responseCode ? `${e.responseCode} ${e.response ?? ''}`.trim() : (e.code ?? 'error')}). Check the host, port and credentials.`,
      );
    }
  }

  const { host, port } = config.dashboard;
  if (isLoopback(host)) say('ok', 'dashboard', `http://${host}:${port}${secrets.dashboardToken ? ' (token required)' : ''}`);
  else if (secrets.dashboardToken && secrets.dashboardToken.length < MIN_TOKEN_LENGTH)
    say(
      'fail',
      'dashboard',
      `dashboard.host ${host} is open to the network and DASHBOARD_TOKEN has only ${secrets.dashboardToken.length} characters; use at least ${MIN_TOKEN_LENGTH} (\`openssl rand -base64 32\`).`,
    );
  else if (secrets.dashboardToken) say('ok', 'dashboard', `http://${host}:${port}, open to the network, protected by DASHBOARD_TOKEN`);
  else say('fail', 'dashboard', `dashboard.host ${host} is not loopback and DASHBOARD_TOKEN is not set: serve would refuse to start.`);

  store?.close();
  return checks;
}
