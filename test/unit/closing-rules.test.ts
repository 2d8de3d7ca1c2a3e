/**
 * The pure rules of ending and closing a case (P8, P9): which states may end otherwise, the
 * first-violation list's coverage, closing's preconditions, and the request schemas.
 */
import { describe, expect, it } from 'vitest';
import { closeBody, closingProblem, documentOnDemandBody, endedCaseProblem, endingBody, endingInWords, endingStateProblem, firstViolationProblem } from '../../shared/domain/closing.ts';
import type { CaseEnding, ClosingFacts, FirstViolationContent } from '../../shared/domain/closing.ts';

const ending: CaseEnding = { kind: 'TRANSFER', target: 'PUBLIC_SECURITY', recipient: '某某公安分局', reason: '涉嫌犯罪', approver: '王局长', approvedOn: '2026-11-10', recordedBy: 'x', recordedAt: '2026-11-10T00:00:00Z' };
const open = { status: 'OPEN' as const, caseNo: 'C-1', filingDate: '2026-10-01' };

describe('ending a case otherwise (P8)', () => {
  it('only an open case without an issued decision', () => {
    expect(endingStateProblem(open, undefined)).toBeUndefined();
    expect(endingStateProblem(open, 'REVIEW_PASSED')).toBeUndefined();
    expect(endingStateProblem(open, 'ISSUED')?.code).toBe('DECISION_ISSUED');
    expect(endingStateProblem({ ...open, status: 'DECIDED' }, 'PUBLISHED')?.code).toBe('DECISION_ISSUED');
    expect(endingStateProblem({ ...open, status: 'DECIDED', ending }, undefined)?.code).toBe('CASE_ENDED');
    expect(endingStateProblem({ ...open, status: 'CLOSED' }, undefined)?.code).toBe('CASE_CLOSED');
    expect(endedCaseProblem({ caseNo: 'C-1', ending })?.message).toContain('移送某某公安分局');
    expect(endedCaseProblem({ caseNo: 'C-1' })).toBeUndefined();
  });

  it('the schema wants the list item exactly for 首违不罚, and the ground of each kind', () => {
    const base = { version: 1, approver: '王局长', approvedOn: '2026-11-10', reason: '理由说明' };
    expect(endingBody.safeParse({ ...base, kind: 'NO_PENALTY', ground: 'FIRST_VIOLATION' }).success).toBe(false);
    expect(endingBody.safeParse({ ...base, kind: 'NO_PENALTY', ground: 'FIRST_VIOLATION', firstViolationItemCode: 'FV-1' }).success).toBe(true);
    expect(endingBody.safeParse({ ...base, kind: 'NO_PENALTY', ground: 'NOT_ESTABLISHED', firstViolationItemCode: 'FV-1' }).success).toBe(false);
    expect(endingBody.safeParse({ ...base, kind: 'TRANSFER', target: 'COMPETENT_AUTHORITY' }).success).toBe(false);
    expect(endingBody.safeParse({ ...base, kind: 'CANCEL_FILING', approver: undefined }).success).toBe(false);
    expect(endingInWords({ ...ending, kind: 'NO_PENALTY', ground: 'TIME_BARRED' } as CaseEnding)).toContain('超过追责时效');
  });
});

describe('the first-violation list (P9)', () => {
  const content: FirstViolationContent = { name: '未公示许可证', agencyId: 'sq', powerCodes: ['P-1', 'P-2'], conditions: '首次、轻微、改正', legalBasis: 'APL 33' };
  it('covers the case only through an item of its own agency that lists its power', () => {
    expect(firstViolationProblem({ code: 'FV', content }, 'FV', { agencyId: 'sq', powerCode: 'P-2' }, '2026-11-10')).toBeUndefined();
    expect(firstViolationProblem({ code: 'FV', content }, 'FV', { agencyId: 'sq', powerCode: 'P-3' }, '2026-11-10')).toContain('P-3');
    expect(firstViolationProblem({ code: 'FV', content }, 'FV', { agencyId: 'other', powerCode: 'P-1' }, '2026-11-10')).toContain('不适用于本机构');
    expect(firstViolationProblem(undefined, 'FV', { agencyId: 'sq', powerCode: 'P-1' }, '2026-11-10')).toContain('2026-11-10');
  });
});

describe('closing (P8)', () => {
  const decided: ClosingFacts = {
    case: { ...open, status: 'DECIDED' },
    decision: { status: 'ISSUED', decisionDate: '2026-11-01' },
    fine: { fineFen: 500_000, paidFen: 500_000, surchargeFen: 0, outstandingFen: 0 },
    openRemedies: 0,
  };
  const body = { reason: 'PERFORMED' as const, approvedOn: '2026-11-20' };
  const code = (f: ClosingFacts, b: Parameters<typeof closingProblem>[1] = body) => closingProblem(f, b, '2026-12-01')?.code;

  it('a paid penalty closes; unpaid (surcharge included) only with a reason', () => {
    expect(code(decided)).toBeUndefined();
    const owing = { ...decided, fine: { fineFen: 500_000, paidFen: 500_000, surchargeFen: 15_000, outstandingFen: 15_000 } };
    const p = closingProblem(owing, body, '2026-12-01');
    expect([p?.status, p?.code]).toEqual([409, 'FINE_UNPAID']);
    expect(p?.message).toContain('加处罚款 150.00 元');
    expect(code(owing, { ...body, unpaidReason: '已申请强制执行' })).toBeUndefined();
  });

  it('an open remedy only with a reason; dates between the decision and today', () => {
    expect(code({ ...decided, openRemedies: 1 })).toBe('REMEDY_OPEN');
    expect(code({ ...decided, openRemedies: 1 }, { ...body, openRemedyReason: '复议不停止执行' })).toBeUndefined();
    expect(code(decided, { ...body, approvedOn: '2026-10-31' })).toBe('CLOSING_BEFORE_DECISION');
    expect(code(decided, { ...body, approvedOn: '2026-12-02' })).toBe('CLOSING_DATE_IN_FUTURE');
  });

  it('the reason must fit how the case was decided', () => {
    const undecided: ClosingFacts = { case: open, decision: { status: 'DRAFT', decisionDate: '2026-11-01' }, openRemedies: 0 };
    expect(code(undecided)).toBe('CASE_NOT_DECIDED');
    expect(code({ ...decided, case: { ...decided.case, status: 'CLOSED' } })).toBe('CASE_CLOSED');
    expect(code(decided, { ...body, reason: 'ENDED' })).toBe('CLOSING_REASON_MISMATCH');
    const ended: ClosingFacts = { case: { ...open, status: 'DECIDED', ending }, openRemedies: 0 };
    expect(code(ended, { ...body, reason: 'PERFORMED' })).toBe('CLOSING_REASON_MISMATCH');
    expect(code(ended, { ...body, reason: 'ENDED' })).toBeUndefined();
    expect(code(ended, { ...body, reason: 'ENDED', approvedOn: '2026-11-09' })).toBe('CLOSING_BEFORE_DECISION');
  });

  it('schemas: OTHER needs its text; on-demand documents name their type', () => {
    const b = { version: 2, approver: '王局长', approvedOn: '2026-11-20' };
    expect(closeBody.safeParse({ ...b, reason: 'OTHER' }).success).toBe(false);
    expect(closeBody.parse({ ...b, reason: 'PERFORMED' }).approvalOpinion).toBe('同意结案');
    expect(documentOnDemandBody.safeParse({ type: 'FILING_APPROVAL', caseSource: '投诉举报', approvalOpinion: '同意', approver: '王局长' }).success).toBe(true);
    expect(documentOnDemandBody.safeParse({ type: 'FILING_APPROVAL', caseSource: '投诉举报' }).success).toBe(false);
    expect(documentOnDemandBody.safeParse({ type: 'PENALTY_NOTICE' }).success).toBe(true);
    expect(documentOnDemandBody.safeParse({ type: 'NOPE' }).success).toBe(false);
  });
});
