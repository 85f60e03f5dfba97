import { isPm } from '../model/kinds.js';
import type { Person } from '../model/person.js';
import type { Targets } from '../config/schema.js';
import type { Conversation } from './conversations.js';
import { accountKey, ratio, type Window } from './window.js';

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
export function computeAccounts(all: readonly Conversation[], roster: readonly Person[], targets: Targets, window: Window): AccountsResult {
  const pms = new Set(roster.filter(isPm).map((p) => p.email));
  const rows = new Map<string, { names: Set<string>; conversations: number; pms: Set<string>; last: string }>();
  let conversations = 0;
  for (const c of all) {
    if (c.date < window.from || c.date > window.to || !c.interview.account?.trim()) continue;
    conversations += 1;
    const key = accountKey(c.interview.account);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { names: new Set(), conversations: 0, pms: new Set(), last: c.date }));
    row.names.add(c.interview.account.trim());
    row.conversations += 1;
    for (const k of c.credited) if (pms.has(k)) row.pms.add(k);
    if (c.date > row.last) row.last = c.date;
  }
  const list: AccountRow[] = [...rows.values()]
    // The display name: the alphabetically first spelling, so the result does not depend on order.
    .map((r) => ({ account: [...r.names].sort()[0]!, conversations: r.conversations, pms: r.pms.size, last: r.last }))
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
