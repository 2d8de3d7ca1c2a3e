/**
 * Calendar dates are `YYYY-MM-DD` strings in Asia/Shanghai; instants are ISO-8601 strings.
 * Never pass `Date` objects around for calendar days: time zones shift them.
 */
import * as z from './z.ts';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when the string is a real calendar date (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || y < 1900 || y > 2200) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export const calendarDate = z
  .string()
  .refine(isCalendarDate, { message: '日期无效，应为真实存在的日期，格式 YYYY-MM-DD' })
  .meta({ format: 'date', example: '2026-11-26' });

const shanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Asia/Shanghai (the bureau's calendar), or the date of the given instant. */
export function shanghaiToday(now: Date = new Date()): string {
  return shanghaiDate.format(now);
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** Year of a calendar date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
