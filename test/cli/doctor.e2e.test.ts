import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSmtp } from '../helpers/smtp.js';
import { FakeNotion, IDS, TOKEN } from '../fakes/notion.js';
import { FakeAirtable, AIRTABLE_TOKEN, BASE_ID } from '../fakes/airtable.js';
import { serveOnLoopback, type ServedFake } from '../fakes/serve.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function setup(options: { airtableBase: string; csvHeader: string }) {
  const notion = await serveOnLoopback(new FakeNotion().handlers(''));
  const airtable = await serveOnLoopback(new FakeAirtable().handlers(''));
  const smtp = await startSmtp();
  cleanup.push(notion.close, airtable.close, smtp.close);
  const dir = mkdtempSync(join(tmpdir(), 'tp-doctor-'));
  writeFileSync(join(dir, 'rows.csv'), `${options.csvHeader}\nA,2026-03-02\n`);
  writeFileSync(
    join(dir, 'touchpoint.config.yaml'),
    `roster:
  - { name: Pat Lee, email: pat@co.example, role: pm }
digests: { exec: { to: [cpo@acme.example] } }
sources:
  - { name: file, kind: csv, path: rows.csv, mapping: { title: Name, startsAt: Date } }
  - { name: interviews, kind: notion, database: "${IDS.database_id}", apiBaseUrl: ${notion.url}, requestsPerSecond: 10, mapping: { title: Name, startsAt: Date, study: Study } }
  - { name: research, kind: airtable, baseId: ${options.airtableBase}, table: Interviews, endpointUrl: ${airtable.url}, mapping: { title: Name, startsAt: Date } }
`,
  );
  return { dir, env: { NOTION_TOKEN: TOKEN, AIRTABLE_TOKEN, SMTP_URL: smtp.url }, served: [notion, airtable] as ServedFake[] };
}

test('doctor: every check passes, and nothing is written', async () => {
  const { dir, env, served } = await setup({ airtableBase: BASE_ID, csvHeader: 'Name,Date' });
  const result = await runCli(['doctor'], dir, env);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^✓ config\s+.*touchpoint\.config\.yaml: 3 sources, 1 people \(1 PMs\)/m);
  expect(result.stdout).toMatch(/^– store\s+.*touchpoint\.db does not exist yet; touchpoint sync creates it$/m);
  expect(result.stdout).toMatch(/^✓ source file\s+csv: .*rows\.csv: about 1 rows, delimiter ",", every mapped column present$/m);
  expect(result.stdout).toMatch(
    new RegExp(`^✓ source interviews\\s+notion: data source ${IDS.data_source_id} of database ${IDS.database_id}: 3 mapped columns found$`, 'm'),
  );
  expect(result.stdout).toMatch(/^✓ source research\s+airtable: table tblBFTFoOxtzHq8ST: 2 mapped fields found; incremental by field fldExzIpIQftca4sv$/m);
  expect(result.stdout).toMatch(/^✓ SMTP\s+the server behind SMTP_URL answers; digests go to cpo@acme\.example$/m);
  expect(result.stdout).toContain('All checks passed.');
  expect(existsSync(join(dir, 'data'))).toBe(false);
  for (const s of served) expect(s.unhandled).toEqual([]);
});

test('doctor: each problem is one line that says what to do, and the exit code is 1', async () => {
  const { dir, env } = await setup({ airtableBase: 'appAAAAAAAAAAAAAA', csvHeader: 'Title,Date' });
  const result = await runCli(['doctor'], dir, { ...env, NOTION_TOKEN: '', SMTP_URL: 'smtp://127.0.0.1:9' });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^✗ source file\s+.*rows\.csv does not match its mapping/m);
  expect(result.stdout).toContain('- mapping.title: column "Name" is not in the file');
  expect(result.stdout).toMatch(/^✗ source interviews\s+Source "interviews" \(Notion\): NOTION_TOKEN is not set/m);
  expect(result.stdout).toMatch(/^✗ source research\s+Source "research" \(Airtable\): Airtable refused base appAAAAAAAAAAAAAA/m);
  expect(result.stdout).toMatch(/^✗ SMTP\s+the server behind SMTP_URL did not accept a connection \(ESOCKET\)/m);
  expect(result.stdout).toContain('4 checks failed.');
  expect(result.stdout).not.toContain(TOKEN);
});
