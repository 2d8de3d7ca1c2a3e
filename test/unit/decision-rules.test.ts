/**
 * Rules of enforcement decisions: the draft (what a user may submit), the simple procedure's limits
 * (N12), which decisions need a legal review and a collective discussion (L1, L3, N8, N10), which go
 * into the penalty register (N1) and how long they stay public (N5).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_REVIEW_CATALOGUE,
  PENALTY_TYPES,
  REVIEW_RULE_IDS,
  decisionDraftBody,
  disclosurePeriod,
  inPenaltyRegister,
  reviewScope,
  simpleProcedureProblem,
  type PenaltyType,
  type ReviewCatalogue,
  type ReviewRuleId,
} from '../../shared/domain/decision.ts';
import { POWER_TYPES } from '../../shared/domain/catalog.ts';
import { fenToYuan } from '../../shared/domain/money.ts';

const draft = {
  version: 0,
  kind: 'PENALTY',
  procedure: 'GENERAL',
  conclusion: '罚款人民币5000元',
  penalties: ['FINE'],
  fine: '5000',
  legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
  facts: '当事人经营超过保质期的食品。',
  decisionDate: '2026-03-05',
};
/** What a decision whose document is not generated carries (P7: only general-procedure penalties are). */
const ownDocument = { decisionNo: '宿市监许〔2026〕15号', documentText: '宿迁市市场监督管理局准予行政许可决定书……' };

/** The issues zod reports for `input`, as path → message. */
function issues(input: unknown): Record<string, string> {
  const result = decisionDraftBody.safeParse(input);
  expect(result.success).toBe(false);
  return Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.') || '(root)', i.message]));
}

describe('decisionDraftBody', () => {
  it('a general-procedure penalty takes no number or text (its 决定书 is generated when issued); any other decision needs both (P7)', () => {
    expect(issues({ ...draft, ...ownDocument })).toEqual({
      decisionNo: '一般程序的行政处罚决定书在作出决定时生成并编号，不能自行填写文号',
      documentText: '一般程序的行政处罚决定书在作出决定时由模板生成，不能自行填写全文',
    });
    expect(issues({ ...draft, procedure: 'SIMPLE', penalties: ['WARNING'], fine: '0' })).toEqual({ decisionNo: '请填写决定书文号', documentText: '请填写送达的决定书全文' });
    expect(decisionDraftBody.safeParse({ ...draft, ...ownDocument, procedure: 'SIMPLE', penalties: ['WARNING'], fine: '0' }).success).toBe(true);
  });

  it('accepts a general-procedure fine and fills the defaults', () => {
    expect(decisionDraftBody.parse(draft)).toMatchObject({
      penalties: ['FINE'],
      fine: '5000',
      confiscatedValue: '0',
      discretion: 'GENERAL',
      hearingHeld: false,
      majorPublicInterest: false,
      complex: false,
      thirdPartyNames: [],
    });
  });

  it('accepts a licensing decision without penalties or fine', () => {
    const licence = { ...draft, ...ownDocument, kind: 'LICENSING', conclusion: '准予许可', penalties: [], fine: '0' };
    expect(decisionDraftBody.safeParse(licence).success).toBe(true);
    const { penalties: _p, fine: _f, ...bare } = licence;
    expect(decisionDraftBody.safeParse(bare).success).toBe(true);
  });

  it('refuses the same penalty twice', () => {
    expect(issues({ ...draft, penalties: ['FINE', 'WARNING', 'FINE'] })).toHaveProperty('penalties', '处罚种类重复');
  });

  it('requires at least one penalty in a penalty decision', () => {
    expect(issues({ ...draft, penalties: [], fine: '0' })).toHaveProperty('penalties', '行政处罚决定须至少有一种处罚');
  });

  it.each(POWER_TYPES.filter((k) => k !== 'PENALTY'))('refuses penalties in a %s decision', (kind) => {
    expect(issues({ ...draft, kind, penalties: ['WARNING'], fine: '0' })).toHaveProperty('penalties', '只有行政处罚决定才有处罚种类');
  });

  it('requires a fine amount exactly when FINE is a penalty', () => {
    const message = '罚款金额与处罚种类不一致（有罚款须填金额，无罚款金额须为 0）';
    expect(issues({ ...draft, penalties: ['FINE'], fine: '0' })).toHaveProperty('fine', message);
    expect(issues({ ...draft, penalties: ['FINE'], fine: '0.00' })).toHaveProperty('fine', message);
    const { fine: _f, ...noFine } = draft;
    expect(issues(noFine)).toHaveProperty('fine', message);
    expect(issues({ ...draft, penalties: ['WARNING'], fine: '100' })).toHaveProperty('fine', message);
    expect(issues({ ...draft, kind: 'LICENSING', penalties: [], fine: '100' })).toHaveProperty('fine', message);
    expect(decisionDraftBody.safeParse({ ...draft, penalties: ['FINE'], fine: '0.01' }).success).toBe(true);
    expect(decisionDraftBody.safeParse({ ...draft, penalties: ['WARNING'], fine: '0.00' }).success).toBe(true);
  });

  it('FINE is listed if and only if the fine is above zero, for any penalty set and amount', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...PENALTY_TYPES), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (penalties, fen) => {
          const ok = decisionDraftBody.safeParse({ ...draft, penalties, fine: fenToYuan(fen) }).success;
          expect(ok).toBe(penalties.includes('FINE') === fen > 0);
        },
      ),
    );
  });

  it('refuses unknown fields, unknown penalty types and malformed amounts or dates', () => {
    expect(issues({ ...draft, partyName: '张三' })).toHaveProperty('(root)');
    expect(issues({ ...draft, penalties: ['FLOGGING'], fine: '0' })).toHaveProperty('penalties.0');
    expect(issues({ ...draft, fine: '5000.001' })).toHaveProperty('fine');
    expect(issues({ ...draft, confiscatedValue: '-1' })).toHaveProperty('confiscatedValue');
    expect(issues({ ...draft, decisionDate: '2026-02-30' })).toHaveProperty('decisionDate');
    expect(issues({ ...draft, restrictionUntil: '2026-13-01' })).toHaveProperty('restrictionUntil');
  });
});

// ---------------------------------------------------------------- N12 simple procedure

type ProcedureInput = Parameters<typeof simpleProcedureProblem>[0];
const simple = (over: Partial<ProcedureInput> = {}): ProcedureInput => ({
  kind: 'PENALTY',
  penalties: ['FINE'],
  fine: '100',
  confiscatedValue: '0',
  ...over,
});

describe('simpleProcedureProblem (N12)', () => {
  it('allows a natural person a fine of up to 200.00 yuan, not 200.01', () => {
    expect(simpleProcedureProblem(simple({ fine: '200.00' }), 'PERSON')).toBeUndefined();
    expect(simpleProcedureProblem(simple({ fine: '200' }), 'PERSON')).toBeUndefined();
    expect(simpleProcedureProblem(simple({ fine: '200.01' }), 'PERSON')).toBe('简易程序罚款上限：自然人 200 元（N12）');
  });

  it('allows an organisation a fine of up to 3000.00 yuan, not 3000.01', () => {
    expect(simpleProcedureProblem(simple({ fine: '3000.00' }), 'ORG')).toBeUndefined();
    expect(simpleProcedureProblem(simple({ fine: '3000.01' }), 'ORG')).toBe('简易程序罚款上限：单位 3000 元（N12）');
  });

  it('treats an individual business as a natural person', () => {
    expect(simpleProcedureProblem(simple({ fine: '200.00' }), 'INDIVIDUAL_BUSINESS')).toBeUndefined();
    expect(simpleProcedureProblem(simple({ fine: '200.01' }), 'INDIVIDUAL_BUSINESS')).toContain('自然人 200 元');
    expect(simpleProcedureProblem(simple({ fine: '2000' }), 'INDIVIDUAL_BUSINESS')).toBeDefined();
  });

  it('decides exactly at the limit for every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom('PERSON', 'INDIVIDUAL_BUSINESS', 'ORG'), (fen, kind) => {
        const limit = kind === 'ORG' ? 300_000 : 20_000;
        const problem = simpleProcedureProblem(simple({ fine: fenToYuan(fen) }), kind);
        expect(problem === undefined).toBe(fen <= limit);
      }),
    );
  });

  it('allows a warning, with or without a fine', () => {
    expect(simpleProcedureProblem(simple({ penalties: ['WARNING'], fine: '0' }), 'PERSON')).toBeUndefined();
    expect(simpleProcedureProblem(simple({ penalties: ['WARNING', 'FINE'], fine: '50' }), 'ORG')).toBeUndefined();
  });

  it.each(PENALTY_TYPES.filter((p) => p !== 'WARNING' && p !== 'FINE'))('refuses %s', (penalty) => {
    expect(simpleProcedureProblem(simple({ penalties: [penalty], fine: '0' }), 'ORG')).toBe('简易程序只能给予警告或者罚款');
    expect(simpleProcedureProblem(simple({ penalties: ['FINE', penalty], fine: '50' }), 'PERSON')).toBe('简易程序只能给予警告或者罚款');
  });

  it('refuses any confiscation', () => {
    expect(simpleProcedureProblem(simple({ confiscatedValue: '0.01' }), 'ORG')).toBe('简易程序不能没收');
  });

  it.each(POWER_TYPES.filter((k) => k !== 'PENALTY'))('refuses a %s decision', (kind) => {
    expect(simpleProcedureProblem(simple({ kind, penalties: [], fine: '0' }), 'ORG')).toBe('简易程序仅适用于行政处罚');
  });
});

// ---------------------------------------------------------------- L3, N8, N10 review scope

type ScopeInput = Parameters<typeof reviewScope>[0];
/** A simple-procedure warning: out of every rule of the default catalogue. */
const warning: ScopeInput = {
  kind: 'PENALTY',
  procedure: 'SIMPLE',
  penalties: ['WARNING'],
  fine: '0',
  confiscatedValue: '0',
  discretion: 'GENERAL',
  hearingHeld: false,
  majorPublicInterest: false,
  complex: false,
};
const rules = (d: ScopeInput, kind: 'PERSON' | 'ORG' | 'INDIVIDUAL_BUSINESS' = 'PERSON', catalogue?: ReviewCatalogue): ReviewRuleId[] =>
  reviewScope(d, kind, catalogue).matched.map((m) => m.rule);

describe('reviewScope (L3, N8, N10)', () => {
  it('leaves a simple-procedure warning out of scope', () => {
    expect(reviewScope(warning, 'PERSON')).toEqual({ inScope: false, matched: [], collectiveDiscussion: false });
    expect(reviewScope({ ...warning, penalties: ['WARNING', 'FINE'], fine: '200' }, 'PERSON').inScope).toBe(false);
  });

  const alone: [string, ScopeInput, ReviewRuleId, 'PERSON' | 'ORG'][] = [
    ['a general-procedure penalty', { ...warning, procedure: 'GENERAL' }, 'GENERAL_PROCEDURE_PENALTY', 'PERSON'],
    ['a fine of 10,000 yuan on a natural person', { ...warning, penalties: ['FINE'], fine: '10000.00' }, 'LARGE_FINE', 'PERSON'],
    ['a fine of 100,000 yuan on an organisation', { ...warning, penalties: ['FINE'], fine: '100000' }, 'LARGE_FINE', 'ORG'],
    ['confiscation of 10,000 yuan from a natural person', { ...warning, penalties: ['CONFISCATE_GAINS'], confiscatedValue: '10000' }, 'LARGE_FINE', 'PERSON'],
    ['confiscation of 100,000 yuan from an organisation', { ...warning, penalties: ['CONFISCATE_PROPERTY'], confiscatedValue: '100000.00' }, 'LARGE_FINE', 'ORG'],
    ['revocation of a permit', { ...warning, penalties: ['REVOKE_PERMIT'] }, 'LICENCE_REVOCATION_OR_DOWNGRADE', 'ORG'],
    ['downgrade of a qualification', { ...warning, penalties: ['DOWNGRADE_QUALIFICATION'] }, 'LICENCE_REVOCATION_OR_DOWNGRADE', 'ORG'],
    ['an order to suspend business', { ...warning, penalties: ['ORDER_SUSPEND'] }, 'SUSPENSION_OR_CLOSURE', 'ORG'],
    ['an order to close', { ...warning, penalties: ['ORDER_CLOSE'] }, 'SUSPENSION_OR_CLOSURE', 'ORG'],
    ['a restriction of employment', { ...warning, penalties: ['RESTRICT_EMPLOYMENT'] }, 'SUSPENSION_OR_CLOSURE', 'PERSON'],
    ['a mitigated penalty', { ...warning, discretion: 'MITIGATED' }, 'MITIGATED_PENALTY', 'PERSON'],
    ['a decision after a hearing', { ...warning, hearingHeld: true }, 'HEARING_HELD', 'PERSON'],
    ['a decision of major public interest', { ...warning, majorPublicInterest: true }, 'MAJOR_PUBLIC_INTEREST', 'ORG'],
    ['a complex case', { ...warning, complex: true }, 'COMPLEX_CASE', 'ORG'],
  ];

  it.each(alone)('brings %s into scope by its own rule only', (_label, d, rule, kind) => {
    const scope = reviewScope(d, kind);
    expect(scope.inScope).toBe(true);
    expect(scope.matched.map((m) => m.rule)).toEqual([rule]);
    expect(scope.matched[0]!.label).toMatch(/\p{Script=Han}/u);
  });

  it('uses the large-amount threshold exactly: one fen below is not large', () => {
    expect(rules({ ...warning, penalties: ['FINE'], fine: '9999.99' }, 'PERSON')).toEqual([]);
    expect(rules({ ...warning, penalties: ['FINE'], fine: '10000' }, 'PERSON')).toEqual(['LARGE_FINE']);
    expect(rules({ ...warning, penalties: ['FINE'], fine: '99999.99' }, 'ORG')).toEqual([]);
    expect(rules({ ...warning, penalties: ['FINE'], fine: '100000' }, 'ORG')).toEqual(['LARGE_FINE']);
    expect(rules({ ...warning, penalties: ['CONFISCATE_GAINS'], confiscatedValue: '9999.99' }, 'PERSON')).toEqual([]);
    expect(rules({ ...warning, penalties: ['CONFISCATE_GAINS'], confiscatedValue: '99999.99' }, 'ORG')).toEqual([]);
  });

  it('applies the natural-person threshold to natural persons only: 50,000 yuan is large for a person, not for an organisation', () => {
    const fine = { ...warning, penalties: ['FINE'] as PenaltyType[], fine: '50000' };
    expect(rules(fine, 'PERSON')).toEqual(['LARGE_FINE']);
    expect(rules(fine, 'ORG')).toEqual([]);
  });

  it('puts every general-procedure penalty in scope, whatever else it is', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...PENALTY_TYPES), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('PERSON', 'ORG', 'INDIVIDUAL_BUSINESS'),
        (penalties, kind) => {
          const scope = reviewScope({ ...warning, procedure: 'GENERAL', penalties, fine: penalties.includes('FINE') ? '100' : '0' }, kind);
          expect(scope.inScope).toBe(true);
          expect(scope.matched.map((m) => m.rule)).toContain('GENERAL_PROCEDURE_PENALTY');
        },
      ),
    );
  });

  it('lists every matching rule, in catalogue order', () => {
    const heavy: ScopeInput = {
      ...warning,
      procedure: 'GENERAL',
      penalties: ['FINE', 'REVOKE_PERMIT', 'ORDER_CLOSE'],
      fine: '200000',
      discretion: 'MITIGATED',
      hearingHeld: true,
      majorPublicInterest: true,
      complex: true,
    };
    expect(rules(heavy, 'ORG')).toEqual([...REVIEW_RULE_IDS]);
  });

  it('leaves a licensing decision out of scope unless flagged', () => {
    const licence: ScopeInput = { ...warning, kind: 'LICENSING', procedure: 'GENERAL', penalties: [] };
    expect(reviewScope(licence, 'ORG')).toEqual({ inScope: false, matched: [], collectiveDiscussion: false });
    expect(reviewScope({ ...licence, discretion: 'MITIGATED' }, 'ORG').inScope).toBe(false);
    expect(rules({ ...licence, majorPublicInterest: true }, 'ORG')).toEqual(['MAJOR_PUBLIC_INTEREST']);
    expect(rules({ ...licence, hearingHeld: true }, 'ORG')).toEqual(['HEARING_HELD']);
    expect(rules({ ...licence, complex: true }, 'ORG')).toEqual(['COMPLEX_CASE']);
  });

  it('asks for a collective discussion only for major public interest, a hearing or a complex case (N8)', () => {
    for (const [, d, rule, kind] of alone) {
      const expected = rule === 'MAJOR_PUBLIC_INTEREST' || rule === 'HEARING_HELD' || rule === 'COMPLEX_CASE';
      expect(reviewScope(d, kind).collectiveDiscussion, rule).toBe(expected);
    }
    // A large general-procedure fine with a revocation is reviewed, but not discussed collectively.
    const big = { ...warning, procedure: 'GENERAL' as const, penalties: ['FINE', 'REVOKE_PERMIT'] as PenaltyType[], fine: '500000' };
    expect(reviewScope(big, 'ORG')).toMatchObject({ inScope: true, collectiveDiscussion: false });
    expect(reviewScope({ ...big, complex: true }, 'ORG').collectiveDiscussion).toBe(true);
  });

  it('follows the catalogue: a rule that is not enabled does not match', () => {
    const generalFine = { ...warning, procedure: 'GENERAL' as const, penalties: ['FINE'] as PenaltyType[], fine: '5000' };
    const withoutGeneral: ReviewCatalogue = {
      ...DEFAULT_REVIEW_CATALOGUE,
      enabled: REVIEW_RULE_IDS.filter((r) => r !== 'GENERAL_PROCEDURE_PENALTY'),
    };
    expect(reviewScope(generalFine, 'PERSON').inScope).toBe(true);
    expect(reviewScope(generalFine, 'PERSON', withoutGeneral).inScope).toBe(false);

    const onlyHearing: ReviewCatalogue = { ...DEFAULT_REVIEW_CATALOGUE, enabled: ['HEARING_HELD'] };
    const mitigated = { ...warning, discretion: 'MITIGATED' as const };
    expect(reviewScope(mitigated, 'PERSON').inScope).toBe(true);
    expect(reviewScope(mitigated, 'PERSON', onlyHearing).inScope).toBe(false);
    expect(rules({ ...mitigated, hearingHeld: true }, 'PERSON', onlyHearing)).toEqual(['HEARING_HELD']);

    const none: ReviewCatalogue = { ...DEFAULT_REVIEW_CATALOGUE, enabled: [] };
    const everything = { ...warning, procedure: 'GENERAL' as const, hearingHeld: true, majorPublicInterest: true, complex: true };
    // N8 is national law: hearing, major public interest and complex cases stay in scope, with a
    // collective discussion, whatever the catalogue enables; the catalogue's own rules do not match.
    expect(reviewScope(everything, 'ORG', none)).toEqual({
      inScope: true,
      matched: [
        { rule: 'HEARING_HELD', label: expect.any(String) },
        { rule: 'MAJOR_PUBLIC_INTEREST', label: expect.any(String) },
        { rule: 'COMPLEX_CASE', label: expect.any(String) },
      ],
      collectiveDiscussion: true,
    });
    expect(reviewScope({ ...everything, hearingHeld: false, majorPublicInterest: false, complex: false }, 'ORG', none).inScope).toBe(false);
  });

  it('follows the catalogue thresholds: a province with other amounts gets other answers', () => {
    const lower: ReviewCatalogue = { ...DEFAULT_REVIEW_CATALOGUE, largeFineFen: { natural: 5_000 * 100, org: 50_000 * 100 } };
    const fine = (amount: string): ScopeInput => ({ ...warning, penalties: ['FINE'], fine: amount });
    expect(rules(fine('5000'), 'PERSON')).toEqual([]);
    expect(rules(fine('5000'), 'PERSON', lower)).toEqual(['LARGE_FINE']);
    expect(rules(fine('4999.99'), 'PERSON', lower)).toEqual([]);
    expect(rules(fine('50000'), 'ORG')).toEqual([]);
    expect(rules(fine('50000'), 'ORG', lower)).toEqual(['LARGE_FINE']);

    const higher: ReviewCatalogue = { ...DEFAULT_REVIEW_CATALOGUE, largeFineFen: { natural: 20_000 * 100, org: 200_000 * 100 } };
    expect(rules(fine('10000'), 'PERSON')).toEqual(['LARGE_FINE']);
    expect(rules(fine('10000'), 'PERSON', higher)).toEqual([]);
    expect(rules(fine('150000'), 'ORG', higher)).toEqual([]);
  });

  it('matches LARGE_FINE exactly when the fine or the confiscation reaches the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.constantFrom('PERSON', 'ORG'),
        (fineFen, confiscatedFen, kind) => {
          const threshold = kind === 'ORG' ? 10_000_000 : 1_000_000;
          const d: ScopeInput = {
            ...warning,
            penalties: [...(fineFen > 0 ? (['FINE'] as const) : []), ...(confiscatedFen > 0 ? (['CONFISCATE_GAINS'] as const) : [])],
            fine: fenToYuan(fineFen),
            confiscatedValue: fenToYuan(confiscatedFen),
          };
          expect(rules(d, kind).includes('LARGE_FINE')).toBe(fineFen >= threshold || confiscatedFen >= threshold);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------- N1 register, N5 disclosure period

describe('inPenaltyRegister (N1)', () => {
  it('leaves out a warning-only penalty', () => {
    expect(inPenaltyRegister({ kind: 'PENALTY', penalties: ['WARNING'] })).toBe(false);
  });

  it('includes a warning with a fine, and any penalty that is not only a warning', () => {
    expect(inPenaltyRegister({ kind: 'PENALTY', penalties: ['WARNING', 'FINE'] })).toBe(true);
    for (const p of PENALTY_TYPES.filter((t) => t !== 'WARNING')) {
      expect(inPenaltyRegister({ kind: 'PENALTY', penalties: [p] }), p).toBe(true);
    }
  });

  it.each(POWER_TYPES.filter((k) => k !== 'PENALTY'))('leaves out a %s decision', (kind) => {
    expect(inPenaltyRegister({ kind, penalties: [] })).toBe(false);
  });
});

describe('disclosurePeriod (N5)', () => {
  const period = (penalties: PenaltyType[], fine = '0', restrictionUntil?: string) =>
    disclosurePeriod({ kind: 'PENALTY', penalties, fine, ...(restrictionUntil ? { restrictionUntil } : {}) });

  it('is 3 months for 通报批评 only', () => {
    expect(period(['CRITICISM'])).toMatchObject({ months: 3 });
    expect(period(['CRITICISM']).atLeastUntil).toBeUndefined();
  });

  it('is 3 months for a fine below 10,000 yuan and 36 months from 10,000 yuan', () => {
    expect(period(['FINE'], '0.01').months).toBe(3);
    expect(period(['FINE'], '9999.99').months).toBe(3);
    expect(period(['FINE'], '10000').months).toBe(36);
    expect(period(['FINE'], '10000.00').months).toBe(36);
    expect(period(['CRITICISM', 'FINE'], '500').months).toBe(3);
  });

  it('is 36 months for a revocation, and for a low fine combined with a heavier penalty', () => {
    expect(period(['REVOKE_PERMIT']).months).toBe(36);
    expect(period(['FINE', 'REVOKE_PERMIT'], '100').months).toBe(36);
    expect(period(['FINE', 'CONFISCATE_GAINS'], '100').months).toBe(36);
    expect(period(['ORDER_SUSPEND']).months).toBe(36);
  });

  it('lasts at least as long as a restriction', () => {
    const p = period(['RESTRICT_ACTIVITY'], '0', '2031-06-30');
    expect(p).toMatchObject({ months: 36, atLeastUntil: '2031-06-30' });
    expect(p.reason).toContain('限制期满');
    expect(period(['CRITICISM'], '0', '2026-12-31')).toMatchObject({ months: 3, atLeastUntil: '2026-12-31' });
  });

  it('is 3 months exactly when every penalty is a criticism, a warning or a fine below 10,000 yuan', () => {
    const light = new Set<PenaltyType>(['CRITICISM', 'WARNING', 'FINE']);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...PENALTY_TYPES), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 5_000_000 }),
        (penalties, fen) => {
          const fine = penalties.includes('FINE') ? fenToYuan(fen) : '0';
          const short = penalties.every((p) => light.has(p)) && (!penalties.includes('FINE') || fen < 1_000_000);
          expect(period(penalties, fine).months).toBe(short ? 3 : 36);
        },
      ),
    );
  });
});
