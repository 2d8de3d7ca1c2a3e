/**
 * The legal review of major decisions end to end (L1–L7, N8–N10): the real ASL run by the local
 * workflow runner against the real handlers, driven through the HTTP API as each role would.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { emfLines, metricNames, serveNoticeAndWaive, startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
const handlers: string[] = [];
let reviewerA: { id: string; token: string };
let reviewerB: { id: string; token: string };
let newReviewer: { id: string; token: string };
let handlerReviewer: { id: string; token: string };
const powerCode = uniqueId('CFR').toUpperCase();
let certSeq = 0;

interface Err {
  error: { code: string; message: string };
}
interface ReviewView {
  id: string;
  version: number;
  status: string;
  step: string;
  stepLabel: string;
  reviewerId?: string;
  opinions: { outcome: string }[];
  supplements: unknown[];
  missing: string[];
}
interface DecisionView {
  version: number;
  status: string;
  draftHash: string;
}

const REQUIRED_PENALTY_MATERIALS = ['决定书草稿', '证据清单', '调查终结报告'];
const allPassed = Object.fromEntries(['JURISDICTION', 'PARTY', 'FACTS_AND_EVIDENCE', 'CHARACTERISATION', 'LEGAL_BASIS', 'PROCEDURE', 'APPROPRIATENESS'].map((p) => [p, { passed: true }]));
const opinion = (version: number, outcome: string, extra: Record<string, unknown> = {}) => ({
  version,
  checklist: outcome === 'APPROVE' ? allPassed : { ...allPassed, FACTS_AND_EVIDENCE: { passed: false, issue: '货值认定证据不足' } },
  documentsComplete: true,
  suspectedCrime: false,
  outcome,
  opinion: outcome === 'APPROVE' ? '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意作出决定。' : '货值认定证据不足，请补充进货票据后再报。',
  ...(outcome === 'RETURN' ? { requestedMaterials: ['进货票据'] } : {}),
  ...extra,
});

async function newOfficer(extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<{ id: string }>('/officers', {
    token: admin,
    json: { name: '审核测试员', agencyId, certificateNo: `6${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31', ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function reviewerToken(id: string) {
  return api.token(['reviewer'], { officerId: id, name: `审核员${id.slice(0, 4)}`, agencyId });
}

async function until(reviewId: string, token: string, step: string): Promise<ReviewView> {
  for (let i = 0; i < 100; i++) {
    const res = await api.fetchJson<ReviewView>(`/reviews/${reviewId}`, { token });
    if (res.body.step === step) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  const last = await api.fetchJson<ReviewView>(`/reviews/${reviewId}`, { token });
  throw new Error(`review ${reviewId} did not reach ${step}; it is in ${last.body.step} (${last.body.status})`);
}

/** A case with a general-procedure fine drafted: in the review scope. */
async function draftedCase(extra: Record<string, unknown> = {}) {
  const c = await api.fetchJson<{ id: string }>('/cases', {
    token: officer,
    json: {
      agencyId,
      enforcementType: 'PENALTY',
      powerCode,
      party: { kind: 'ORG', name: '宿迁市审核测试有限公司', creditCode: (() => { const b = '91321302MA1RE0001'; return b + creditCodeCheckChar(b); })() },
      handlingOfficerIds: handlers,
      filingDate: '2026-03-02',
      summary: '涉嫌销售不合格产品',
    },
  });
  expect(c.status, c.text).toBe(201);
  const d = await api.fetchJson<DecisionView>(`/cases/${c.body.id}/decision`, {
    method: 'PUT',
    token: officer,
    json: {
      version: 0,
      kind: 'PENALTY',
      procedure: 'GENERAL',
      conclusion: '罚款人民币八万元',
      penalties: ['FINE'],
      fine: '80000.00',
      legalBasis: '《中华人民共和国产品质量法》第四十九条',
      facts: '当事人销售不合格产品，货值二万元',
      decisionDate: '2026-04-20',
      ...extra,
    },
  });
  expect(d.status, d.text).toBe(200);
  // The prior notice (P1) served and waived: these tests are about the review that follows.
  await serveNoticeAndWaive(api, c.body.id, { officerIds: handlers });
  return { caseId: c.body.id, decision: d.body };
}

async function submit(caseId: string, version: number, materials = REQUIRED_PENALTY_MATERIALS) {
  return api.fetchJson<ReviewView & Err>(`/cases/${caseId}/decision/review`, { token: officer, json: { version, materials } });
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  agencyId = uniqueId('rev');
  officer = await api.token(['officer'], { name: '承办人', agencyId });
  leader = await api.token(['leader'], { name: '分管局长', agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `审核测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  handlerReviewer = { id: await newOfficer({ reviewer: true, legalQualification: true, division: '法规处' }), token: '' };
  handlers.push(handlerReviewer.id, await newOfficer());
  const a = await newOfficer({ reviewer: true, legalQualification: true, division: '法规处' });
  const b = await newOfficer({ reviewer: true, legalQualification: true, division: '法规处' });
  const n = await newOfficer({ reviewer: true, legalQualification: false, division: '法规处' });
  reviewerA = { id: a, token: await reviewerToken(a) };
  reviewerB = { id: b, token: await reviewerToken(b) };
  newReviewer = { id: n, token: await reviewerToken(n) };
  handlerReviewer.token = await reviewerToken(handlerReviewer.id);
  const power = await api.fetchJson('/powers', {
    token: admin,
    json: {
      code: powerCode,
      effectiveFrom: '2024-01-01',
      content: { name: '对销售不合格产品的行政处罚', type: 'PENALTY', agencyId, handlingDivision: '执法稽查局', legalBasis: '《产品质量法》第四十九条', timeLimit: '九十日', flowchart: '立案→调查→决定', serviceGuide: '咨询电话', remedies: '复议或诉讼', category: '食品安全' },
    },
  });
  expect(power.status).toBe(201);
});
afterAll(async () => api.stop());

const tokenOf = (reviewerId: string | undefined) => [reviewerA, reviewerB, newReviewer, handlerReviewer].find((r) => r.id === reviewerId)?.token ?? '';

describe('legal review workflow', () => {
  it('approve → leader approval → passed; only then can the decision be issued (L1)', async () => {
    const { caseId, decision } = await draftedCase();
    const submitted = await submit(caseId, decision.version);
    expect(submitted.status, submitted.text).toBe(201);
    const waiting = await until(submitted.body.id, admin, 'AwaitOpinion');
    // Never a handler of the case (N8 Art 49), never a first-time reviewer without the qualification (Art 51).
    expect([reviewerA.id, reviewerB.id]).toContain(waiting.reviewerId);

    // The gate holds while the review runs.
    const early = await api.fetchJson<Err>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: decision.version + 1 } });
    expect(early.status).toBe(409);

    // Out of turn: approval before the opinion → 409 naming the step.
    const approvalFirst = await api.fetchJson<Err>(`/reviews/${waiting.id}/approval`, { token: leader, json: { version: waiting.version, decision: 'APPROVE' } });
    expect([approvalFirst.status, approvalFirst.body.error.code]).toEqual([409, 'WRONG_STEP']);
    expect(approvalFirst.body.error.message).toContain('待审核人员出具审核意见');
    // Another reviewer cannot answer for the assigned one.
    const other = waiting.reviewerId === reviewerA.id ? reviewerB : reviewerA;
    expect((await api.fetchJson(`/reviews/${waiting.id}/opinion`, { token: other.token, json: opinion(waiting.version, 'APPROVE') })).status).toBe(403);
    // An opinion that contradicts its checklist is refused.
    const bad = await api.fetchJson<Err>(`/reviews/${waiting.id}/opinion`, { token: tokenOf(waiting.reviewerId), json: { ...opinion(waiting.version, 'APPROVE'), checklist: { ...allPassed, PROCEDURE: { passed: false } } } });
    expect(bad.status).toBe(400);

    // The assigned reviewer finds it in their queue; another reviewer does not.
    const queue = await api.fetchJson<{ items: { id: string; stepLabel: string }[] }>('/reviews?assignee=me&status=IN_PROGRESS', { token: tokenOf(waiting.reviewerId) });
    expect(queue.body.items.map((i) => i.id)).toContain(waiting.id);
    expect((await api.fetchJson<{ items: { id: string }[] }>('/reviews?assignee=me', { token: other.token })).body.items.map((i) => i.id)).not.toContain(waiting.id);

    const opined = await api.fetchJson<ReviewView>(`/reviews/${waiting.id}/opinion`, { token: tokenOf(waiting.reviewerId), json: opinion(waiting.version, 'APPROVE') });
    expect(opined.status, opined.text).toBe(200);
    const approving = await until(waiting.id, admin, 'AwaitLeaderApproval');
    // Reviews stay inside their agency chain: another bureau's leader cannot approve, nor read who answered for what.
    const outsider = await api.token(['leader', 'officer', 'reviewer'], { agencyId: uniqueId('other'), officerId: reviewerA.id === waiting.reviewerId ? reviewerB.id : reviewerA.id });
    const foreign = await api.fetchJson<Err>(`/reviews/${waiting.id}/approval`, { token: outsider, json: { version: approving.version, decision: 'APPROVE' } });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'AGENCY_FORBIDDEN']);
    expect((await api.fetchJson(`/cases/${caseId}/responsibility`, { token: outsider })).status).toBe(403);
    expect((await api.fetchJson(`/reviews/${waiting.id}`, { token: outsider })).status).toBe(403);
    expect((await until(waiting.id, admin, 'AwaitLeaderApproval')).version).toBe(approving.version);
    // The assigned reviewer reads the record of the review they answered for.
    expect((await api.fetchJson(`/cases/${caseId}/responsibility`, { token: tokenOf(waiting.reviewerId) })).status).toBe(200);
    const approved = await api.fetchJson<ReviewView>(`/reviews/${waiting.id}/approval`, { token: leader, json: { version: approving.version, decision: 'APPROVE' } });
    expect(approved.status, approved.text).toBe(200);
    const passed = await until(waiting.id, admin, 'Passed');
    expect(passed.status).toBe('PASSED');

    const d = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { token: officer });
    expect(d.body.status).toBe('REVIEW_PASSED');
    const stale = await api.fetchJson<Err>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: d.body.version - 1 } });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'VERSION_CONFLICT']);
    const issued = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: d.body.version } });
    expect(issued.status, issued.text).toBe(200);

    const resp = await api.fetchJson<{ reviews: { materials: { submittedBy: string }; reviewers: { outcome: string }[]; approval: { decision: string } }[] }>(`/cases/${caseId}/responsibility`, { token: leader });
    expect(resp.body.reviews[0]).toMatchObject({ materials: { submittedBy: '承办人' }, reviewers: [{ outcome: 'APPROVE' }], approval: { decision: 'APPROVE' } });
    const timeline = await api.fetchJson<{ items: { kind: string; type: string }[] }>(`/cases/${caseId}/timeline`, { token: officer });
    expect(timeline.body.items.filter((i) => i.kind === 'review').map((i) => i.type)).toEqual(
      expect.arrayContaining(['review.submitted', 'review.assigned', 'review.opinion', 'review.approval', 'review.outcome']),
    );
  });

  it('return for supplement twice, then approve: the same review continues with its history', async () => {
    const { caseId, decision } = await draftedCase();
    const submitted = await submit(caseId, decision.version);
    let r = await until(submitted.body.id, admin, 'AwaitOpinion');
    // Each opinion that returns the review counts ReviewsReturned once for the agency; approving does not.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const lines = await emfLines(async () => {
      for (let round = 0; round < 2; round++) {
        expect((await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: opinion(r.version, 'RETURN') })).status).toBe(200);
        r = await until(r.id, admin, 'AwaitSupplement');
        expect((await api.fetchJson(`/reviews/${r.id}/supplement`, { token: officer, json: { version: r.version, materials: [`进货票据${round}`] } })).status).toBe(200);
        r = await until(r.id, admin, 'AwaitOpinion');
      }
      expect((await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: opinion(r.version, 'APPROVE') })).status).toBe(200);
      r = await until(r.id, admin, 'AwaitLeaderApproval');
    }).finally(() => vi.unstubAllEnvs());
    expect(metricNames(lines)).toEqual([
      ['ReviewsReturned', agencyId, 1],
      ['ReviewsReturned', agencyId, 1],
    ]);
    expect(r.opinions.map((o) => o.outcome)).toEqual(['RETURN', 'RETURN', 'APPROVE']);
    expect(r.supplements).toHaveLength(2);
  });

  it('amend → handling division disputes → collective discussion → leader overrides with a reason (L6, L7)', async () => {
    const { caseId, decision } = await draftedCase();
    const submitted = await submit(caseId, decision.version);
    let r = await until(submitted.body.id, admin, 'AwaitOpinion');
    expect((await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: opinion(r.version, 'AMEND') })).status).toBe(200);
    r = await until(r.id, admin, 'AwaitCoordination');
    expect((await api.fetchJson(`/reviews/${r.id}/coordination`, { token: officer, json: { version: r.version, response: 'DISPUTE', reason: '货值已有发票佐证' } })).status).toBe(200);
    r = await until(r.id, admin, 'AwaitCollectiveDiscussion');
    // The leaders' list of what waits for them (issue 16, point 4): this review, at its step; not for officers or another bureau.
    const waitingForLeaders = async (token: string) => api.fetchJson<{ items: { id: string; step: string; stepLabel: string }[] }>(`/reviews/awaiting-leaders?agencyId=${agencyId}`, { token });
    expect((await waitingForLeaders(leader)).body.items.find((i) => i.id === r.id)).toMatchObject({ step: 'AwaitCollectiveDiscussion', stepLabel: expect.any(String) });
    expect((await waitingForLeaders(officer)).status).toBe(403);
    expect((await waitingForLeaders(await api.token(['leader'], { agencyId: uniqueId('other') }))).status).toBe(403);
    const discussion = {
      version: r.version,
      date: '2026-04-15',
      chair: '局长甲',
      participants: [
        { name: '局长甲', role: 'LEADER', view: '同意' },
        { name: '副局长乙', role: 'LEADER', view: '同意' },
        { name: '法规处长丁', role: 'MEMBER', view: '保留意见' },
      ],
      decision: 'APPROVE',
      summary: '经集体讨论，同意按原决定作出',
    };
    const tooFew = await api.fetchJson<Err>(`/reviews/${r.id}/collective-discussion`, { token: leader, json: discussion });
    expect([tooFew.status, tooFew.body.error.code]).toEqual([422, 'TOO_FEW_LEADERS']);
    const ok = await api.fetchJson(`/reviews/${r.id}/collective-discussion`, {
      token: leader,
      json: { ...discussion, participants: [...discussion.participants, { name: '副局长丙', role: 'LEADER', view: '同意' }] },
    });
    expect(ok.status, ok.text).toBe(200);
    r = await until(r.id, admin, 'AwaitLeaderApproval');
    expect((await waitingForLeaders(leader)).body.items.find((i) => i.id === r.id)?.step).toBe('AwaitLeaderApproval');
    const noReason = await api.fetchJson(`/reviews/${r.id}/approval`, { token: leader, json: { version: r.version, decision: 'OVERRIDE' } });
    expect(noReason.status).toBe(400);
    expect((await api.fetchJson(`/reviews/${r.id}/approval`, { token: leader, json: { version: r.version, decision: 'OVERRIDE', reason: '集体讨论认定证据充分，改变审核意见' } })).status).toBe(200);
    r = await until(r.id, admin, 'Passed');
    expect((await waitingForLeaders(leader)).body.items.map((i) => i.id)).not.toContain(r.id);
    const resp = await api.fetchJson<{ reviews: { approval: { decision: string; responsibility: string } }[] }>(`/cases/${caseId}/responsibility`, { token: leader });
    expect(resp.body.reviews[0]?.approval).toMatchObject({ decision: 'OVERRIDE', responsibility: expect.stringContaining('承担') });
  });

  it('amend → the handling division applies the amendment and accepts → the amended draft passes and can be issued', async () => {
    const { caseId, decision } = await draftedCase();
    const submitted = await submit(caseId, decision.version);
    let r = await until(submitted.body.id, admin, 'AwaitOpinion');
    // Editing the draft is refused while the reviewer works...
    const early = await api.fetchJson<Err>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: { version: decision.version + 1, kind: 'PENALTY' } });
    expect(early.status).toBe(400);
    expect((await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: opinion(r.version, 'AMEND') })).status).toBe(200);
    r = await until(r.id, admin, 'AwaitCoordination');
    // ...and allowed while the handling division weighs the amendment.
    const current = await api.fetchJson<DecisionView & { draft: Record<string, unknown> }>(`/cases/${caseId}/decision`, { token: officer });
    const { draft } = current.body;
    const amended = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, {
      method: 'PUT',
      token: officer,
      json: { ...draft, version: current.body.version, fine: '60000.00', conclusion: '罚款人民币六万元' },
    });
    expect(amended.status, amended.text).toBe(200);
    expect(amended.body.status).toBe('IN_REVIEW');
    expect((await api.fetchJson(`/reviews/${r.id}/coordination`, { token: officer, json: { version: r.version, response: 'ACCEPT', reason: '按审核意见修改罚款金额' } })).status).toBe(200);
    r = await until(r.id, admin, 'AwaitLeaderApproval');
    expect((await api.fetchJson(`/reviews/${r.id}/approval`, { token: leader, json: { version: r.version, decision: 'APPROVE' } })).status).toBe(200);
    await until(r.id, admin, 'Passed');
    const d = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { token: officer });
    expect([d.body.status, d.body.draftHash]).toEqual(['REVIEW_PASSED', amended.body.draftHash]);
    expect((await api.fetchJson(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: d.body.version } })).status).toBe(200);
  });

  it('missing materials: the handling division supplements before a reviewer is assigned', async () => {
    const { caseId, decision } = await draftedCase();
    const submitted = await submit(caseId, decision.version, ['决定书草稿']);
    let r = await until(submitted.body.id, admin, 'AwaitMaterials');
    expect(r.missing).toEqual(['证据清单', '调查终结报告']);
    expect((await api.fetchJson(`/reviews/${r.id}/supplement`, { token: officer, json: { version: r.version, materials: ['证据清单', '调查终结报告'] } })).status).toBe(200);
    r = await until(r.id, admin, 'AwaitOpinion');
    expect(r.reviewerId).toBeDefined();
  });

  it('the gate cannot be bypassed: editing a reviewed draft, resubmitting, a decision outside the scope', async () => {
    const { caseId, decision } = await draftedCase();
    // A second submission while one runs is refused.
    const submitted = await submit(caseId, decision.version);
    expect(submitted.status).toBe(201);
    const again = await submit(caseId, decision.version + 1);
    expect(again.status).toBe(409);
    // The draft cannot be edited while under review.
    const edit = await api.fetchJson<Err>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: { version: decision.version + 1, kind: 'PENALTY' } });
    expect(edit.status).toBe(400);
    // An admin may reassign; never to a handler of the case nor to a first-time reviewer without the qualification.
    const r = await until(submitted.body.id, admin, 'AwaitOpinion');
    const toHandler = await api.fetchJson<Err>(`/reviews/${r.id}/reassign`, { token: admin, json: { version: r.version, reviewerId: handlerReviewer.id, reason: '改派' } });
    expect([toHandler.status, toHandler.body.error.code]).toEqual([422, 'REVIEWER_NOT_ELIGIBLE']);
    const toNew = await api.fetchJson<Err>(`/reviews/${r.id}/reassign`, { token: admin, json: { version: r.version, reviewerId: newReviewer.id, reason: '改派' } });
    expect([toNew.status, toNew.body.error.code]).toEqual([422, 'REVIEWER_NOT_ELIGIBLE']);
    expect(toNew.body.error.message).toContain('法律职业资格');
  });

  it('withdraw, change the draft and resubmit: the old review opens nothing, the new one must pass', async () => {
    const { caseId, decision } = await draftedCase();
    const first = await submit(caseId, decision.version);
    let old = await until(first.body.id, admin, 'AwaitOpinion');
    const withdrawn = await api.fetchJson<ReviewView>(`/reviews/${old.id}/withdraw`, { token: officer, json: { version: old.version, reason: '需修改罚款金额' } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    const d = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { token: officer });
    expect(d.body.status).toBe('DRAFT');
    // The withdrawn review's steps are closed.
    old = (await api.fetchJson<ReviewView>(`/reviews/${old.id}`, { token: admin })).body;
    const late = await api.fetchJson<Err>(`/reviews/${old.id}/opinion`, { token: tokenOf(old.reviewerId), json: opinion(old.version, 'APPROVE') });
    expect([late.status, late.body.error.code]).toEqual([409, 'WRONG_STEP']);
    // A changed draft is a new submission, and still cannot be issued without passing.
    const changed = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, {
      method: 'PUT',
      token: officer,
      json: { version: d.body.version, kind: 'PENALTY', procedure: 'GENERAL', conclusion: '罚款人民币六万元', penalties: ['FINE'], fine: '60000.00', legalBasis: '《产品质量法》第四十九条', facts: '当事人销售不合格产品', decisionDate: '2026-04-20' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await api.fetchJson<Err>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: changed.body.version } })).body.error.code).toBe('REVIEW_REQUIRED');
    const second = await submit(caseId, changed.body.version);
    expect(second.status, second.text).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('concurrent approvals: exactly one is taken, the others are refused and nothing is recorded twice', async () => {
    const { caseId, decision } = await draftedCase();
    const submitted = await submit(caseId, decision.version);
    let r = await until(submitted.body.id, admin, 'AwaitOpinion');
    expect((await api.fetchJson(`/reviews/${r.id}/opinion`, { token: tokenOf(r.reviewerId), json: opinion(r.version, 'APPROVE') })).status).toBe(200);
    r = await until(r.id, admin, 'AwaitLeaderApproval');
    const leaders = await Promise.all([0, 1, 2, 3].map((i) => api.token(['leader'], { name: `负责人${i}`, agencyId })));
    const results = await Promise.all(
      leaders.map((t, i) => api.fetchJson<Err>(`/reviews/${r.id}/approval`, { token: t, json: { version: r.version, decision: i % 2 ? 'REJECT' : 'APPROVE' } })),
    );
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409)).toHaveLength(3);
    const done = await until(r.id, admin, results.findIndex((x) => x.status === 200) % 2 ? 'Rejected' : 'Passed');
    expect(done.status).toBe(results.findIndex((x) => x.status === 200) % 2 ? 'REJECTED' : 'PASSED');
  });

  it('staffing: reviewers ÷ officers per agency and overall (L2)', async () => {
    const res = await api.fetchJson<{ minimumRatio: number; overall: { ratio: number }; agencies: { agencyId: string; reviewers: number; officers: number; belowMinimum: boolean }[] }>('/compliance/review-staffing', { token: leader });
    expect(res.status).toBe(200);
    expect(res.body.minimumRatio).toBe(0.05);
    const mine = res.body.agencies.find((a) => a.agencyId === agencyId);
    expect(mine).toMatchObject({ reviewers: 4, officers: 5, belowMinimum: false });
    expect((await api.fetchJson('/compliance/review-staffing', { token: officer })).status).toBe(403);
  });
});
