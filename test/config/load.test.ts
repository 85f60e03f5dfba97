import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { loadSecrets } from '../../src/config/env.js';

function write(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-config-')), name);
  writeFileSync(path, text);
  return path;
}

const minimalSource = { name: 'notes', kind: 'csv', path: 'rows.csv', mapping: { title: 'Name', startsAt: 'Date' } };

describe('loadConfig', () => {
  test('the bundled demo config is valid and resolves paths next to the file', () => {
    const { config, path } = loadConfig('examples/demo/touchpoint.config.yaml');
    expect(path).toMatch(/examples\/demo\/touchpoint\.config\.yaml$/);
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.roster.filter((p) => p.role === 'pm')).toHaveLength(12);
    expect(config.sources[0]).toMatchObject({ kind: 'csv', path: expect.stringMatching(/\/examples\/demo\/interviews\.csv$/) });
  });

  test('defaults are declared once and applied', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      timezone: 'UTC',
      store: { path: './data/touchpoint.db' },
      targets: {
        measure: 'hours',
        hoursPerWeek: 2,
        conversationsPerWeek: 1,
        defaultDurationMinutes: 60,
        countedCallTypes: ['learning', 'usability'],
        windowDays: 90,
      },
      dashboard: { host: '127.0.0.1', port: 3000 },
      sync: { maxDeleteShare: 0.5 },
      sources: [],
    });
  });

  test('JSON parses too', () => {
    const path = write('touchpoint.config.json', JSON.stringify({ timezone: 'America/New_York', sources: [minimalSource] }));
    const { config } = loadConfig(path);
    expect(config.timezone).toBe('America/New_York');
    expect(config.sources[0]).toMatchObject({ path: join(path, '..', 'rows.csv'), mapping: { title: { column: 'Name', values: {} } } });
  });

  test('a missing file says how to start', () => {
    expect(() => loadConfig('/nope/touchpoint.config.yaml')).toThrow(
      expect.objectContaining({ code: 'config_not_found', message: expect.stringContaining('touchpoint demo') }),
    );
  });

  test('broken YAML is reported with its position', () => {
    const path = write('touchpoint.config.yaml', 'timezone: [UTC\n');
    expect(() => loadConfig(path)).toThrow(expect.objectContaining({ code: 'config_invalid', details: [expect.stringMatching(/line \d+/)] }));
  });
});

describe('config errors: one line per problem, with its path and a way to fix it', () => {
  test.each([
    [{ timezon: 'UTC' }, ['timezon: unknown key; did you mean "timezone"?']],
    [{ timezone: 'Berlin' }, ['timezone: not a time zone; use an IANA name such as "Europe/Berlin" or "America/New_York"']],
    [{ sources: [{ ...minimalSource, mapping: { startsAt: 'Date' } }] }, ['sources[0].mapping.title: missing; this key is required']],
    [
      { sources: [{ ...minimalSource, mapping: { ...minimalSource.mapping, callType: { column: 'Type', values: { Discovery: 'learn' } } } }] },
      [expect.stringMatching(/^sources\[0\]\.mapping\.callType\.values\.Discovery: .*"learning"/)],
    ],
    [
      { sources: [{ ...minimalSource, mapping: { ...minimalSource.mapping, segmnt: 'Segment' } }] },
      ['sources[0].mapping.segmnt: unknown key; did you mean "segment"?'],
    ],
    [{ sources: [{ ...minimalSource, kind: 'sheets' }] }, [expect.stringMatching(/^sources\[0\]\.kind: /)]],
    [{ sources: [minimalSource, minimalSource] }, ['sources[1].name: two sources are named "notes"; names must be unique']],
    [
      {
        roster: [
          { name: 'A', email: 'a@x.example' },
          { name: 'B', email: 'A@x.example' },
        ],
      },
      ['roster[1].email: a@x.example is listed twice; keep one entry per person'],
    ],
    [{ roster: [{ name: 'A', email: 'not-an-email' }] }, [expect.stringMatching(/^roster\[0\]\.email: /)]],
    [{ targets: { hoursPerWeek: -1 } }, [expect.stringMatching(/^targets\.hoursPerWeek: /)]],
    // A date that does not exist is refused, not rolled over into March.
    [{ asOf: '2026-02-30' }, [expect.stringMatching(/^asOf: /)]],
  ])('%j', (raw, lines) => {
    let caught: unknown;
    try {
      parseConfig(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'config_invalid', details: lines });
  });

  test('several problems are all listed', () => {
    expect(() => parseConfig({ timezone: 'Nowhere', targets: { windowDays: 0 }, extra: 1 })).toThrow(
      expect.objectContaining({ message: 'config has 3 problems' }),
    );
  });
});

describe('editor schema', () => {
  test('touchpoint.schema.json is generated from the zod schema and committed up to date', () => {
    const committed = JSON.parse(readFileSync('touchpoint.schema.json', 'utf8'));
    expect(committed).toEqual(configJsonSchema());
    expect(Object.keys(committed.properties)).toEqual(expect.arrayContaining(['timezone', 'roster', 'targets', 'sources', 'store']));
  });
});

describe('secrets', () => {
  test('come from the environment only, blank counts as unset', () => {
    const env = {
      NOTION_TOKEN: ' ntn_x ',
      DASHBOARD_TOKEN: '',
      SLACK_WEBHOOK_URL: 'https://hooks.example/a',
      SLACK_WEBHOOK_GROWTH: 'https://hooks.example/b',
      SLACK_WEBHOOK_EMPTY: ' ',
      SLACK_OTHER: 'x',
    };
    expect(loadSecrets(env, '/nonexistent/.env')).toEqual({
      notionToken: 'ntn_x',
      airtableToken: null,
      smtpUrl: null,
      dashboardToken: null,
      slackWebhooks: { SLACK_WEBHOOK_URL: 'https://hooks.example/a', SLACK_WEBHOOK_GROWTH: 'https://hooks.example/b' },
    });
  });
});

describe('redacting secrets', () => {
  test('every configured secret, plain, URL-encoded and as a URL password, becomes [redacted]', async () => {
    const { secretRedactor, smtpUrlProblem } = await import('../../src/config/env.js');
    const secrets = loadSecrets(
      {
        NOTION_TOKEN: 'ntn_secretToken123',
        SMTP_URL: 'smtps://me:p%40ss%2Fw0rd@smtp.example.com:465',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/xyzSECRET',
      },
      '/nonexistent/.env',
    );
    const redact = secretRedactor(secrets);
    expect(redact('token ntn_secretToken123, encoded ntn_secretToken123')).toBe('token [redacted], encoded [redacted]');
    expect(redact('failed: smtps://me:p%40ss%2Fw0rd@smtp.example.com:465 with p@ss/w0rd')).toBe('failed: [redacted] with [redacted]');
    expect(redact('posted to /services/T0/B0/xyzSECRET')).toBe('posted to [redacted]');
    expect(redact('nothing secret here')).toBe('nothing secret here');
    expect(smtpUrlProblem('smtp://user:pw@bad host:25')).toMatch(/^SMTP_URL is not a valid URL \(its value is not shown\)/);
    expect(smtpUrlProblem('smtp://user:pw@bad host:25')).not.toContain('pw');
    expect(smtpUrlProblem('https://smtp.example.com')).toMatch(/must start with smtp:\/\/ or smtps:\/\//);
    expect(smtpUrlProblem('smtps://u:p@smtp.example.com:465')).toBeNull();
  });
});

test.each(['examples/notion/touchpoint.config.yaml', 'examples/airtable/touchpoint.config.yaml', 'examples/csv/touchpoint.config.yaml'])(
  'the example %s is valid, with no pinned asOf',
  (path) => {
    const { config } = loadConfig(path);
    expect(config.asOf).toBeUndefined();
    expect(config.roster.length).toBeGreaterThan(0);
    expect(config.sources).toHaveLength(1);
  },
);
