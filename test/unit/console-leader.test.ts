/**
 * The leaders' pages of the console (issue 16, point 4; L5–L7, N8): what a leader is offered at each
 * step (access.ts's rules), the reviewer's checklist in short, the collective-discussion and approval
 * forms as the API's bodies, errors beside their fields, what a reload after a 409 says changed, and
 * the deadline board's groups and links.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDraft, saveDraft } from '../../console/src/lib/drafts.ts';
import { toApiError } from '../../console/src/lib/errors.ts';
import {
  APPROVAL_FIELDS,
  CHECKLIST_LABELS,
  DISCUSSION_FIELDS,
  OPINION_OUTCOME_LABELS,
  OVERRIDE_RESPONSIBILITY,
  agencyChain,
  approvalBody,
  checklistResult,
  cleanParticipants,
  deadlineCaseId,
  discussionBody,
  emptyApproval,
  emptyDiscussion,
  formErrors,
  groupDeadlines,
  leaderActions,
  leaderCount,
  needsConfirmation,
  reviewChanges,
  selectableAgencies,
  waitingText,
} from '../../console/src/lib/leader.ts';
import type { KeyValueStore } from '../../console/src/lib/session.ts';
import { CHECKLIST_LABELS as DOMAIN_CHECKLIST, OUTCOME_LABELS, approvalBody as approvalSchema, collectiveDiscussionBody } from '../../shared/domain/review.ts';
import type { Identity } from '../../shared/domain/identity.ts';

const AGENCIES = [
  { id: 'sq-city', parentId: null },
  { id: 'sq-shuyang', parentId: 'sq-city' },
  { id: 'sq-siyang', parentId: 'sq-city' },
];
const leader: Identity = { sub: 'leader:sq-city', name: '市局负责人', groups: ['leader'], agencyId: 'sq-city' };
const countyLeader: Identity = { sub: 'leader:sq-shuyang', name: '县局负责人', groups: ['leader'], agencyId: 'sq-shuyang' };
const admin: Identity = { sub: 'admin', name: '法规处', groups: ['admin'] };
const officer: Identity = { sub: 'o', name: '李文静', groups: ['officer'], agencyId: 'sq-city', officerId: 'o1' };
const review = (step: string, agencyId = 'sq-city', status = 'IN_PROGRESS') => ({ step, status, agencyId });

const passed = Object.fromEntries(Object.keys(CHECKLIST_LABELS).map((p) => [p, { passed: true }]));

describe('what a leader is offered', () => {
  it('approval only to a leader of the agency or one above, at the approval step; the legal division records discussions but does not approve', () => {
    const at = review('AwaitLeaderApproval');
    expect(leaderActions(leader, at)).toEqual({ discuss: false, approve: true });
    expect(leaderActions(admin, at)).toEqual({ discuss: false, approve: false });
    expect(leaderActions(officer, at)).toEqual({ discuss: false, approve: false });
    const discussion = review('AwaitCollectiveDiscussion');
    expect(leaderActions(leader, discussion)).toEqual({ discuss: true, approve: false });
    expect(leaderActions(admin, discussion)).toEqual({ discuss: true, approve: false });
    // A county review: the city's leader (above) may act, another county's may not.
    const county = review('AwaitLeaderApproval', 'sq-shuyang');
    expect(leaderActions(leader, county, agencyChain('sq-shuyang', AGENCIES)).approve).toBe(true);
    expect(leaderActions(countyLeader, review('AwaitLeaderApproval', 'sq-siyang'), agencyChain('sq-siyang', AGENCIES)).approve).toBe(false);
    // Nothing once the review has ended, nor without a session.
    expect(leaderActions(leader, review('AwaitLeaderApproval', 'sq-city', 'PASSED'))).toEqual({ discuss: false, approve: false });
    expect(leaderActions(undefined, at)).toEqual({ discuss: false, approve: false });
  });

  it('the agencies to pick: a leader their own and those below, the legal division every one', () => {
    expect(agencyChain('sq-shuyang', AGENCIES)).toEqual(['sq-shuyang', 'sq-city']);
    expect(selectableAgencies(leader, AGENCIES).map((a) => a.id)).toEqual(['sq-city', 'sq-shuyang', 'sq-siyang']);
    expect(selectableAgencies(countyLeader, AGENCIES).map((a) => a.id)).toEqual(['sq-shuyang']);
    expect(selectableAgencies(admin, AGENCIES)).toHaveLength(3);
    expect(selectableAgencies({ groups: ['leader'] }, AGENCIES)).toEqual([]);
  });
});

describe("the reviewer's opinion in short", () => {
  it('counts the seven points and names the failed ones with their issue, in the checklist order', () => {
    expect(checklistResult(passed)).toEqual({ passed: 7, total: 7, failed: [] });
    const r = checklistResult({ ...passed, PROCEDURE: { passed: false, issue: '未告知听证权利' }, PARTY: { passed: false } });
    expect(r.passed).toBe(5);
    expect(r.failed).toEqual([
      { point: 'PARTY', label: '当事人认定是否准确' },
      { point: 'PROCEDURE', label: '程序是否合法', issue: '未告知听证权利' },
    ]);
  });

  it("uses the domain's own words for the points and outcomes", () => {
    expect(CHECKLIST_LABELS).toEqual(DOMAIN_CHECKLIST);
    expect(OPINION_OUTCOME_LABELS).toEqual(OUTCOME_LABELS);
  });

  it('says how long a review has waited', () => {
    const now = new Date('2026-05-10T08:00:00Z');
    expect(waitingText('2026-05-10T07:30:00Z', now)).toBe('等待不足 1 小时');
    expect(waitingText('2026-05-10T03:00:00Z', now)).toBe('已等待 5 小时');
    expect(waitingText('2026-05-07T07:00:00Z', now)).toBe('已等待 3 日');
  });
});

describe('the collective discussion record', () => {
  it('starts with today and three leaders, and becomes a body the API accepts once filled in', () => {
    const d = emptyDiscussion('2026-05-10');
    expect(leaderCount(d)).toBe(3);
    const filled = {
      ...d,
      chair: ' 张局长 ',
      participants: d.participants.map((p, i) => ({ ...p, name: ['张局长', '王副局长', '刘副局长'][i] ?? '', view: '同意审核意见' })),
      decision: 'APPROVE',
      summary: '经集体讨论，同意作出处罚决定。',
    };
    const body = discussionBody(filled, 4);
    expect(body.chair).toBe('张局长');
    expect(collectiveDiscussionBody.safeParse(body).success).toBe(true);
  });

  it("puts each of the API's errors beside its field, a participant's beside that participant, too few leaders beside the participants", () => {
    const d = emptyDiscussion('2026-05-10');
    const parsed = collectiveDiscussionBody.safeParse(discussionBody({ ...d, participants: d.participants.slice(0, 2) }, 1));
    expect(parsed.success).toBe(false);
    const error = toApiError(400, {
      error: { code: 'VALIDATION_FAILED', message: '请求参数无效', details: [...(parsed.error?.issues ?? []).map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })), { path: 'body.extra', message: '未知字段' }] },
    });
    const errors = formErrors(error, DISCUSSION_FIELDS);
    expect(Object.keys(errors.byField)).toEqual(expect.arrayContaining(['chair', 'participants', 'participants.0.name', 'participants.1.view', 'decision', 'summary']));
    expect(errors.general).toEqual(['未知字段']);

    const tooFew = formErrors(toApiError(422, { error: { code: 'TOO_FEW_LEADERS', message: '集体讨论须有至少 3 名负责人参加，现有 2 名', details: [] } }), DISCUSSION_FIELDS);
    expect(tooFew.byField.participants).toEqual(['集体讨论须有至少 3 名负责人参加，现有 2 名']);
  });

  it('keeps a draft per review, and reads back only well-formed participants', () => {
    const map = new Map<string, string>();
    const store: KeyValueStore = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
    saveDraft(store, 'k', { ...emptyDiscussion('2026-05-10'), chair: '张局长', participants: [{ name: '甲', role: 'MEMBER', view: 'x' }, 7, { name: 3, role: 'BOSS' }] });
    const back = loadDraft(store, 'k', emptyDiscussion('2026-05-11'));
    expect(back.chair).toBe('张局长');
    expect(back.date).toBe('2026-05-10');
    expect(cleanParticipants(back.participants)).toEqual([
      { name: '甲', role: 'MEMBER', view: 'x' },
      { name: '', role: 'LEADER', view: '' },
    ]);
  });
});

describe('the approval', () => {
  it('asks for a confirmation before an override only, and sends what the API accepts', () => {
    expect(needsConfirmation({ decision: 'OVERRIDE', reason: '' })).toBe(true);
    expect(needsConfirmation({ decision: 'APPROVE', reason: '' })).toBe(false);
    expect(approvalBody({ decision: 'APPROVE', reason: '  ' }, 3)).toEqual({ version: 3, decision: 'APPROVE' });
    const override = approvalBody({ decision: 'OVERRIDE', reason: '货值认定已由补充票据证实，审核意见所列问题已消除。' }, 3);
    expect(approvalSchema.safeParse(override).success).toBe(true);
    expect(emptyApproval()).toEqual({ decision: '', reason: '' });
  });

  it("shows the API's refusal of a short override reason beside the reason", () => {
    const parsed = approvalSchema.safeParse(approvalBody({ decision: 'OVERRIDE', reason: '不同意' }, 3));
    const error = toApiError(400, { error: { code: 'VALIDATION_FAILED', message: '请求参数无效', details: (parsed.error?.issues ?? []).map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })) } });
    expect(formErrors(error, APPROVAL_FIELDS).byField.reason?.[0]).toContain('不少于 10 字');
  });

  it('names the responsibility the API records for an override', () => {
    expect(readFileSync(new URL('../../shared/services/reviews.ts', import.meta.url), 'utf8')).toContain(`'${OVERRIDE_RESPONSIBILITY}'`);
  });
});

describe('a 409 and the reload', () => {
  const before = { version: 5, status: 'IN_PROGRESS', step: 'AwaitLeaderApproval', stepLabel: '待机关负责人审批', reviewerName: '赵审核', opinions: [{ reviewerName: '赵审核', outcome: 'APPROVE' }], discussions: [] };
  it('says what another person did meanwhile', () => {
    const after = { ...before, version: 7, status: 'PASSED', step: 'Passed', stepLabel: '法制审核通过', approval: { by: '王副局长', decision: 'OVERRIDE' as const, reason: '理由充分' } };
    expect(reviewChanges(before, after)).toEqual([
      '审核状态：审核中 → 法制审核通过',
      '当前步骤：「待机关负责人审批」→「法制审核通过」',
      '已由 王副局长 审批：改变审核意见（理由：理由充分）',
    ]);
    const discussed = { ...before, version: 6, step: 'AwaitLeaderApproval', discussions: [{ date: '2026-05-09', chair: '张局长', decision: 'APPROVE' as const }] };
    expect(reviewChanges(before, discussed)).toEqual(['已录入集体讨论：2026-05-09，主持人 张局长，同意作出决定']);
  });

  it('says the record was updated when nothing it shows changed, and nothing when the version is the same', () => {
    expect(reviewChanges(before, { ...before, version: 6 })).toEqual(['审核记录已被他人更新（版本 5 → 6）']);
    expect(reviewChanges(before, before)).toEqual([]);
  });
});

describe('the deadline board', () => {
  const item = (kind: string, state: string, daysLeft: number, subjectId = `s-${kind}-${daysLeft}`) => ({ kind, state, daysLeft, dueDate: `2026-05-${String(10 + daysLeft).padStart(2, '0')}`, subjectId });
  it('groups overdue before due soon, kinds in the check order, the most overdue first', () => {
    const groups = groupDeadlines([item('CASE_LIMIT', 'DUE_SOON', 5), item('PAYMENT', 'OVERDUE', -3), item('PAYMENT', 'OVERDUE', -9), item('PUBLICATION', 'OVERDUE', -1), item('SERVICE', 'DUE_SOON', 2)]);
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      ['已逾期', 3],
      ['即将到期', 2],
    ]);
    expect(groups[0]?.kinds.map((k) => k.label)).toEqual(['决定公示', '罚款缴纳（15 日，逾期加处罚款）']);
    expect(groups[0]?.kinds[1]?.items.map((i) => i.daysLeft)).toEqual([-9, -3]);
    expect(groups[1]?.kinds.map((k) => k.kind)).toEqual(['CASE_LIMIT', 'SERVICE']);
    expect(groupDeadlines([])).toEqual([]);
  });

  it('links the items about a case to the case page, not those about an officer or a review', () => {
    expect(deadlineCaseId({ kind: 'PAYMENT', subjectId: 'case-1' })).toBe('case-1');
    expect(deadlineCaseId({ kind: 'CASE_LIMIT', subjectId: 'case-2' })).toBe('case-2');
    expect(deadlineCaseId({ kind: 'CERTIFICATE', subjectId: 'officer-1' })).toBeUndefined();
    expect(deadlineCaseId({ kind: 'REVIEW_OPINION', subjectId: 'review-1' })).toBeUndefined();
  });
});
