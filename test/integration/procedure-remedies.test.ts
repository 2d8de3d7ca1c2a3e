/**
 * Remedies against a penalty decision through the HTTP API (P6, N4): filing reconsideration or litigation,
 * the windows from the 决定书's service, an outcome that revokes a published decision (its withdrawal is
 * due within 3 working days), one that changes a decision not yet public, and the enforcement application
 * due when no remedy was sought and the fine is unpaid (行政强制法 Art 53).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { addCalendarDays, calendarDaysBetween } from '../../shared/domain/working-days.ts';
import { startApi, type TestApi } from './helpers.ts';
import { issuedFine, setUpAgency, type Agency, type Err, type IssuedDecision } from './penalty-fixture.ts';

let api: TestApi;
let a: Agency;
const today = shanghaiToday();

interface Remedy {
  id: string;
  late: boolean;
  stage: string;
  outcome?: { outcome: string; publication: { effect: string; dueDate?: string } };
}
interface Remedies {
  servedOn: string | null;
  windows: { reconsiderationUntil: string; litigationUntil: string; reconsiderationOpen: boolean; litigationOpen: boolean } | null;
  items: Remedy[];
  enforcementApplicationDue: { from: string; until: string; overdue: boolean } | null;
  publicationMustReflect: { outcome: string; ground: string; action: string }[];
}

beforeAll(async () => {
  api = await startApi();
  a = await setUpAgency(api, 'rem');
});
afterAll(async () => api.stop());

const remedies = async (caseId: string) => (await api.fetchJson<Remedies>(`/cases/${caseId}/remedies`, { token: a.officer })).body;
const file = (caseId: string, body: Record<string, unknown>) =>
  api.fetchJson<Remedy & Err>(`/cases/${caseId}/remedies`, { token: a.officer, json: { kind: 'RECONSIDERATION', body: '测试市人民政府', caseNumber: '测政复〔2026〕12号', filedOn: today, ...body } });
const outcome = (caseId: string, id: string, body: Record<string, unknown>) =>
  api.fetchJson<Remedy & Err>(`/cases/${caseId}/remedies/${id}/outcome`, { token: a.officer, json: { decidedOn: today, documentReference: '测政复决字〔2026〕12号', ...body } });

describe('remedies (P6)', () => {
  it('files a reconsideration; REVOKED on a published decision records the change: withdrawal due within 3 working days', async () => {
    const served = addCalendarDays(today, -5);
    const { caseId, decision } = await issuedFine(api, a, '30000.00', { filing: addCalendarDays(today, -30), notice: addCalendarDays(today, -20), decision: addCalendarDays(today, -10), served });
    const published = await api.fetchJson<IssuedDecision>(`/cases/${caseId}/decision/publish`, { token: a.admin, json: { version: decision.version } });
    expect(published.status, published.text).toBe(200);

    const early = await file(caseId, { filedOn: addCalendarDays(today, -11) });
    expect([early.status, early.body.error.code]).toEqual([422, 'REMEDY_BEFORE_DECISION']);
    const future = await file(caseId, { filedOn: addCalendarDays(today, 1) });
    expect([future.status, future.body.error.code]).toEqual([422, 'REMEDY_DATE_IN_FUTURE']);
    const filed = await file(caseId, {});
    expect(filed.status, filed.text).toBe(201);
    expect(filed.body).toMatchObject({ stage: 'RECONSIDERATION', late: false });
    const twice = await file(caseId, {});
    expect([twice.status, twice.body.error.code]).toEqual([409, 'REMEDY_ALREADY_RECORDED']);

    const view = await remedies(caseId);
    expect(view.windows).toEqual({ reconsiderationUntil: addCalendarDays(served, 60), litigationUntil: view.windows?.litigationUntil, reconsiderationOpen: true, litigationOpen: true });
    expect(view.windows?.litigationUntil.slice(5, 7)).not.toBe(served.slice(5, 7));
    expect(view.enforcementApplicationDue).toBeNull();

    const revoked = await outcome(caseId, filed.body.id, { outcome: 'REVOKED' });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.outcome?.publication.effect).toBe('WITHDRAWAL_PENDING');
    const d = await api.fetchJson<IssuedDecision>(`/cases/${caseId}/decision`, { token: a.officer });
    expect(d.body.pendingWithdrawal).toMatchObject({ ground: 'REVOKED', changedOn: today, dueDate: revoked.body.outcome?.publication.dueDate });
    // 3 working days: at least 3, at most 3 plus a weekend and a holiday's calendar days later.
    const days = calendarDaysBetween(today, d.body.pendingWithdrawal!.dueDate);
    expect(days).toBeGreaterThanOrEqual(3);
    expect(days).toBeLessThanOrEqual(12);
    const again = await outcome(caseId, filed.body.id, { outcome: 'UPHELD' });
    expect([again.status, again.body.error.code]).toEqual([409, 'OUTCOME_ALREADY_RECORDED']);
    const timeline = await api.fetchJson<{ items: { type: string }[] }>(`/cases/${caseId}/timeline`, { token: a.officer });
    expect(timeline.body.items.map((e) => e.type)).toEqual(expect.arrayContaining(['procedure.remedy', 'procedure.remedy.outcome', 'publication.changed']));
  });

  it('an outcome that changes a decision not yet published is kept for its publication', async () => {
    const { caseId } = await issuedFine(api, a, '30000.00', { filing: addCalendarDays(today, -30), notice: addCalendarDays(today, -20), decision: addCalendarDays(today, -10), served: addCalendarDays(today, -5) });
    const filed = await file(caseId, { kind: 'LITIGATION', body: '测试市测试区人民法院', caseNumber: '(2026)测0102行初1号' });
    expect(filed.status, filed.text).toBe(201);
    expect(filed.body.stage).toBe('FIRST_INSTANCE');
    const changed = await outcome(caseId, filed.body.id, { outcome: 'CHANGED', documentReference: '(2026)测0102行初1号判决书' });
    expect(changed.body.outcome?.publication.effect).toBe('REFLECT_WHEN_PUBLISHED');
    expect((await remedies(caseId)).publicationMustReflect).toEqual([expect.objectContaining({ outcome: 'CHANGED', ground: 'CHANGED', action: 'REFLECT_WHEN_PUBLISHED' })]);
  });

  it('with no remedy, the fine unpaid and both windows passed, the enforcement application is due within 3 months', async () => {
    // Served 2026-05-25: reconsideration until 2026-07-24, litigation until 2026-11-25.
    const { caseId } = await issuedFine(api, a, '30000.00', { filing: '2026-05-04', notice: '2026-05-11', decision: '2026-05-20', served: '2026-05-25' });
    const view = await remedies(caseId);
    expect(view.windows).toMatchObject({ reconsiderationUntil: '2026-07-24', litigationUntil: '2026-11-25', reconsiderationOpen: false, litigationOpen: false });
    expect(view.enforcementApplicationDue).toMatchObject({ from: '2026-11-26', until: '2027-02-25' });
    // A late filing is recorded as such, and a remedy filed means no enforcement application.
    const late = await file(caseId, { kind: 'LITIGATION', body: '测试市测试区人民法院', caseNumber: '(2026)测0102行初9号' });
    expect(late.body.late).toBe(true);
    expect((await remedies(caseId)).enforcementApplicationDue).toBeNull();
  });
});
