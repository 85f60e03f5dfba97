import { createHash } from 'node:crypto';

/** A short, stable key for a value: the first 16 characters of the SHA-256 of its JSON. */
export function jsonHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
