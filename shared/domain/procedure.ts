/**
 * The general penalty procedure between the draft and the decision (P1–P4, N10): the prior notice
 * (告知) with what it proposed, the party's statement and defence (陈述申辩) or waiver, the hearing
 * offer (听证), and the service (送达) of every document. Pure rules; figures are configuration.
 */
import * as z from './z.ts';
import { config } from './config.ts';
import { calendarDate } from './dates.ts';
import { versionNo } from './numbers.ts';
import { entityRef, multiLineText, singleLineText } from './text.ts';
import { yuanToFen } from './money.ts';
import { PENALTY_TYPE_LABELS } from './penalty-labels.ts';
import type { PartyKind } from './case.ts';
import type { DecisionDraftBody } from './decision.ts';
import type { DocumentType } from '../documents/types.ts';

// ---------------------------------------------------------------- figures (P1, P3, P4, N10)

export const STATEMENT_WORKING_DAYS = config().NOTICE_STATEMENT_WORKING_DAYS;
export const HEARING_REQUEST_WORKING_DAYS = config().HEARING_REQUEST_WORKING_DAYS;
export const SERVICE_DUE_DAYS = config().SERVICE_DUE_DAYS;
export const PUBLIC_NOTICE_SERVICE_DAYS = config().PUBLIC_NOTICE_SERVICE_DAYS;
export const HEARING_FINE_FEN = { natural: config().HEARING_FINE_PERSON_YUAN * 100, org: config().HEARING_FINE_ORG_YUAN * 100 };

/**
 * P1: a general-procedure penalty needs the prior notice, its service and the statement period first;
 * its 决定书 is then generated when issued (P7).
 */
export const needsPriorNotice = (d: Pick<DecisionDraftBody, 'kind' | 'procedure'>): boolean => d.kind === 'PENALTY' && d.procedure === 'GENERAL';

// ---------------------------------------------------------------- what the notice proposed (P1, P2)

/** The penalty a notice told the party of: a later decision may not be heavier without a new notice. */
export interface ProposedPenalty {
  readonly penalties: DecisionDraftBody['penalties'];
  readonly fine: string;
  readonly confiscatedValue: string;
  readonly conclusion: string;
  readonly draftHash: string;
}

export const proposedOf = (d: Pick<DecisionDraftBody, 'penalties' | 'fine' | 'confiscatedValue' | 'conclusion'>, draftHash: string): ProposedPenalty => ({
  penalties: [...d.penalties],
  fine: d.fine,
  confiscatedValue: d.confiscatedValue,
  conclusion: d.conclusion,
  draftHash,
});

/**
 * P2 (APL Art 45): how a draft is heavier than what the notice proposed — a penalty type the notice did
 * not name, a larger fine, a larger confiscation. Empty when it is not heavier. Lighter is always allowed.
 */
export function heavierThanNotified(notified: Pick<ProposedPenalty, 'penalties' | 'fine' | 'confiscatedValue'>, draft: Pick<DecisionDraftBody, 'penalties' | 'fine' | 'confiscatedValue'>): string[] {
  const reasons: string[] = [];
  const added = draft.penalties.filter((p) => !notified.penalties.includes(p));
  if (added.length) reasons.push(`增加了告知书未告知的处罚种类：${added.map((p) => PENALTY_TYPE_LABELS[p]).join('、')}`);
  if (yuanToFen(draft.fine) > yuanToFen(notified.fine)) reasons.push(`罚款 ${draft.fine} 元高于告知的 ${notified.fine} 元`);
  if (yuanToFen(draft.confiscatedValue) > yuanToFen(notified.confiscatedValue)) {
    reasons.push(`没收金额 ${draft.confiscatedValue} 元高于告知的 ${notified.confiscatedValue} 元`);
  }
  return reasons;
}

// ---------------------------------------------------------------- hearing triggers (N10)

export const HEARING_TRIGGERS = ['SUSPENSION_OR_CLOSURE', 'LICENCE_REVOCATION_OR_DOWNGRADE', 'LARGE_FINE', 'LARGE_CONFISCATION', 'RESTRICTION'] as const;
export type HearingTrigger = (typeof HEARING_TRIGGERS)[number];

const TRIGGER_LABELS: Record<HearingTrigger, string> = {
  SUSPENSION_OR_CLOSURE: '责令停产停业、责令关闭',
  LICENCE_REVOCATION_OR_DOWNGRADE: '吊销许可证件、降低资质等级',
  LARGE_FINE: '较大数额罚款',
  LARGE_CONFISCATION: '没收较大数额违法所得、没收较大价值非法财物',
  RESTRICTION: '限制开展生产经营活动、限制从业',
};

/** N10 (听证办法 Art 5): the triggers a draft meets, with their zh-CN labels. */
export function hearingTriggers(d: Pick<DecisionDraftBody, 'penalties' | 'fine' | 'confiscatedValue'>, partyKind: PartyKind): { trigger: HearingTrigger; label: string }[] {
  const threshold = partyKind === 'ORG' ? HEARING_FINE_FEN.org : HEARING_FINE_FEN.natural;
  const has = (...types: DecisionDraftBody['penalties']) => types.some((t) => d.penalties.includes(t));
  const met: Record<HearingTrigger, boolean> = {
    SUSPENSION_OR_CLOSURE: has('ORDER_SUSPEND', 'ORDER_CLOSE'),
    LICENCE_REVOCATION_OR_DOWNGRADE: has('REVOKE_PERMIT', 'DOWNGRADE_QUALIFICATION'),
    LARGE_FINE: yuanToFen(d.fine) >= threshold,
    LARGE_CONFISCATION: yuanToFen(d.confiscatedValue) >= threshold,
    RESTRICTION: has('RESTRICT_ACTIVITY', 'RESTRICT_EMPLOYMENT'),
  };
  return HEARING_TRIGGERS.filter((t) => met[t]).map((trigger) => ({ trigger, label: TRIGGER_LABELS[trigger] }));
}

// ---------------------------------------------------------------- documents on a case (P7)

/** A generated document of a case: the PDF is in the documents bucket, its hash here. */
export interface CaseDocument {
  readonly id: string;
  readonly caseId: string;
  readonly agencyId: string;
  readonly type: DocumentType;
  readonly title: string;
  readonly documentNo: string;
  readonly templateVersion: number;
  /** The document's date (落款日期). */
  readonly date: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly objectKey: string;
  /** The first effective service (P4), once recorded. */
  readonly servedOn?: string;
  /** P4: a decision not served on the spot must be served by this date (SERVICE_DUE_DAYS after its date). */
  readonly serviceDueDate?: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

// ---------------------------------------------------------------- the notice on the case (P1)

export interface NoticeState {
  readonly documentId: string;
  readonly documentNo: string;
  readonly date: string;
  readonly proposed: ProposedPenalty;
  readonly hearingOffered: boolean;
  readonly hearingTriggers: readonly string[];
  /** The day the service took effect (P4); the periods run from it. */
  readonly servedOn?: string;
  /** The last day of the statement period (STATEMENT_WORKING_DAYS working days after service). */
  readonly statementEndsOn?: string;
  /** The last day to request a hearing, when one is offered. */
  readonly hearingRequestEndsOn?: string;
  /** Present when the period's end was counted over a year without holiday data. */
  readonly provisional?: string;
  /** The party waived the statement (and hearing) in writing: the period ends at once. */
  readonly waivedOn?: string;
  readonly issuedBy: string;
  readonly issuedAt: string;
}

export const noticeBody = z.strictObject({
  version: versionNo.meta({ description: '读取时的案件版本号' }),
  date: calendarDate.optional().meta({ description: '告知书日期（默认今天；不能晚于今天，不早于立案日期）' }),
});
export type NoticeBody = z.infer<typeof noticeBody>;

/**
 * P1: why the decision may not be issued yet, or undefined. `today` is the service's date in Shanghai.
 * The period has ended the day after its last day, or at once when waived.
 */
export type NoticeGateProblem =
  | { readonly code: 'NOTICE_REQUIRED'; readonly message: string }
  | { readonly code: 'NOTICE_NOT_SERVED'; readonly message: string }
  | { readonly code: 'NOTICE_PERIOD_OPEN'; readonly message: string; readonly endsOn: string };

/** The last day of the party's time to state, defend and (when offered) request a hearing. */
export function noticePeriodEnd(notice: Pick<NoticeState, 'statementEndsOn' | 'hearingRequestEndsOn' | 'documentNo'>): string {
  if (!notice.statementEndsOn) throw new Error(`Notice ${notice.documentNo} has not been served`);
  return notice.hearingRequestEndsOn && notice.hearingRequestEndsOn > notice.statementEndsOn ? notice.hearingRequestEndsOn : notice.statementEndsOn;
}

export function noticeGateProblem(notice: NoticeState | undefined, today: string): NoticeGateProblem | undefined {
  if (!notice) return { code: 'NOTICE_REQUIRED', message: '适用一般程序的行政处罚，作出决定前须制作并送达行政处罚告知书（P1）' };
  if (!notice.servedOn || !notice.statementEndsOn) {
    return { code: 'NOTICE_NOT_SERVED', message: `行政处罚告知书 ${notice.documentNo} 尚未送达：陈述、申辩期限自送达之日起计算（P1）` };
  }
  if (notice.waivedOn) return undefined;
  const ends = noticePeriodEnd(notice);
  if (today <= ends) {
    return {
      code: 'NOTICE_PERIOD_OPEN',
      message: `当事人陈述、申辩${notice.hearingOffered ? '和要求听证' : ''}的期限至 ${ends} 届满（告知书 ${notice.documentNo} 于 ${notice.servedOn} 送达），期满或当事人书面放弃后方可作出决定`,
      endsOn: ends,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------- statement and defence (P2)

export const STATEMENT_KINDS = ['STATEMENT', 'WAIVER'] as const;
export const STATEMENT_CHANNELS = ['WRITTEN', 'ORAL', 'ELECTRONIC'] as const;
export const STATEMENT_CHANNEL_LABELS: Record<(typeof STATEMENT_CHANNELS)[number], string> = { WRITTEN: '书面', ORAL: '口头（已制作笔录）', ELECTRONIC: '电子方式' };
export const ADOPTION = ['ADOPTED', 'PARTLY_ADOPTED', 'NOT_ADOPTED'] as const;
export const ADOPTION_LABELS: Record<(typeof ADOPTION)[number], string> = { ADOPTED: '采纳', PARTLY_ADOPTED: '部分采纳', NOT_ADOPTED: '不予采纳' };

export const statementBody = z
  .strictObject({
    kind: z.enum(STATEMENT_KINDS).meta({ description: 'STATEMENT：陈述、申辩；WAIVER：书面放弃陈述、申辩（及听证）' }),
    receivedOn: calendarDate.meta({ description: '收到日期（不早于告知书日期，不能晚于今天）' }),
    channel: z.enum(STATEMENT_CHANNELS).meta({ description: '收到方式' }),
    text: multiLineText({ min: 2, max: 20_000 }).meta({ description: '陈述、申辩的内容或放弃的声明' }),
    evidenceIds: z.array(entityRef).max(50).default([]).meta({ description: '当事人提交的材料（本案证据编号）' }),
  })
  .superRefine((s, ctx) => {
    if (s.kind === 'WAIVER' && s.channel === 'ORAL') ctx.addIssue({ code: 'custom', path: ['channel'], message: '放弃陈述、申辩须书面作出' });
  });
export type StatementBody = z.infer<typeof statementBody>;

export const statementResponseBody = z.strictObject({
  adoption: z.enum(ADOPTION).meta({ description: '采纳情况' }),
  response: multiLineText({ min: 2, max: 20_000 }).meta({ description: '承办机构的书面复核意见' }),
});
export type StatementResponseBody = z.infer<typeof statementResponseBody>;

export interface Statement extends StatementBody {
  readonly id: string;
  readonly caseId: string;
  /** The notice it answers. */
  readonly noticeDocumentNo: string;
  /** Received after the period ended: recorded and answered, but it does not reopen the period. */
  readonly late: boolean;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly response?: StatementResponseBody & { readonly by: string; readonly at: string };
}

// ---------------------------------------------------------------- service (P4)

export const SERVICE_METHODS = ['DIRECT', 'LEFT_AT_DOMICILE', 'POST', 'ELECTRONIC', 'PUBLIC_NOTICE'] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];
export const SERVICE_METHOD_LABELS: Record<ServiceMethod, string> = {
  DIRECT: '直接送达',
  LEFT_AT_DOMICILE: '留置送达',
  POST: '邮寄送达',
  ELECTRONIC: '电子送达',
  PUBLIC_NOTICE: '公告送达',
};

export const consentBody = z.strictObject({
  version: versionNo.meta({ description: '读取时的案件版本号' }),
  signedOn: calendarDate.meta({ description: '当事人签署《送达地址确认书》同意电子送达的日期' }),
  address: singleLineText({ min: 3, max: 120 }).meta({ description: '当事人确认的电子送达地址（电子邮箱、手机号码等）' }),
  evidenceId: entityRef.optional().meta({ description: '签署的确认书（本案证据编号）' }),
});
export type ConsentBody = z.infer<typeof consentBody>;

export interface ElectronicConsent extends Omit<ConsentBody, 'version'> {
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export const serviceBody = z
  .strictObject({
    documentId: entityRef.meta({ description: '送达的文书（GET /cases/{id}/documents 中的编号）' }),
    method: z.enum(SERVICE_METHODS),
    servedOn: calendarDate.meta({ description: '送达日期；公告送达为公告发布日期（不早于文书日期，不能晚于今天）' }),
    recipient: singleLineText({ min: 2, max: 60 }).meta({ description: '受送达人或代收人' }),
    place: singleLineText({ min: 2, max: 200 }).optional().meta({ description: '送达地点' }),
    officerIds: z.array(entityRef).min(1).max(10).meta({ description: '送达人（执法人员）' }),
    receipt: multiLineText({ min: 2, max: 1000 }).meta({ description: '回执：签收情况、邮件单号、电子送达的到达记录或公告载体' }),
    evidenceId: entityRef.optional().meta({ description: '签收的送达回证、邮寄回执等（本案证据编号）' }),
  })
  .superRefine((s, ctx) => {
    if ((s.method === 'DIRECT' || s.method === 'LEFT_AT_DOMICILE') && !s.place) ctx.addIssue({ code: 'custom', path: ['place'], message: '直接送达和留置送达须注明送达地点' });
  });
export type ServiceBody = z.infer<typeof serviceBody>;

export interface ServiceRecord extends ServiceBody {
  readonly id: string;
  readonly caseId: string;
  readonly documentNo: string;
  readonly documentTitle: string;
  /** The day the service takes effect: the service date, or PUBLIC_NOTICE_SERVICE_DAYS after a public notice. */
  readonly effectiveOn: string;
  readonly officerNames: readonly string[];
  /** The 送达回证 generated for this service. */
  readonly receiptDocumentId?: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

// ---------------------------------------------------------------- the decision's document (P5, P7)

/** What issuing a general-procedure penalty adds to the decision: its 决定书 and the payment reference. */
export interface GeneratedDecisionDocument {
  readonly document: { readonly id: string; readonly documentNo: string; readonly sha256: string };
  /** The 决定书 as plain text: what publication redacts and compares against (N2). */
  readonly text: string;
  readonly paymentReference: string;
}

/**
 * The reference the party quotes at the bank (缴款识别码, P5): 20 digits, the decision year and 16 digits
 * derived from the case id, so the same case always gets the same reference and the bank's reconciliation
 * file finds it.
 */
export function paymentReferenceOf(caseIdSha256Hex: string, decisionDate: string): string {
  const digits = (BigInt(`0x${caseIdSha256Hex.slice(0, 24)}`) % 10n ** 16n).toString().padStart(16, '0');
  return `${decisionDate.slice(0, 4)}${digits}`;
}
