import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { print } from '../output.js';
import { openWorkspace, TouchpointError } from '../../index.js';
import { findingsCsv, interviewsCsv } from '../../present/export.js';

/** `touchpoint export`: every interview (all model fields) and every finding, as JSON or CSV, into a folder. */
export async function run(flags: { config: string; format?: string; out?: string }): Promise<void> {
  const format = flags.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new TouchpointError('usage', `--format takes json or csv, not "${format}".`);
  const { workspace } = openWorkspace(flags.config);
  try {
    const interviews = workspace.interviews();
    const findings = workspace.findings();
    const dir = resolve(flags.out ?? 'export');
    mkdirSync(dir, { recursive: true });
    const files =
      format === 'json'
        ? [
            ['interviews.json', `${JSON.stringify(interviews, null, 2)}\n`],
            ['findings.json', `${JSON.stringify(findings, null, 2)}\n`],
          ]
        : [
            ['interviews.csv', interviewsCsv(interviews)],
            ['findings.csv', findingsCsv(findings)],
          ];
    for (const [name, text] of files) writeFileSync(join(dir, name!), text!);
    print(`Wrote ${interviews.length} interviews and ${findings.length} findings to ${dir} (${files.map(([n]) => n).join(', ')}).`);
  } finally {
    workspace.store.close();
  }
}
