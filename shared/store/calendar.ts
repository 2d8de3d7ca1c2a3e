/**
 * Holiday arrangements entered at run time (D7, N4; issue 11), in the Catalog table:
 *
 *   CALENDAR#<year> / V#<000001>   one item per version, kept for ever (history)
 *   CALENDAR_YEARS / YEAR#<year>   the year's version in force, with its days: the calendar loader
 *                                  reads every entered year with one Query of this partition
 *
 * A change writes version n+1 (conditional on its absence) and moves the year item from n to n+1
 * (conditional on n), so of two concurrent changes of version n exactly one wins.
 */
import type { FestivalArrangement, HolidayNotice } from '../domain/holiday-overrides.ts';
import { VersionConflictError } from '../domain/errors.ts';
import { queryAll } from './query.ts';
import type { Write } from './transact.ts';

const T = 'Catalog' as const;
const LABEL = '节假日安排';
const YEARS_PK = 'CALENDAR_YEARS';
const pad = (n: number) => String(n).padStart(6, '0');

export const calendarVersionKey = (year: number, versionNo: number) => ({ pk: `CALENDAR#${year}`, sk: `V#${pad(versionNo)}` });
export const calendarYearKey = (year: number) => ({ pk: YEARS_PK, sk: `YEAR#${year}` });

/** One version of a year's arrangement, as entered. */
export interface StoredArrangement {
  readonly year: number;
  readonly versionNo: number;
  readonly notice: HolidayNotice;
  readonly festivals: readonly FestivalArrangement[];
  /** Why it was entered over the package or changed (required then). */
  readonly reason?: string;
  readonly enteredAt: string;
  readonly enteredBy: string;
  /** Dates counted differently from the package, at the time of entry (for the history). */
  readonly differsFromPackage: boolean;
}

function fromItem(item: Record<string, unknown>): StoredArrangement {
  const { year, versionNo, notice, festivals, reason, enteredAt, enteredBy, differsFromPackage } = item as unknown as StoredArrangement;
  return { year, versionNo, notice, festivals, ...(reason ? { reason } : {}), enteredAt, enteredBy, differsFromPackage: differsFromPackage === true };
}

const body = (a: StoredArrangement) => ({
  year: a.year,
  versionNo: a.versionNo,
  notice: a.notice,
  festivals: a.festivals,
  ...(a.reason ? { reason: a.reason } : {}),
  enteredAt: a.enteredAt,
  enteredBy: a.enteredBy,
  differsFromPackage: a.differsFromPackage,
});

/** Every version of a year, oldest first (empty when the year was never entered). */
export async function getVersions(year: number, consistent = false): Promise<StoredArrangement[]> {
  const items = await queryAll({
    table: T,
    partition: { name: 'pk', value: calendarVersionKey(year, 0).pk },
    sortCondition: 'begins_with(#sk, :v)',
    names: { '#sk': 'sk' },
    values: { ':v': 'V#' },
    consistent,
  });
  return items.map(fromItem);
}

/** The version in force of every entered year, by year: one Query (the calendar loader). */
export async function listEnteredYears(): Promise<StoredArrangement[]> {
  const items = await queryAll({ table: T, partition: { name: 'pk', value: YEARS_PK } });
  return items.map(fromItem).sort((a, b) => a.year - b.year);
}

/**
 * The writes of version `a.versionNo` (1 for a first entry): the version item, new, and the year
 * item, moved on from the previous version only if nobody moved it first.
 */
export function putArrangement(a: StoredArrangement): Write[] {
  const previous = a.versionNo - 1;
  return [
    {
      kind: 'put',
      table: T,
      item: { ...calendarVersionKey(a.year, a.versionNo), entity: 'CalendarVersion', ...body(a) },
      condition: 'attribute_not_exists(pk)',
      onConditionFailed: () => new VersionConflictError(LABEL, previous),
    },
    {
      kind: 'put',
      table: T,
      item: { ...calendarYearKey(a.year), entity: 'CalendarYear', ...body(a) },
      condition: previous === 0 ? 'attribute_not_exists(pk)' : '#v = :v',
      ...(previous === 0 ? {} : { names: { '#v': 'versionNo' }, values: { ':v': previous } }),
      onConditionFailed: () => new VersionConflictError(LABEL, previous),
    },
  ];
}
