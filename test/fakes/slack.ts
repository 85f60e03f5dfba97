/**
 * A fake Slack incoming webhook on 127.0.0.1: it records every post and answers as Slack does —
 * `ok`, or a scripted 429 with `Retry-After`, a 500, or a 400 `invalid_payload`.
 */
import { createServer } from 'node:http';

export type SlackAnswer = { status: 429; retryAfter: number } | { status: 500 } | { status: 400; body: 'invalid_payload' | 'no_text' };

export interface FakeSlack {
  /** The webhook URL (a secret, as a real one is). */
  url: string;
  /** Every post that reached the fake, parsed. */
  posts: Array<{ path: string; body: { text?: string; blocks?: Array<Record<string, unknown>> } }>;
  /** Answers for the next posts, in order; then `ok`. */
  script: SlackAnswer[];
  close(): Promise<void>;
}

export async function startSlack(): Promise<FakeSlack> {
  const posts: FakeSlack['posts'] = [];
  const script: SlackAnswer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = script.shift();
      if (answer?.status === 429) {
        res.writeHead(429, { 'retry-after': String(answer.retryAfter), 'content-type': 'text/plain' }).end('rate_limited');
        return;
      }
      if (answer?.status === 500) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal_error');
        return;
      }
      if (answer?.status === 400) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(answer.body);
        return;
      }
      posts.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/services/T000SECRET/B000SECRET/xoxSecretWebhookPathZ9`,
    posts,
    script,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const BLOCK_TYPES = new Set(['header', 'section', 'context', 'divider', 'actions']);

/**
 * The Block Kit rules a post must keep for Slack to accept it (api.slack.com/reference/block-kit):
 * a fallback text, at most 50 blocks, known block types, a header of plain text up to 150
 * characters, section and context text of at most 3000. Returns what breaks them; empty when none.
 */
export function blockKitProblems(body: FakeSlack['posts'][number]['body']): string[] {
  const problems: string[] = [];
  if (typeof body.text !== 'string' || body.text === '') problems.push('no fallback text');
  const blocks = body.blocks ?? [];
  if (blocks.length === 0 || blocks.length > 50) problems.push(`${blocks.length} blocks`);
  for (const [i, block] of blocks.entries()) {
    const type = String(block['type']);
    if (!BLOCK_TYPES.has(type)) problems.push(`block ${i}: type ${type}`);
    const text = block['text'] as { type?: string; text?: string } | undefined;
    if (type === 'header' && (text?.type !== 'plain_text' || (text.text ?? '').length > 150)) problems.push(`block ${i}: header`);
    if (type === 'section' && (text?.type !== 'mrkdwn' || !text.text || text.text.length > 3000)) problems.push(`block ${i}: section text`);
    if (type === 'context') {
      const elements = block['elements'] as Array<{ type?: string; text?: string }> | undefined;
      if (!elements?.length || elements.some((e) => e.type !== 'mrkdwn' || !e.text || e.text.length > 3000)) problems.push(`block ${i}: context`);
    }
  }
  return problems;
}
