/**
 * Numbers within what the store takes and what the domain means (S3, issue 10 point 6).
 *
 * DynamoDB keeps numbers to 38 significant digits within 1e-130..1e+126; JSON doubles such as 1e21,
 * 1e-300 or 5e-324 pass a plain `z.number().min().max()` and end in a 500 from the store. Every numeric
 * request field therefore has a real range and a precision: integers are safe integers with an upper
 * bound that means something, decimals have a fixed number of places. zod's own `multipleOf` is not
 * used for decimals: it compares `toFixed` strings and lets 5e-324 through a step of 0.5.
 */
import * as z from './z.ts';

/** True when `value` has at most `places` decimal places (as the nearest double of such a decimal). */
export function hasAtMostDecimals(value: number, places: number): boolean {
  if (!Number.isFinite(value)) return false;
  // toFixed uses the exact binary value: a double equals the parse of its own rounding only when it is
  // the double nearest to a decimal with that many places. Bounded ranges keep toFixed out of exponents.
  return Number(value.toFixed(places)) === value;
}

export interface DecimalOptions {
  readonly min: number;
  readonly max: number;
  /** Most decimal places. */
  readonly places: number;
  /** Field name for the messages, e.g. '纬度'. */
  readonly label: string;
  /** Unit shown after the bounds, e.g. '米'. */
  readonly unit?: string;
}

const rangeMessage = (label: string, min: number, max: number, unit: string): string =>
  `${label}应在 ${min} 到 ${max}${unit ? ` ${unit}` : ' '}之间`;

/** A decimal number in [min, max] with at most `places` decimals. */
export function decimal({ min, max, places, label, unit = '' }: DecimalOptions) {
  const range = rangeMessage(label, min, max, unit);
  // One `check` call rather than a chain: each chained method clones the schema (cold start, issue 13).
  return z
    .number({ message: `${label}应为数字` })
    .check(
      z.gte(min, { message: range }),
      z.lte(max, { message: range }),
      z.refine((v: number) => hasAtMostDecimals(v, places), { message: places === 0 ? `${label}应为整数` : `${label}最多保留 ${places} 位小数` }),
    );
}

/** A number in [min, max] that is a whole multiple of `step` (e.g. hours in half-hours). */
export function stepped({ min, max, step, label, unit = '' }: { min: number; max: number; step: number; label: string; unit?: string }) {
  const range = rangeMessage(label, min, max, unit);
  const inverse = 1 / step;
  if (!Number.isInteger(inverse)) throw new RangeError('step must be 1/n for an integer n');
  return z
    .number({ message: `${label}应为数字` })
    .check(z.gte(min, { message: range }), z.lte(max, { message: range }), z.refine((v: number) => Number.isInteger(v * inverse), { message: `${label}应以 ${step}${unit} 为单位` }));
}

/** An integer in [min, max]; zod's int() already refuses anything beyond the safe-integer range. */
export const boundedInt = (min: number, max: number, label?: string) =>
  z.int({ message: `${label ?? ''}应为整数` }).check(z.gte(min, { message: `${label ?? ''}不能小于 ${min}` }), z.lte(max, { message: `${label ?? ''}不能大于 ${max}` }));

/** Most versions an entity reaches in practice: far beyond any real history, far within the store. */
export const MAX_VERSION = 1_000_000;

/** The version read (optimistic locking), 1.. . */
export const versionNo = boundedInt(1, MAX_VERSION, '版本号').meta({ description: '读取时的版本号（乐观锁）' });

/** The version read, or 0 for "create the first one". */
export const versionOrNew = boundedInt(0, MAX_VERSION, '版本号');
