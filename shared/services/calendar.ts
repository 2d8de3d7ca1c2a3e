/**
 * The working-day calendar in force (D7, N4, N9): the packaged official data plus the holiday
 * arrangements an administrator has entered at run time (issue 11). Every service that counts working
 * days asks here, never the module-level calendar, so that an entered year takes effect without a
 * deploy.
 *
 * Entering a year (`PUT /calendar/{year}`, `npm run calendar -- import`) writes a new version with its
 * audit event; the provisional deadlines that reached that year are then recounted by a job.
 */
import { canonicalJson } from '../domain/audit.ts';
import {
  differencesFromPackage,
  PACKAGE_INFO,
  packageFestivals,
  type CalendarPutBody,
  type CalendarSource,
  type CalendarYearView,
  type PublicCalendarYear,
} from '../domain/calendar.ts';
import { BusinessRuleError, ConflictError, VersionConflictError, type ErrorDetail } from '../domain/errors.ts';
import { HOLIDAY_OVERRIDES } from '../domain/holiday-overrides.ts';
import {
  arrangementProblems,
  createCalendar,
  packageCovers,
  type CalendarArrangement,
  type WorkingDayCalendar,
} from '../domain/working-days.ts';
import * as store from '../store/calendar.ts';
import type { StoredArrangement } from '../store/calendar.ts';
import { commit } from '../store/transact.ts';
import { commitContext, type ActionContext } from './context.ts';

// ---------------------------------------------------------------------------------------------
// The calendar in force

/** How long a process keeps the entered years before reading them again (another process may enter one). */
export const CALENDAR_CACHE_MS = 60_000;

let cached: { readonly at: number; readonly calendar: Promise<WorkingDayCalendar> } | undefined;

/** The package, the override file and every entered year (which wins over both for its year). */
async function loadCalendar(): Promise<WorkingDayCalendar> {
  const entered = await store.listEnteredYears();
  const enteredYears = new Set(entered.map((a) => a.year));
  const arrangements: CalendarArrangement[] = [
    ...HOLIDAY_OVERRIDES.filter((a) => !enteredYears.has(a.year)),
    ...entered.map((a) => ({ year: a.year, notice: a.notice, festivals: a.festivals, source: 'entered' as const })),
  ];
  return createCalendar(arrangements);
}

/** The calendar with every entered year; cached per process for a minute. */
export async function currentCalendar(): Promise<WorkingDayCalendar> {
  const now = Date.now();
  if (cached === undefined || now - cached.at >= CALENDAR_CACHE_MS) {
    const entry = { at: now, calendar: loadCalendar() };
    cached = entry;
    // A failed read is not kept: the next caller tries again.
    entry.calendar.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.calendar;
}

/** Forget the cached calendar (after a year is entered in this process; tests). */
export function forgetCalendar(): void {
  cached = undefined;
}

// ---------------------------------------------------------------------------------------------
// One year: where its days come from, what they are, how an entry differs from the package

const fileArrangement = (year: number) => HOLIDAY_OVERRIDES.find((a) => a.year === year);

function sourceOf(year: number, latest: StoredArrangement | undefined): CalendarSource {
  if (latest) return 'ENTERED';
  if (fileArrangement(year)) return 'OVERRIDE_FILE';
  return packageCovers(year) ? 'PACKAGE' : 'NONE';
}

function noteOf(year: number, source: CalendarSource, differences: number): string {
  switch (source) {
    case 'ENTERED':
      return differences > 0
        ? `${year} 年的安排由管理员录入，与程序包数据有 ${differences} 天不同，按录入的安排计算`
        : `${year} 年的安排由管理员录入，按录入的安排计算`;
    case 'OVERRIDE_FILE':
      return `${year} 年的安排来自随程序发布的补充数据`;
    case 'PACKAGE':
      return `${year} 年的安排来自程序包 ${PACKAGE_INFO.name} ${PACKAGE_INFO.version}`;
    case 'NONE':
      return `尚无 ${year} 年法定节假日安排：涉及该年的工作日期限暂按周一至周五计算，录入后自动重新计算`;
  }
}

function buildView(year: number, versions: readonly StoredArrangement[]): CalendarYearView {
  const latest = versions.at(-1);
  const source = sourceOf(year, latest);
  const differences = latest ? differencesFromPackage(year, latest.festivals) : [];
  const file = fileArrangement(year);
  return {
    year,
    source,
    package: { ...PACKAGE_INFO, covers: packageCovers(year) },
    version: latest?.versionNo ?? 0,
    notice: latest?.notice ?? file?.notice ?? null,
    festivals: (latest?.festivals ?? file?.festivals ?? packageFestivals(year)).map((f) => ({ name: f.name, off: [f.off[0], f.off[1]], work: [...f.work] })),
    enteredAt: latest?.enteredAt ?? null,
    differsFromPackage: differences.length > 0,
    differences,
    note: noteOf(year, source, differences.length),
    enteredBy: latest?.enteredBy ?? null,
    reason: latest?.reason ?? null,
    history: versions.map((v) => ({
      version: v.versionNo,
      notice: v.notice,
      enteredAt: v.enteredAt,
      enteredBy: v.enteredBy,
      reason: v.reason ?? null,
      differsFromPackage: v.differsFromPackage,
    })),
  };
}

/** GET /calendar/{year}: the year with who entered it and every version. */
export async function getCalendarYear(year: number): Promise<CalendarYearView> {
  return buildView(year, await store.getVersions(year));
}

/** GET /public/calendar/{year}: the same without who entered it, why, or the history. */
export async function getPublicCalendarYear(year: number): Promise<PublicCalendarYear> {
  const { enteredBy: _by, reason: _reason, history: _history, ...view } = await getCalendarYear(year);
  return view;
}

// ---------------------------------------------------------------------------------------------
// Entering a year

export interface EnteredYear extends CalendarYearView {
  /** When the provisional deadlines reaching the year are counted again (zh-CN). */
  readonly recount: string;
}

/**
 * The deadlines that waited for a year are recounted by the jobs function (the hourly
 * `recount-provisional` schedule and the daily deadline check), not by this request: this function has
 * no right to write cases (least privilege), and a recount's cost follows the provisional deadlines,
 * which may take longer than a request may.
 */
export const RECOUNT_NOTE = '已录入。跨入该年的暂定期限将由每小时的定时任务（recount-provisional）重新计算，并记入各决定的时间线；也可立即运行 npm run job -- recount-provisional';

/** Why a reason is required for this entry, or undefined. */
function reasonRequired(year: number, latest: StoredArrangement | undefined): string | undefined {
  if (latest) return `${year} 年的安排已录入（第 ${latest.versionNo} 版），修改须说明原因（reason）`;
  if (packageCovers(year)) return `程序包 ${PACKAGE_INFO.name} ${PACKAGE_INFO.version} 已包含 ${year} 年的安排，另行录入须说明原因（reason）`;
  if (fileArrangement(year)) return `随程序发布的补充数据已包含 ${year} 年的安排，另行录入须说明原因（reason）`;
  return undefined;
}

/**
 * PUT /calendar/{year}: version n+1 of the year, checked by the same rules as the override file,
 * with its audit event in one transaction; then the calendar cache is dropped. The provisional
 * deadlines reaching the year are recounted by the jobs function (see RECOUNT_NOTE).
 */
export async function enterCalendarYear(ctx: ActionContext, year: number, input: CalendarPutBody): Promise<EnteredYear> {
  const versions = await store.getVersions(year, true);
  const latest = versions.at(-1);
  const current = latest?.versionNo ?? 0;
  if (input.version !== current) throw new VersionConflictError('节假日安排', input.version, current);

  const arrangement: CalendarArrangement = { year, notice: input.notice, festivals: input.festivals, source: 'entered' };
  const details: ErrorDetail[] = arrangementProblems(arrangement).map((p) => ({ path: `body.${p.path}`, message: p.message }));
  const needsReason = input.reason === undefined ? reasonRequired(year, latest) : undefined;
  if (details.length > 0) {
    if (needsReason) details.push({ path: 'body.reason', message: needsReason });
    throw new BusinessRuleError('HOLIDAY_ARRANGEMENT_INVALID', `${year} 年节假日安排有误：${details.map((d) => `${d.path} ${d.message}`).join('；')}`, details);
  }
  if (needsReason) throw new BusinessRuleError('REASON_REQUIRED', needsReason, [{ path: 'body.reason', message: needsReason }]);

  const content = (a: { notice: unknown; festivals: unknown }) => canonicalJson({ notice: a.notice, festivals: a.festivals });
  if (latest && content(latest) === content(input)) throw new ConflictError('NO_CHANGE', `内容与 ${year} 年现行安排（第 ${current} 版）相同，无需新建版本`);

  const differences = differencesFromPackage(year, input.festivals);
  const entry: StoredArrangement = {
    year,
    versionNo: current + 1,
    notice: input.notice,
    festivals: input.festivals,
    ...(input.reason ? { reason: input.reason } : {}),
    enteredAt: (ctx.now ?? new Date()).toISOString(),
    enteredBy: ctx.identity.name,
    differsFromPackage: differences.length > 0,
  };
  await commit(commitContext(ctx), store.putArrangement(entry), [
    {
      action: latest ? 'calendar.change' : 'calendar.enter',
      entityType: 'CALENDAR',
      entityId: String(year),
      change: {
        versionNo: entry.versionNo,
        ...(latest ? { previousVersionNo: latest.versionNo } : {}),
        notice: entry.notice,
        festivals: entry.festivals,
        ...(entry.reason ? { reason: entry.reason } : {}),
        ...(differences.length > 0 ? { differsFromPackageOn: differences.map((d) => d.date) } : {}),
      },
    },
  ]);
  forgetCalendar();

  return { ...buildView(year, [...versions, entry]), recount: RECOUNT_NOTE };
}
