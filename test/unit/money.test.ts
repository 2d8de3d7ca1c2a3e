/**
 * Money on the wire and in storage (N5, N10, N12 amounts): yuan as a decimal string with at most two
 * decimals, integer fen in storage, and a lossless conversion between them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_YUAN, fenToYuan, yuan, yuanToFen } from '../../shared/domain/money.ts';

describe('yuan (amount on the wire)', () => {
  it.each(['0', '12500', '12500.5', '12500.00', '0.05', '0.5', '999999999999.99'])('accepts %j', (value) => {
    expect(yuan.safeParse(value)).toMatchObject({ success: true, data: value });
  });

  it.each([
    ['a negative amount', '-1'],
    ['three decimals', '1.001'],
    ['a leading zero', '01'],
    ['exponent notation', '1e5'],
    ['a leading space', ' 1'],
    ['a trailing space', '1 '],
    ['letters', 'abc'],
    ['the empty string', ''],
    ['a trailing point', '1.'],
    ['no integer part', '.5'],
    ['a thousands separator', '12,500'],
    ['full-width digits', '１２５００'],
    ['13 integer digits', '1000000000000'],
    ['13 integer digits with decimals', '1000000000000.00'],
  ])('refuses %s (%j)', (_label, value) => {
    const result = yuan.safeParse(value);
    expect(result.success).toBe(false);
    // The message the user sees is in Chinese and says what is expected.
    expect(result.error!.issues[0]!.message).toContain('两位小数');
  });

  it('refuses a number instead of a string', () => {
    expect(yuan.safeParse(12500).success).toBe(false);
  });

  it('accepts every amount up to MAX_YUAN with 0–2 decimals, and nothing with 13 integer digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_YUAN }), fc.constantFrom('', '.5', '.05', '.50', '.99'), (int, frac) => {
        expect(yuan.safeParse(`${int}${frac}`).success).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: MAX_YUAN + 1, max: Number.MAX_SAFE_INTEGER }), (int) => {
        expect(yuan.safeParse(String(int)).success).toBe(false);
      }),
    );
  });
});

describe('yuanToFen and fenToYuan', () => {
  it('convert known amounts', () => {
    expect(yuanToFen('0')).toBe(0);
    expect(yuanToFen('12500')).toBe(1_250_000);
    expect(yuanToFen('12500.5')).toBe(1_250_050);
    expect(yuanToFen('12500.05')).toBe(1_250_005);
    expect(yuanToFen('12500.00')).toBe(1_250_000);
    expect(yuanToFen('200.01')).toBe(20_001);
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(50)).toBe('0.50');
    expect(fenToYuan(1_250_000)).toBe('12500.00');
  });

  it('round-trip every amount in fen from 0 to 10^14 exactly, through a string the schema accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 14 }), (fen) => {
        const text = fenToYuan(fen);
        expect(text).toMatch(/^\d+\.\d{2}$/);
        expect(yuanToFen(text)).toBe(fen);
        // Every amount below 10^14 fen (12 integer digits of yuan) is itself a valid wire amount.
        if (fen < 10 ** 14) expect(yuan.safeParse(text).success).toBe(true);
      }),
    );
  });

  it('read any valid wire amount to the same number of fen it denotes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_YUAN }), fc.integer({ min: 0, max: 99 }), (int, cents) => {
        const fen = int * 100 + cents;
        const oneDecimal = cents % 10 === 0 ? `${int}.${cents / 10}` : undefined;
        expect(yuanToFen(`${int}.${String(cents).padStart(2, '0')}`)).toBe(fen);
        if (oneDecimal) expect(yuanToFen(oneDecimal)).toBe(fen);
        if (cents === 0) expect(yuanToFen(String(int))).toBe(fen);
        expect(fenToYuan(fen)).toBe(`${int}.${String(cents).padStart(2, '0')}`);
      }),
    );
  });
});
