/**
 * The calendar never stops the law (issue 11, point 2): a deadline that reaches a year without an
 * official holiday arrangement is counted Monday–Friday and marked provisional — the act goes ahead —
 * and once the year is entered every provisional deadline is recounted, with the change on the
 * decision's timeline.
 *
 * The year used is 2003: before the packaged data (2004–2026), in the past (so no date rule refuses
 * it), and touched by no other test file, which share this DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { createCalendar } from '../../shared/domain/working-days.ts';
import type { HolidayArrangement } from '../../shared/domain/holiday-overrides.ts';
import { recomputeProvisionalDeadlines } from '../../shared/services/provisional.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let leader: string;
let officer: string;
let agencyId: string;
const officerIds: string[] = [];
const powerCode = uniqueId('PV').toUpperCase();

interface DecisionView {
  version: number;
  status: string;
  publicationDue?: { dueDate: string; provisional?: { missingYears: number[]; note: string } };
  pendingWithdrawal?: { dueDate: string; provisional?: { missingYears: number[] } };
}

/** Test data, not the State Council's 2003 notice: one made-up festival that moves the deadlines. */
const made2003: HolidayArrangement = {
  year: 2003,
  notice: { title: '测试数据（非官方）', documentNo: '测试〔2003〕1号' },
  festivals: [{ name: '测试假期', off: ['2003-12-22', '2003-12-24'], work: ['2003-12-27'] }],
};

async function issuedDecision(decisionDate: string): Promise<{ caseId: string; decision: DecisionView }> {
  const body = '91321302MA1PW0001';
  const c = await api.fetchJson<{ id: string }>('/cases', {
    token: officer,
    json: {
      agencyId,
      enforcementType: 'PENALTY',
      powerCode,
      party: { kind: 'ORG', name: '宿迁市暂定期限测试有限公司', creditCode: body + creditCodeCheckChar(body), address: '宿迁市' },
      handlingOfficerIds: officerIds,
      filingDate: '2003-12-01',
      summary: '暂定期限测试',
    },
  });
  expect(c.status, c.text).toBe(201);
  const draft = await api.fetchJson<DecisionView>(`/cases/${c.body.id}/decision`, {
    method: 'PUT',
    token: officer,
    json: { version: 0, kind: 'PENALTY', decisionNo: `暂定〔2003〕${uniqueId('n')}号`, procedure: 'SIMPLE', conclusion: '给予警告', penalties: ['WARNING'], legalBasis: '依据条款', facts: '事实经过', documentText: '当事人经营超过保质期的食品，决定给予警告。', decisionDate },
  });
  expect(draft.status, draft.text).toBe(200);
  const issued = await api.fetchJson<DecisionView>(`/cases/${c.body.id}/decision/issue`, { token: leader, json: { version: draft.body.version } });
  expect(issued.status, issued.text).toBe(200);
  return { caseId: c.body.id, decision: issued.body };
}

const timeline = async (caseId: string) =>
  (await api.fetchJson<{ items: { type: string; label: string }[] }>(`/cases/${caseId}/timeline`, { token: officer })).body.items;

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  agencyId = uniqueId('prov');
  officer = await api.token(['officer'], { agencyId });
  leader = await api.token(['leader'], { agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `暂定期限测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 2; i++) {
    const o = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name: '暂定测试员', agencyId, certificateNo: `2${String(Date.now()).slice(-7)}${String(i).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    expect(o.status, o.text).toBe(201);
    officerIds.push(o.body.id);
  }
  // The power must be in force in 2003: a version from 2000 on.
  const earlier = await api.fetchJson('/powers', {
    token: admin,
    json: { code: powerCode, effectiveFrom: '2000-01-01', content: { name: '对经营超过保质期食品的行政处罚', type: 'PENALTY', agencyId, handlingDivision: '执法稽查局', legalBasis: '依据', timeLimit: '九十日', flowchart: '立案→调查→决定', serviceGuide: '咨询电话', remedies: '复议或诉讼', category: '食品安全' } },
  });
  expect(earlier.status, earlier.text).toBe(201);
});
afterAll(async () => api.stop());

describe('a deadline in a year without holiday data (issue 11)', () => {
  it('is counted Monday–Friday and marked provisional; issuing, publishing and recording a change all go ahead', async () => {
    const { caseId, decision } = await issuedDecision('2003-12-19');

    // Fri 19 Dec + 7, Monday–Friday: 22, 23, 24, 25, 26, 29, 30.
    expect(decision.status).toBe('ISSUED');
    expect(decision.publicationDue).toMatchObject({ dueDate: '2003-12-30', provisional: { missingYears: [2003] } });
    expect(decision.publicationDue?.provisional?.note).toContain('尚无 2003 年法定节假日安排');
    // The case view and the deadline list show it as provisional.
    const view = await api.fetchJson<{ decision: DecisionView }>(`/cases/${caseId}`, { token: officer });
    expect(view.body.decision.publicationDue?.provisional?.missingYears).toEqual([2003]);
    const list = await api.fetchJson<{ items: { subjectId: string; text: string; provisional?: { missingYears: number[] } }[] }>(`/compliance/deadlines?date=2003-12-29&agencyId=${agencyId}`, { token: leader });
    const item = list.body.items.find((i) => i.subjectId === caseId);
    expect(item?.provisional?.missingYears).toEqual([2003]);
    expect(item?.text).toContain('暂定');

    const published = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/publish`, { token: admin, json: { version: decision.version } });
    expect(published.status, published.text).toBe(200);
    const changed = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/changed`, { token: admin, json: { version: published.body.version, ground: 'REVOKED', changedOn: '2003-12-26', reason: '复议撤销' } });
    expect(changed.status, changed.text).toBe(200);
    // Fri 26 + 3, Monday–Friday: 29, 30, 31.
    expect(changed.body.pendingWithdrawal).toMatchObject({ dueDate: '2003-12-31', provisional: { missingYears: [2003] } });
  });

  it('is recounted once the year is entered: new due date, mark dropped, change on the timeline and the audit trail; a second run changes nothing', async () => {
    const { caseId } = await issuedDecision('2003-12-19');
    const calendar = createCalendar([made2003]);

    const first = await recomputeProvisionalDeadlines({ year: 2003, calendar });
    const again = await recomputeProvisionalDeadlines({ year: 2003, calendar });

    expect(first.changed).toBeGreaterThanOrEqual(1);
    const d = (await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { token: officer })).body;
    // 22–24 off, Sat 27 worked: 25, 26, 27, 29, 30, 31, then Thu 1 Jan 2004 is New Year's Day (package): Fri 2 Jan.
    expect(d.publicationDue?.dueDate).toBe('2004-01-02');
    expect(d.publicationDue?.provisional).toBeUndefined();
    const events = await timeline(caseId);
    expect(events.filter((e) => e.type === 'deadline.recounted').map((e) => e.label)).toEqual(['公示期限由 2003-12-30 改为 2004-01-02']);
    const audit = await api.fetchJson<{ items: { action: string; change: Record<string, unknown> }[] }>(`/audit/events?entityType=Decision&entityId=${caseId}`, { token: admin });
    expect(audit.body.items.find((e) => e.action === 'deadline.recount')?.change).toMatchObject({ from: '2003-12-30', to: '2004-01-02', provisional: false });
    // Idempotent: this decision is final now and out of the provisional set.
    expect(again.read).toBeLessThan(first.read);
    expect((await timeline(caseId)).filter((e) => e.type === 'deadline.recounted')).toHaveLength(1);
  });

  it('leaves a deadline provisional while its year is still missing, and writes nothing for it', async () => {
    const { caseId, decision } = await issuedDecision('2003-12-19');
    const before = decision.version;

    await recomputeProvisionalDeadlines({ year: 2003, calendar: createCalendar([]) });

    const d = (await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { token: officer })).body;
    expect([d.version, d.publicationDue?.dueDate, d.publicationDue?.provisional?.missingYears]).toEqual([before, '2003-12-30', [2003]]);
    expect((await timeline(caseId)).some((e) => e.type === 'deadline.recounted')).toBe(false);
  });
});
