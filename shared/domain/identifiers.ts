/**
 * Checks for Chinese identifiers: 18-digit resident ID numbers (GB 11643, ISO 7064 MOD 11-2) and
 * unified social credit codes (GB 32100, MOD 31 over its own 31-character alphabet).
 */
import { isCalendarDate } from './dates.ts';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

export function isValidIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isCalendarDate(birth)) return false;
  return idNumberCheckChar(value.slice(0, 17)) === value[17];
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) return '';
    sum += v * (CREDIT_WEIGHTS[i] ?? 0);
  }
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31] ?? '';
}

export function isValidCreditCode(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return false;
  return creditCodeCheckChar(value.slice(0, 17)) === value[17];
}

/** Mainland mobile numbers, or landlines with area code. */
export const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/**
 * Enforcement certificate numbers (行政执法证件编号): an optional province abbreviation followed by
 * 6–20 digits or capital letters. Stored and compared upper-cased with spaces removed.
 */
export const CERTIFICATE_NO_RE = /^[\u4e00-\u9fa5]?[0-9A-Z]{6,20}$/;

export function normaliseCertificateNo(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}
