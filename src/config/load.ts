import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve, isAbsolute } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';
import { TouchpointError } from '../errors.js';

/** The config file touchpoint looks for in the working directory. */
export { DEFAULT_CONFIG_FILE } from './defaults.js';

/** A parsed config plus where it came from, with every path made absolute. */
export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read. */
  path: string;
}

/** Read, parse and validate a config file (YAML, so JSON also parses). */
export function loadConfig(path: string): LoadedConfig {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new TouchpointError(
      'config_not_found',
      `No config file at ${absolute}. Write one with \`npx touchpoint init --notion <database URL>\` (or --airtable <base> --table <name>, --csv <file>), or run \`npx touchpoint demo\` to see the bundled demo.`,
    );
  }
  const text = readFileSync(absolute, 'utf8');
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new TouchpointError(
      'config_invalid',
      `${absolute} is not valid YAML`,
      document.errors.map((e) => e.message.split('\n')[0] ?? e.message),
    );
  }
  let raw: unknown;
  try {
    // yaml stops an alias bomb (a few lines that expand to millions of nodes) at 100 aliases.
    raw = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new TouchpointError(
      'config_invalid',
      `${absolute} cannot be read: ${error instanceof Error ? error.message : String(error)}. Write the values out instead of nesting aliases.`,
      [],
      { cause: error },
    );
  }
  const config = parseConfig(raw, absolute);
  return { config: resolvePaths(config, dirname(absolute)), path: absolute };
}

/** Validate an already-parsed config object; `origin` names it in messages. */
export function parseConfig(raw: unknown, origin = 'config'): Config {
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) => describeIssue(issue, raw));
  throw new TouchpointError('config_invalid', `${origin} has ${lines.length} problem${lines.length === 1 ? '' : 's'}`, lines);
}

/** Paths in the file are relative to the file, not to the working directory. */
function resolvePaths(config: Config, base: string): Config {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return {
    ...config,
    store: { path: config.store.path === ':memory:' ? ':memory:' : abs(config.store.path) },
    sources: config.sources.map((source) => (source.kind === 'csv' ? { ...source, path: abs(source.path) } : source)),
  };
}

/** `sources[0].mapping.title: expected a string, got a number` — path first, then what to do. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  const path = formatPath(issue.path);
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    if (valueAt(raw, issue.path) === undefined) return [`${path}: missing; this key is required`];
    // Explain the branch that got furthest: `"Column"` vs `{ column, values }`.
    const depth = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
    const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
    return best.flatMap((inner) => describeIssue({ ...inner, path: [...issue.path, ...inner.path] }, raw));
  }
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const near = closest(key, known);
      const where = path ? `${path}.${key}` : key;
      return `${where}: unknown key${near ? `; did you mean "${near}"?` : ''}`;
    });
  }
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) {
    return [`${path}: missing; this key is required`];
  }
  return [`${path || '(top level)'}: ${issue.message}`];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out ? `${out}.${name}` : name;
  }, '');
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = raw;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Keys allowed at a path, read off the schema itself, for "did you mean" hints. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let nodes: unknown[] = [ConfigSchema];
  for (const key of path) {
    if (typeof key === 'number') {
      nodes = nodes.flatMap(elementsOf);
      continue;
    }
    nodes = nodes.flatMap(objectsIn).flatMap((node) => {
      const child = (node as { shape?: Record<string, unknown> }).shape?.[String(key)];
      return child ? [child] : [];
    });
  }
  return [...new Set(nodes.flatMap(objectsIn).flatMap((node) => Object.keys((node as { shape: object }).shape)))];
}

type Def = { type?: string; innerType?: unknown; in?: unknown; element?: unknown; options?: unknown[] };
const defOf = (schema: unknown): Def => (schema as { def?: Def }).def ?? {};

/** The object schemas a schema stands for, looking through optional, default, pipe and union. */
function objectsIn(schema: unknown): unknown[] {
  const def = defOf(schema);
  if (def.type === 'object') return [schema];
  if (def.type === 'union') return (def.options ?? []).flatMap(objectsIn);
  const inner = def.innerType ?? def.in;
  return inner ? objectsIn(inner) : [];
}

function elementsOf(schema: unknown): unknown[] {
  const def = defOf(schema);
  if (def.type === 'array') return [def.element];
  const inner = def.innerType ?? def.in;
  return inner ? elementsOf(inner) : [];
}

/** The known key within edit distance 2 of `key`, if any. */
function closest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
