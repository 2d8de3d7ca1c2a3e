/**
 * The compact form of the built-in holiday data (shared/domain/holiday-data.ts), written by
 * `npm run holiday-data` and read by working-days.ts. Entries separated by `,`:
 * - `YYYYMMDD+N名称`: N consecutive days off from that day, for the festival 名称 (N ≥ 1);
 * - `wYYYYMMDD名称`: an adjusted working day (调休上班) of that festival.
 * The festival's Chinese name is the package's own (the second field of "English,中文,days").
 */

/** One day of the package: date → [working, Chinese name as the package writes it]. */
export type PackageDays = Map<string, { readonly working: boolean; readonly name: string }>;

const iso = (compact: string): string => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
const nextDay = (date: string): string => new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + 1)).toISOString().slice(0, 10);

function chineseName(date: string, value: string): string {
  const zh = value.split(',')[1]?.trim();
  if (!zh) throw new Error(`chinese-days: unexpected holiday entry ${date} = ${value}`);
  return zh;
}

export function encodeHolidayData(data: { holidays: Record<string, string>; workdays: Record<string, string> }): string {
  const out: string[] = [];
  const off = Object.entries(data.holidays).map(([d, v]) => [d, chineseName(d, v)] as const).sort(([a], [b]) => a.localeCompare(b));
  for (let i = 0; i < off.length; ) {
    const [start, name] = off[i]!;
    let n = 1;
    let last = start;
    while (i + n < off.length && off[i + n]![1] === name && off[i + n]![0] === nextDay(last)) {
      last = off[i + n]![0];
      n++;
    }
    out.push(`${start.replaceAll('-', '')}+${n}${name}`);
    i += n;
  }
  for (const [date, value] of Object.entries(data.workdays).sort(([a], [b]) => a.localeCompare(b))) out.push(`w${date.replaceAll('-', '')}${chineseName(date, value)}`);
  return out.join(',');
}

const ENTRY = /^(w?)(\d{8})(?:\+(\d+))?(\S+)$/;

export function decodeHolidayData(encoded: string): PackageDays {
  const days: PackageDays = new Map();
  for (const entry of encoded.split(',')) {
    const m = ENTRY.exec(entry);
    if (!m) throw new Error(`holiday data: bad entry ${JSON.stringify(entry)}`);
    const [, work, compact = '', count, name = ''] = m;
    let date = iso(compact);
    if (work) {
      days.set(date, { working: true, name });
      continue;
    }
    for (let k = 0; k < Number(count); k++, date = nextDay(date)) days.set(date, { working: false, name });
  }
  return days;
}
