import { IANAZone } from 'luxon';

/**
 * A zone's offset (minutes) when it is the same from `from` to `to` (UTC milliseconds), else null;
 * null too for a zone luxon does not know. It is read on every six-hour mark of UTC from the last
 * one at or before `from` to the first at or after `to` (no zone changes its offset and back
 * within six hours). Luxon asks Intl, which is slow, so each reading is kept by zone and instant,
 * and neighbouring spans share theirs. Both ways across a zone use it: an instant to its local date
 * (metrics/time.ts), a wall time to its instant (sources/kit/dates.ts); on the few days a zone
 * changes its offset, luxon places each value.
 */
export function steadyOffset(zone: string, from: number, to: number): number | null {
  const z = IANAZone.create(zone);
  if (!z.isValid) return null;
  let read = readings.get(zone);
  if (!read || read.size >= READINGS_LIMIT) readings.set(zone, (read = new Map()));
  const at = (ms: number) => {
    let offset = read.get(ms);
    if (offset === undefined) read.set(ms, (offset = z.offset(ms)));
    return offset;
  };
  const first = Math.floor(from / SIX_HOURS_MS) * SIX_HOURS_MS;
  const last = Math.ceil(to / SIX_HOURS_MS) * SIX_HOURS_MS;
  const offset = at(first);
  for (let ms = first + SIX_HOURS_MS; ms <= last; ms += SIX_HOURS_MS) if (at(ms) !== offset) return null;
  return offset;
}

const SIX_HOURS_MS = 6 * 3_600_000;
/** Readings kept per zone (a century is 146 100): past it, a zone's readings start afresh. */
const READINGS_LIMIT = 200_000;
/** Offsets (minutes) by zone and six-hour mark of UTC. */
const readings = new Map<string, Map<number, number>>();
