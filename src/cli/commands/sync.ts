import { print } from '../output.js';
import cliProgress from 'cli-progress';
import { isInteractive, openWorkspace, runInBackground, syncAll, TouchpointError, type SourceResult } from '../../index.js';
import { fieldOfSources, setupChecklist, type FieldOf } from '../../present/checklist.js';
import { renderTable } from '../table.js';

interface SyncFlags {
  config: string;
  source?: string;
  full?: boolean;
  force?: boolean;
  verbose?: boolean;
}

const CHECKLIST_SHOWN = 15;

/** `touchpoint sync`: run the sources, print the report table and the findings. */
export async function run(flags: SyncFlags): Promise<void> {
  const { workspace, secrets } = openWorkspace(flags.config);
  // A sync is background work: on a machine that also serves the dashboard, readers come first.
  runInBackground({ wholeProcess: true });
  const bar = isInteractive()
    ? new cliProgress.SingleBar(
        { format: '  {source} [{bar}] {value}/{total} rows', clearOnComplete: true, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let results: SourceResult[];
  try {
    results = await syncAll(workspace.config, workspace.store, {
      deps: { secrets },
      only: flags.source,
      full: flags.full,
      force: flags.force,
      onSource: (source) => {
        if (!bar) return undefined;
        let started = false;
        return (read, total) => {
          if (!started) bar.start(total ?? read, 0, { source });
          started = true;
          if (total !== null) bar.setTotal(total);
          bar.update(read, { source });
          if (total !== null && read >= total) bar.stop();
        };
      },
    });
    // The dashboard's first view, once per build and config, so even `serve`'s first start answers at once.
    if (results.some((r) => !r.error)) workspace.keepFirstView();
  } finally {
    bar?.stop();
    workspace.store.close();
  }
  print(printResults(results, { verbose: flags.verbose === true, fieldOf: fieldOfSources(workspace.config.sources) }));
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) {
    throw new TouchpointError(
      failed.length === 1 && TouchpointError.isTouchpointError(failed[0]!.error) ? failed[0]!.error.code : 'source_unreadable',
      failed.length === 1 ? failed[0]!.error!.message : `${failed.length} sources failed; the store keeps their previous data.`,
      failed.length === 1 && TouchpointError.isTouchpointError(failed[0]!.error)
        ? failed[0]!.error.details
        : failed.map((f) => `${f.source}: ${f.error!.message}`),
    );
  }
}

/** The report table, then the first findings as sentences; with `verbose`, every request sent. */
export function printResults(results: readonly SourceResult[], options: { verbose?: boolean; fieldOf?: FieldOf } = {}): string {
  const ok = results.flatMap((r) => (r.outcome ? [r.outcome] : []));
  const lines: string[] = [];
  if (ok.length > 0) {
    // API sources also say what the run cost: requests, retries and time spent waiting on limits.
    const api = ok.some(({ report: r }) => r.requests > 0);
    lines.push(
      renderTable(
        ['source', 'listing', 'read', 'created', 'updated', 'unchanged', 'deleted', 'findings', 'time', ...(api ? ['requests', 'retries', 'waited'] : [])],
        ok.map(({ report: r }) => [
          r.source,
          r.listing,
          r.read,
          r.created,
          r.updated,
          r.unchanged,
          r.deleted,
          r.findings,
          `${(r.durationMs / 1000).toFixed(2)} s`,
          ...(api ? [r.requests, r.retries, `${(r.waitedMs / 1000).toFixed(1)} s`] : []),
        ]),
      ),
    );
  }
  for (const r of results) if (r.error) lines.push(`${r.source}: failed, previous data kept.`);
  for (const { report: r } of ok) {
    if (r.why === 'setup_changed')
      lines.push(
        `${r.source}: a full listing, because the setup changed since the last sync (the mapping, a value map, the roster or the zone): every row is read again.`,
      );
    if (r.deletionsHeld > 0)
      lines.push(
        `${r.source}: ${r.deletionsHeld} row${r.deletionsHeld === 1 ? ' is' : 's are'} no longer in the source but kept, because some rows could not be read (see the findings).`,
      );
  }
  if (options.verbose) {
    for (const r of results) {
      if (r.requests.length === 0) continue;
      lines.push('', `Requests to ${r.source}:`);
      lines.push(
        renderTable(
          ['#', 'method', 'path', 'status', 'attempt', 'waited', 'took', 'then'],
          r.requests.map((q, i) => [
            i + 1,
            q.method,
            q.path,
            q.status ?? '—',
            q.attempt,
            `${(q.waitMs / 1000).toFixed(2)} s`,
            `${(q.ms / 1000).toFixed(2)} s`,
            q.note ? `${q.outcome} (${q.note})` : q.outcome,
          ]),
        ),
      );
    }
  }
  const offRoster = ok.flatMap((o) => o.report.offRoster);
  if (offRoster.length > 0) {
    lines.push('', `Not on the roster (kept, credited to nobody): ${offRoster.map((p) => `${p.name} (${p.rows} row${p.rows === 1 ? '' : 's'})`).join(', ')}`);
  }
  const findings = ok.flatMap((o) => o.findings);
  if (findings.length > 0) {
    const items = setupChecklist(findings, options.fieldOf);
    const shown = items.slice(0, CHECKLIST_SHOWN);
    lines.push(
      '',
      `Setup checklist (${findings.length} finding${findings.length === 1 ? '' : 's'} in ${items.length} group${items.length === 1 ? '' : 's'}${items.length > shown.length ? `, first ${shown.length} shown; all on the dashboard's Data quality page` : ''}):`,
    );
    for (const item of shown) {
      lines.push(`  ${item.kind === 'decide' ? 'decide' : 'fix   '}  ${item.source}: ${item.sentence}`);
      if (item.yaml) lines.push(`          ${item.yaml}`);
      if (item.kind === 'fix' && item.examples.length > 0)
        lines.push(`          rows: ${item.examples.map((e) => e.label).join(', ')}${item.rows > item.examples.length ? ', …' : ''}`);
    }
  }
  return lines.join('\n');
}
