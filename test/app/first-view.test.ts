import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { firstViewKey, keptFirstViewKey, readFirstView, writeFirstView } from '../../src/app/first-view.js';
import type { Metrics } from '../../src/metrics/index.js';

const metrics = { asOf: '2026-11-20' } as unknown as Metrics;
const config = parseConfig({ timezone: 'Europe/Berlin' });

test.each([
  ['the same key, the same version', 7, 'k', { version: 7, metrics }],
  ['the same key, a newer store (a sync since): served stale', 9, 'k', { version: 7, metrics }],
  ['another key (config, build, query)', 7, 'other', null],
  ['an older store than the view (a restored backup)', 6, 'k', null],
])('a kept view: %s', (_case, version, key, expected) => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-view-')), 'touchpoint.db-view.json');
  writeFirstView(path, { key: 'k', version: 7, metrics });
  expect(readFirstView(path, version, key)).toEqual(expected);
});

test('a damaged or missing file is no view', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-view-'));
  writeFileSync(join(dir, 'damaged'), '{"key":"k","vers');
  expect(readFirstView(join(dir, 'damaged'), 7, 'k')).toBeNull();
  expect(readFirstView(join(dir, 'absent'), 7, 'k')).toBeNull();
});

test('the key changes with the config, the query and the build', () => {
  const base = firstViewKey(config, '2026-11-20|||', 'b1');
  expect(firstViewKey(config, '2026-11-20|||', 'b1')).toBe(base);
  expect(firstViewKey(parseConfig({ timezone: 'Europe/Paris' }), '2026-11-20|||', 'b1')).not.toBe(base);
  expect(firstViewKey(config, '2026-11-21|||', 'b1')).not.toBe(base);
  expect(firstViewKey(config, '2026-11-20|||', 'b2')).not.toBe(base);
});

test("the kept view's key is read from the file's first bytes", () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-view-')), 'touchpoint.db-view.json');
  expect(keptFirstViewKey(path)).toBeNull();
  writeFirstView(path, { key: '0.1.0|b "quoted"|c', version: 3, metrics });
  expect(keptFirstViewKey(path)).toBe('0.1.0|b "quoted"|c');
});
