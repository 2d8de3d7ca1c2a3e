/**
 * The annual report's stages on demand (issue 16 point 5; D13, N13): the legal division drafts,
 * delivers and publishes a year's report through `POST /reports/annual/{year}` as the January schedules
 * do, sees each stage with its figures and working download links, and corrects a published report as a
 * new version. Only admins; every wrong order is refused with its rule. A year no other file uses (2010: the OpenAPI conformance, 2012: the procedure report).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

const YEAR = 2014;

interface StagesView {
  year: number;
  current: null | { version: number; stage: string; deliveredAt?: string; publishedAt?: string; correction?: { reason: string; previousVersion: number }; total: { officers: { total: number } }; agencies: { agencyId: string }[]; files: { pdf: string; xlsx: string } };
  published: null | { version: number; history: { version: number; correction?: { reason: string } }[] };
}
interface ErrorBody {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}

let api: TestApi;
let admin: string;
const step = (action: string, extra: Record<string, unknown> = {}, token = admin) => api.fetchJson<StagesView & ErrorBody>(`/reports/annual/${YEAR}`, { token, json: { action, ...extra } });

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin'], { name: '法规处' });
  const agencyId = uniqueId('rpt');
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `年报阶段测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
});
afterAll(async () => api?.stop());

describe('the annual report in the console', () => {
  it('is refused to everyone but the legal division, and a year not ended is refused by its rule', async () => {
    const leader = await api.token(['leader'], { agencyId: 'rpt-a' });
    expect((await api.fetchJson(`/reports/annual/${YEAR}`, { token: leader })).status).toBe(403);
    expect((await step('draft', {}, leader)).status).toBe(403);
    const thisYear = Number(shanghaiToday().slice(0, 4));
    const res = await api.fetchJson<ErrorBody>(`/reports/annual/${thisYear}`, { token: admin, json: { action: 'draft' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('REPORT_YEAR_NOT_ENDED');
    const bad = await api.fetchJson<ErrorBody>(`/reports/annual/${YEAR}`, { token: admin, json: { action: 'approve' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.[0]?.path).toBe('body.action');
  });

  it('goes draft → deliver → publish in that order only, with the files downloadable at each stage', async () => {
    const empty = await api.fetchJson<StagesView>(`/reports/annual/${YEAR}`, { token: admin });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ year: YEAR, current: null, published: null });
    expect((await step('deliver')).body.error.code).toBe('REPORT_NOT_FOUND');

    const draft = await step('draft');
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.current).toMatchObject({ version: 1, stage: 'DRAFT' });
    expect(draft.body.current?.agencies.some((a) => a.agencyId.startsWith('rpt-'))).toBe(true);
    const pdf = await fetch(draft.body.current?.files.pdf ?? '');
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await fetch(draft.body.current?.files.xlsx ?? '')).status).toBe(200);

    const early = await step('publish');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('REPORT_NOT_DELIVERED');
    expect((await step('deliver', { correctionReason: '不应填写更正原因' })).status).toBe(400);

    const delivered = await step('deliver');
    expect(delivered.body.current).toMatchObject({ stage: 'DELIVERED', version: 1 });
    expect(delivered.body.current?.deliveredAt).toBeDefined();
    const published = await step('publish');
    expect(published.body.current).toMatchObject({ stage: 'PUBLISHED', version: 1 });
    expect(published.body.published).toMatchObject({ version: 1, history: [{ version: 1 }] });
    expect((await api.fetchJson(`/public/reports/${YEAR}`)).status).toBe(200);
  });

  it('corrects a published report only with a reason, as a new version, the public one unchanged until published', async () => {
    const again = await step('draft');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REPORT_PUBLISHED');
    const corrected = await step('draft', { correctionReason: '补录一件漏报的行政许可' });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.body.current).toMatchObject({ version: 2, stage: 'DRAFT', correction: { reason: '补录一件漏报的行政许可', previousVersion: 1 } });
    expect(corrected.body.published?.version).toBe(1);
    await step('deliver');
    const republished = await step('publish');
    expect(republished.body.published).toMatchObject({ version: 2, history: [{ version: 1 }, { version: 2, correction: { reason: '补录一件漏报的行政许可' } }] });
  });
});
