import { describe, expect, test } from 'vitest';
import { DateTime } from 'luxon';
import { normaliseIsoDate, parseDateCell } from '../../../src/sources/kit/dates.js';

const berlin = { zone: 'Europe/Berlin', order: 'mdy' as const };

describe('parseDateCell', () => {
  test.each([
    // ISO forms
    ['2026-03-04', '2026-03-04', null],
    ['2026-03-04T14:30', '2026-03-04T13:30:00.000Z', null],
    ['2026-03-04 14:30', '2026-03-04T13:30:00.000Z', null],
    ['2026-03-04T14:30:00Z', '2026-03-04T14:30:00.000Z', null],
    ['2026-03-04T14:30:00+05:00', '2026-03-04T09:30:00.000Z', null],
    // Notion export forms
    ['March 4, 2026', '2026-03-04', null],
    ['March 4, 2026 2:30 PM', '2026-03-04T13:30:00.000Z', null],
    ['Mar 4, 2026 12:05 AM', '2026-03-03T23:05:00.000Z', null],
    ['March 4, 2026 2:30 PM (GMT+2)', '2026-03-04T12:30:00.000Z', null],
    ['March 4, 2026 2:30 PM (UTC)', '2026-03-04T14:30:00.000Z', null],
    ['March 4, 2026 2:30 PM → 3:15 PM', '2026-03-04T13:30:00.000Z', '2026-03-04T14:15:00.000Z'],
    ['March 4, 2026 → March 6, 2026', '2026-03-04', '2026-03-06'],
    // Airtable and European forms
    ['3/4/2026', '2026-03-04', null],
    ['3/4/2026 2:30pm', '2026-03-04T13:30:00.000Z', null],
    ['3/4/2026 14:30', '2026-03-04T13:30:00.000Z', null],
    ['4.3.2026', '2026-03-04', null],
    ['2026/03/04', '2026-03-04', null],
    ['4 March 2026', '2026-03-04', null],
    // Summer time in Berlin is UTC+2
    ['July 1, 2026 9:00 AM', '2026-07-01T07:00:00.000Z', null],
    // Abbreviations with and without a dot, September as Sept, day first
    ['Sept 30, 2026', '2026-09-30', null],
    ['Mar. 4, 2026', '2026-03-04', null],
    ['4 Mar 2026 14:30', '2026-03-04T13:30:00.000Z', null],
    ['march 4 2026', '2026-03-04', null],
    // A wall time the spring change skips (02:30 on 29 March 2026 in Berlin) moves forward, as luxon does
    ['March 29, 2026 2:30 AM', '2026-03-29T01:30:00.000Z', null],
    // The same local time either side of the autumn change
    ['October 24, 2026 9:00 AM', '2026-10-24T07:00:00.000Z', null],
    ['October 26, 2026 9:00 AM', '2026-10-26T08:00:00.000Z', null],
  ])('%s → %s', (text, start, end) => {
    expect(parseDateCell(text, berlin)).toEqual({ start, end });
  });

  test('a text parsed once answers the same again, and per zone: the cache keys on the zone and the order', () => {
    const first = parseDateCell('March 4, 2026 2:30 PM', berlin);
    expect(parseDateCell('March 4, 2026 2:30 PM', berlin)).toEqual(first);
    expect(parseDateCell('March 4, 2026 2:30 PM', { zone: 'America/New_York', order: 'mdy' })).toEqual({ start: '2026-03-04T19:30:00.000Z', end: null });
    expect(parseDateCell('3/4/2026', { zone: 'UTC', order: 'dmy' })).toEqual({ start: '2026-04-03', end: null });
    expect(parseDateCell('3/4/2026', { zone: 'UTC', order: 'mdy' })).toEqual({ start: '2026-03-04', end: null });
  });

  test('a wall time is placed as luxon places it, every day of a year with changes at midnight, at 00:01 and none', () => {
    // Havana and Santiago change at midnight, St. John's changed at 00:01 until 2011, Nuuk (then
    // Godthab) at 22:00 on a Saturday, Lord Howe by half an hour, Kathmandu keeps +05:45, Apia
    // skipped 30 December 2011 and Kiribati's Kiritimati is UTC+14: the days around each change are
    // read by luxon, all others by a day's offset.
    const zones = [
      'Europe/Berlin',
      'America/Havana',
      'America/Santiago',
      'America/St_Johns',
      'America/Godthab',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Pacific/Apia',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
    ];
    const times = [
      [0, 0],
      [0, 1],
      [0, 30],
      [1, 0],
      [2, 30],
      [3, 0],
      [12, 0],
      [23, 0],
      [23, 59],
    ] as const;
    const wrong: string[] = [];
    for (const zone of zones) {
      for (let day = DateTime.utc(2011, 1, 1); day.year === 2011; day = day.plus({ days: 1 })) {
        for (const [hour, minute] of times) {
          const text = `${day.toFormat('yyyy/MM/dd')} ${hour}:${String(minute).padStart(2, '0')}`;
          const expected = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
          const got = parseDateCell(text, { zone, order: 'mdy' });
          const want = expected.isValid ? { start: expected.toUTC().toISO(), end: null } : { unreadable: text };
          if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${zone} ${text}: ${JSON.stringify(got)}, luxon ${JSON.stringify(want)}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  test('dmy order reads 3/4/2026 as 3 April', () => {
    expect(parseDateCell('3/4/2026', { zone: 'UTC', order: 'dmy' })).toEqual({ start: '2026-04-03', end: null });
  });

  test.each([
    'next Tuesday',
    '2026-02-30',
    '13/13/2026',
    'March 4, 2026 25:00',
    '2026-03-04 → soon',
    'TBD',
    'February 30, 2026',
    'Smarch 4, 2026',
    '4 Foo 2026',
  ])('%s is unreadable', (text) => {
    expect(parseDateCell(text, berlin)).toEqual({ unreadable: text });
  });
});

test.each(['2026-03-02T10:00+25:00', '2026-03-02T10:00:00-13:00', '2026-03-02 10:00+1500'])('an impossible offset is not a date: %s', (text) => {
  expect(parseDateCell(text, { zone: 'UTC', order: 'mdy' })).toEqual({ unreadable: text });
});

test('real offsets from −12:00 to +14:00 are read', () => {
  expect(parseDateCell('2026-03-02T10:00+14:00', { zone: 'UTC', order: 'mdy' })).toEqual({ start: '2026-03-01T20:00:00.000Z', end: null });
  expect(normaliseIsoDate('2026-03-02T10:00:00.000+25:00')).toBeNull();
});
