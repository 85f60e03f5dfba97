import { describe, expect, test } from 'vitest';
import { instantMs, localDate } from '../../src/metrics/time.js';

describe('instantMs reads an instant as Date.parse does', () => {
  test.each([
    '2026-11-20T09:15:00.000Z',
    '2026-11-20T09:15:00Z',
    '2026-11-20T09:15:00.000+01:00',
    '2026-02-30T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-1a-01T00:00:00.000Z',
    '2026-11-20 09:15:00.000Z',
    '0001-01-01T00:00:00.000Z',
    'not a date at all, 24 ch',
  ])('%s', (value) => {
    expect(Object.is(instantMs(value), Date.parse(value))).toBe(true);
  });

  test('on 2 000 instants across a century, and their local dates in Berlin', () => {
    let seed = 11;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const iso = new Date(Date.UTC(1970, 0, 1) + Math.floor(random() * 100 * 365.25 * 86_400_000)).toISOString();
      expect(instantMs(iso)).toBe(Date.parse(iso));
      expect(localDate(iso, 'Europe/Berlin')).toBe(new Date(Date.parse(iso)).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' }));
    }
  });
});
