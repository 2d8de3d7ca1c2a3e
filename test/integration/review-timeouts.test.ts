/**
 * A person's step that runs out of time is escalated and the review waits again (N9), with the real
 * handlers: human-step timeouts shrunk for this file's own local system (LOCAL_WORKFLOW_TIME_SCALE).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;

interface ReviewView {
  id: string;
  version: number;
  step: string;
  reviewerId?: string;
  escalations: { step: string; reason: string }[];
}

beforeAll(async () => {
  // 3-day heartbeat → about 0.5 s; 23-day timeout → about 4 s.
  process.env.LOCAL_WORKFLOW_TIME_SCALE = '2e-6';
  api = await startApi();
});
afterAll(async () => {
  await api.stop();
  delete process.env.LOCAL_WORKFLOW_TIME_SCALE;
});

it('an opinion not given in time is escalated, and the reviewer can still give it afterwards', async () => {
  const admin = await api.token(['admin']);
  const agencyId = uniqueId('tmo');
  const officer = await api.token(['officer'], { agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `超时测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  const officerIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name: '超时测试员', agencyId, certificateNo: `5${String(Date.now()).slice(-7)}${i}00`, categories: ['综合执法'], region: '测试市', validUntil: '2029-12-31', ...(i === 2 ? { reviewer: true, legalQualification: true } : {}) },
    });
    expect(res.status, res.text).toBe(201);
    officerIds.push(res.body.id);
  }
  const code = uniqueId('TMO').toUpperCase();
  expect(
    (
      await api.fetchJson('/powers', {
        token: admin,
        json: { code, effectiveFrom: '2024-01-01', content: { name: '超时测试处罚事项', type: 'PENALTY', agencyId, handlingDivision: '稽查局', legalBasis: '依据', timeLimit: '九十日', flowchart: '流程', serviceGuide: '指南', remedies: '复议' } },
      })
    ).status,
  ).toBe(201);
  const creditBody = '91321302MA1TM0001';
  const c = await api.fetchJson<{ id: string }>('/cases', {
    token: officer,
    json: { agencyId, enforcementType: 'PENALTY', powerCode: code, party: { kind: 'ORG', name: '超时测试公司', creditCode: creditBody + creditCodeCheckChar(creditBody) }, handlingOfficerIds: officerIds.slice(0, 2), filingDate: '2026-03-02', summary: '超时测试' },
  });
  expect(c.status, c.text).toBe(201);
  const d = await api.fetchJson<{ version: number }>(`/cases/${c.body.id}/decision`, {
    method: 'PUT',
    token: officer,
    json: { version: 0, kind: 'PENALTY', procedure: 'GENERAL', conclusion: '罚款', penalties: ['FINE'], fine: '5000.00', legalBasis: '依据条款', facts: '事实经过', decisionDate: '2026-04-20' },
  });
  const submitted = await api.fetchJson<ReviewView>(`/cases/${c.body.id}/decision/review`, { token: officer, json: { version: d.body.version, materials: ['决定书草稿', '证据清单', '调查终结报告'] } });
  expect(submitted.status, submitted.text).toBe(201);

  let review: ReviewView | undefined;
  for (let i = 0; i < 200; i++) {
    review = (await api.fetchJson<ReviewView>(`/reviews/${submitted.body.id}`, { token: admin })).body;
    if (review.escalations.length > 0 && review.step === 'AwaitOpinion') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(review?.escalations[0]).toMatchObject({ step: 'AwaitOpinion' });
  expect(['States.Timeout', 'States.HeartbeatTimeout']).toContain(review?.escalations[0]?.reason);
  const timeline = await api.fetchJson<{ items: { type: string }[] }>(`/cases/${c.body.id}/timeline`, { token: officer });
  expect(timeline.body.items.map((i) => i.type)).toContain('review.escalated');

  // The agency's own reviewer, never one of another agency (other test files create plenty).
  expect(review?.reviewerId).toBe(officerIds[2]);
  // After the escalation the step is open again with a fresh token: the opinion is accepted.
  const reviewer = await api.token(['reviewer'], { officerId: officerIds[2], agencyId });
  const checklist = Object.fromEntries(['JURISDICTION', 'PARTY', 'FACTS_AND_EVIDENCE', 'CHARACTERISATION', 'LEGAL_BASIS', 'PROCEDURE', 'APPROPRIATENESS'].map((p) => [p, { passed: true }]));
  const missingPoint = await api.fetchJson(`/reviews/${submitted.body.id}/opinion`, {
    token: reviewer,
    json: { version: review?.version, checklist: { ...checklist, PROCEDURE: undefined }, documentsComplete: true, suspectedCrime: false, outcome: 'APPROVE', opinion: '同意作出决定，事实清楚证据确凿。' },
  });
  expect(missingPoint.status).toBe(400);
  let given = { status: 0 };
  for (let i = 0; i < 20 && given.status !== 200; i++) {
    const fresh = (await api.fetchJson<ReviewView>(`/reviews/${submitted.body.id}`, { token: admin })).body;
    given = await api.fetchJson(`/reviews/${submitted.body.id}/opinion`, {
      token: reviewer,
      json: { version: fresh.version, checklist, documentsComplete: true, suspectedCrime: false, outcome: 'APPROVE', opinion: '同意作出决定，事实清楚证据确凿。' },
    });
  }
  expect(given.status).toBe(200);
});
