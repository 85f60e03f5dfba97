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

describe('localDate is the date Intl gives in the zone', () => {
  // Zones with half and three-quarter hour offsets, half-hour DST (Lord Howe), southern DST, a
  // change at local midnight late in the UTC day (Beirut, 22:00 UTC), a skipped day (Apia, 30
  // December 2011) and none at all: every quarter hour of each day a zone changes its offset, and
  // instants at random minutes, against Intl.
  test.each([
    'Europe/Berlin',
    'America/St_Johns',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Asia/Beirut',
    'Pacific/Apia',
    'UTC',
  ])('local dates in %s on the days its offset changes, and at random minutes', (zone) => {
    const intl = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: zone });
    const offsetAt = (ms: number) => new Date(ms).toLocaleString('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).split(' ').pop();
    let changes = 0;
    for (let day = Date.UTC(2009, 0, 1); day < Date.UTC(2013, 0, 1); day += 86_400_000) {
      if (offsetAt(day) === offsetAt(day + 86_399_999)) continue;
      changes += 1;
      for (let ms = day; ms < day + 86_400_000; ms += 15 * 60_000) {
        for (const at of [ms, ms + 60_000, ms + 14 * 60_000 + 59_999]) expect(localDate(new Date(at).toISOString(), zone)).toBe(intl(at));
      }
    }
    if (zone !== 'UTC' && zone !== 'Asia/Kolkata' && zone !== 'Asia/Kathmandu') expect(changes).toBeGreaterThan(0);
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 1000; i++) {
      const at = Date.UTC(1990, 0, 1) + Math.floor(random() * 40 * 365.25 * 86_400_000);
      expect(localDate(new Date(at).toISOString(), zone)).toBe(intl(at));
    }
  });
});
