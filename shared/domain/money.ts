/** Money is a decimal string in yuan on the wire ("12500.00") and integer fen in storage. */
import * as z from './z.ts';

export const MAX_YUAN = 999_999_999_999;

export const yuan = z
  .string()
  .regex(/^(0|[1-9]\d{0,11})(\.\d{1,2})?$/, { message: '金额应为不超过两位小数的非负数（单位：元），如 "12500.00"' })
  .meta({ description: '金额（元），字符串，最多两位小数', example: '12500.00' });

export function yuanToFen(value: string): number {
  const [int, frac = ''] = value.split('.');
  return Number(int) * 100 + Number((frac + '00').slice(0, 2));
}

export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const UNITS = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿', '万亿'];

/** A four-digit group (0 < n < 10000) in capital numerals, zeros folded ("壹仟零伍"). */
function groupInWords(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) {
      if (out) zero = true;
    } else {
      out += (zero ? '零' : '') + DIGITS[d] + UNITS[i];
      zero = false;
    }
  }
  return out;
}

/**
 * An amount in fen as the capital-numeral words of financial documents (大写金额): 50000.50 yuan →
 * "伍万元伍角整", 1005.00 → "壹仟零伍元整", 1000100.00 → "壹佰万零壹佰元整", 0.07 → "柒分".
 */
export function fenInWords(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`amount must be a non-negative whole number of fen, got ${fen}`);
  if (fen === 0) return '零元整';
  const yuanPart = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenPart = fen % 10;
  let words = '';
  if (yuanPart > 0) {
    const groups: number[] = [];
    for (let v = yuanPart; v > 0; v = Math.floor(v / 10_000)) groups.push(v % 10_000);
    let pendingZero = false;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i] ?? 0;
      if (g === 0) {
        pendingZero = words !== '';
        continue;
      }
      // A group below 1000 after a higher one reads with a zero: 壹万零伍佰.
      if (words && (pendingZero || g < 1000)) words += '零';
      words += groupInWords(g) + SECTIONS[i];
      pendingZero = false;
    }
    words += '元';
  }
  if (jiao === 0 && fenPart === 0) return `${words}整`;
  if (jiao > 0) words += `${DIGITS[jiao]}角`;
  else if (yuanPart > 0) words += '零';
  if (fenPart > 0) words += `${DIGITS[fenPart]}分`;
  else words += '整';
  return words;
}
