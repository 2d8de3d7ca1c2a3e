/**
 * Opaque pagination cursors. A cursor carries the key of the last item served, the fingerprint of
 * the query it belongs to and an integrity tag; anything altered, or a cursor from another query,
 * is refused with 400 INVALID_CURSOR rather than reaching DynamoDB.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './audit.ts';
import { ValidationError } from './errors.ts';

export type CursorKey = Record<string, string>;

const tag = (body: string) => createHash('sha256').update(`cursor:v1:${body}`).digest('base64url').slice(0, 16);

export function queryFingerprint(query: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(query)).digest('base64url').slice(0, 12);
}

export function encodeCursor(key: CursorKey, fingerprint: string): string {
  const body = canonicalJson({ f: fingerprint, k: key });
  return Buffer.from(`${body}.${tag(body)}`, 'utf8').toString('base64url');
}

const invalid = () => new ValidationError('分页游标无效或已被改动，请从第一页重新查询', [{ path: 'query.cursor', message: '游标无效' }], 'INVALID_CURSOR');

/**
 * Decode a cursor for a query whose keys are exactly `keyAttributes`, checking that the
 * partition-key attributes in `expected` have the values this query uses.
 */
export function decodeCursor(
  cursor: string,
  fingerprint: string,
  keyAttributes: readonly string[],
  expected: Readonly<Record<string, string>> = {},
): CursorKey {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
  const bytes = Buffer.from(cursor, 'base64url');
  // Node ignores spare bits of the last character: refuse any spelling but the canonical one.
  if (bytes.toString('base64url') !== cursor) throw invalid();
  const raw = bytes.toString('utf8');
  const dot = raw.lastIndexOf('.');
  if (dot < 0) throw invalid();
  const body = raw.slice(0, dot);
  if (tag(body) !== raw.slice(dot + 1)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { f, k } = parsed as { f?: unknown; k?: unknown };
  if (f !== fingerprint || typeof k !== 'object' || k === null) throw invalid();
  const key = k as Record<string, unknown>;
  const names = Object.keys(key).sort();
  if (names.join('|') !== [...keyAttributes].sort().join('|')) throw invalid();
  if (!names.every((n) => typeof key[n] === 'string' && (key[n] as string).length <= 1024)) throw invalid();
  for (const [name, value] of Object.entries(expected)) if (key[name] !== value) throw invalid();
  return key as CursorKey;
}
