import { isPm } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import { accountKeysOf, markPeople, NONE, type Placement, type Rows } from './conversations.js';
import { dateOfDay, dayOfDate } from './time.js';
import { ratio, type Window } from './window.js';

export interface AccountRow {
  account: string;
  conversations: number;
  /** Distinct roster PMs credited with conversations with this account. */
  pms: number;
  last: string;
}

export interface AccountsResult {
  /** Distinct accounts heard from in the window. */
  accounts: number;
  /** Conversations in the window that name an account (the denominator of the shares). */
  conversations: number;
  /** More than `maxTouchesPerAccount` conversations in the window: at risk of over-contact. */
  overContacted: AccountRow[];
  /** The 10 most-heard accounts. */
  top: AccountRow[];
  /** Share of conversations that went to those 10. */
  topShare: number | null;
}

/** Who is heard from too often; docs/metrics.md "accounts". */
export function computeAccounts(placement: Placement, all: Rows, roster: readonly Person[], targets: Targets, window: Window): AccountsResult {
  const pms = markPeople(
    placement,
    roster.filter(isPm).map((p) => p.email),
  );
  const { keyOf } = accountKeysOf(placement);
  const names = placement.accounts.values.map((name) => name.trim());
  const rows = new Map<number, { names: Set<number>; conversations: number; pms: Set<number>; last: number }>();
  const from = dayOfDate(window.from);
  const to = dayOfDate(window.to);
  const { day, account, present, presentFrom, credited } = placement;
  let conversations = 0;
  for (const r of all) {
    const d = day[r]!;
    const a = account[r]!;
    if (d < from || d > to || a === NONE || !names[a]) continue;
    conversations += 1;
    const key = keyOf[a]!;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { names: new Set(), conversations: 0, pms: new Set(), last: d }));
    row.names.add(a);
    row.conversations += 1;
    for (let k = presentFrom[r]!, end = k + credited[r]!; k < end; k++) if (pms[present[k]!] === 1) row.pms.add(present[k]!);
    if (d > row.last) row.last = d;
  }
  const list: AccountRow[] = [...rows.values()]
    // The display name: the alphabetically first spelling, so the result does not depend on order.
    .map((r) => ({ account: [...r.names].map((a) => names[a]!).sort()[0]!, conversations: r.conversations, pms: r.pms.size, last: dateOfDay(r.last) }))
    .sort((a, b) => b.conversations - a.conversations || a.account.localeCompare(b.account));
  const top = list.slice(0, 10);
  return {
    accounts: list.length,
    conversations,
    overContacted: list.filter((r) => r.conversations > targets.maxTouchesPerAccount),
    top,
    topShare: ratio(
      top.reduce((n, r) => n + r.conversations, 0),
      conversations,
    ),
  };
}
