/** 公示管理's pure logic (console/src/lib/publication.ts; issue 16, point 5; D7–D11). */
import { describe, expect, it } from 'vitest';
import { EXEMPTION_LABELS as API_EXEMPTION, WITHDRAWAL_LABELS as API_WITHDRAWAL } from '../../shared/domain/decision.ts';
import {
  EXEMPTION_LABELS,
  WITHDRAWAL_LABELS,
  confirmationText,
  correctBody,
  decisionChanges,
  exemptBody,
  pathlessField,
  portalDecisionPath,
  waitingForPublication,
  withdrawBody,
  type PublicationDecision,
} from '../../console/src/lib/publication.ts';

const decision = (caseId: string, over: Partial<PublicationDecision> = {}): PublicationDecision => ({ caseId, publicId: `p-${caseId}`, status: 'ISSUED', version: 3, corrections: [], ...over });
const item = (subjectId: string, daysLeft: number, state = daysLeft < 0 ? 'OVERDUE' : 'DUE_SOON') => ({ kind: 'PUBLICATION', subjectId, dueDate: `2026-12-${String(10 + daysLeft).padStart(2, '0')}`, daysLeft, state });

describe('the grounds offered', () => {
  it('are exactly the API’s lists, with its words', () => {
    expect(EXEMPTION_LABELS).toEqual(API_EXEMPTION);
    expect(WITHDRAWAL_LABELS).toEqual(API_WITHDRAWAL);
  });
});

describe('decisions waiting for publication', () => {
  it('lists only issued decisions, overdue first, then the fewest days left, then those the check does not list yet', () => {
    const list = waitingForPublication(
      [
        decision('later', { publicationDue: { dueDate: '2026-12-30' } }),
        decision('soon'),
        decision('published', { status: 'PUBLISHED' }),
        decision('overdue'),
        decision('sooner'),
      ],
      [item('soon', 5), item('overdue', -2), item('sooner', 1), { kind: 'PAYMENT', subjectId: 'later', dueDate: '2026-12-01', daysLeft: -9, state: 'OVERDUE' }],
    );
    expect(list.map((w) => w.decision.caseId)).toEqual(['overdue', 'sooner', 'soon', 'later']);
    expect(list[0]).toMatchObject({ overdue: true, daysLeft: -2 });
    expect(list[3]).toMatchObject({ overdue: false, dueDate: '2026-12-30' });
    expect(list[3]?.daysLeft).toBeUndefined();
  });
});

describe('the bodies sent', () => {
  it('exempt: trimmed, with the version', () => {
    expect(exemptBody({ ground: 'STATE_SECRET', approver: ' 张局长 ', note: ' ' }, 4)).toEqual({ version: 4, ground: 'STATE_SECRET', approver: '张局长', note: '' });
  });
  it('correct: only what the user filled in changes', () => {
    expect(correctBody({ reason: ' 文号笔误 ', conclusion: '罚款人民币一万元', violationType: ' ', legalBasis: '', documentText: '' }, 5)).toEqual({ version: 5, reason: '文号笔误', conclusion: '罚款人民币一万元' });
  });
  it('withdraw: the ground, the date of the change and the reason', () => {
    expect(withdrawBody({ ground: 'REVOKED', changedOn: '2026-12-01', reason: ' 复议撤销 ' }, 6)).toEqual({ version: 6, ground: 'REVOKED', changedOn: '2026-12-01', reason: '复议撤销' });
  });
});

describe('the confirmations', () => {
  it('say what happens to the public record', () => {
    expect(confirmationText('publish', { decisionNo: '宿市监处罚〔2026〕1号' })).toContain('个人信息');
    expect(confirmationText('withdraw', { ground: 'REVOKED' })).toContain('离开公众视野');
    expect(confirmationText('withdraw', { ground: 'REVOKED' })).toContain('被依法撤销');
    expect(confirmationText('exempt', { ground: '' })).toContain('未选择理由');
  });
});

describe('errors and conflicts', () => {
  it('puts “nothing to correct” beside the first field to correct', () => {
    expect(pathlessField({ status: 422, code: 'NOTHING_TO_CORRECT', message: '请至少更正一项内容', details: [] })).toBe('conclusion');
    expect(pathlessField({ status: 409, code: 'VERSION_CONFLICT', message: 'x', details: [] })).toBeUndefined();
  });
  it('says what changed since the page was opened', () => {
    const before = decision('a');
    expect(decisionChanges(before, { ...before, status: 'PUBLISHED', version: 4 })).toEqual(['决定状态：已作出，待公示 → 已公示']);
    expect(decisionChanges(before, { ...before, status: 'EXEMPT', version: 4, exemption: { ground: 'STATE_SECRET', approver: '张三' } })).toContain('已不予公开：涉及国家秘密（批准人 张三）');
    const published = decision('a', { status: 'PUBLISHED' });
    expect(decisionChanges(published, { ...published, version: 5, corrections: [{ at: 'x', reason: '笔误', by: '法规处', publicVersion: 2 }] })).toEqual(['已由 法规处 更正（第 2 版）：笔误']);
    expect(decisionChanges(before, { ...before, version: 4 })).toEqual(['决定已被他人更新（版本 3 → 4）']);
    expect(decisionChanges(before, before)).toEqual([]);
  });
  it('links a published decision to its page on the portal', () => {
    expect(portalDecisionPath('0b1c')).toBe('/decisions/0b1c');
  });
});
