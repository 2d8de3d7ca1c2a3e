/**
 * EventBridge Scheduler cron expressions (`cron(minutes hours day-of-month month day-of-week year)`),
 * evaluated in a fixed-offset time zone: the local scheduler fires the schedules AWS fires. Supports
 * numbers, `*`, `?`, lists `a,b`, ranges `a-b`, steps `*\/n` and `a/n`, and day names (SUN–SAT, 1–7 with
 * 1 = Sunday, as AWS counts). Not supported (refused): `L`, `W`, `#`.
 */

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

interface Field {
  readonly any: boolean;
  readonly values: ReadonlySet<number>;
}

export interface Cron {
  readonly minutes: Field;
  readonly hours: Field;
  readonly daysOfMonth: Field;
  readonly months: Field;
  /** 1 = Sunday … 7 = Saturday. */
  readonly daysOfWeek: Field;
  readonly years: Field;
}

function parseField(text: string, min: number, max: number, names: readonly string[] = [], nameBase = min): Field {
  if (text === '*' || text === '?') return { any: true, values: new Set() };
  const value = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    const n = i >= 0 ? i + nameBase : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron: ${s} is outside ${min}-${max}`);
    return n;
  };
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (/[LW#]/.test(part)) throw new Error(`cron: ${part} is not supported`);
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron: bad step in ${part}`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      [from, to] = [value(a!), value(b!)];
    } else {
      from = value(range!);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return { any: false, values };
}

export function parseCron(expression: string): Cron {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  if (!m) throw new Error(`cron: expected cron(...), got ${expression}`);
  const parts = m[1]!.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`cron: expected 6 fields, got ${parts.length}`);
  const [mi, h, dom, mo, dow, y] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new Error('cron: exactly one of day-of-month and day-of-week must be ?');
  return {
    minutes: parseField(mi, 0, 59),
    hours: parseField(h, 0, 23),
    daysOfMonth: parseField(dom, 1, 31),
    months: parseField(mo, 1, 12, MONTH_NAMES, 1),
    daysOfWeek: parseField(dow, 1, 7, DAY_NAMES, 1),
    years: parseField(y, 1970, 2199),
  };
}

const has = (f: Field, n: number) => f.any || f.values.has(n);

/**
 * The first fire time strictly after `after`, in a zone `offsetMinutes` east of UTC (Asia/Shanghai:
 * 480, no daylight saving), or undefined if none within ~5 years.
 */
export function nextFireTime(cron: Cron, after: Date, offsetMinutes: number): Date | undefined {
  const start = Math.floor(after.getTime() / 60_000) + 1;
  for (let minute = start; minute < start + 5 * 366 * 24 * 60; minute++) {
    const local = new Date((minute + offsetMinutes) * 60_000);
    if (!has(cron.years, local.getUTCFullYear()) || !has(cron.months, local.getUTCMonth() + 1)) {
      // Jump to the next month's first minute.
      const next = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) / 60_000 - offsetMinutes;
      minute = next - 1;
      continue;
    }
    if (!has(cron.daysOfMonth, local.getUTCDate()) || !has(cron.daysOfWeek, local.getUTCDay() + 1)) {
      const next = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1) / 60_000 - offsetMinutes;
      minute = next - 1;
      continue;
    }
    if (!has(cron.hours, local.getUTCHours())) {
      const next = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), local.getUTCHours() + 1) / 60_000 - offsetMinutes;
      minute = next - 1;
      continue;
    }
    if (has(cron.minutes, local.getUTCMinutes())) return new Date(minute * 60_000);
  }
  return undefined;
}
