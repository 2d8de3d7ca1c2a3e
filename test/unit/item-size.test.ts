/**
 * The DynamoDB item-size guard (S3, issue 10 point 6): sizes follow AWS's documented rules, and what
 * the store would refuse is refused with a typed 413/400 before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PayloadTooLargeError, ValidationError } from '../../shared/domain/errors.ts';
import {
  assertItemFits,
  assertTransactionFits,
  entityLabel,
  itemSize,
  MAX_ITEM_BYTES,
  MAX_TRANSACTION_BYTES,
  numberSize,
  sizedWrites,
  valueSize,
} from '../../shared/store/item-size.ts';
import { catchError } from './support.ts';

describe('itemSize (AWS "Item sizes and formats")', () => {
  it('strings: UTF-8 bytes of the name and of the value', () => {
    expect(itemSize({ pk: 'abc' })).toBe(2 + 3);
    expect(itemSize({ 名称: '宿迁' })).toBe(6 + 6);
    expect(itemSize({ e: '😀' })).toBe(1 + 4);
  });

  it('numbers: 1 byte per two significant digits plus 1, leading and trailing zeros trimmed', () => {
    expect(numberSize(0)).toBe(1);
    expect(numberSize(7)).toBe(2);
    expect(numberSize(12)).toBe(2);
    expect(numberSize(123)).toBe(3);
    expect(numberSize(1_000_000)).toBe(2);
    expect(numberSize(0.000125)).toBe(3);
    expect(numberSize(-31.1234567)).toBe(6);
    expect(numberSize(1.5e-100)).toBe(2);
    expect(itemSize({ version: 12 })).toBe(7 + 2);
  });

  it('null and booleans 1 byte; binary its raw length', () => {
    expect(itemSize({ a: null, b: true })).toBe(1 + 1 + 1 + 1);
    expect(itemSize({ bin: new Uint8Array(10) })).toBe(3 + 10);
  });

  it('lists and maps: 3 bytes, 1 byte per element, map keys like names', () => {
    expect(itemSize({ l: [] })).toBe(1 + 3);
    expect(itemSize({ m: {} })).toBe(1 + 3);
    expect(itemSize({ l: ['ab', 'c'] })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ m: { k: 'v', n: { x: true } } })).toBe(1 + 3 + (1 + 1 + 1) + (1 + 1 + (3 + (1 + 1 + 1))));
    expect(itemSize({ s: new Set(['ab', 'cde']) })).toBe(1 + 5);
  });

  it('undefined values are left out, as the document client marshals with removeUndefinedValues', () => {
    expect(itemSize({ a: 'x', b: undefined, m: { c: undefined } })).toBe(2 + 1 + 3);
  });

  it('never below the bytes of the marshalled strings: names and string values (property)', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'grapheme' }), fc.integer(), fc.boolean(), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('v'), { maxKeys: 4 })),
    }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value.v, { minKeys: 1, maxKeys: 6 }), (item) => {
        const strings: string[] = [];
        const walk = (x: unknown): void => {
          if (typeof x === 'string') strings.push(x);
          else if (Array.isArray(x)) x.forEach(walk);
          else if (x && typeof x === 'object') {
            for (const [k, v] of Object.entries(x)) {
              strings.push(k);
              walk(v);
            }
          }
        };
        walk(item);
        const floor = strings.reduce((s, x) => s + Buffer.byteLength(x, 'utf8'), 0);
        expect(itemSize(item)).toBeGreaterThanOrEqual(floor);
      }),
    );
  });
});

describe('assertItemFits', () => {
  it('passes items within the limit and returns their size', () => {
    const item = { pk: 'CASE#1', sk: 'REVIEW#1', entity: 'Review', opinion: '审'.repeat(1000) };
    expect(assertItemFits('Cases', item)).toBe(itemSize(item));
  });

  it('refuses an item above the limit with 413 ITEM_TOO_LARGE naming the entity and the limit', () => {
    // 3 bytes a character: just above the guard's limit.
    const item = { pk: 'CASE#1', sk: 'REVIEW#1', entity: 'Review', opinions: ['审'.repeat(Math.ceil(MAX_ITEM_BYTES / 3))] };
    const err = catchError(() => assertItemFits('Cases', item));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    const e = err as PayloadTooLargeError;
    expect(e.status).toBe(413);
    expect(e.code).toBe('ITEM_TOO_LARGE');
    expect(e.message).toContain('法制审核');
    expect(e.message).toContain('400 KB');
    expect(e.details[0]).toMatchObject({ entity: '法制审核', limitBytes: MAX_ITEM_BYTES });
  });

  it('the guard sits below DynamoDB\'s 400 KB with a margin', () => {
    expect(MAX_ITEM_BYTES).toBeLessThan(400 * 1024);
    expect(MAX_ITEM_BYTES).toBeGreaterThan(350 * 1024);
  });

  it('refuses oversize keys with 413 KEY_TOO_LARGE', () => {
    const err = catchError(() => assertItemFits('Cases', { pk: 'CASE#1', sk: `ACT#${'x'.repeat(1100)}`, entity: 'Act' }));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).code).toBe('KEY_TOO_LARGE');
  });

  it('refuses numbers and strings the store cannot hold with 400 UNSTORABLE_VALUE, naming the field', () => {
    for (const bad of [{ gps: { lat: 1e-300 } }, { n: 1e130 }, { n: Number.NaN }, { n: Number.POSITIVE_INFINITY }, { s: 'a\ud800b' }]) {
      const err = catchError(() => assertItemFits('Cases', { pk: 'CASE#1', sk: 'EVIDENCE#1', entity: 'Evidence', ...bad }));
      expect(err, JSON.stringify(bad)).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('UNSTORABLE_VALUE');
    }
    const err = catchError(() => assertItemFits('Cases', { pk: 'p', sk: 's', capturePlace: { gps: { lat: 1e-300 } } })) as ValidationError;
    expect(err.details[0]?.path).toBe('capturePlace.gps.lat');
    expect(assertItemFits('Cases', { pk: 'p', sk: 's', n: 1e-129, m: 9.99e125, z: -0 })).toBeGreaterThan(0);
  });
});

describe('assertTransactionFits', () => {
  it('checks puts, update values and audit items; a check carries nothing', () => {
    const writes = sizedWrites(
      [
        { kind: 'put', table: 'Cases', item: { pk: 'a', sk: 'b', entity: 'Decision', text: 'x'.repeat(100) } },
        { kind: 'update', table: 'Cases', key: { pk: 'a', sk: 'c' }, update: 'SET #n = :n', values: { ':n': 1 } },
        { kind: 'check', table: 'Cases', key: { pk: 'a', sk: 'd' }, condition: 'attribute_exists(pk)' },
      ],
      [{ pk: 'AUDIT#1', sk: 'E', details: 'y'.repeat(50) }],
    );
    expect(writes).toHaveLength(4);
    expect(assertTransactionFits(writes)).toBe(itemSize({ pk: 'a', sk: 'b', entity: 'Decision', text: 'x'.repeat(100) }) + itemSize({ ':n': 1 }) + itemSize({ pk: 'AUDIT#1', sk: 'E', details: 'y'.repeat(50) }));
  });

  it('an oversize audit item is named as the audit record', () => {
    const err = catchError(() => assertTransactionFits(sizedWrites([], [{ pk: 'AUDIT#1', sk: 'E', details: 'y'.repeat(MAX_ITEM_BYTES) }])));
    expect((err as PayloadTooLargeError).message).toContain('审计记录');
  });

  it('refuses a transaction above the aggregate limit with 413 TRANSACTION_TOO_LARGE', () => {
    const big = (i: number) => ({ table: 'Cases', item: { pk: `p${i}`, sk: 's', v: 'x'.repeat(300 * 1024) } });
    const n = Math.ceil(MAX_TRANSACTION_BYTES / (300 * 1024)) + 1;
    const err = catchError(() => assertTransactionFits(Array.from({ length: n }, (_, i) => big(i))));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).code).toBe('TRANSACTION_TOO_LARGE');
  });
});

describe('entityLabel', () => {
  it('names known entities in Chinese, falls back to the entity, then the table', () => {
    expect(entityLabel({ entity: 'Decision' }, 'Cases')).toBe('执法决定');
    expect(entityLabel({ entity: 'Something' }, 'Cases')).toBe('Something');
    expect(entityLabel(undefined, 'Audit')).toBe('审计记录');
    expect(valueSize(undefined)).toBe(0);
  });
});
