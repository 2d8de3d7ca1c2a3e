/**
 * The annual report counts the penalty procedure (P5, P6; D13, N13): fines collected in the year paid,
 * reconsiderations and lawsuits in the year filed, their outcomes in the year decided, and the 纠错率 —
 * in the figures, the public answer and the PDF. And a report version stored before these figures
 * existed still answers, reading them as 0.
 *
 * Reports on last year (the annual-report test reports on this year, openapi-conformance on 2010): the
 * procedure runs on dates of last year, one outcome is decided today.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '../../shared/aws/dynamodb.ts';
import { extractText, getDocumentProxy } from 'unpdf';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { FIGURE_LABELS, figuresOf } from '../../shared/domain/annual-report.ts';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { emptyAggregate } from '../../shared/domain/report-aggregates.ts';
import { aggregatesOf } from '../../shared/store/aggregates.ts';
import { startApi, type TestApi } from './helpers.ts';
import { issuedFine, setUpAgency, type Agency, type Err } from './penalty-fixture.ts';

let api: TestApi;
let a: Agency;
const TODAY = shanghaiToday();
const YEAR = Number(TODAY.slice(0, 4)) - 1;
const on = (mmdd: string) => `${YEAR}-${mmdd}`;
/** A year nobody reports on: its published report is written here in the shape it had before P5/P6. */
const OLD_YEAR = 2012;

interface Remedies {
  reconsiderations: number;
  litigations: number;
  outcomes: Record<string, number>;
  decided: number;
  corrected: number;
  correctedPercent: number | null;
}
interface Figures {
  penalties: { total: number; finesYuan: string; finesCollectedYuan: string };
  remedies: Remedies;
}
interface PublicReport {
  year: number;
  version: number;
  stage: string;
  agencies: (Figures & { agencyId: string })[];
  total: Figures;
  files: { pdf: string; xlsx: string };
}

async function job(stage: 'draft' | 'deliver' | 'publish', year: number) {
  const { runJob } = await import('../../functions/jobs/handler.ts');
  return runJob({ schedule: `annual-report-${stage}`, job: `annual-report-${stage}`, scheduledTime: `${year + 1}-01-05T01:00:00.000Z`, year });
}

const file = (caseId: string, body: Record<string, unknown>) =>
  api.fetchJson<{ id: string } & Err>(`/cases/${caseId}/remedies`, { token: a.officer, json: { kind: 'RECONSIDERATION', body: '测试市人民政府', ...body } });
const outcome = (caseId: string, id: string, body: Record<string, unknown>) =>
  api.fetchJson<Err>(`/cases/${caseId}/remedies/${id}/outcome`, { token: a.officer, json: { documentReference: '测政复决字〔2025〕12号', ...body } });

beforeAll(async () => {
  api = await startApi();
  a = await setUpAgency(api, 'arp');
});
afterAll(async () => api.stop());

describe('annual report: fines collected and remedies', () => {
  it('counts payment, filings and outcomes in their own years, and shows them in the figures, the public answer and the PDF', async () => {
    const { caseId, decision } = await issuedFine(api, a, '3000.00', { filing: on('06-01'), notice: on('06-10'), decision: on('06-20'), served: on('06-25') });
    const paid = await api.fetchJson<Err>(`/cases/${caseId}/payments`, {
      token: a.officer,
      json: { source: 'BANK_RECONCILIATION', amount: '3000.00', reference: 'BK-AR-1', paymentReference: decision.paymentReference, paidOn: on('07-01') },
    });
    expect(paid.status, paid.text).toBe(201);

    // Filed and decided last year: a reconsideration upheld, then a lawsuit that revokes.
    const recon = await file(caseId, { caseNumber: '测政复〔2025〕12号', filedOn: on('07-05') });
    expect(recon.status, recon.text).toBe(201);
    expect((await outcome(caseId, recon.body.id, { outcome: 'UPHELD', decidedOn: on('09-01') })).status).toBe(200);
    const suit = await file(caseId, { kind: 'LITIGATION', body: '测试市人民法院', caseNumber: '（2025）测行初12号', filedOn: on('09-10') });
    expect(suit.status, suit.text).toBe(201);
    expect((await outcome(caseId, suit.body.id, { outcome: 'REVOKED', decidedOn: on('11-20'), documentReference: '（2025）测行初12号判决书' })).status).toBe(200);
    // Filed last year, decided today: counted as filed last year, its outcome this year.
    const late = await file(caseId, { caseNumber: '测政复〔2025〕30号', filedOn: on('12-20') });
    expect(late.status, late.text).toBe(201);
    expect((await outcome(caseId, late.body.id, { outcome: 'CHANGED', decidedOn: TODAY })).status).toBe(200);
    // A filing refused (already recorded) adds nothing: the counter moves with the record or not at all.
    expect((await file(caseId, { caseNumber: '测政复〔2025〕12号', filedOn: on('07-05') })).status).toBe(409);

    const thisYear = (await aggregatesOf(YEAR + 1)).get(a.agencyId);
    expect(thisYear).toMatchObject({ remedyOutcome_CHANGED: 1, reconsiderationsFiled: 0, remedyOutcome_UPHELD: 0 });

    const draft = await job('draft', YEAR);
    expect(draft).toMatchObject({ year: YEAR, stage: 'DRAFT' });
    await job('deliver', YEAR);
    await job('publish', YEAR);

    const report = await api.fetchJson<PublicReport>(`/public/reports/${YEAR}`);
    expect(report.status, report.text).toBe(200);
    const mine = report.body.agencies.find((x) => x.agencyId === a.agencyId)!;
    expect(mine.penalties).toMatchObject({ total: 1, finesYuan: '3000.00', finesCollectedYuan: '3000.00' });
    expect(mine.remedies).toEqual({
      reconsiderations: 2,
      litigations: 1,
      outcomes: { UPHELD: 1, CHANGED: 0, REVOKED: 1, CONFIRMED_UNLAWFUL: 0, REMANDED: 0 },
      decided: 2,
      corrected: 1,
      correctedPercent: 50,
    });
    // The total includes every agency of the bureau (other files add to last year too): at least ours.
    expect(Number(report.body.total.penalties.finesCollectedYuan)).toBeGreaterThanOrEqual(3000);
    expect(report.body.total.remedies.reconsiderations).toBeGreaterThanOrEqual(2);

    // The PDF a person reads has the new rows.
    const pdf = await fetch(report.body.files.pdf);
    expect(pdf.status).toBe(200);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), { mergePages: true });
    const squashed = text.replace(/\s+/g, '');
    for (const key of ['finesCollectedYuan', 'reconsiderations', 'litigations', 'remediesDecided', 'outcomeUpheld', 'outcomeRevoked', 'outcomeRemanded', 'remediesCorrectedPercent'] as const) {
      expect(squashed).toContain(FIGURE_LABELS[key].replace(/\s+/g, ''));
    }
    expect(squashed).toContain('3,000.00');
    expect(squashed).toContain('50.0');
  });

  it('a version published before these figures existed still answers, with them as 0', async () => {
    const current = figuresOf({ ...emptyAggregate(), penaltiesTotal: 2, finesFen: 150_000 }, [], OLD_YEAR, 0.05);
    const { remedies: _r, ...rest } = current;
    const { finesCollectedYuan: _c, ...penalties } = current.penalties;
    const old = { ...rest, penalties };
    const report = { year: OLD_YEAR, version: 1, stage: 'PUBLISHED', bureauName: '测试市司法局', generatedAt: `${OLD_YEAR + 1}-01-05T01:00:00.000Z`, penaltySeverityOrder: [], agencies: [{ agencyId: a.agencyId, agencyName: '旧版', ...old }], total: old };
    const stored = { report, files: { pdf: `reports/${OLD_YEAR}/v1/a.pdf`, xlsx: `reports/${OLD_YEAR}/v1/a.xlsx` }, publishedAt: `${OLD_YEAR + 1}-01-20T01:00:00.000Z`, version: 3, history: [{ version: 1, publishedAt: `${OLD_YEAR + 1}-01-20T01:00:00.000Z` }] };
    await documentClient().send(new PutCommand({ TableName: tableName('Disclosures'), Item: { pk: `REPORT#${OLD_YEAR}`, sk: 'PUBLISHED', entity: 'PublishedAnnualReport', value: stored } }));

    const answer = await api.fetchJson<PublicReport>(`/public/reports/${OLD_YEAR}`);
    expect(answer.status, answer.text).toBe(200);
    for (const f of [answer.body.total, answer.body.agencies[0]!]) {
      expect(f.penalties).toMatchObject({ total: 2, finesYuan: '1500.00', finesCollectedYuan: '0.00' });
      expect(f.remedies).toEqual({ reconsiderations: 0, litigations: 0, outcomes: { UPHELD: 0, CHANGED: 0, REVOKED: 0, CONFIRMED_UNLAWFUL: 0, REMANDED: 0 }, decided: 0, corrected: 0, correctedPercent: null });
    }
  });
});
