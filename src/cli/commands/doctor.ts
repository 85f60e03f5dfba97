import { print } from '../output.js';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { loadSecrets } from '../../config/env.js';
import { Store } from '../../store/store.js';
import { mappedColumns } from '../../sources/kit/columns.js';
import { createSource } from '../../sources/create.js';
import { smtpMailer } from '../../digest/send.js';
import { isLoopback } from '../../web/server.js';
import { TouchpointError } from '../../errors.js';

type Verdict = 'ok' | 'fail' | 'note';
const MARK: Record<Verdict, string> = { ok: '✓', fail: '✗', note: '–' };

/** `touchpoint doctor`: config, store, each source's access and mapping, SMTP and the dashboard, checked in turn. */
export async function run(flags: { config: string }): Promise<void> {
  const lines: string[] = [];
  let failed = 0;
  const say = (verdict: Verdict, what: string, detail: string, more: readonly string[] = []) => {
    if (verdict === 'fail') failed += 1;
    lines.push(`${MARK[verdict]} ${what.padEnd(22)} ${detail}`, ...more.map((m) => `  ${' '.repeat(22)}- ${m}`));
  };
  const explain = (error: unknown): [string, readonly string[]] =>
    TouchpointError.isTouchpointError(error) ? [error.message, error.details] : [(error as Error).message ?? String(error), []];

  let loaded;
  try {
    loaded = loadConfig(flags.config);
  } catch (error) {
    say('fail', 'config', ...explain(error));
    report(lines, failed);
    return;
  }
  const { config, path } = loaded;
  const pms = config.roster.filter((p) => p.role === 'pm').length;
  say('ok', 'config', `${path}: ${config.sources.length} source${config.sources.length === 1 ? '' : 's'}, ${config.roster.length} people (${pms} PMs), weeks in ${config.timezone}`);
  if (pms === 0) say('fail', 'roster', 'no one has role: pm, so cadence has nobody to measure. Add the PMs under roster.');

  const secrets = loadSecrets();
  let store: Store | null = null;
  if (config.store.path !== ':memory:' && !existsSync(config.store.path)) {
    say('note', 'store', `${config.store.path} does not exist yet; touchpoint sync creates it`);
  } else {
    try {
      store = Store.open(config.store.path);
      const runs = store.runs(1);
      say('ok', 'store', `${config.store.path}: schema ${store.schemaVersion()}, ${store.interviews().length} interviews, last sync ${runs[0] ? `${runs[0].finishedAt.slice(0, 16).replace('T', ' ')} UTC (${runs[0].status})` : 'never'}`);
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
      if (unmapped.length > 0) say('note', `source ${sourceConfig.name}`, `${schema.columns.length} columns, ${unmapped.length} not mapped: ${unmapped.join(', ')}`);
    } catch (error) {
      say('fail', `source ${sourceConfig.name}`, ...explain(error));
    }
  }

  const digests = config.digests;
  const wantsMail = Boolean(digests && (digests.exec?.enabled || digests.teams.length > 0));
  if (!wantsMail) say('note', 'SMTP', secrets.smtpUrl ? 'SMTP_URL is set, but no digest is configured' : 'not needed: no digest is configured');
  else if (!secrets.smtpUrl) say('fail', 'SMTP', 'digests are configured but SMTP_URL is not set (see .env.example).');
  else {
    try {
      await smtpMailer(secrets.smtpUrl, { timeoutMs: 10_000 }).verify?.();
      say('ok', 'SMTP', `the server behind SMTP_URL answers; digests go to ${[...(digests?.exec?.enabled ? digests.exec.to : []), ...(digests?.teams ?? []).flatMap((t) => t.to)].join(', ')}`);
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; response?: string };
      say('fail', 'SMTP', `the server behind SMTP_URL did not accept a connection (${e.responseCode ? `${e.responseCode} ${e.response ?? ''}`.trim() : (e.code ?? 'error')}). Check the host, port and credentials.`);
    }
  }

  const { host, port } = config.dashboard;
  if (isLoopback(host)) say('ok', 'dashboard', `http://${host}:${port}${secrets.dashboardToken ? ' (token required)' : ''}`);
  else if (secrets.dashboardToken) say('ok', 'dashboard', `http://${host}:${port}, open to the network, protected by DASHBOARD_TOKEN`);
  else say('fail', 'dashboard', `dashboard.host ${host} is not loopback and DASHBOARD_TOKEN is not set: serve would refuse to start.`);

  store?.close();
  report(lines, failed);
}

function report(lines: readonly string[], failed: number): void {
  print(lines.join('\n'));
  print(failed === 0 ? '\nAll checks passed.' : `\n${failed} check${failed === 1 ? '' : 's'} failed.`);
  if (failed > 0) process.exitCode = 1;
}
