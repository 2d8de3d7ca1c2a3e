/**
 * Enforcement cases (案件) and the acts recorded in them (R1, N6, N11, D5).
 */
import * as z from './z.ts';
import { config } from './config.ts';
import { agencyId } from './agency.ts';
import { itemCode, POWER_TYPES } from './catalog.ts';
import type { PowerType } from './catalog.ts';
import { calendarDate, instant, shanghaiToday } from './dates.ts';
import { boundedInt, versionNo } from './numbers.ts';
import { entityRef, multiLineText, singleLineText } from './text.ts';
import { isValidCreditCode, isValidIdNumber, PHONE_RE } from './identifiers.ts';
import { effectiveCertificateStatus } from './officer.ts';
import type { Officer } from './officer.ts';
import type { ElectronicConsent, NoticeState } from './procedure.ts';
import type { ExcludedPeriod, HearingState } from './hearing.ts';
import type { CaseClosing, CaseEnding } from './closing.ts';
import { ACT_LABELS, ACT_TYPES, type ActType } from './record-labels.ts';

export const PARTY_KINDS = ['ORG', 'PERSON', 'INDIVIDUAL_BUSINESS'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
export const PARTY_KIND_LABELS: Record<PartyKind, string> = { ORG: '单位', PERSON: '自然人', INDIVIDUAL_BUSINESS: '个体工商户' };

/** N11: decided within 90 days of filing; +30 with approval; more only by collective discussion. */
export const DECISION_LIMIT_DAYS = config().CASE_DECISION_LIMIT_DAYS;
export const APPROVED_EXTENSION_DAYS = config().CASE_APPROVED_EXTENSION_DAYS;
/** N6: at least two officers act in an investigation. */
export const MIN_INVESTIGATION_OFFICERS = config().MIN_INVESTIGATION_OFFICERS;
/** A category that covers every power (综合执法 certificates). */
export const COMPREHENSIVE_CATEGORY = '综合执法';

/** Enforcement types whose handling is an investigation (N6): two officers at least. */
export const INVESTIGATION_TYPES: readonly PowerType[] = ['PENALTY', 'COERCION', 'INSPECTION'];

export const party = z
  .strictObject({
    kind: z.enum(PARTY_KINDS).meta({ description: '当事人类型：单位、自然人、个体工商户' }),
    name: singleLineText({ min: 2, max: 100 }).meta({ description: '名称或姓名' }),
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isValidCreditCode, { message: '统一社会信用代码无效（GB 32100 校验位不符）' })
      .optional(),
    idNumber: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isValidIdNumber, { message: '身份证号码无效（GB 11643 校验位不符）' })
      .optional(),
    address: singleLineText({ min: 2, max: 200 }).optional(),
    phone: z.string().trim().regex(PHONE_RE, { message: '电话号码格式无效' }).optional(),
    legalRepresentative: singleLineText({ min: 2, max: 30 }).optional().meta({ description: '法定代表人或负责人' }),
  })
  .superRefine((p, ctx) => {
    if ((p.kind === 'ORG' || p.kind === 'INDIVIDUAL_BUSINESS') && !p.creditCode) {
      ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '单位和个体工商户须填写统一社会信用代码' });
    }
    if (p.kind === 'PERSON' && !p.idNumber) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '自然人须填写 18 位身份证号码' });
    }
    if (p.kind === 'PERSON' && p.creditCode) {
      ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '自然人不应填写统一社会信用代码' });
    }
  });
export type Party = z.infer<typeof party>;

export const createCaseBody = z.strictObject({
  agencyId,
  enforcementType: z.enum(POWER_TYPES),
  powerCode: itemCode.meta({ description: '职权事项编码（须在立案日有效）' }),
  party,
  handlingOfficerIds: z.array(entityRef).min(1).max(10).meta({ description: '承办人员' }),
  // Not after today: a business rule (422 FILING_DATE_IN_FUTURE, shared/domain/date-rules.ts), judged
  // at the service's clock; the schema refuses only what is not a plausible date (400).
  filingDate: calendarDate.meta({ description: '立案日期（不能晚于今天）' }),
  summary: multiLineText({ min: 2, max: 500 }).meta({ description: '案由' }),
});
export type CreateCaseBody = z.infer<typeof createCaseBody>;

export const extensionBody = z.strictObject({
  version: versionNo,
  days: boundedInt(1, 365, '延长天数'),
  reason: multiLineText({ min: 2, max: 500 }),
  approvedBy: singleLineText({ min: 2, max: 30 }).meta({ description: '批准人（负责人）' }),
  collectiveDiscussion: z.boolean().default(false).meta({ description: '超过 30 日的延长须经集体讨论' }),
});
export type ExtensionBody = z.infer<typeof extensionBody>;

export { ACT_LABELS, ACT_TYPES, type ActType };

/** Acts of investigation: two officers at least (N6). */
export const INVESTIGATION_ACTS: readonly ActType[] = ['INSPECTION', 'QUESTIONING', 'SAMPLING', 'PRESERVATION_REGISTRATION', 'SEIZURE', 'SEALING'];

export const SERVICE_METHODS = ['IN_PERSON', 'BY_LEAVING', 'BY_PUBLIC_NOTICE', 'ELECTRONIC', 'BY_MAIL'] as const;

export const actBody = z
  .strictObject({
    type: z.enum(ACT_TYPES),
    // Between filing and now: business rules (422 ACT_BEFORE_FILING, ACT_IN_FUTURE), see date-rules.ts.
    at: instant.meta({ description: '实施时间（不能早于立案日期，现场检查除外；不能晚于当前时间）' }),
    place: singleLineText({ min: 2, max: 200 }).meta({ description: '地点' }),
    officerIds: z.array(entityRef).min(1).max(10).meta({ description: '实施的执法人员' }),
    notes: multiLineText({ max: 4000 }).default(''),
    serviceMethod: z.enum(SERVICE_METHODS).optional().meta({ description: '送达方式（送达时必填）' }),
    documentName: singleLineText({ max: 100 }).optional().meta({ description: '送达或出示的文书名称' }),
  })
  .superRefine((a, ctx) => {
    if (a.type === 'SERVICE' && !a.serviceMethod) ctx.addIssue({ code: 'custom', path: ['serviceMethod'], message: '送达须注明送达方式' });
    if (a.type !== 'SERVICE' && a.serviceMethod) ctx.addIssue({ code: 'custom', path: ['serviceMethod'], message: '只有送达才有送达方式' });
  });
export type ActBody = z.infer<typeof actBody>;

/** The Asia/Shanghai calendar date of an instant. */
export const dateOfInstant = (iso: string): string => shanghaiToday(new Date(iso));

export interface OfficerProblem {
  readonly officerId: string;
  readonly name?: string;
  readonly message: string;
}

/**
 * Why an officer may not act on `date` in a case of `category` (D5, S2): a certificate that is not
 * valid then, or one that does not cover the category. Undefined when the officer may act.
 */
export function officerProblem(officer: Officer | undefined, officerId: string, date: string, category: string | undefined): OfficerProblem | undefined {
  if (!officer) return { officerId, message: `执法人员 ${officerId} 不存在` };
  const status = effectiveCertificateStatus(officer, date);
  if (status !== 'VALID') {
    const label = { EXPIRED: '已过期', SUSPENDED: '已暂扣', REVOKED: '已吊销' }[status];
    return { officerId, name: officer.name, message: `${officer.name} 的执法证件在 ${date} ${label}` };
  }
  if (category && !officer.categories.includes(category) && !officer.categories.includes(COMPREHENSIVE_CATEGORY)) {
    return { officerId, name: officer.name, message: `${officer.name} 的执法证件不含执法类别「${category}」` };
  }
  return undefined;
}

export interface CaseExtension {
  readonly days: number;
  readonly reason: string;
  readonly approvedBy: string;
  readonly collectiveDiscussion: boolean;
  readonly at: string;
  readonly by: string;
}

export const CASE_STATUSES = ['OPEN', 'DECIDED', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Case {
  readonly id: string;
  readonly caseNo: string;
  readonly agencyId: string;
  readonly enforcementType: PowerType;
  readonly powerCode: string;
  readonly powerVersionNo: number;
  readonly powerName: string;
  readonly category?: string;
  readonly party: Party;
  readonly handlingOfficerIds: readonly string[];
  readonly filingDate: string;
  readonly summary: string;
  readonly decisionDueDate: string;
  readonly extensions: readonly CaseExtension[];
  readonly status: CaseStatus;
  /** The current prior notice of the proposed penalty (P1), once made. */
  readonly notice?: NoticeState;
  /** The party's written consent to electronic service (P4). */
  readonly electronicConsent?: ElectronicConsent;
  /** The hearing the party requested (P3), once requested. */
  readonly hearing?: HearingState;
  /** Periods that do not count toward the decision limit (N11), e.g. a hearing's; decisionDueDate already moved by them. */
  readonly excludedPeriods?: readonly ExcludedPeriod[];
  /** How the case ended without a penalty (P8): its status is then DECIDED, out of the 90-day queue. */
  readonly ending?: CaseEnding;
  /** The closing (结案, P8): its status is then CLOSED and the case read-only. */
  readonly closing?: CaseClosing;
  readonly createdBy: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Act extends Omit<ActBody, 'officerIds'> {
  readonly id: string;
  readonly caseId: string;
  readonly officerIds: readonly string[];
  readonly officerNames: readonly string[];
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/** Extensions beyond the approved 30 days need a collective discussion (N11). */
export function extensionProblem(existing: readonly CaseExtension[], body: Pick<ExtensionBody, 'days' | 'collectiveDiscussion'>): string | undefined {
  const approved = existing.filter((e) => !e.collectiveDiscussion).reduce((s, e) => s + e.days, 0);
  if (!body.collectiveDiscussion && approved + body.days > APPROVED_EXTENSION_DAYS) {
    return `经负责人批准的延长合计不得超过 ${APPROVED_EXTENSION_DAYS} 日（已延长 ${approved} 日）；更长的延长须经集体讨论`;
  }
  return undefined;
}
