/**
 * The annual statistics report (D13, N13, S1, L2) with the real stores, renderers and bucket: counters
 * kept with each change, the draft → deliver → publish calendar, the public report with its files, and
 * a correction after publication as a new, visible version. Decisions are dated today; the report is this
 * year's, run as on 5 January of the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { createPower, serveNoticeAndWaive, startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
const officerIds: string[] = [];
const penaltyCode = uniqueId('AR').toUpperCase();
const licenceCode = uniqueId('AL').toUpperCase();
let certSeq = 0;

// Dated today, so that publishing now is on time whenever the suite runs; the report is this year's,
// run as if on 5 January of the next.
const TODAY = shanghaiToday();
const YEAR = Number(TODAY.slice(0, 4));
const JAN5 = `${YEAR + 1}-01-05T01:00:00.000Z`;

interface Figures {
  licensing: { applied: number; granted: number; refused: number };
  penalties: { total: number; byType: Record<string, number>; finesYuan: string; confiscatedYuan: string };
  disclosure: { due: number; onTime: number; onTimePercent: number | null };
  officers: { total: number; validCertificates: number; trainedEnough: number; trainedEnoughPercent: number | null };
  reviewers: { reviewers: number; officers: number };
}
interface PublicReport {
  year: number;
  version: number;
  stage: string;
  agencies: (Figures & { agencyId: string; agencyName: string })[];
  files: { pdf: string; xlsx: string };
  history: { version: number }[];
  correction?: { reason: string; previousVersion: number };
}

async function newOfficer(extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<{ id: string; version: number }>('/officers', {
    token: admin,
    json: { name: '年报测试员', agencyId, certificateNo: `4${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31', ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function power(code: string, type: string) {
  const res = await createPower(api, admin, code, agencyId, { name: `年报测试${type}事项`, type });
  expect(res.status, res.text).toBe(201);
}

let partySeq = 0;
async function decide(type: 'PENALTY' | 'LICENSING', draft: Record<string, unknown>) {
  const body = `91321302MA1AR${String(++partySeq).padStart(4, '0')}`;
  const c = await api.fetchJson<{ id: string }>('/cases', {
    token: officer,
    json: { agencyId, enforcementType: type, powerCode: type === 'PENALTY' ? penaltyCode : licenceCode, party: { kind: 'ORG', name: '年报测试公司', creditCode: body + creditCodeCheckChar(body), address: '测试市测试路1号' }, handlingOfficerIds: officerIds.slice(0, 2), filingDate: TODAY, summary: '年报测试' },
  });
  expect(c.status, c.text).toBe(201);
  const d = await api.fetchJson<{ version: number; draftHash: string; scope: { inScope: boolean } }>(`/cases/${c.body.id}/decision`, {
    method: 'PUT',
    token: officer,
    // A general-procedure penalty's 决定书 (number and text) is generated when issued (P7).
    json: { version: 0, kind: type, ...(type === 'PENALTY' && draft.procedure === 'GENERAL' ? {} : { decisionNo: `年报〔2026〕${uniqueId('n')}号`, documentText: '决定书全文，特此决定。' }), legalBasis: '依据条款', facts: '事实经过', decisionDate: TODAY, ...draft },
  });
  expect(d.status, d.text).toBe(200);
  // Test double for a passed legal review of this draft (reviews.test.ts covers the real path).
  if (d.body.scope.inScope) {
    const id = uniqueId('rv');
    await documentClient().send(new PutCommand({ TableName: tableName('Cases'), Item: { pk: `CASE#${c.body.id}`, sk: `REVIEW#${id}`, entity: 'Review', id, caseId: c.body.id, status: 'PASSED', draftHash: d.body.draftHash, version: 1 } }));
  }
  await serveNoticeAndWaive(api, c.body.id, { officerIds: officerIds.slice(0, 2) });
  const issued = await api.fetchJson<{ version: number }>(`/cases/${c.body.id}/decision/issue`, { token: leader, json: { version: d.body.version } });
  expect(issued.status, issued.text).toBe(200);
  return { caseId: c.body.id, version: issued.body.version };
}

async function job(stage: 'draft' | 'deliver' | 'publish', year = YEAR, extra: Record<string, unknown> = {}) {
  const { runJob } = await import('../../functions/jobs/handler.ts');
  return runJob({ schedule: `annual-report-${stage}`, job: `annual-report-${stage}`, scheduledTime: JAN5, year, ...extra });
}

const catchCode = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  agencyId = uniqueId('ar');
  officer = await api.token(['officer'], { agencyId });
  leader = await api.token(['leader'], { agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `年报测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 3; i++) officerIds.push((await newOfficer(i === 2 ? { reviewer: true, legalQualification: true } : {})).id);
  await newOfficer({ validUntil: '2026-06-30' });
  const trained = await api.fetchJson(`/officers/${officerIds[0]}/training`, { token: admin, json: { version: 1, year: YEAR, hours: 40, course: '行政执法培训', completedOn: TODAY } });
  expect(trained.status, trained.text).toBe(201);
  await power(penaltyCode, 'PENALTY');
  await power(licenceCode, 'LICENSING');
});
afterAll(async () => api.stop());

describe('annual report', () => {
  it('counts each change as it happens, and follows draft → deliver → publish', async () => {
    // Two penalties: a combined one counted once under its heaviest type, and a warning.
    await decide('PENALTY', { procedure: 'GENERAL', conclusion: '罚款并没收违法所得', penalties: ['FINE', 'CONFISCATE_GAINS'], fine: '3000.00', confiscatedValue: '1200.50' });
    const warning = await decide('PENALTY', { procedure: 'SIMPLE', conclusion: '给予警告', penalties: ['WARNING'] });
    await decide('LICENSING', { procedure: 'GENERAL', conclusion: '准予许可', licensingOutcome: 'GRANTED' });
    await decide('LICENSING', { procedure: 'GENERAL', conclusion: '不予许可', licensingOutcome: 'REFUSED' });
    // Published on time: the warning (dated today, due in 7 working days).
    expect((await api.fetchJson(`/cases/${warning.caseId}/decision/publish`, { token: admin, json: { version: warning.version } })).status).toBe(200);

    expect(await catchCode(job('publish'))).toBe('REPORT_NOT_FOUND');
    expect(await catchCode(job('draft', YEAR + 1))).toBe('REPORT_YEAR_NOT_ENDED');
    const draft = await job('draft');
    expect(draft).toMatchObject({ year: YEAR, version: 1, stage: 'DRAFT' });
    expect(await catchCode(job('publish'))).toBe('REPORT_NOT_DELIVERED');
    expect((await api.fetchJson(`/public/reports/${YEAR}`)).status).toBe(404);

    // Regenerating before publication replaces the draft (same version).
    expect(await job('draft')).toMatchObject({ version: 1, stage: 'DRAFT' });
    expect(await job('deliver')).toMatchObject({ stage: 'DELIVERED' });
    expect(await job('publish')).toMatchObject({ version: 1, stage: 'PUBLISHED' });
    expect(await catchCode(job('publish'))).toBe('REPORT_PUBLISHED');

    const report = await api.fetchJson<PublicReport>(`/public/reports/${YEAR}`);
    expect(report.status, report.text).toBe(200);
    const mine = report.body.agencies.find((a) => a.agencyId === agencyId)!;
    expect(mine.licensing).toMatchObject({ applied: 2, granted: 1, refused: 1 });
    expect(mine.penalties).toMatchObject({ total: 2, finesYuan: '3000.00', confiscatedYuan: '1200.50' });
    expect(mine.penalties.byType).toMatchObject({ CONFISCATE_GAINS: 1, WARNING: 1, FINE: 0 });
    expect(mine.disclosure).toEqual({ due: 4, onTime: 1, onTimePercent: 25 });
    expect(mine.officers).toMatchObject({ total: 4, validCertificates: 3, trainedEnough: 1, trainedEnoughPercent: 25 });
    expect(mine.reviewers).toEqual(expect.objectContaining({ reviewers: 1, officers: 3 }));

    // The files are there and are what they say.
    const pdf = await fetch(report.body.files.pdf);
    expect(pdf.status).toBe(200);
    expect((await pdf.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const xlsx = await fetch(report.body.files.xlsx);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('a correction after publication is a new version, public only once delivered and published, with its reason', async () => {
    expect(await catchCode(job('draft'))).toBe('REPORT_PUBLISHED');
    const corrected = await job('draft', YEAR, { reason: '补录一件漏报的行政许可' });
    expect(corrected).toMatchObject({ version: 2, stage: 'DRAFT' });
    // Still version 1 in public until the correction is delivered and published.
    expect((await api.fetchJson<PublicReport>(`/public/reports/${YEAR}`)).body.version).toBe(1);
    await job('deliver');
    await job('publish');
    const report = await api.fetchJson<PublicReport>(`/public/reports/${YEAR}`);
    expect(report.body).toMatchObject({ version: 2, correction: { reason: '补录一件漏报的行政许可', previousVersion: 1 } });
    expect(report.body.history.map((h) => h.version)).toEqual([1, 2]);
    const audit = await api.fetchJson<{ items: { action: string }[] }>(`/audit/events?entityType=AnnualReport&entityId=${YEAR}`, { token: admin });
    expect(audit.body.items.map((e) => e.action)).toEqual(['report.draft', 'report.draft', 'report.deliver', 'report.publish', 'report.correct', 'report.deliver', 'report.publish']);
  });
});
