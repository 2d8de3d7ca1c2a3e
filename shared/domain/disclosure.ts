/**
 * The public record of a decision (D6–D11, N1–N5): what the Disclosures table holds and the public
 * API serves. Built only from redacted values; nothing here may carry personal data.
 */
import * as z from './z.ts';
import { POWER_TYPES } from './catalog.ts';
import { PARTY_KINDS } from './case.ts';

/** N3: the notice the party receives, and the public sees, that the decision is public. */
export const PUBLICITY_NOTICE = '根据《市场监督管理行政处罚信息公示规定》等规定，本决定信息将通过本机关公示平台向社会公示。';

export const publicDecision = z
  .object({
    id: z.string(),
    decisionNo: z.string().meta({ description: '决定书文号' }),
    kind: z.enum(POWER_TYPES),
    penaltyRegister: z.boolean().meta({ description: '是否列入行政处罚信息公示（仅警告的处罚不列入，N1）' }),
    party: z.object({
      kind: z.enum(PARTY_KINDS),
      name: z.string().meta({ description: '当事人名称；自然人按隐私保护规则处理' }),
      creditCode: z.string().optional().meta({ description: '统一社会信用代码（单位、个体工商户）' }),
    }),
    violationType: z.string().optional(),
    conclusion: z.string(),
    penalties: z.array(z.string()).meta({ description: '处罚种类' }),
    fine: z.string().meta({ description: '罚款（元）' }),
    confiscatedValue: z.string().meta({ description: '没收金额（元）' }),
    legalBasis: z.string(),
    authority: z.string().meta({ description: '作出决定的机关' }),
    agencyId: z.string(),
    decisionDate: z.string(),
    publicationDate: z.string(),
    disclosureEndsOn: z.string().meta({ description: '公示期满日期（N5）' }),
    documentText: z.string().meta({ description: '决定书全文（已隐去个人信息）' }),
    notice: z.string(),
    publicVersion: z.number().int(),
    corrections: z.array(z.object({ correctedAt: z.string(), reason: z.string(), publicVersion: z.number().int() })),
  })
  .meta({ id: 'PublicDecision', description: '已公示的执法决定' });
export type PublicDecision = z.infer<typeof publicDecision>;

/** What a list shows: no document text. */
export type PublicDecisionSummary = Omit<PublicDecision, 'documentText' | 'legalBasis' | 'notice'>;

export const toSummary = (d: PublicDecision): PublicDecisionSummary => {
  const { documentText: _t, legalBasis: _l, notice: _n, ...rest } = d;
  return rest;
};

/** Party names are compared in one form: NFKC, no white space, lower case. */
export const normaliseName = (name: string): string => name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
