/**
 * The hearing (听证, P3, N10, N11): the party's request within the period the notice offered, the
 * designation of a hearing officer and clerk who took no part in the case, the 听证通知书 served at least
 * HEARING_NOTICE_MIN_DAYS before the hearing, postponement, withdrawal, the 听证笔录, and the time the
 * hearing took, which does not count toward the decision limit. Pure rules; figures are configuration.
 */
import * as z from './z.ts';
import { config } from './config.ts';
import { calendarDate, instant, shanghaiToday } from './dates.ts';
import { versionNo } from './numbers.ts';
import { entityRef, multiLineText, singleLineText } from './text.ts';
import { addCalendarDays, calendarDaysBetween } from './working-days.ts';
import type { NoticeState } from './procedure.ts';
export { HEARING_STATUSES, HEARING_STATUS_LABELS, chineseDateTime, hearingEnded, hearingGateProblem } from './hearing-state.ts';
export type { HearingGateProblem, HearingStatus } from './hearing-state.ts';
import { HEARING_STATUS_LABELS, hearingEnded } from './hearing-state.ts';
import type { HearingStatus } from './hearing-state.ts';

/** APL Art 64 (2): the party is told of the hearing at least this many days before it. */
export const HEARING_NOTICE_MIN_DAYS = config().HEARING_NOTICE_MIN_DAYS;


export const HEARING_REQUEST_CHANNELS = ['WRITTEN', 'ORAL', 'ELECTRONIC'] as const;
export const HEARING_REQUEST_CHANNEL_LABELS: Record<(typeof HEARING_REQUEST_CHANNELS)[number], string> = { WRITTEN: '书面', ORAL: '口头（已记录）', ELECTRONIC: '电子方式' };

/** How the party gave the hearing up: in writing, orally on record, or by not attending (视为放弃). */
export const WITHDRAWAL_WAYS = ['WRITTEN', 'ORAL', 'ABSENT'] as const;
export const WITHDRAWAL_WAY_LABELS: Record<(typeof WITHDRAWAL_WAYS)[number], string> = {
  WRITTEN: '书面撤回',
  ORAL: '口头撤回（已记录）',
  ABSENT: '无正当理由拒不出席或中途退出，视为放弃',
};

export const POSTPONEMENT_REQUESTERS = ['PARTY', 'AGENCY'] as const;
export const POSTPONEMENT_REQUESTER_LABELS: Record<(typeof POSTPONEMENT_REQUESTERS)[number], string> = { PARTY: '当事人申请', AGENCY: '本机关决定' };

// ---------------------------------------------------------------- request bodies

export const hearingRequestBody = z.strictObject({
  version: versionNo.meta({ description: '读取时的案件版本号' }),
  receivedOn: calendarDate.meta({ description: '收到听证申请的日期（不早于告知书日期，不能晚于今天，不晚于听证申请期限）' }),
  channel: z.enum(HEARING_REQUEST_CHANNELS).meta({ description: '申请方式' }),
  evidenceId: entityRef.optional().meta({ description: '书面申请（本案证据编号）' }),
});
export type HearingRequestBody = z.infer<typeof hearingRequestBody>;

export const hearingArrangementBody = z
  .strictObject({
    version: versionNo.meta({ description: '读取时的案件版本号' }),
    officerId: entityRef.meta({ description: '听证主持人（执法人员编号）：非本案调查、承办或法制审核人员' }),
    clerkId: entityRef.meta({ description: '记录员（执法人员编号）：非本案调查、承办或法制审核人员' }),
    at: instant.meta({ description: `听证时间（带时区），须在听证通知书送达之日起 ${HEARING_NOTICE_MIN_DAYS} 日以后` }),
    place: singleLineText({ min: 2, max: 200 }).meta({ description: '听证地点' }),
    public: z.boolean().meta({ description: '是否公开举行' }),
    notPublicReason: singleLineText({ min: 2, max: 200 }).optional().meta({ description: '不公开的理由（涉及国家秘密、商业秘密或者个人隐私）' }),
    date: calendarDate.optional().meta({ description: '听证通知书日期（默认今天；不早于收到申请之日，不能晚于今天）' }),
  })
  .superRefine((b, ctx) => {
    if (!b.public && !b.notPublicReason) ctx.addIssue({ code: 'custom', path: ['notPublicReason'], message: '不公开举行听证须写明理由' });
    if (b.public && b.notPublicReason) ctx.addIssue({ code: 'custom', path: ['notPublicReason'], message: '公开举行的听证无不公开理由' });
  });
export type HearingArrangementBody = z.infer<typeof hearingArrangementBody>;

export const hearingPostponementBody = z.strictObject({
  version: versionNo.meta({ description: '读取时的案件版本号' }),
  at: instant.meta({ description: `新的听证时间（带时区）：晚于原定时间，且在新听证通知书送达之日起 ${HEARING_NOTICE_MIN_DAYS} 日以后` }),
  reason: multiLineText({ min: 2, max: 1000 }).meta({ description: '延期理由' }),
  requestedBy: z.enum(POSTPONEMENT_REQUESTERS).meta({ description: '延期的提出者' }),
  date: calendarDate.optional().meta({ description: '新听证通知书日期（默认今天；不能晚于今天）' }),
});
export type HearingPostponementBody = z.infer<typeof hearingPostponementBody>;

export const hearingWithdrawalBody = z.strictObject({
  version: versionNo.meta({ description: '读取时的案件版本号' }),
  withdrawnOn: calendarDate.meta({ description: '撤回或视为放弃的日期（不早于申请日期，不能晚于今天）' }),
  how: z.enum(WITHDRAWAL_WAYS).meta({ description: '撤回方式' }),
  note: multiLineText({ min: 2, max: 1000 }).optional().meta({ description: '说明' }),
  evidenceId: entityRef.optional().meta({ description: '书面撤回申请或记录（本案证据编号）' }),
});
export type HearingWithdrawalBody = z.infer<typeof hearingWithdrawalBody>;

const recordText = (description: string) => multiLineText({ min: 2, max: 10_000 }).meta({ description });

export const hearingRecordBody = z.strictObject({
  version: versionNo.meta({ description: '读取时的案件版本号' }),
  heldOn: calendarDate.meta({ description: '举行日期（不早于安排的听证日期，不能晚于今天）' }),
  participants: multiLineText({ min: 2, max: 2000 }).meta({ description: '参加听证的其他人员（委托代理人、案件调查人员、证人等）' }),
  investigatorStatement: recordText('案件调查人员提出的违法事实、证据、处罚建议及依据'),
  partyStatement: recordText('当事人及其代理人的陈述、申辩'),
  crossExamination: recordText('质证和辩论情况'),
  finalStatement: recordText('当事人最后陈述'),
});
export type HearingRecordBody = z.infer<typeof hearingRecordBody>;

// ---------------------------------------------------------------- the state on the case

export interface HearingArrangement {
  readonly officerId: string;
  readonly officerName: string;
  readonly clerkId: string;
  readonly clerkName: string;
  readonly at: string;
  readonly place: string;
  readonly public: boolean;
  readonly notPublicReason?: string;
  /** The current 听证通知书: the one naming `at`. */
  readonly noticeDocumentId: string;
  readonly noticeDocumentNo: string;
  readonly noticeDate: string;
  readonly arrangedBy: string;
  readonly arrangedAt: string;
}

export interface HearingPostponement {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly requestedBy: (typeof POSTPONEMENT_REQUESTERS)[number];
  readonly noticeDocumentId: string;
  readonly noticeDocumentNo: string;
  readonly by: string;
  readonly at: string;
}

/** A period that does not count toward the decision limit (N11). `days` counts from the day after `from`. */
export interface ExcludedPeriod {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly reason: string;
}

export interface HearingState {
  readonly status: HearingStatus;
  /** The notice whose offer the party took up. */
  readonly noticeDocumentNo: string;
  readonly request: Omit<HearingRequestBody, 'version'> & { readonly recordedBy: string; readonly recordedAt: string };
  readonly arrangement?: HearingArrangement;
  readonly postponements: readonly HearingPostponement[];
  readonly withdrawal?: Omit<HearingWithdrawalBody, 'version'> & { readonly recordedBy: string; readonly recordedAt: string };
  readonly held?: { readonly heldOn: string; readonly documentId: string; readonly documentNo: string; readonly recordedBy: string; readonly recordedAt: string };
  /** The time the hearing took (N11), once it ended. */
  readonly excluded?: ExcludedPeriod;
}

/** The 听证笔录's content, kept apart from the case item (it can be long). */
export interface HearingRecord extends Omit<HearingRecordBody, 'version'> {
  readonly caseId: string;
  readonly documentId: string;
  readonly documentNo: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}


// ---------------------------------------------------------------- rules

export type RequestProblem = { readonly status: 409 | 422; readonly code: string; readonly message: string; readonly path?: string; readonly limit?: string };

/**
 * P3: whether the party may request a hearing on `receivedOn` under the case's current notice. The request
 * may come before the notice is served: the period ends `hearingRequestEndsOn`, counted from service.
 */
export function hearingRequestProblem(notice: NoticeState | undefined, current: HearingState | undefined, receivedOn: string, today: string): RequestProblem | undefined {
  if (!notice || !notice.hearingOffered) {
    return {
      status: 409,
      code: 'HEARING_NOT_OFFERED',
      message: notice
        ? `行政处罚告知书 ${notice.documentNo} 拟作出的处罚不属于应当告知听证权利的情形（N10），当事人无权要求听证`
        : '尚未制作行政处罚告知书：听证权利由告知书告知（N10）',
    };
  }
  if (current && (!hearingEnded(current) || current.noticeDocumentNo === notice.documentNo)) {
    return { status: 409, code: 'HEARING_ALREADY_REQUESTED', message: `当事人已于 ${current.request.receivedOn} 要求听证（${HEARING_STATUS_LABELS[current.status]}）` };
  }
  if (receivedOn < notice.date) {
    return { status: 422, code: 'HEARING_REQUEST_BEFORE_NOTICE', message: `收到日期 ${receivedOn} 早于告知书 ${notice.documentNo} 的日期 ${notice.date}`, path: 'body.receivedOn', limit: `不早于 ${notice.date}` };
  }
  if (receivedOn > today) {
    return { status: 422, code: 'HEARING_REQUEST_DATE_IN_FUTURE', message: `收到日期 ${receivedOn} 晚于今天（${today}）`, path: 'body.receivedOn', limit: `不晚于 ${today}` };
  }
  if (notice.hearingRequestEndsOn && receivedOn > notice.hearingRequestEndsOn) {
    return {
      status: 422,
      code: 'HEARING_REQUEST_LATE',
      message: `要求听证的期限已于 ${notice.hearingRequestEndsOn} 届满（告知书 ${notice.documentNo} 于 ${notice.servedOn} 送达），${receivedOn} 收到的申请逾期，不予听证`,
      path: 'body.receivedOn',
      limit: `不晚于 ${notice.hearingRequestEndsOn}`,
    };
  }
  if (notice.waivedOn && notice.waivedOn <= receivedOn) {
    return { status: 409, code: 'HEARING_WAIVED', message: `当事人已于 ${notice.waivedOn} 书面放弃陈述、申辩和听证的权利` };
  }
  return undefined;
}

/** Why someone may not preside over or record the hearing (APL Art 64 (4): 非本案调查人员). */
export interface EligibilityContext {
  readonly handlingOfficerIds: readonly string[];
  /** Officers who carried out an act of investigation in the case. */
  readonly investigatorIds: readonly string[];
  /** Officers who reviewed (or were assigned to review) the case's decision. */
  readonly reviewerIds: readonly string[];
  readonly agencyId: string;
}

export interface IneligibleOfficer {
  readonly role: 'officer' | 'clerk';
  readonly officerId: string;
  readonly name?: string;
  readonly reasons: readonly string[];
}

export const ROLE_LABELS = { officer: '听证主持人', clerk: '记录员' } as const;

export function hearingOfficerProblems(
  chosen: { readonly officer: { id: string; name?: string; agencyId?: string } | undefined; readonly officerId: string; readonly clerk: { id: string; name?: string; agencyId?: string } | undefined; readonly clerkId: string },
  cx: EligibilityContext,
): IneligibleOfficer[] {
  const out: IneligibleOfficer[] = [];
  const check = (role: 'officer' | 'clerk', id: string, found: { name?: string; agencyId?: string } | undefined) => {
    const reasons: string[] = [];
    if (!found) reasons.push('执法人员不存在');
    else if (found.agencyId !== cx.agencyId) reasons.push('不是本案执法主体的执法人员');
    if (cx.handlingOfficerIds.includes(id)) reasons.push('是本案承办人员');
    if (cx.investigatorIds.includes(id) && !cx.handlingOfficerIds.includes(id)) reasons.push('参与了本案调查取证');
    if (cx.reviewerIds.includes(id)) reasons.push('是本案法制审核人员');
    if (role === 'clerk' && id === chosen.officerId) reasons.push('主持人与记录员不得为同一人');
    if (reasons.length) out.push({ role, officerId: id, ...(found?.name ? { name: found.name } : {}), reasons });
  };
  check('officer', chosen.officerId, chosen.officer);
  check('clerk', chosen.clerkId, chosen.clerk);
  return out;
}

export const describeIneligible = (p: IneligibleOfficer): string => `${ROLE_LABELS[p.role]} ${p.name ?? p.officerId}：${p.reasons.join('、')}`;

/** The Asia/Shanghai calendar date of the hearing's date-time. */
export const hearingDateOf = (at: string): string => shanghaiToday(new Date(at));

/** The earliest lawful hearing date for a 听证通知书 served (or, at the latest, dated) on `servedOn`. */
export const earliestHearingDate = (servedOn: string): string => addCalendarDays(servedOn, HEARING_NOTICE_MIN_DAYS);

/**
 * APL Art 64 (2): undefined when the hearing on `hearingDate` keeps the notice period from the notice's
 * service, else the earliest lawful date.
 */
export function noticeTooLate(servedOn: string, hearingDate: string): { readonly earliest: string } | undefined {
  const earliest = earliestHearingDate(servedOn);
  return hearingDate < earliest ? { earliest } : undefined;
}

/**
 * N11: the hearing's time, from the request to the record or the withdrawal. Counted as periods are
 * counted in law: the day it starts is not counted (a request withdrawn the same day takes 0 days).
 */
export function hearingExclusion(from: string, to: string): ExcludedPeriod {
  return { from, to, days: Math.max(0, calendarDaysBetween(from, to)), reason: '听证' };
}


export const hearingPublicLabel = (a: Pick<HearingArrangement, 'public' | 'notPublicReason'>): string => (a.public ? '公开' : `不公开（${a.notPublicReason ?? ''}）`);

