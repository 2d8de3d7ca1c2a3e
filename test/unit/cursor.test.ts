/**
 * Opaque pagination cursors (D14, I1, issue 10 point 5): a cursor only works for the query that issued
 * it, under this server's secret; anything altered, forged or foreign is refused with 400
 * INVALID_CURSOR before it can reach DynamoDB.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cursorCodec, queryFingerprint, type CursorKey } from '../../shared/domain/cursor.ts';
import { ValidationError } from '../../shared/domain/errors.ts';

const KEY_ATTRS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
const officersQuery = { index: 'gsi1', agencyId: 'sq-city', status: 'VALID' };
const fingerprint = queryFingerprint(officersQuery);
const key: CursorKey = { pk: 'OFFICER#o-17', sk: 'PROFILE', gsi1pk: 'AGENCY#sq-city', gsi1sk: 'OFFICER#张三#o-17' };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SECRET = 'k'.repeat(16) + randomBytes(24).toString('base64url');
const codec = cursorCodec(SECRET);
const encodeCursor = (k: CursorKey, fp: string): string => codec.encode(k, fp);
/** This query's partition, as the store passes it. */
const PARTITION = { gsi1pk: 'AGENCY#sq-city' };
const decodeCursor = (cursor: string, fp: string, attrs: readonly string[], expected: Record<string, string> = {}): CursorKey =>
  codec.decode(cursor, fp, attrs, expected);

/** Runs `fn`, expecting the 400 INVALID_CURSOR error, and returns it. */
function invalidCursor(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).code).toBe('INVALID_CURSOR');
    return e as ValidationError;
  }
  throw new Error('expected INVALID_CURSOR');
}

const keyArb = fc.dictionary(
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,9}$/),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  { minKeys: 1, maxKeys: 4 },
);

describe('cursor round trip', () => {
  it('decodes what it encoded, for the same query', () => {
    const cursor = encodeCursor(key, fingerprint);

    const decoded = decodeCursor(cursor, fingerprint, KEY_ATTRS, PARTITION);

    expect(decoded).toEqual(key);
  });

  it('is URL-safe and does not show the key in clear text', () => {
    const cursor = encodeCursor(key, fingerprint);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('OFFICER');
  });

  it('round-trips any key (property)', () => {
    fc.assert(
      fc.property(keyArb, fc.string({ minLength: 1, maxLength: 12 }), (k, fp) => {
        const cursor = encodeCursor(k, fp);

        expect(decodeCursor(cursor, fp, Object.keys(k))).toEqual(k);
      }),
    );
  });

  it('verifies under another codec with the same secret (every function instance shares the secret)', () => {
    const cursor = encodeCursor(key, fingerprint);

    expect(cursorCodec(Buffer.from(SECRET, 'utf8')).decode(cursor, fingerprint, KEY_ATTRS, PARTITION)).toEqual(key);
  });

  it('refuses a secret shorter than 256 bits', () => {
    expect(() => cursorCodec('x'.repeat(31))).toThrow(/at least 32 bytes/);
    expect(() => cursorCodec(new Uint8Array(0))).toThrow(/at least 32 bytes/);
  });

  it('fingerprints a query independently of the order of its parameters', () => {
    expect(queryFingerprint({ b: 2, a: 1 })).toBe(queryFingerprint({ a: 1, b: 2 }));
    expect(queryFingerprint({ a: 1, b: 2 })).not.toBe(queryFingerprint({ a: 1, b: 3 }));
  });
});

describe('cursor refusals → 400 INVALID_CURSOR', () => {
  it('refuses any single-character change that alters the cursor content (property)', () => {
    const cursor = encodeCursor(key, fingerprint);
    const original = Buffer.from(cursor, 'base64url');
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(...BASE64URL), (at, ch) => {
        fc.pre(cursor[at] !== ch);
        const altered = cursor.slice(0, at) + ch + cursor.slice(at + 1);
        // A last character that differs only in base64 padding bits decodes to the same bytes.
        fc.pre(!Buffer.from(altered, 'base64url').equals(original));

        const err = invalidCursor(() => decodeCursor(altered, fingerprint, KEY_ATTRS));

        expect(err.status).toBe(400);
        expect(err.details).toEqual([{ path: 'query.cursor', message: '游标无效' }]);
        expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses cursors with a character inserted or removed (property)', () => {
    const cursor = encodeCursor(key, fingerprint);
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(...BASE64URL), fc.boolean(), (at, ch, insert) => {
        const altered = insert ? cursor.slice(0, at) + ch + cursor.slice(at) : cursor.slice(0, at) + cursor.slice(at + 1);

        invalidCursor(() => decodeCursor(altered, fingerprint, KEY_ATTRS));
      }),
    );
  });

  it('refuses a cursor issued for a query with another fingerprint', () => {
    const otherQuery = queryFingerprint({ ...officersQuery, status: 'REVOKED' });
    const cursor = encodeCursor(key, otherQuery);

    invalidCursor(() => decodeCursor(cursor, fingerprint, KEY_ATTRS));
  });

  it('refuses a cursor whose key has another attribute set', () => {
    const tableKeyOnly = encodeCursor({ pk: key.pk!, sk: key.sk! }, fingerprint);
    const extraAttr = encodeCursor({ ...key, lsi1sk: 'x' }, fingerprint);

    invalidCursor(() => decodeCursor(tableKeyOnly, fingerprint, KEY_ATTRS));
    invalidCursor(() => decodeCursor(extraAttr, fingerprint, KEY_ATTRS));
  });

  it('refuses a cursor whose partition value differs from the one this query uses', () => {
    const cursor = encodeCursor({ ...key, gsi1pk: 'AGENCY#sq-suyu' }, fingerprint);

    invalidCursor(() => decodeCursor(cursor, fingerprint, KEY_ATTRS, PARTITION));
  });

  it('refuses a cursor signed with any other secret (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 64 }), (otherSecret) => {
        fc.pre(!Buffer.from(otherSecret).equals(Buffer.from(SECRET, 'utf8')));
        const forged = cursorCodec(otherSecret).encode(key, fingerprint);

        invalidCursor(() => decodeCursor(forged, fingerprint, KEY_ATTRS, PARTITION));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a cursor tagged as before (unkeyed SHA-256), or with an HMAC of the body without the secret', () => {
    const body = JSON.stringify({ f: fingerprint, k: key });
    const oldTag = createHash('sha256').update(`cursor:v1:${body}`).digest('base64url').slice(0, 16);
    const emptyKeyTag = createHmac('sha256', '').update(`cursor:v2\n${body}`).digest('base64url');
    const oldStyle = Buffer.from(`${body}.${oldTag}`, 'utf8').toString('base64url');
    const emptyKey = Buffer.from(`${body}.${emptyKeyTag}`, 'utf8').toString('base64url');

    invalidCursor(() => decodeCursor(oldStyle, fingerprint, KEY_ATTRS, PARTITION));
    invalidCursor(() => decodeCursor(emptyKey, fingerprint, KEY_ATTRS, PARTITION));
  });

  it('refuses a genuine cursor of one query for any other query (property)', () => {
    const queryArb = fc.record({ agencyId: fc.constantFrom('sq-city', 'sq-shuyang', 'sq-siyang'), q: fc.string({ maxLength: 8 }), type: fc.constantFrom('PENALTY', 'LICENCE', '') });
    fc.assert(
      fc.property(queryArb, queryArb, (issuedFor, usedFor) => {
        const issuedFp = queryFingerprint(issuedFor);
        const usedFp = queryFingerprint(usedFor);
        fc.pre(issuedFp !== usedFp);
        const issued = { ...key, gsi1pk: `AGENCY#${issuedFor.agencyId}` };
        const cursor = encodeCursor(issued, issuedFp);

        invalidCursor(() => decodeCursor(cursor, usedFp, KEY_ATTRS, { gsi1pk: `AGENCY#${usedFor.agencyId}` }));
        expect(decodeCursor(cursor, issuedFp, KEY_ATTRS, { gsi1pk: `AGENCY#${issuedFor.agencyId}` })).toEqual(issued);
      }),
    );
  });

  it('refuses a signed cursor in which any key value is empty (DynamoDB would answer 500) (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KEY_ATTRS), (attr) => {
        const cursor = encodeCursor({ ...key, [attr]: '' }, fingerprint);

        invalidCursor(() => decodeCursor(cursor, fingerprint, KEY_ATTRS, PARTITION));
        invalidCursor(() => decodeCursor(cursor, fingerprint, KEY_ATTRS));
      }),
    );
  });

  it('refuses a signed cursor whose key value is not a string or too long', () => {
    const notString = encodeCursor({ ...key, sk: 7 as unknown as string }, fingerprint);
    const tooLong = encodeCursor({ ...key, sk: 'x'.repeat(1025) }, fingerprint);

    invalidCursor(() => decodeCursor(notString, fingerprint, KEY_ATTRS, PARTITION));
    invalidCursor(() => decodeCursor(tooLong, fingerprint, KEY_ATTRS, PARTITION));
  });

  it('refuses a cursor when the partition this query expects is missing from its key or empty', () => {
    const cursor = encodeCursor(key, fingerprint);

    invalidCursor(() => decodeCursor(cursor, fingerprint, KEY_ATTRS, { gsi2pk: 'AGENCY#sq-city' }));
    invalidCursor(() => decodeCursor(cursor, fingerprint, KEY_ATTRS, { gsi1pk: '' }));
  });

  it('refuses a forged cursor built without the integrity tag', () => {
    const body = JSON.stringify({ f: fingerprint, k: key });
    const forgedNoTag = Buffer.from(body, 'utf8').toString('base64url');
    const forgedBadTag = Buffer.from(`${body}.AAAAAAAAAAAAAAAA`, 'utf8').toString('base64url');

    invalidCursor(() => decodeCursor(forgedNoTag, fingerprint, KEY_ATTRS));
    invalidCursor(() => decodeCursor(forgedBadTag, fingerprint, KEY_ATTRS));
  });

  it.each([
    ['empty', ''],
    ['spaces', 'abc def'],
    ['standard base64 characters', 'ab+c/d=='],
    ['SQL-ish', "' OR 1=1 --"],
    ['plain word', 'nextpage'],
    ['JSON', '{"pk":"x"}'],
    ['too long', 'A'.repeat(2049)],
  ])('refuses garbage: %s', (_label, garbage) => {
    invalidCursor(() => decodeCursor(garbage, fingerprint, KEY_ATTRS));
  });

  it('refuses arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (garbage) => {
        invalidCursor(() => decodeCursor(garbage, fingerprint, KEY_ATTRS));
      }),
    );
  });
});

describe('decodeCursor: only the canonical spelling', () => {
  it('refuses a cursor whose last character differs only in the bits base64 ignores', () => {
    // 70 characters: the last one carries spare bits that a lenient decoder would ignore.
    const cursor = encodeCursor({ pk: 'AB', sk: 'x' }, 'fp');
    expect(cursor.length % 4).not.toBe(0);
    const last = cursor.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variants = [...alphabet].filter((c) => c !== last).map((c) => cursor.slice(0, -1) + c);
    for (const v of variants) {
      expect(() => decodeCursor(v, 'fp', ['pk', 'sk'])).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    }
    expect(decodeCursor(cursor, 'fp', ['pk', 'sk'])).toEqual({ pk: 'AB', sk: 'x' });
  });
});
