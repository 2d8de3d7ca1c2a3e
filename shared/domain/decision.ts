/**
 * Enforcement decisions (行政执法决定): the draft, its procedure (N12), the legal-review scope (L1, L3,
 * N8, N10), the publication deadline (D7) and the disclosure period (N5). Figures are configuration.
 */
import { PENALTY_TYPE_LABELS } from './penalty-labels.ts';
import * as z from './z.ts';
import { config } from './config.ts';
import { POWER_TYPES } from './power-types.ts';
import type { PowerType } from './power-types.ts';
import { calendarDate } from './dates.ts';
import { versionNo, versionOrNew } from './numbers.ts';
import { multiLineText, singleLineText } from './text.ts';
import { collectKnownValues, redactText } from './redaction.ts';
import { yuan, yuanToFen } from './money.ts';
import type { PartyKind } from './case.ts';
import { needsPriorNotice } from './procedure.ts';
import { DECISION_STATUSES, DECISION_STATUS_LABELS, type DecisionStatus } from './record-labels.ts';

/** The penalty types of the national template (《行政处罚法》第九条 and the SAMR document templates). */
export const PENALTY_TYPES = [
  'WARNING', // 警告
  'CRITICISM', // 通报批评
  'FINE', // 罚款
  'CONFISCATE_GAINS', // 没收违法所得
  'CONFISCATE_PROPERTY', // 没收非法财物
  'SUSPEND_PERMIT', // 暂扣许可证件
  'DOWNGRADE_QUALIFICATION', // 降低资质等级
  'REVOKE_PERMIT', // 吊销许可证件
  'RESTRICT_ACTIVITY', // 限制开展生产经营活动
  'ORDER_SUSPEND', // 责令停产停业
  'ORDER_CLOSE', // 责令关闭
  'RESTRICT_EMPLOYMENT', // 限制从业
  'OTHER', // 法律、行政法规规定的其他行政处罚
] as const;
export type PenaltyType = (typeof PENALTY_TYPES)[number];

export const PENALTY_LABELS: Readonly<Record<PenaltyType, string>> = PENALTY_TYPE_LABELS;

export const DISCRETION_LEVELS = ['LIGHTER', 'GENERAL', 'HEAVIER', 'MITIGATED'] as const; // 从轻 / 一般 / 从重 / 减轻
export const DISCRETION_LABELS: Record<(typeof DISCRETION_LEVELS)[number], string> = { LIGHTER: '从轻处罚', GENERAL: '一般处罚', HEAVIER: '从重处罚', MITIGATED: '减轻处罚' };
export const PROCEDURES = ['SIMPLE', 'GENERAL'] as const;

/** N12: the simple (on-the-spot) procedure's limits, in fen. */
export const SIMPLE_FINE_LIMIT_FEN = {
  natural: config().SIMPLE_FINE_LIMIT_PERSON_YUAN * 100,
  org: config().SIMPLE_FINE_LIMIT_ORG_YUAN * 100,
};

/**
 * Longest texts of a decision. The document is stored with its redacted copy and redaction manifest
 * when published; the item-size guard in the store answers 413 for what still does not fit.
 */
export const MAX_DOCUMENT_TEXT = 50_000;
export const MAX_FACTS = 20_000;
export const MAX_LEGAL_BASIS = 4_000;
/**
 * Most personal-data findings a document may need removed when published. Each finding is kept in the
 * redaction manifest (about 176 bytes), one DynamoDB item: 1,000 leave room under its 400 KB for the
 * party's own values found at publication. A real decision has a handful; refusing more at drafting
 * keeps an issued decision from becoming unpublishable.
 */
export const MAX_REDACTIONS = 1_000;

/** Only counts matches: the keyed hashes computed on the way are thrown away. */
const COUNT_ONLY_SALT = 'count-only-salt-not-a-secret';

/** How many findings the detectors and the given third parties' names make in a document. */
export function redactionCount(documentText: string, thirdPartyNames: readonly string[] = []): number {
  const knownValues = collectKnownValues({ parties: [], thirdPartyNames });
  return redactText(documentText, { knownValues, salt: COUNT_ONLY_SALT }).findings.length;
}

const tooManyRedactions = (n: number): string =>
  `决定书全文中需隐去的个人信息过多（${n} 处，上限 ${MAX_REDACTIONS} 处）：公示时的隐去记录将超出存储上限，请精简全文`;

export const decisionDraftBody = z
  .strictObject({
    version: versionOrNew.meta({ description: '读取时的决定版本号；新建草稿为 0' }),
    kind: z.enum(POWER_TYPES).meta({ description: '决定类别' }),
    // A general-procedure penalty's 决定书 is generated and numbered when issued (P7): no number or text here.
    decisionNo: singleLineText({ min: 4, max: 60 }).optional().meta({ description: '决定书文号，如 宿市监处罚〔2026〕15号（一般程序行政处罚不填：作出决定时生成决定书并编号）' }),
    procedure: z.enum(PROCEDURES),
    conclusion: singleLineText({ min: 2, max: 200 }).meta({ description: '决定结论（许可：准予/不予；处罚：处罚内容概要）' }),
    penalties: z.array(z.enum(PENALTY_TYPES)).max(PENALTY_TYPES.length).default([]),
    fine: yuan.default('0'),
    confiscatedValue: yuan.default('0').meta({ description: '没收违法所得及非法财物价值（元）' }),
    violationType: singleLineText({ max: 200 }).optional().meta({ description: '违法行为类型' }),
    legalBasis: multiLineText({ min: 2, max: MAX_LEGAL_BASIS }),
    facts: multiLineText({ min: 2, max: MAX_FACTS }),
    discretion: z.enum(DISCRETION_LEVELS).default('GENERAL'),
    hearingHeld: z.boolean().default(false),
    majorPublicInterest: z.boolean().default(false),
    complex: z.boolean().default(false),
    restrictionUntil: calendarDate.optional().meta({ description: '限制、暂扣类处罚的截止日期（影响公示期限）' }),
    licensingOutcome: z.enum(['GRANTED', 'REFUSED', 'REVOKED']).optional().meta({ description: '许可决定的结果：准予、不予、撤销（年度统计，D13）' }),
    documentText: multiLineText({ min: 10, max: MAX_DOCUMENT_TEXT }).optional().meta({ description: '送达的决定书全文（一般程序行政处罚不填：作出决定时由模板生成）' }),
    thirdPartyNames: z.array(singleLineText({ min: 2, max: 30 })).max(50).default([]).meta({ description: '文书中出现的第三人姓名（公示时隐去）' }),
    // Not before the filing date; not after today when issued (422, shared/domain/date-rules.ts).
    decisionDate: calendarDate.meta({ description: '决定日期（不早于立案日期；作出决定时不能晚于今天）' }),
  })
  .superRefine((d, ctx) => {
    const unique = new Set(d.penalties);
    if (unique.size !== d.penalties.length) ctx.addIssue({ code: 'custom', path: ['penalties'], message: '处罚种类重复' });
    if (d.kind === 'PENALTY' && d.penalties.length === 0) ctx.addIssue({ code: 'custom', path: ['penalties'], message: '行政处罚决定须至少有一种处罚' });
    if (d.kind !== 'PENALTY' && d.penalties.length > 0) ctx.addIssue({ code: 'custom', path: ['penalties'], message: '只有行政处罚决定才有处罚种类' });
    if (d.kind !== 'LICENSING' && d.licensingOutcome !== undefined) ctx.addIssue({ code: 'custom', path: ['licensingOutcome'], message: '只有行政许可决定才有许可结果' });
    if (yuanToFen(d.confiscatedValue) > 0 && !d.penalties.some((p) => p === 'CONFISCATE_GAINS' || p === 'CONFISCATE_PROPERTY')) {
      ctx.addIssue({ code: 'custom', path: ['confiscatedValue'], message: '有没收金额的，处罚种类须含没收违法所得或没收非法财物' });
    }
    if (d.penalties.includes('FINE') !== (yuanToFen(d.fine) > 0)) {
      ctx.addIssue({ code: 'custom', path: ['fine'], message: '罚款金额与处罚种类不一致（有罚款须填金额，无罚款金额须为 0）' });
    }
    const generated = needsPriorNotice(d);
    if (!generated && d.decisionNo === undefined) ctx.addIssue({ code: 'custom', path: ['decisionNo'], message: '请填写决定书文号' });
    if (!generated && d.documentText === undefined) ctx.addIssue({ code: 'custom', path: ['documentText'], message: '请填写送达的决定书全文' });
    if (generated && d.decisionNo !== undefined) ctx.addIssue({ code: 'custom', path: ['decisionNo'], message: '一般程序的行政处罚决定书在作出决定时生成并编号，不能自行填写文号' });
    if (generated && d.documentText !== undefined) ctx.addIssue({ code: 'custom', path: ['documentText'], message: '一般程序的行政处罚决定书在作出决定时由模板生成，不能自行填写全文' });
    const redactions = d.documentText === undefined ? 0 : redactionCount(d.documentText, d.thirdPartyNames);
    if (redactions > MAX_REDACTIONS) ctx.addIssue({ code: 'custom', path: ['documentText'], message: tooManyRedactions(redactions) });
  });
export type DecisionDraftBody = z.infer<typeof decisionDraftBody>;

/** N12: whether the simple procedure is allowed for this decision and party. */
export function simpleProcedureProblem(d: Pick<DecisionDraftBody, 'kind' | 'penalties' | 'fine' | 'confiscatedValue'>, partyKind: PartyKind): string | undefined {
  if (d.kind !== 'PENALTY') return '简易程序仅适用于行政处罚';
  if (!d.penalties.every((p) => p === 'WARNING' || p === 'FINE')) return '简易程序只能给予警告或者罚款';
  if (yuanToFen(d.confiscatedValue) > 0) return '简易程序不能没收';
  const natural = partyKind !== 'ORG';
  const limit = natural ? SIMPLE_FINE_LIMIT_FEN.natural : SIMPLE_FINE_LIMIT_FEN.org;
  if (yuanToFen(d.fine) > limit) {
    return `简易程序罚款上限：${natural ? '自然人' : '单位'} ${limit / 100} 元（N12）`;
  }
  return undefined;
}

// ---------------------------------------------------------------- review scope (L3, N8, N10)

export const REVIEW_RULE_IDS = [
  'GENERAL_PROCEDURE_PENALTY',
  'LARGE_FINE',
  'LICENCE_REVOCATION_OR_DOWNGRADE',
  'SUSPENSION_OR_CLOSURE',
  'MITIGATED_PENALTY',
  'HEARING_HELD',
  'MAJOR_PUBLIC_INTEREST',
  'COMPLEX_CASE',
] as const;
export type ReviewRuleId = (typeof REVIEW_RULE_IDS)[number];

/** The review catalogue (目录清单) as data; admins edit it (the legal-review issue makes it versioned). */
export interface ReviewCatalogue {
  readonly enabled: readonly ReviewRuleId[];
  /** N10: fines (and confiscations of the same value) at or above these amounts, in fen. */
  readonly largeFineFen: { readonly natural: number; readonly org: number };
}

export const DEFAULT_REVIEW_CATALOGUE: ReviewCatalogue = {
  enabled: REVIEW_RULE_IDS,
  largeFineFen: { natural: 10_000 * 100, org: 100_000 * 100 },
};

const RULE_LABELS: Record<ReviewRuleId, string> = {
  GENERAL_PROCEDURE_PENALTY: '适用一般程序的行政处罚',
  LARGE_FINE: '较大数额罚款或没收',
  LICENCE_REVOCATION_OR_DOWNGRADE: '吊销许可证件或降低资质等级',
  SUSPENSION_OR_CLOSURE: '责令停产停业、责令关闭或限制从业',
  MITIGATED_PENALTY: '减轻处罚',
  HEARING_HELD: '经过听证程序',
  MAJOR_PUBLIC_INTEREST: '涉及重大公共利益',
  COMPLEX_CASE: '案件情况疑难复杂、涉及多个法律关系',
};

/** N8: these also need a collective discussion (集体讨论). */
const COLLECTIVE: readonly ReviewRuleId[] = ['MAJOR_PUBLIC_INTEREST', 'HEARING_HELD', 'COMPLEX_CASE'];

export interface ReviewScope {
  readonly inScope: boolean;
  readonly matched: readonly { rule: ReviewRuleId; label: string }[];
  readonly collectiveDiscussion: boolean;
}

export function reviewScope(
  d: Pick<DecisionDraftBody, 'kind' | 'procedure' | 'penalties' | 'fine' | 'confiscatedValue' | 'discretion' | 'hearingHeld' | 'majorPublicInterest' | 'complex'>,
  partyKind: PartyKind,
  catalogue: ReviewCatalogue = DEFAULT_REVIEW_CATALOGUE,
): ReviewScope {
  const penalty = d.kind === 'PENALTY';
  const natural = partyKind !== 'ORG';
  const threshold = natural ? catalogue.largeFineFen.natural : catalogue.largeFineFen.org;
  const has = (...types: PenaltyType[]) => types.some((t) => d.penalties.includes(t));
  const tests: Record<ReviewRuleId, boolean> = {
    GENERAL_PROCEDURE_PENALTY: penalty && d.procedure === 'GENERAL',
    LARGE_FINE: penalty && (yuanToFen(d.fine) >= threshold || yuanToFen(d.confiscatedValue) >= threshold),
    LICENCE_REVOCATION_OR_DOWNGRADE: has('REVOKE_PERMIT', 'DOWNGRADE_QUALIFICATION'),
    SUSPENSION_OR_CLOSURE: has('ORDER_SUSPEND', 'ORDER_CLOSE', 'RESTRICT_EMPLOYMENT'),
    MITIGATED_PENALTY: penalty && d.discretion === 'MITIGATED',
    HEARING_HELD: d.hearingHeld,
    MAJOR_PUBLIC_INTEREST: d.majorPublicInterest,
    COMPLEX_CASE: d.complex,
  };
  // N8 (Art 50, 60) is national law: those cases are reviewed and discussed whatever the catalogue says.
  const rules = [...new Set([...catalogue.enabled, ...COLLECTIVE])];
  const matched = REVIEW_RULE_IDS.filter((r) => rules.includes(r) && tests[r]).map((rule) => ({ rule, label: RULE_LABELS[rule] }));
  return { inScope: matched.length > 0, matched, collectiveDiscussion: matched.some((m) => COLLECTIVE.includes(m.rule)) };
}

// ---------------------------------------------------------------- publication (D7, N1, N5)

/** D7: working days to publish, per decision kind. */
export const PUBLICATION_WORKING_DAYS: Record<PowerType, number> = {
  LICENSING: config().PUBLISH_DAYS_LICENSING,
  PENALTY: config().PUBLISH_DAYS_PENALTY,
  COERCION: config().PUBLISH_DAYS_OTHER,
  INSPECTION: config().PUBLISH_DAYS_OTHER,
  OTHER: config().PUBLISH_DAYS_OTHER,
};

/** N4: working days to withdraw after a published decision changed. */
export const WITHDRAWAL_WORKING_DAYS = config().WITHDRAW_DAYS;

/** N1: a warning-only penalty is not put in the penalty register. */
export const inPenaltyRegister = (d: Pick<DecisionDraftBody, 'kind' | 'penalties'>): boolean =>
  d.kind === 'PENALTY' && !(d.penalties.length > 0 && d.penalties.every((p) => p === 'WARNING'));

/** N5: the low-fine threshold for the short disclosure period (the province sets it). */
export const SHORT_DISCLOSURE_FINE_LIMIT_FEN = config().SHORT_DISCLOSURE_FINE_LIMIT_YUAN * 100;

export type DisclosurePeriod = { readonly months: number; readonly reason: string; readonly atLeastUntil?: string };

/** N5: 3 months for 通报批评 or a low fine only, 3 years otherwise, longer while a restriction lasts. */
export function disclosurePeriod(d: Pick<DecisionDraftBody, 'kind' | 'penalties' | 'fine' | 'restrictionUntil'>): DisclosurePeriod {
  const short =
    d.kind === 'PENALTY' &&
    d.penalties.length > 0 &&
    d.penalties.every((p) => p === 'CRITICISM' || p === 'WARNING' || (p === 'FINE' && yuanToFen(d.fine) < SHORT_DISCLOSURE_FINE_LIMIT_FEN));
  const base = short
    ? { months: 3, reason: `仅通报批评或罚款低于 ${SHORT_DISCLOSURE_FINE_LIMIT_FEN / 100} 元：公示 3 个月` }
    : { months: 36, reason: '公示 3 年' };
  return d.restrictionUntil ? { ...base, atLeastUntil: d.restrictionUntil, reason: `${base.reason}；限制期限更长的，公示至限制期满` } : base;
}

export { DECISION_STATUSES, DECISION_STATUS_LABELS, type DecisionStatus };

/** D8: grounds for not disclosing. */
export const EXEMPTION_GROUNDS = ['LAW_PROVIDES_OTHERWISE', 'STATE_SECRET', 'WORK_SECRET', 'SECURITY', 'SOCIAL_STABILITY', 'OBSTRUCTS_ENFORCEMENT'] as const;
export const EXEMPTION_LABELS: Record<(typeof EXEMPTION_GROUNDS)[number], string> = {
  LAW_PROVIDES_OTHERWISE: '法律、行政法规另有规定',
  STATE_SECRET: '涉及国家秘密',
  WORK_SECRET: '涉及工作秘密',
  SECURITY: '可能危及国家安全、公共安全、经济安全',
  SOCIAL_STABILITY: '可能危及社会稳定',
  OBSTRUCTS_ENFORCEMENT: '可能妨碍正常执法活动',
};

/** D11, N4: grounds for withdrawing a published decision. */
export const WITHDRAWAL_GROUNDS = ['REVOKED', 'CONFIRMED_UNLAWFUL', 'VOID', 'REMADE', 'CHANGED'] as const;
export const WITHDRAWAL_LABELS: Record<(typeof WITHDRAWAL_GROUNDS)[number], string> = {
  REVOKED: '被依法撤销',
  CONFIRMED_UNLAWFUL: '被确认违法',
  VOID: '被确认无效',
  REMADE: '被责令重新作出',
  CHANGED: '被依法变更',
};

export const exemptBody = z.strictObject({
  version: versionNo,
  ground: z.enum(EXEMPTION_GROUNDS),
  approver: singleLineText({ min: 2, max: 30 }).meta({ description: '批准不予公开的负责人' }),
  note: multiLineText({ max: 1000 }).default(''),
});

export const correctBody = z.strictObject({
  version: versionNo,
  reason: multiLineText({ min: 2, max: 500 }).meta({ description: '更正原因' }),
  documentText: multiLineText({ min: 10, max: MAX_DOCUMENT_TEXT }).optional(),
  conclusion: singleLineText({ min: 2, max: 200 }).optional(),
  violationType: singleLineText({ max: 200 }).optional(),
  legalBasis: multiLineText({ min: 2, max: MAX_LEGAL_BASIS }).optional(),
}).superRefine((c, ctx) => {
  const redactions = c.documentText === undefined ? 0 : redactionCount(c.documentText);
  if (redactions > MAX_REDACTIONS) ctx.addIssue({ code: 'custom', path: ['documentText'], message: tooManyRedactions(redactions) });
});

/** N4: record that a published decision was changed (its withdrawal is then due within 3 working days). */
export const decisionChangedBody = z.strictObject({
  version: versionNo,
  ground: z.enum(WITHDRAWAL_GROUNDS),
  // Not before the decision date, not after today: business rules (422 CHANGE_BEFORE_DECISION,
  // CHANGE_DATE_IN_FUTURE, shared/domain/date-rules.ts).
  changedOn: calendarDate.meta({ description: '决定被变更、撤销、确认违法或无效的日期（不早于决定日期，不晚于今天）' }),
  reason: multiLineText({ min: 2, max: 500 }),
});

export const withdrawBody = z.strictObject({
  version: versionNo,
  ground: z.enum(WITHDRAWAL_GROUNDS),
  // Not before the decision date, not after today: business rules (422 CHANGE_BEFORE_DECISION,
  // CHANGE_DATE_IN_FUTURE, shared/domain/date-rules.ts).
  changedOn: calendarDate.meta({ description: '决定被变更、撤销、确认违法或无效的日期（不早于决定日期，不晚于今天）' }),
  reason: multiLineText({ min: 2, max: 500 }),
});
