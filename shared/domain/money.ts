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
