import type { DigestContent } from './digests.js';
import type { Interview } from '../model/interview.js';
import type { ListedConversation, Nugget } from '../metrics/lists.js';

/** What broadcasts leave out (`digests.redact`). */
export type RedactMode = 'participants' | 'accounts' | 'none';

/** The words to hide: every participant's name and e-mail the store knows, and every account. */
export interface RedactTerms {
  names: readonly string[];
  emails: readonly string[];
  accounts: readonly string[];
}

/** The redact terms of a set of interviews: every participant name and e-mail, and every account. */
export function redactTermsOf(interviews: readonly Interview[]): RedactTerms {
  const names = new Set<string>();
  const emails = new Set<string>();
  const accounts = new Set<string>();
  for (const i of interviews) {
    if (i.participant.name) names.add(i.participant.name);
    if (i.participant.email) emails.add(i.participant.email);
    if (i.account) accounts.add(i.account);
  }
  return { names: [...names], emails: [...emails], accounts: [...accounts] };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern for a list of terms, longest first, matched as whole words (ignoring case unless `exact`). */
function pattern(terms: readonly string[], exact = false): RegExp | null {
  const words = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length >= 2))].sort((a, b) => b.length - a.length);
  if (words.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}@.])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, exact ? 'gu' : 'giu');
}

/** First names as notes use them ("Nina will share more"): capitalised as written, three letters or more. */
const firstNames = (names: readonly string[]) =>
  names.flatMap((n) => (n.trim().includes(' ') ? [n.trim().split(/\s+/)[0]!] : [])).filter((f) => f.length >= 3 && /^\p{Lu}/u.test(f));

/**
 * A function that hides participants (and, with `accounts`, account names) in free text: GitLab's
 * rule for shared summaries is to refer to participants by role, never by name.
 */
export function redactor(terms: RedactTerms, mode: RedactMode): (text: string) => string {
  if (mode === 'none') return (text) => text;
  const emails = pattern(terms.emails);
  const names = pattern(terms.names);
  const first = pattern(firstNames(terms.names), true);
  const accounts = mode === 'accounts' ? pattern(terms.accounts) : null;
  return (text) => {
    let out = emails ? text.replace(emails, 'e-mail withheld') : text;
    if (names) out = out.replace(names, 'the participant');
    if (first) out = out.replace(first, 'the participant');
    if (accounts) out = out.replace(accounts, 'an account');
    return out;
  };
}

/** The content with every free-text field passed through `hide`; account fields dropped in `accounts` mode. */
export function redactContent(content: DigestContent, hide: (text: string) => string, mode: RedactMode): DigestContent {
  if (mode === 'none') return content;
  const account = (a: string | null) => (a === null ? null : mode === 'accounts' ? null : hide(a));
  const conversation = (c: ListedConversation): ListedConversation => ({
    ...c,
    title: hide(c.title),
    tldr: c.tldr === null ? null : hide(c.tldr),
    account: account(c.account),
  });
  const nugget = (n: Nugget): Nugget => ({ ...n, quote: hide(n.quote), account: account(n.account) });
  const m = content.metrics;
  const followUps = { ...m.followUps, items: m.followUps.items.map((i) => ({ ...i, title: hide(i.title), account: account(i.account) })) };
  const metrics = { ...m, followUps };
  if (content.kind === 'exec') return { ...content, metrics, nuggets: content.nuggets.map(nugget) };
  return { ...content, metrics, conversations: content.conversations.map(conversation), missing: content.missing.map(conversation) };
}
