import { describe, expect, test } from 'vitest';
import { parseBoolean, parseMinutes } from '../../../src/sources/kit/values.js';
import { stripNotionLink } from '../../../src/sources/csv/map.js';
import { parsePersonText } from '../../../src/sources/kit/people.js';

describe('parseMinutes', () => {
  test.each([
    ['45', 'minutes', 45],
    ['1.5', 'hours', 90],
    ['1,5', 'hours', 90],
    ['5400', 'seconds', 90],
    ['1:30', 'minutes', 90],
    ['0:45:30', 'minutes', 45.5],
    ['1h 30m', 'minutes', 90],
    ['90 min', 'hours', 90],
    ['2 hours', 'minutes', 120],
  ] as const)('%s (%s) → %d minutes', (text, unit, minutes) => {
    expect(parseMinutes(text, unit)).toBe(minutes);
  });

  test.each(['about an hour', '-5', '1h30x'])('%s is unreadable', (text) => {
    expect(parseMinutes(text, 'minutes')).toEqual({ unreadable: text });
  });
});

describe('parseBoolean', () => {
  test.each([
    ['Yes', true],
    ['checked', true],
    ['TRUE', true],
    ['✓', true],
    ['No', false],
    ['', false],
    ['false', false],
  ] as const)('%s → %s', (text, value) => {
    expect(parseBoolean(text)).toBe(value);
  });

  test('anything else is unreadable', () => {
    expect(parseBoolean('maybe')).toEqual({ unreadable: 'maybe' });
  });
});

describe('cell text', () => {
  test('a Notion relation loses its link', () => {
    expect(stripNotionLink('Acme Corp (https://www.notion.so/ws/Acme-Corp-0123)')).toBe('Acme Corp');
    expect(stripNotionLink('Plain (not a link)')).toBe('Plain (not a link)');
    // A workspace export links relations to the page's file, relative and percent-encoded.
    expect(stripNotionLink('Churn deep-dive (Studies%20d1f0/Churn%20deep-dive%201e527ff9160e80a489f1c7e23916e1df.md)')).toBe('Churn deep-dive');
    expect(stripNotionLink('Acme (Accounts/Acme%20abc.md), Birch (Accounts/Birch%20def.md)')).toBe('Acme, Birch');
  });

  test.each([
    ['Jane Doe <Jane@Acme.example>', { name: 'Jane Doe', email: 'Jane@Acme.example', id: null }],
    ['jane@acme.example', { name: null, email: 'jane@acme.example', id: null }],
    ['Jane Doe', { name: 'Jane Doe', email: null, id: null }],
  ])('person %s', (text, person) => {
    expect(parsePersonText(text)).toEqual(person);
  });
});

describe('setupFingerprint', () => {
  test('changes with the mapping, a value map, the roster or the zone; not with operational settings', async () => {
    const { setupFingerprint } = await import('../../../src/sources/kit/fingerprint.js');
    const { parseConfig } = await import('../../../src/config/load.js');
    const base = {
      name: 'n',
      kind: 'notion',
      database: 'https://www.notion.so/x-9dfb369bab1380aea27655daa05f1119',
      mapping: { title: 'Name', startsAt: 'Date', callType: { column: 'Type', values: { Discovery: 'learning' } } },
    };
    const fp = (source: Record<string, unknown>, roster = [{ name: 'A', email: 'a@x.example' }], timezone = 'UTC') => {
      const config = parseConfig({ roster, sources: [source] });
      return setupFingerprint(config.sources[0]!, config.roster, timezone);
    };
    const first = fp(base);
    expect(fp({ ...base, requestsPerSecond: 2, timeoutSeconds: 10, pageSize: 50 })).toBe(first);
    expect(
      fp({ ...base, mapping: { ...base.mapping, callType: { column: 'Type', values: { Discovery: 'learning', 'Learning call': 'learning' } } } }),
    ).not.toBe(first);
    expect(fp({ ...base, mapping: { ...base.mapping, segment: 'Segment' } })).not.toBe(first);
    expect(
      fp(base, [
        { name: 'A', email: 'a@x.example' },
        { name: 'B', email: 'b@x.example' },
      ]),
    ).not.toBe(first);
    expect(fp(base, undefined, 'Europe/Berlin')).not.toBe(first);
  });
});
