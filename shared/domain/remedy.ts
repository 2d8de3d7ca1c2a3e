/**
 * Remedies against a penalty decision (P6): administrative reconsideration (行政复议) within
 * RECONSIDERATION_DAYS of service, litigation (行政诉讼) within LITIGATION_MONTHS; their outcomes; and
 * when neither was sought and the fine is unpaid, the 3 months to apply to the court for enforcement
 * (行政强制法 Art 53). Pure; figures are configuration.
 */
import * as z from './z.ts';
import { config } from './config.ts';
import { calendarDate } from './dates.ts';
import { multiLineText, singleLineText } from './text.ts';
import { addCalendarDays, addMonths } from './working-days.ts';
import type { WITHDRAWAL_GROUNDS } from './decision.ts';
export { REMEDY_KINDS, REMEDY_OUTCOMES } from './remedy-codes.ts';
export type { RemedyKind, RemedyOutcome } from './remedy-codes.ts';
import { REMEDY_KINDS, REMEDY_OUTCOMES } from './remedy-codes.ts';
import type { RemedyKind, RemedyOutcome } from './remedy-codes.ts';

export const RECONSIDERATION_DAYS = config().RECONSIDERATION_DAYS;
export const LITIGATION_MONTHS = config().LITIGATION_MONTHS;
/** 行政强制法 Art 53: fixed by national law, not a provincial setting. */
export const ENFORCEMENT_APPLICATION_MONTHS = 3;

export const REMEDY_KIND_LABELS: Record<RemedyKind, string> = { RECONSIDERATION: '行政复议', LITIGATION: '行政诉讼' };

export const REMEDY_STAGES = ['RECONSIDERATION', 'FIRST_INSTANCE', 'SECOND_INSTANCE', 'RETRIAL'] as const;
export type RemedyStage = (typeof REMEDY_STAGES)[number];
export const REMEDY_STAGE_LABELS: Record<RemedyStage, string> = { RECONSIDERATION: '复议', FIRST_INSTANCE: '一审', SECOND_INSTANCE: '二审', RETRIAL: '再审' };

export const REMEDY_OUTCOME_LABELS: Record<RemedyOutcome, string> = {
  UPHELD: '维持',
  CHANGED: '变更',
  REVOKED: '撤销',
  CONFIRMED_UNLAWFUL: '确认违法',
  REMANDED: '责令重新作出',
};

/** N4: an outcome other than UPHELD changes the decision; the ground its publication is withdrawn on. */
export const WITHDRAWAL_GROUND_OF: Record<Exclude<RemedyOutcome, 'UPHELD'>, (typeof WITHDRAWAL_GROUNDS)[number]> = {
  CHANGED: 'CHANGED',
  REVOKED: 'REVOKED',
  CONFIRMED_UNLAWFUL: 'CONFIRMED_UNLAWFUL',
  REMANDED: 'REMADE',
};

export const changesDecision = (o: RemedyOutcome): o is Exclude<RemedyOutcome, 'UPHELD'> => o !== 'UPHELD';

export const remedyBody = z
  .strictObject({
    kind: z.enum(REMEDY_KINDS).meta({ description: 'RECONSIDERATION：行政复议；LITIGATION：行政诉讼' }),
    body: singleLineText({ min: 2, max: 80 }).meta({ description: '复议机关或人民法院' }),
    filedOn: calendarDate.meta({ description: '申请复议或起诉的日期（不早于决定日期，不能晚于今天）' }),
    caseNumber: singleLineText({ min: 2, max: 80 }).meta({ description: '复议机关或法院的案号' }),
    stage: z.enum(REMEDY_STAGES).optional().meta({ description: '复议为 RECONSIDERATION；诉讼为 FIRST_INSTANCE（默认）、SECOND_INSTANCE 或 RETRIAL' }),
    note: multiLineText({ min: 2, max: 2000 }).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'RECONSIDERATION' && r.stage && r.stage !== 'RECONSIDERATION') ctx.addIssue({ code: 'custom', path: ['stage'], message: '行政复议的阶段只能是 RECONSIDERATION' });
    if (r.kind === 'LITIGATION' && r.stage === 'RECONSIDERATION') ctx.addIssue({ code: 'custom', path: ['stage'], message: '行政诉讼的阶段为一审、二审或再审' });
  })
  .transform((r) => ({ ...r, stage: r.stage ?? (r.kind === 'RECONSIDERATION' ? ('RECONSIDERATION' as const) : ('FIRST_INSTANCE' as const)) }));
export type RemedyBody = z.infer<typeof remedyBody>;

export const outcomeBody = z.strictObject({
  outcome: z.enum(REMEDY_OUTCOMES).meta({ description: 'UPHELD 维持；CHANGED 变更；REVOKED 撤销；CONFIRMED_UNLAWFUL 确认违法；REMANDED 责令重新作出' }),
  decidedOn: calendarDate.meta({ description: '复议决定或裁判的日期（不早于申请日期，不能晚于今天）' }),
  documentReference: singleLineText({ min: 2, max: 80 }).meta({ description: '复议决定书或裁判文书的文号' }),
  note: multiLineText({ min: 2, max: 2000 }).optional(),
});
export type OutcomeBody = z.infer<typeof outcomeBody>;

export interface Remedy {
  readonly id: string;
  readonly caseId: string;
  readonly kind: RemedyKind;
  readonly body: string;
  readonly filedOn: string;
  readonly caseNumber: string;
  readonly stage: RemedyStage;
  readonly note?: string;
  /** Filed after its window (from the 决定书's service) closed: recorded, the body decides whether to admit it. */
  readonly late: boolean;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly outcome?: OutcomeBody & {
    readonly by: string;
    readonly at: string;
    /** What the outcome did to the publication (N4): change recorded, or to be reflected when published. */
    readonly publication: RemedyPublicationEffect;
  };
}

export type RemedyPublicationEffect =
  | { readonly effect: 'NONE' }
  /** The decision was published: the change is recorded and the record must come down by `dueDate`. */
  | { readonly effect: 'WITHDRAWAL_PENDING'; readonly ground: string; readonly dueDate: string }
  /** Already recorded (by hand or an earlier outcome), or already taken down. */
  | { readonly effect: 'ALREADY_RECORDED'; readonly ground: string }
  /** Not (yet) public: publication must reflect the change (or the decision not be published as it was). */
  | { readonly effect: 'REFLECT_WHEN_PUBLISHED'; readonly ground: string; readonly decisionStatus: string };

export interface RemedyWindows {
  /** The last day to apply for reconsideration. */
  readonly reconsiderationUntil: string;
  /** The last day to bring a lawsuit. */
  readonly litigationUntil: string;
}

/** P6: the windows from the day the 决定书 was served. */
export function remedyWindows(servedOn: string): RemedyWindows {
  return { reconsiderationUntil: addCalendarDays(servedOn, RECONSIDERATION_DAYS), litigationUntil: addMonths(servedOn, LITIGATION_MONTHS) };
}

export const isLate = (kind: RemedyKind, filedOn: string, w: RemedyWindows): boolean => filedOn > (kind === 'RECONSIDERATION' ? w.reconsiderationUntil : w.litigationUntil);

/**
 * 行政强制法 Art 53: no remedy sought within the windows and the fine unpaid — the agency may apply to the
 * court for enforcement within 3 months after the last window closed. Undefined while a window is open,
 * once a remedy was filed, or when nothing is unpaid.
 */
export function enforcementApplicationDue(w: RemedyWindows, today: string, remedyFiled: boolean, unpaid: boolean): { from: string; until: string; overdue: boolean } | undefined {
  if (remedyFiled || !unpaid) return undefined;
  const closed = w.litigationUntil > w.reconsiderationUntil ? w.litigationUntil : w.reconsiderationUntil;
  if (today <= closed) return undefined;
  const until = addMonths(closed, ENFORCEMENT_APPLICATION_MONTHS);
  return { from: addCalendarDays(closed, 1), until, overdue: today > until };
}
