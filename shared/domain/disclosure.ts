/**
 * The public record of a decision (D6–D11, N1–N5): what the Disclosures table holds and the public
 * API serves. Built only from redacted values; nothing here may carry personal data.
 */
import * as z from './z.ts';
import { POWER_TYPES } from './catalog.ts';
import { PARTY_KINDS } from './case.ts';
import { checkpointSchema } from './checkpoint.ts';

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

/**
 * Issue 12, point 3: which audit events published, corrected, withdrew or ended the disclosure of a
 * public record. Only the event's place in the log (chain, seq), its hash and what is public anyway
 * (the action and its time) — never its `change`, which may name people and reasons. Stored beside the
 * public record in Disclosures, so the public function can prove the record without reading the
 * audit events themselves.
 */
export const PROOF_ACTIONS = {
  'decision.publish': '公示',
  'decision.correct': '更正公示信息',
  'decision.withdraw': '撤下公示',
  'disclosure.expire': '公示期满',
} as const satisfies Record<string, string>;
export type ProofAction = keyof typeof PROOF_ACTIONS;
export const isProofAction = (action: string): action is ProofAction => Object.hasOwn(PROOF_ACTIONS, action);

export interface ProofRef {
  readonly chain: string;
  readonly seq: number;
  /** The audit event's hash (hex); the Merkle leaf is leafHash(eventHash). */
  readonly eventHash: string;
  readonly action: ProofAction;
  readonly at: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const decisionProofEvent = z
  .object({
    chain: z.string().meta({ description: '审计链（s00…s15）' }),
    seq: z.number().int().positive().meta({ description: '事件在链中的序号（从 1 起）；叶子下标为 seq − 1' }),
    leafHash: hex64.meta({ description: 'Merkle 叶子哈希：SHA-256(0x00 ‖ eventHash 的 32 字节)（RFC 9162）' }),
    eventHash: hex64.meta({ description: '审计事件的哈希；事件内容不公开' }),
    action: z.enum(Object.keys(PROOF_ACTIONS) as [ProofAction, ...ProofAction[]]),
    label: z.string().meta({ description: '动作的中文名称' }),
    at: z.string(),
    inclusion: z
      .object({ treeSize: z.number().int().positive(), proof: z.array(hex64) })
      .nullable()
      .meta({ description: '对该链最新检查点的包含证明（RFC 9162 §2.1.3）；尚未被检查点覆盖时为 null' }),
    checkpoint: checkpointSchema.nullable().meta({ description: '证明所对应的签名检查点；该链尚无检查点时为 null' }),
  })
  .meta({ id: 'DecisionProofEvent' });

export const decisionProof = z
  .object({
    id: z.string(),
    status: z.enum(['PUBLIC', 'WITHDRAWN', 'EXPIRED']).meta({ description: '公示状态；撤下或期满的决定仍可查验其公示、更正与撤下的记录' }),
    events: z.array(decisionProofEvent).meta({ description: '公示、更正、撤下（或公示期满）的审计事件，按时间排列；不含事件内容' }),
  })
  .meta({ id: 'DecisionProof', description: '已公示决定在审计日志中的包含证明（issue 12）' });
export type DecisionProof = z.infer<typeof decisionProof>;
export type DecisionProofEvent = z.infer<typeof decisionProofEvent>;
