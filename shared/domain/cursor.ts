/**
 * Opaque pagination cursors. A cursor carries the key of the last item served, the fingerprint of
 * the query it belongs to and an HMAC-SHA-256 tag under a server secret; anything altered or forged,
 * a cursor from another query, or one whose key could not have come from this query (another
 * partition, an empty value: DynamoDB refuses empty key attributes) is refused with 400
 * INVALID_CURSOR rather than reaching DynamoDB.
 *
 * Pure: the secret is handed in (shared/aws/cursor-secret.ts loads it from Secrets Manager in AWS and
 * from a file in the data directory locally).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './audit.ts';
import { ValidationError } from './errors.ts';

export type CursorKey = Record<string, string>;

/** Shortest secret accepted: 256 bits, the size of HMAC-SHA-256's output. */
export const MIN_CURSOR_SECRET_BYTES = 32;

/** Longest key value a cursor may carry (DynamoDB allows 2048 bytes for a partition key, 1024 for a sort key). */
const MAX_VALUE_LENGTH = 1024;

export interface CursorCodec {
  /** A cursor for continuing after `key` in the query with this fingerprint. */
  encode(key: CursorKey, fingerprint: string): string;
  /**
   * The key in `cursor`, for a query with this fingerprint whose keys are exactly `keyAttributes` and
   * whose partition-key attributes have the values in `expected`.
   * @throws ValidationError INVALID_CURSOR for anything else
   */
  decode(cursor: string, fingerprint: string, keyAttributes: readonly string[], expected: Readonly<Record<string, string>>): CursorKey;
}

export function queryFingerprint(query: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(query)).digest('base64url').slice(0, 12);
}

export const invalidCursor = (): ValidationError =>
  new ValidationError('分页游标无效或已被改动，请从第一页重新查询', [{ path: 'query.cursor', message: '游标无效' }], 'INVALID_CURSOR');

export function cursorCodec(secret: string | Uint8Array): CursorCodec {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_CURSOR_SECRET_BYTES) {
    throw new Error(`The cursor secret must be at least ${MIN_CURSOR_SECRET_BYTES} bytes, got ${key.length}`);
  }
  // The version label keeps tags of a future format from verifying as this one's.
  const tag = (body: string): Buffer => createHmac('sha256', key).update(`cursor:v2\n${body}`).digest();

  return {
    encode(k, fingerprint) {
      const body = canonicalJson({ f: fingerprint, k });
      return Buffer.from(`${body}.${tag(body).toString('base64url')}`, 'utf8').toString('base64url');
    },

    decode(cursor, fingerprint, keyAttributes, expected) {
      if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalidCursor();
      const bytes = Buffer.from(cursor, 'base64url');
      // Node ignores spare bits of the last character: refuse any spelling but the canonical one.
      if (bytes.toString('base64url') !== cursor) throw invalidCursor();
      const raw = bytes.toString('utf8');
      const dot = raw.lastIndexOf('.');
      if (dot < 0) throw invalidCursor();
      const body = raw.slice(0, dot);
      const given = Buffer.from(raw.slice(dot + 1), 'utf8');
      const wanted = Buffer.from(tag(body).toString('base64url'), 'utf8');
      // Constant time, so that response times do not reveal how much of a guessed tag was right.
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw invalidCursor();

      // Signed by this service, but still checked: a bug elsewhere must not turn into a 500.
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw invalidCursor();
      }
      if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
      const { f, k } = parsed as { f?: unknown; k?: unknown };
      if (f !== fingerprint || typeof k !== 'object' || k === null || Array.isArray(k)) throw invalidCursor();
      const decoded = k as Record<string, unknown>;
      const names = Object.keys(decoded).sort();
      if (names.join('|') !== [...keyAttributes].sort().join('|')) throw invalidCursor();
      for (const name of names) {
        const value = decoded[name];
        if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE_LENGTH) throw invalidCursor();
      }
      for (const [name, value] of Object.entries(expected)) {
        if (value.length === 0 || decoded[name] !== value) throw invalidCursor();
      }
      return decoded as CursorKey;
    },
  };
}
