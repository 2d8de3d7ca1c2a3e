/**
 * The console's review logic (issue 16, point 3; N9, L1–L7): the queue's order and due words, what a
 * review waits for, and the opinion form — which must refuse exactly what the API's schema refuses,
 * since both run shared/domain/review-opinion.ts's rule.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../console/src/api/types.ts';
import { toApiError } from '../../console/src/lib/errors.ts';
import {
  allowedOutcomes,
  byOpinionDue,
  emptyOpinionDraft,
  loadOpinionDraft,
  materialsOf,
  normaliseOpinionDraft,
  opinionDraftKey,
  opinionDue,
  opinionErrors,
  opinionFieldOf,
  reviewChanges,
  toOpinionBody,
  waitingText,
  waitsForMe,
  type OpinionDraft,
} from '../../console/src/lib/review.ts';
import type { KeyValueStore } from '../../console/src/lib/session.ts';
import { opinionBody } from '../../shared/domain/review.ts';
import { CHECKLIST_POINTS, OPINION_OUTCOMES } from '../../shared/domain/review-opinion.ts';

const review = (over: Partial<ReviewView> = {}): ReviewView => ({
  id: 'r1',
  caseId: 'c1',
  caseNo: '宿市监立〔2026〕1号',
  agencyId: 'a1',
  decisionNo: '（作出决定时生成文号）',
  status: 'IN_PROGRESS',
  step: 'AwaitOpinion',
  stepLabel: '待审核人员出具审核意见',
  reviewerId: 'o-rev',
  reviewerName: '周法审',
  opinionDueDate: '2026-12-10',
  materials: ['决定书草稿'],
  missing: [],
  opinions: [],
  supplements: [],
  assignments: [],
  submittedBy: '李文静',
  submittedAt: '2026-12-01T02:00:00Z',
  version: 3,
  updatedAt: '2026-12-01T02:00:00Z',
  ...over,
});

/** A complete draft: every point passed, documents complete, no crime, approve. */
const passing = (): OpinionDraft => {
  const d = emptyOpinionDraft();
  for (const p of CHECKLIST_POINTS) d.checklist[p].judgement = 'PASS';
  return { ...d, documentsComplete: 'YES', suspectedCrime: 'NO', outcome: 'APPROVE', opinion: '事实清楚，证据确凿，程序合法，同意作出决定。' };
};

const withFailedFacts = (outcome: OpinionDraft['outcome'], extra: Partial<OpinionDraft> = {}): OpinionDraft => {
  const d = passing();
  d.checklist.FACTS_AND_EVIDENCE = { judgement: 'FAIL', issue: '货值认定证据不足', comment: '' };
  return { ...d, outcome, ...extra };
};

describe('审核任务 order and words', () => {
  it('puts reviews waiting for an opinion first, overdue first, then the nearest due date; answered ones after, latest first', () => {
    const items = [
      review({ id: 'done-old', caseNo: 'A', step: 'AwaitLeaderApproval', opinionDueDate: '2026-11-01', updatedAt: '2026-11-02T00:00:00Z' }),
      review({ id: 'later', caseNo: 'B', opinionDueDate: '2026-12-20' }),
      review({ id: 'done-new', caseNo: 'C', status: 'PASSED', step: 'Passed', updatedAt: '2026-11-20T00:00:00Z' }),
      review({ id: 'overdue', caseNo: 'D', opinionDueDate: '2026-11-28' }),
      review({ id: 'undated', caseNo: 'E', opinionDueDate: undefined }),
      review({ id: 'soon', caseNo: 'F', opinionDueDate: '2026-12-03' }),
    ];
    expect(items.sort(byOpinionDue).map((r) => r.id)).toEqual(['overdue', 'soon', 'later', 'undated', 'done-new', 'done-old']);
  });

  it('says how near the opinion is due, only while the opinion is awaited', () => {
    expect(opinionDue(review({ opinionDueDate: '2026-11-30' }), '2026-12-02')).toEqual({ tone: 'overdue', text: '已逾期 2 日' });
    expect(opinionDue(review({ opinionDueDate: '2026-12-02' }), '2026-12-02')).toEqual({ tone: 'soon', text: '今日到期' });
    expect(opinionDue(review({ opinionDueDate: '2026-12-09' }), '2026-12-02')).toEqual({ tone: 'ok', text: '剩余 7 日' });
    expect(opinionDue(review({ step: 'AwaitLeaderApproval', opinionDueDate: '2026-11-01' }), '2026-12-02').tone).toBe('done');
  });

  it('shows the form only to the assigned reviewer in AwaitOpinion, and tells everyone else what the review waits for', () => {
    expect(waitsForMe(review(), 'o-rev')).toBe(true);
    expect(waitsForMe(review(), 'o-other')).toBe(false);
    expect(waitsForMe(review(), undefined)).toBe(false);
    expect(waitsForMe(review({ step: 'AwaitSupplement' }), 'o-rev')).toBe(false);
    expect(waitingText(review(), 'o-other')).toContain('等待审核人员 周法审 出具审核意见');
    expect(waitingText(review({ step: 'AwaitSupplement', stepLabel: '退回补充材料，待承办机构补充' }), 'o-rev')).toBe('当前步骤：退回补充材料，待承办机构补充，等待承办机构。');
    expect(waitingText(review({ step: 'AwaitLeaderApproval', stepLabel: '待机关负责人审批' }), 'o-rev')).toBe('当前步骤：待机关负责人审批，等待机关负责人。');
    expect(waitingText(review({ status: 'PASSED', step: 'Passed' }), 'o-rev')).toBe('审核已结束：审核通过。');
  });
});

describe('the opinion form enforces the outcome rule as the API does', () => {
  it('offers only 同意 when everything passed, and never 同意 otherwise; all outcomes before everything is judged', () => {
    expect(allowedOutcomes(emptyOpinionDraft())).toEqual([...OPINION_OUTCOMES]);
    expect(allowedOutcomes(passing())).toEqual(['APPROVE']);
    expect(allowedOutcomes(withFailedFacts(''))).toEqual(['RETURN', 'AMEND', 'DISAGREE']);
    expect(allowedOutcomes({ ...passing(), documentsComplete: 'NO' })).toEqual(['RETURN', 'AMEND', 'DISAGREE']);
    expect(allowedOutcomes({ ...passing(), suspectedCrime: 'YES' })).toEqual(['RETURN', 'AMEND', 'DISAGREE']);
  });

  it('builds the body the API accepts for an approval, with no materials', () => {
    const r = toOpinionBody(passing(), 3);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.version).toBe(3);
    expect(r.body.requestedMaterials).toEqual([]);
    expect(opinionBody.safeParse(r.body).success).toBe(true);
  });

  it('a return lists its materials, one a line, and the failed point its issue', () => {
    const r = toOpinionBody(withFailedFacts('RETURN', { requestedMaterials: '进货票据\n\n  检验报告 ', opinion: '货值认定证据不足，请补充进货票据后再报。' }), 1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.requestedMaterials).toEqual(['进货票据', '检验报告']);
    expect(r.body.checklist.FACTS_AND_EVIDENCE).toEqual({ passed: false, issue: '货值认定证据不足' });
    expect(opinionBody.safeParse(r.body).success).toBe(true);
  });

  it('refuses, beside each field, what is not answered or breaks the rule', () => {
    const empty = toOpinionBody(emptyOpinionDraft(), 1);
    expect(empty.ok).toBe(false);
    if (empty.ok) return;
    for (const p of CHECKLIST_POINTS) expect(empty.problems[`checklist.${p}`]).toEqual(['请判断此要点是否通过']);
    expect(Object.keys(empty.problems).sort()).toEqual([...CHECKLIST_POINTS.map((p) => `checklist.${p}`), 'documentsComplete', 'opinion', 'outcome', 'suspectedCrime'].sort());

    const noIssue = withFailedFacts('AMEND');
    noIssue.checklist.FACTS_AND_EVIDENCE.issue = ' ';
    const r1 = toOpinionBody(noIssue, 1);
    expect(!r1.ok && r1.problems['checklist.FACTS_AND_EVIDENCE']).toEqual(['未通过的审核要点须写明问题']);

    const r2 = toOpinionBody(withFailedFacts('RETURN'), 1);
    expect(!r2.ok && r2.problems.requestedMaterials).toEqual(['退回补充须列明所需材料']);
  });

  it('agrees with the API schema on every outcome against every kind of checklist', () => {
    const drafts = [passing(), withFailedFacts(''), { ...passing(), documentsComplete: 'NO' as const }, { ...passing(), suspectedCrime: 'YES' as const }];
    for (const base of drafts) {
      for (const outcome of OPINION_OUTCOMES) {
        for (const materials of ['', '进货票据']) {
          const d: OpinionDraft = { ...base, outcome, requestedMaterials: materials };
          const form = toOpinionBody(d, 1);
          // The body the API would receive if the form did not check anything itself.
          const raw = {
            version: 1,
            checklist: Object.fromEntries(CHECKLIST_POINTS.map((p) => [p, { passed: d.checklist[p].judgement === 'PASS', ...(d.checklist[p].issue ? { issue: d.checklist[p].issue } : {}) }])),
            documentsComplete: d.documentsComplete === 'YES',
            suspectedCrime: d.suspectedCrime === 'YES',
            outcome,
            opinion: d.opinion,
            requestedMaterials: outcome === 'RETURN' ? materialsOf(materials) : [],
          };
          expect(form.ok, `${outcome} ${JSON.stringify(base.checklist.FACTS_AND_EVIDENCE)} ${base.documentsComplete} ${base.suspectedCrime} ${materials}`).toBe(opinionBody.safeParse(raw).success);
        }
      }
    }
  });
});

describe('API errors, drafts and conflicts', () => {
  it("places the API's details beside their fields, the rest above the form", () => {
    expect(opinionFieldOf('body.checklist.PARTY.issue')).toBe('checklist.PARTY');
    expect(opinionFieldOf('body.outcome')).toBe('outcome');
    expect(opinionFieldOf('requestedMaterials.0')).toBe('requestedMaterials');
    expect(opinionFieldOf('step')).toBeUndefined();
    const e = toApiError(422, { error: { code: 'VALIDATION_FAILED', message: '请求参数无效', details: [{ path: 'body.outcome', message: '不能同意' }, { path: 'step', message: '待机关负责人审批' }] } });
    expect(opinionErrors(e)).toEqual({ byField: { outcome: ['不能同意'] }, general: ['待机关负责人审批'] });
  });

  it('keeps a draft per review and drops what a damaged draft holds', () => {
    const map = new Map<string, string>();
    const store: KeyValueStore = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
    expect(loadOpinionDraft(store, 'r1')).toEqual(emptyOpinionDraft());
    store.setItem(opinionDraftKey('r1'), JSON.stringify(withFailedFacts('RETURN', { requestedMaterials: '进货票据' })));
    expect(loadOpinionDraft(store, 'r1')).toEqual(withFailedFacts('RETURN', { requestedMaterials: '进货票据' }));
    expect(loadOpinionDraft(store, 'r2')).toEqual(emptyOpinionDraft());
    store.setItem(opinionDraftKey('r3'), '{not json');
    expect(loadOpinionDraft(store, 'r3')).toEqual(emptyOpinionDraft());
    const odd = normaliseOpinionDraft({ outcome: 'MAYBE', opinion: 5, checklist: { PARTY: { judgement: 'PASS', issue: 1 } } });
    expect(odd.outcome).toBe('');
    expect(odd.opinion).toBe('');
    expect(odd.checklist.PARTY).toEqual({ judgement: 'PASS', issue: '', comment: '' });
    expect(odd.checklist.JURISDICTION.judgement).toBe('');
  });

  it('says what changed after a 409', () => {
    const before = review();
    const after = review({
      step: 'AwaitLeaderApproval',
      stepLabel: '待机关负责人审批',
      version: 5,
      opinions: [{ id: 'o1', at: '2026-12-02T01:00:00Z', reviewerName: '周法审', outcome: 'APPROVE', opinion: '同意', requestedMaterials: [] }],
    });
    expect(reviewChanges(before, after)).toEqual(['当前步骤：待审核人员出具审核意见 → 待机关负责人审批', '新的审核意见：周法审（同意）']);
    expect(reviewChanges(before, review({ version: 4 }))).toEqual(['审核记录已被他人更新（版本 3 → 4）']);
    expect(reviewChanges(before, review({ reviewerId: 'o-2', reviewerName: '王审核' }))).toEqual(['审核人员：周法审 → 王审核']);
    const reassigned = review({ version: 4, assignments: [{ at: '2026-12-02T03:00:00Z', reviewerId: 'o-rev', reviewerName: '周法审', by: '法规处管理员', reason: '核对分配' }] });
    expect(reviewChanges(before, reassigned)).toEqual(['法规处管理员 改派审核人员为 周法审：核对分配']);
  });
});
