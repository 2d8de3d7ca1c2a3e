/**
 * Chinese identifiers used by the registry (D4, D5, D9): resident ID numbers (GB 11643), unified
 * social credit codes (GB 32100) and enforcement certificate numbers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CERTIFICATE_NO_RE,
  PHONE_RE,
  creditCodeCheckChar,
  idNumberCheckChar,
  isValidCreditCode,
  isValidIdNumber,
  normaliseCertificateNo,
} from '../../shared/domain/identifiers.ts';

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A date between 1900 and 2100 as YYYYMMDD, always a real calendar day. */
const birthArb = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));

/** A well-formed ID number: region (6) + birth date (8) + sequence (3) + check character. */
const idNumberArb = fc.tuple(digits(6), birthArb, digits(3)).map(([region, birth, seq]) => {
  const first17 = `${region}${birth}${seq}`;
  return first17 + idNumberCheckChar(first17);
});

const creditBodyArb = fc
  .tuple(
    fc.constantFrom(...'123456789ANY'),
    fc.constantFrom(...'123459'),
    digits(6),
    fc.array(fc.constantFrom(...CREDIT_ALPHABET), { minLength: 9, maxLength: 9 }).map((a) => a.join('')),
  )
  .map(([authority, type, region, org]) => `${authority}${type}${region}${org}`);

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the example from the standard, 11010519491231002X', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
  });

  it('accepts every well-formed number with the right check character (property)', () => {
    fc.assert(
      fc.property(idNumberArb, (id) => {
        expect(isValidIdNumber(id)).toBe(true);
      }),
    );
  });

  it('refuses any number whose check character is wrong (property)', () => {
    fc.assert(
      fc.property(idNumberArb, fc.constantFrom(...'0123456789X'), (id, check) => {
        fc.pre(id[17] !== check);

        expect(isValidIdNumber(id.slice(0, 17) + check)).toBe(false);
      }),
    );
  });

  it('refuses a single changed digit in the first 17 (property)', () => {
    fc.assert(
      fc.property(idNumberArb, fc.nat({ max: 16 }), fc.integer({ min: 1, max: 9 }), (id, at, delta) => {
        const changed = String((Number(id[at]) + delta) % 10);
        const altered = id.slice(0, at) + changed + id.slice(at + 1);

        expect(isValidIdNumber(altered)).toBe(false);
      }),
    );
  });

  it.each([
    ['February 30th', '19990230'],
    ['February 29th outside a leap year', '19990229'],
    ['month 13', '19991301'],
    ['day 00', '19990100'],
    ['April 31st', '19990431'],
    ['before 1900', '18991231'],
  ])('refuses an impossible birth date (%s) even with a matching check character', (_label, birth) => {
    const first17 = `320102${birth}001`;

    expect(isValidIdNumber(first17 + idNumberCheckChar(first17))).toBe(false);
  });

  it('accepts February 29th in a leap year', () => {
    const first17 = '32010220000229001';

    expect(isValidIdNumber(first17 + idNumberCheckChar(first17))).toBe(true);
  });

  it.each([
    ['lower-case x', '11010519491231002x'],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X0'],
    ['letters inside', '1101051949123100AX'],
    ['old 15-digit form', '110105491231002'],
    ['spaces', '110105 19491231 002X'],
    ['empty', ''],
  ])('refuses a malformed value (%s)', (_label, value) => {
    expect(isValidIdNumber(value)).toBe(false);
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it('accepts a commonly cited valid code', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });

  it('accepts a code completed with creditCodeCheckChar, refuses it with any other check character (property)', () => {
    fc.assert(
      fc.property(creditBodyArb, fc.constantFrom(...CREDIT_ALPHABET), (first17, other) => {
        const check = creditCodeCheckChar(first17);
        fc.pre(other !== check);

        expect(check).toHaveLength(1);
        expect(isValidCreditCode(first17 + check)).toBe(true);
        expect(isValidCreditCode(first17 + other)).toBe(false);
      }),
    );
  });

  it('refuses a valid code with its check character flipped', () => {
    const first17 = '91321300MA1XY0123';
    const check = creditCodeCheckChar(first17);
    const flipped = CREDIT_ALPHABET[(CREDIT_ALPHABET.indexOf(check) + 1) % 31]!;

    expect(isValidCreditCode(first17 + check)).toBe(true);
    expect(isValidCreditCode(first17 + flipped)).toBe(false);
  });

  it.each([
    ['letters I, O, S, V, Z are not in the alphabet', '91350100M000100I4'],
    ['lower case', '91350100m000100y4'],
    ['letters in the region code', '9135A100M000100Y4'],
  ])('refuses characters outside the code alphabet (%s)', (_label, first17) => {
    expect(isValidCreditCode(`${first17}3`)).toBe(false);
  });

  it('returns no check character when the body holds a character outside the alphabet', () => {
    expect(creditCodeCheckChar('91350100M000100O4')).toBe('');
  });

  it.each(['', '91350100M000100Y4', '91350100M000100Y433', '91350100M000100Y43 '])('refuses wrong lengths: %j', (value) => {
    expect(isValidCreditCode(value)).toBe(false);
  });
});

describe('enforcement certificate numbers', () => {
  it.each([
    ['spaces between groups', '3213 0001 001', '32130001001'],
    ['lower-case letters', 'js0001abc', 'JS0001ABC'],
    ['province abbreviation with spaces and tabs', ' 苏 3213\t0001 001 ', '苏32130001001'],
    ['full-width ideographic space', '苏\u30003213000100', '苏3213000100'],
  ])('normalises %s', (_label, raw, normalised) => {
    const result = normaliseCertificateNo(raw);

    expect(result).toBe(normalised);
    expect(CERTIFICATE_NO_RE.test(result)).toBe(true);
  });

  it('normalising is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normaliseCertificateNo(raw);

        expect(normaliseCertificateNo(once)).toBe(once);
        expect(once).not.toMatch(/\s/);
      }),
    );
  });

  it.each([
    ['6 characters', '123456'],
    ['20 characters', 'A'.repeat(20)],
    ['province prefix', '苏A12345'],
  ])('accepts %s', (_label, value) => {
    expect(CERTIFICATE_NO_RE.test(value)).toBe(true);
  });

  it.each([
    ['5 characters', '12345'],
    ['21 characters', '1'.repeat(21)],
    ['two province characters', '江苏123456'],
    ['province character after the digits', '123456苏'],
    ['punctuation', '3213-0001'],
    ['lower case (not normalised)', 'abc123'],
    ['full-width digits', '１２３４５６'],
  ])('refuses %s', (_label, value) => {
    expect(CERTIFICATE_NO_RE.test(value)).toBe(false);
  });
});

describe('phone numbers', () => {
  it.each(['13912345678', '0527-84361234', '02584361234', '0527-8436123'])('accepts %s', (value) => {
    expect(PHONE_RE.test(value)).toBe(true);
  });

  it.each(['12912345678', '1391234567', '139123456789', '527-84361234', '+8613912345678'])('refuses %s', (value) => {
    expect(PHONE_RE.test(value)).toBe(false);
  });
});
