/**
 * The annual report's counters in the Cases table: one item per year and agency, changed only with
 * `ADD` inside the transaction of the change it counts. The only code that builds their keys.
 *
 *   AGG#<year> / AGENCY#<agencyId>    one number attribute per counter (shared/domain/report-aggregates.ts)
 */
import { emptyAggregate } from '../domain/report-aggregates.ts';
import type { Aggregate, Counter, Increments } from '../domain/report-aggregates.ts';
import { queryAll } from './query.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;

/** Adds to the counters of `agencyId` in `year`; undefined when there is nothing to add. */
export function addToAggregate(agencyId: string, year: number, increments: Increments): Write | undefined {
  const entries = Object.entries(increments).filter(([, n]) => n !== undefined && n !== 0) as [Counter, number][];
  if (entries.length === 0) return undefined;
  return {
    kind: 'update',
    table: T,
    key: { pk: `AGG#${year}`, sk: `AGENCY#${agencyId}` },
    update: `SET #agency = :agency, #year = :year ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
    names: { '#agency': 'agencyId', '#year': 'year', ...Object.fromEntries(entries.map(([c], i) => [`#c${i}`, c])) },
    values: { ':agency': agencyId, ':year': year, ...Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])) },
  };
}

/** Several years' increments of one agency, merged so that each year's item is written once. */
export function addToAggregates(agencyId: string, parts: readonly { year: number; increments: Increments }[]): Write[] {
  const byYear = new Map<number, Record<string, number>>();
  for (const { year, increments } of parts) {
    const merged = byYear.get(year) ?? {};
    for (const [c, n] of Object.entries(increments)) merged[c] = (merged[c] ?? 0) + (n ?? 0);
    byYear.set(year, merged);
  }
  return [...byYear.entries()].map(([year, inc]) => addToAggregate(agencyId, year, inc as Increments)).filter((w): w is Write => w !== undefined);
}

/** Every agency's counters for `year`: one item per agency, whatever the year's volume. */
export async function aggregatesOf(year: number): Promise<Map<string, Aggregate>> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: `AGG#${year}` }, consistent: true });
  const out = new Map<string, Aggregate>();
  for (const item of items) {
    const a = emptyAggregate();
    for (const c of Object.keys(a) as Counter[]) if (typeof item[c] === 'number') a[c] = item[c];
    out.set(String(item.agencyId), a);
  }
  return out;
}
