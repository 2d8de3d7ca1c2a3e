/**
 * The daily deadline check (08:00 Asia/Shanghai, shared/schedules.ts): reads only the sparse due-date
 * queues, so its cost follows what is due, never the size of the tables (no Scan anywhere):
 *
 *   publication     Cases gsi3 DUE#PUBLICATION       issued, unpublished decisions by publication due date (D7)
 *   withdrawal      Cases gsi3 DUE#WITHDRAWAL        published decisions changed, by withdrawal due date (N4)
 *   case limit      Cases gsi3 DUE#CASE_LIMIT        open cases by decision due date (N11)
 *   review steps    Cases gsi3 OPEN#REVIEW_STEP      reviews waiting for a person (N9); also their heartbeats
 *   certificates    Officers gsi3 DUE#CERT_EXPIRY    valid-status certificates by expiry (D5)
 *   disclosure end  Disclosures gsi2 DUE#DISCLOSURE_END  public records by the end of their period (N5)
 *   uploads         Cases gsi3 DUE#UPLOAD_ABANDON    evidence uploads not sealed 24 hours after starting (R4)
 *
 * `act: true` (the scheduled run) also does what is due: ends disclosure periods (the record leaves
 * public view, status EXPIRED, kept internally), sends heartbeats, and sends one digest per agency.
 * `act: false` is `GET /compliance/deadlines`: the same list, nothing changed.
 */
import { decisionNumber } from '../domain/decision-record.ts';
import { digests } from '../domain/deadlines.ts';
import type { DeadlineItem, Digest } from '../domain/deadlines.ts';
import { ConflictError } from '../domain/errors.ts';
import { SYSTEM_ACTOR } from '../domain/identity.ts';
import type { Identity } from '../domain/identity.ts';
import { addCalendarDays, calendarDaysBetween } from '../domain/working-days.ts';
import type { ProvisionalNote } from '../domain/working-days.ts';
import { workflowClient } from '../aws/workflows.ts';
import { casesByIds, casesDueBy, publicationsDueBy, servicesDueBy, withdrawalsDueBy } from '../store/cases.ts';
import { overduePayments, paymentsOf } from '../store/payments.ts';
import { accountState } from '../domain/payment.ts';
import { fenToYuan } from '../domain/money.ts';
import * as disclosures from '../store/disclosures.ts';
import { abandonedUploads, uploadsAbortedBetween } from '../store/evidence.ts';
import { allAgencies, certificatesExpiring } from '../store/registry.ts';
import { reviewsAwaitingPeople } from '../store/reviews.ts';
import { commit } from '../store/transact.ts';
import { currentCalendar } from './calendar.ts';
import { commitContext, systemContext } from './context.ts';
import { countProvisionalDeadlines, recomputeProvisionalDeadlines } from './provisional.ts';
import type { RecomputeResult } from './provisional.ts';

/** "已逾期 2 个工作日" / "今日到期" / "还剩 3 日": how far a deadline is, in working or calendar days. */
function howLong(left: number, unit: '个工作日' | '日', late = '已逾期'): string {
  return left < 0 ? `${late} ${-left} ${unit}` : left === 0 ? '今日到期' : `还剩 ${left} ${unit}`;
}

const CHECKER: Identity = { ...SYSTEM_ACTOR, sub: 'system:deadline-check', name: '期限检查' };

/** Warning windows. Publication: D7 counts working days, so does its warning. */
export const WARN = {
  publicationWorkingDays: 2,
  /** N4 gives 3 working days in all: every recorded change is listed until it is withdrawn. */
  withdrawalWorkingDays: 3,
  caseLimitDays: 7,
  /** P4: a decision is due for service within 7 days: listed from its date until served. */
  serviceDays: 7,
  /** P5: fines due within 3 days, and every overdue one until paid. */
  paymentDays: 3,
  reviewOpinionWorkingDays: 1,
  certificateDays: 30,
  /** Expired certificates are listed for this many days after they ran out. */
  expiredCertificateDays: 7,
} as const;

export interface DeadlineRun {
  readonly date: string;
  readonly items: DeadlineItem[];
  readonly digests: Digest[];
  /** What the run did (act: true only). */
  readonly expired: string[];
  readonly heartbeats: number;
  readonly heartbeatsFailed: number;
  /** The provisional deadlines recounted first (act: true only). */
  readonly recounted?: RecomputeResult;
}

export interface DeadlineOptions {
  readonly act: boolean;
  /** Only this agency's items (the compliance route for a county bureau). */
  readonly agencyId?: string;
  readonly now?: Date;
  readonly progress?: (line: string) => void;
}

/**
 * The check for `date` (YYYY-MM-DD), on the calendar in force (entered years included). A window that
 * reaches a year without holiday data is counted Monday–Friday, like the deadlines themselves; the
 * scheduled run first recounts the provisional deadlines (a year may have been entered since).
 */
export async function deadlineCheck(date: string, options: DeadlineOptions): Promise<DeadlineRun> {
  const say = options.progress ?? (() => undefined);
  const now = options.now ?? new Date();
  const calendar = await currentCalendar();
  const addWorkingDays = (start: string, n: number) => calendar.addWorkingDays(start, n);
  const workingDaysBetween = (from: string, to: string) => calendar.workingDaysBetween(from, to);
  let recounted: RecomputeResult | undefined;
  if (options.act) {
    say('暂定期限 / provisional deadlines');
    recounted = await recomputeProvisionalDeadlines({ calendar });
  }
  const publicationLimit = addWorkingDays(date, WARN.publicationWorkingDays).dueDate;
  const opinionLimit = addWorkingDays(date, WARN.reviewOpinionWorkingDays).dueDate;
  const items: DeadlineItem[] = [];

  say('决定公示期限 / publication deadlines');
  const duePublications = await publicationsDueBy(publicationLimit);
  const dueWithdrawals = await withdrawalsDueBy(addWorkingDays(date, WARN.withdrawalWorkingDays).dueDate);
  // The agency and case number live on the case: one batch read for all that is due.
  const casesOfDue = await casesByIds([...duePublications, ...dueWithdrawals].map((d) => d.caseId));
  for (const d of duePublications) {
    const due = d.publicationDue?.dueDate;
    const c = casesOfDue.get(d.caseId);
    if (!due || !c) continue;
    const left = workingDaysBetween(date, due);
    items.push({
      kind: 'PUBLICATION',
      state: due < date ? 'OVERDUE' : 'DUE_SOON',
      agencyId: c.agencyId,
      subjectId: d.caseId,
      caseNo: c.caseNo,
      dueDate: due,
      daysLeft: calendarDaysBetween(date, due),
      workingDaysLeft: left,
      ...provisionalOf(d.publicationDue?.provisional),
      text: `案件 ${c.caseNo} 的决定（${decisionNumber(d)}）应于 ${due}${tentative(d.publicationDue?.provisional)} 前公示，${howLong(left, '个工作日')}`,
    });
  }

  say('撤下公示期限 / withdrawals (N4)');
  for (const d of dueWithdrawals) {
    const pending = d.pendingWithdrawal;
    const c = casesOfDue.get(d.caseId);
    if (!pending || !c) continue;
    const left = workingDaysBetween(date, pending.dueDate);
    items.push({
      kind: 'WITHDRAWAL',
      state: pending.dueDate < date ? 'OVERDUE' : 'DUE_SOON',
      agencyId: c.agencyId,
      subjectId: d.caseId,
      caseNo: c.caseNo,
      dueDate: pending.dueDate,
      daysLeft: calendarDaysBetween(date, pending.dueDate),
      workingDaysLeft: left,
      ...provisionalOf(pending.provisional),
      text: `案件 ${c.caseNo} 的决定（${decisionNumber(d)}）已于 ${pending.changedOn} 变更，应于 ${pending.dueDate}${tentative(pending.provisional)} 前撤下公示，${howLong(left, '个工作日')}`,
    });
  }

  say('办案期限 / case limits');
  for (const c of await casesDueBy(addCalendarDays(date, WARN.caseLimitDays))) {
    const left = calendarDaysBetween(date, c.decisionDueDate);
    items.push({
      kind: 'CASE_LIMIT',
      state: c.decisionDueDate < date ? 'OVERDUE' : 'DUE_SOON',
      agencyId: c.agencyId,
      subjectId: c.id,
      caseNo: c.caseNo,
      dueDate: c.decisionDueDate,
      daysLeft: left,
      text: `案件 ${c.caseNo} 应于 ${c.decisionDueDate} 前作出决定，${howLong(left, '日', '已超期')}（可依法延长）`,
    });
  }

  say('文书送达 / service of decisions (P4)');
  const dueServices = await servicesDueBy(addCalendarDays(date, WARN.serviceDays));
  const casesOfServices = await casesByIds(dueServices.map((d) => d.caseId));
  for (const doc of dueServices) {
    const c = casesOfServices.get(doc.caseId);
    if (!c || !doc.serviceDueDate) continue;
    const left = calendarDaysBetween(date, doc.serviceDueDate);
    items.push({
      kind: 'SERVICE',
      state: doc.serviceDueDate < date ? 'OVERDUE' : 'DUE_SOON',
      agencyId: c.agencyId,
      subjectId: c.id,
      caseNo: c.caseNo,
      dueDate: doc.serviceDueDate,
      daysLeft: left,
      text: `案件 ${c.caseNo} 的${doc.title}（${doc.documentNo}）应于 ${doc.serviceDueDate} 前送达，${howLong(left, '日', '已超期')}`,
    });
  }

  say('罚款缴纳 / fines due and overdue (P5)');
  const duePayments = await overduePayments(addCalendarDays(date, WARN.paymentDays));
  const casesOfPayments = await casesByIds(duePayments.map((a) => a.caseId));
  for (const a of duePayments) {
    const c = casesOfPayments.get(a.caseId);
    if (!c || !a.dueDate) continue;
    // The surcharge is computed for the check's date, never stored (P5).
    const state = accountState(a.fineFen, a.schedule, await paymentsOf(a.caseId), date);
    if (state.outstandingFen === 0) continue;
    const left = calendarDaysBetween(date, a.dueDate);
    items.push({
      kind: 'PAYMENT',
      state: a.dueDate < date ? 'OVERDUE' : 'DUE_SOON',
      agencyId: c.agencyId,
      subjectId: c.id,
      caseNo: c.caseNo,
      dueDate: a.dueDate,
      daysLeft: left,
      text:
        left < 0
          ? `案件 ${c.caseNo} 的罚款应于 ${a.dueDate} 前缴纳，已逾期 ${-left} 日：尚欠 ${fenToYuan(state.outstandingFen)} 元（含加处罚款 ${fenToYuan(state.surchargeFen - state.surchargePaidFen)} 元）`
          : `案件 ${c.caseNo} 的罚款 ${fenToYuan(state.outstandingFen)} 元应于 ${a.dueDate} 前缴纳，${howLong(left, '日')}`,
    });
  }

  say('法制审核 / reviews waiting for people');
  const waiting = await reviewsAwaitingPeople();
  let heartbeats = 0;
  let heartbeatsFailed = 0;
  for (const r of waiting) {
    if (options.act && r.taskToken) {
      // Keeps the step from escalating for lack of a heartbeat; its real time limit still applies.
      try {
        await workflowClient().sendTaskHeartbeat(r.taskToken);
        heartbeats++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        heartbeatsFailed++;
      }
    }
    if (r.step !== 'AwaitOpinion' || !r.opinionDueDate || r.opinionDueDate > opinionLimit) continue;
    const left = workingDaysBetween(date, r.opinionDueDate);
    items.push({
      kind: 'REVIEW_OPINION',
      state: r.opinionDueDate < date ? 'OVERDUE' : 'DUE_SOON',
      agencyId: r.agencyId,
      subjectId: r.id,
      caseNo: r.caseNo,
      dueDate: r.opinionDueDate,
      daysLeft: calendarDaysBetween(date, r.opinionDueDate),
      workingDaysLeft: left,
      ...provisionalOf(r.opinionDueProvisional),
      text: `案件 ${r.caseNo} 的法制审核意见（审核人员 ${r.reviewerName ?? r.reviewerId ?? ''}）应于 ${r.opinionDueDate}${tentative(r.opinionDueProvisional)} 前出具，${howLong(left, '个工作日')}`,
    });
  }

  say('执法证件 / certificates');
  for (const o of await certificatesExpiring(addCalendarDays(date, -WARN.expiredCertificateDays), addCalendarDays(date, WARN.certificateDays))) {
    const left = calendarDaysBetween(date, o.validUntil);
    items.push({
      kind: 'CERTIFICATE',
      state: o.validUntil < date ? 'OVERDUE' : 'DUE_SOON',
      agencyId: o.agencyId,
      subjectId: o.id,
      dueDate: o.validUntil,
      daysLeft: left,
      text: left < 0 ? `${o.name}（证号 ${o.certificateNo}）的执法证件已于 ${o.validUntil} 到期，不能再从事执法活动` : `${o.name}（证号 ${o.certificateNo}）的执法证件将于 ${o.validUntil} 到期（还剩 ${left} 日），请及时换证`,
    });
  }

  say('公示期 / disclosure periods');
  const ended = await disclosures.disclosuresEndedBefore(date);
  const expired: string[] = [];
  for (const record of ended) {
    if (options.act) {
      try {
        await commit(commitContext({ ...systemContext(CHECKER), now }), disclosures.removeFromViewWrites(record, 'EXPIRED', {}), [
          { action: 'disclosure.expire', entityType: 'Decision', entityId: record.id, change: { disclosureEndsOn: record.disclosureEndsOn, decisionNo: record.decisionNo } },
        ], (chained) => disclosures.proofRefWrites(record.id, chained)); // issue 12: the record's proof names its end
        expired.push(record.id);
      } catch (error) {
        // Withdrawn or corrected meanwhile: no longer this check's business.
        if (!(error instanceof ConflictError)) throw error;
        continue;
      }
    }
    items.push({
      kind: 'DISCLOSURE_ENDED',
      state: options.act ? 'DONE' : 'OVERDUE',
      agencyId: record.agencyId,
      subjectId: record.id,
      dueDate: record.disclosureEndsOn,
      daysLeft: calendarDaysBetween(date, record.disclosureEndsOn),
      text: `决定 ${record.decisionNo} 的公示期已于 ${record.disclosureEndsOn} 届满${options.act ? '，已撤下公示（内部保留）' : '，待撤下公示'}`,
    });
  }

  say('证据上传 / evidence uploads');
  for (const e of await abandonedUploads(now)) {
    items.push({
      kind: 'UPLOAD_ABANDONED',
      state: 'OVERDUE',
      agencyId: e.agencyId,
      subjectId: e.id,
      caseNo: e.caseNo,
      dueDate: e.createdAt.slice(0, 10),
      daysLeft: calendarDaysBetween(date, e.createdAt.slice(0, 10)),
      text: `设备 ${e.deviceSerial} 为案件 ${e.caseNo} 上传的证据（${e.fileName}）超过 24 小时未完成${e.status === 'VERIFYING' ? '校验' : '上传'}，将被中止`,
    });
  }

  // Aborted by the hourly job in the 24 hours before this check (08:00 Beijing = 00:00 UTC).
  const windowEnd = `${date}T00:00:00.000Z`;
  const windowStart = `${addCalendarDays(date, -1)}T00:00:00.000Z`;
  for (const e of await uploadsAbortedBetween(windowStart, windowEnd)) {
    items.push({
      kind: 'UPLOAD_ABANDONED',
      state: 'DONE',
      agencyId: e.agencyId,
      subjectId: e.id,
      caseNo: e.caseNo,
      dueDate: (e.abortedAt ?? windowEnd).slice(0, 10),
      daysLeft: calendarDaysBetween(date, (e.abortedAt ?? windowEnd).slice(0, 10)),
      text: `设备 ${e.deviceSerial} 为案件 ${e.caseNo} 上传的证据（${e.fileName}）超过 24 小时未完成，已中止，请重新上传`,
    });
  }

  const holiday = await holidayWarning(date, calendar.coveredYears);
  if (holiday) items.push(holiday);

  const scoped = options.agencyId === undefined ? items : items.filter((i) => i.agencyId === options.agencyId || i.agencyId === '*');
  const names = new Map((await allAgencies()).map((a) => [a.id, a.name] as const));
  const out = digests(date, scoped, names);
  if (options.act) {
    say(`发送提醒 / sending ${out.length} digest(s)`);
    // SNS and the metrics library are loaded only by the run that sends (the daily job), not by the compliance view.
    const [{ digestAlert, sendAlert }, { countBusiness }] = await Promise.all([import('../aws/alerts.ts'), import('../aws/metrics.ts')]);
    for (const d of out) {
      await sendAlert(digestAlert(d));
      // '*' is the system's own notice (holiday data), not an agency's deadlines.
      if (d.agencyId !== '*') countBusiness('DeadlineItemsDue', d.agencyId, d.items.length);
    }
  }
  return { date, items: scoped, digests: out, expired, heartbeats, heartbeatsFailed, ...(recounted ? { recounted } : {}) };
}

/** A provisional deadline's mark on a list item: the missing years and the explanation. */
const provisionalOf = (p: ProvisionalNote | undefined): { provisional?: ProvisionalNote } => (p ? { provisional: { missingYears: p.missingYears, note: p.note } } : {});
const tentative = (p: ProvisionalNote | undefined): string => (p ? `（暂定，${p.missingYears.join('、')} 年节假日安排待录入）` : '');

/**
 * From 1 December, while next year's official holiday arrangement is missing (the State Council
 * publishes it in November or December), every daily digest says so, with how many live deadlines
 * are counted provisionally meanwhile.
 */
export function holidayDataItem(date: string, coveredYears: readonly number[], provisionalCount?: number): DeadlineItem | undefined {
  if (!holidayWarningDue(date, coveredYears)) return undefined;
  const year = Number(date.slice(0, 4));
  const count = provisionalCount === undefined ? '' : `现有 ${provisionalCount} 个期限为暂定；`;
  return {
    kind: 'HOLIDAY_DATA',
    state: 'OVERDUE',
    agencyId: '*',
    subjectId: `holidays-${year + 1}`,
    dueDate: `${year}-12-01`,
    daysLeft: calendarDaysBetween(date, `${year}-12-01`),
    ...(provisionalCount !== undefined ? { provisionalCount } : {}),
    text:
      `尚未录入 ${year + 1} 年的法定节假日安排：国务院办公厅通知发布后，请以 PUT /calendar/${year + 1}（或 npm run calendar -- import ${year + 1}.json）录入。` +
      `在此之前，跨入 ${year + 1} 年的工作日期限按周一至周五暂计，${count}录入后自动重新计算`,
  };
}

/** From 1 December while next year's arrangement is missing. */
const holidayWarningDue = (date: string, coveredYears: readonly number[]): boolean =>
  date.slice(5) >= '12-01' && !coveredYears.includes(Number(date.slice(0, 4)) + 1);

/** The December warning with its count of provisional deadlines, read only on the days it is due. */
export async function holidayWarning(date: string, coveredYears: readonly number[]): Promise<DeadlineItem | undefined> {
  if (!holidayWarningDue(date, coveredYears)) return undefined;
  return holidayDataItem(date, coveredYears, await countProvisionalDeadlines());
}
