/**
 * Agencies kept apart and retries made harmless (issue 10, points 1, 3, 4): a staff token without an
 * agency is refused everywhere; the city bureau reaches its county bureaus but a county never a
 * sibling; concurrent retries with one Idempotency-Key create once; concurrent filings in one agency
 * all get distinct, gap-free case numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { createPower, startApi, uniqueId, type ApiResponse, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let city: string;
let county: string;
let sibling: string;
const officersOf = new Map<string, string[]>();
const powerCode = uniqueId('ISO').toUpperCase();
let certSeq = 0;

interface Err {
  error: { code: string; message: string };
}
interface CaseView {
  id: string;
  caseNo: string;
  agencyId: string;
}

async function agency(id: string, level: 'CITY' | 'COUNTY', parentId?: string) {
  const res = await api.fetchJson('/agencies', { token: admin, json: { id, name: `隔离测试局${id}`, level, region: '测试市', ...(parentId ? { parentId } : {}) } });
  expect(res.status, res.text).toBe(201);
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const o = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name: '隔离测试员', agencyId: id, certificateNo: `5${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    expect(o.status, o.text).toBe(201);
    ids.push(o.body.id);
  }
  officersOf.set(id, ids);
  expect((await createPower(api, admin, `${powerCode}-${id.slice(-4).toUpperCase()}`, id)).status).toBe(201);
}

const creditCode = (body: string) => body + creditCodeCheckChar(body);

const caseBody = (agencyId: string, summary = '涉嫌经营超过保质期的食品') => ({
  agencyId,
  enforcementType: 'PENALTY',
  powerCode: `${powerCode}-${agencyId.slice(-4).toUpperCase()}`,
  party: { kind: 'ORG', name: '宿迁市隔离测试有限公司', creditCode: creditCode('91321302MA1XXXXX0'), address: '宿迁市宿城区工业园区1号' },
  handlingOfficerIds: officersOf.get(agencyId),
  filingDate: '2026-03-02',
  summary,
});

const act = (agencyId: string) => ({ type: 'INSPECTION', at: '2026-03-02T10:00:00+08:00', place: '宿城区示例路9号', officerIds: officersOf.get(agencyId), notes: '现场检查' });

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  city = uniqueId('isoc');
  county = uniqueId('isok');
  sibling = uniqueId('isos');
  await agency(city, 'CITY');
  await agency(county, 'COUNTY', city);
  await agency(sibling, 'COUNTY', city);
});
afterAll(async () => api.stop());

describe('authorisation fails closed, in one place (S3)', () => {
  it('refuses a staff token without an agency on every kind of route, and writes nothing', async () => {
    const opened = await api.fetchJson<CaseView>('/cases', { token: await api.token(['officer'], { agencyId: county }), json: caseBody(county) });
    expect(opened.status, opened.text).toBe(201);
    const noAgency = await api.token(['officer', 'leader', 'reviewer']);
    const attempts: [string, string, unknown?][] = [
      ['GET', `/cases?agencyId=${county}`],
      ['POST', '/cases', caseBody(city)],
      ['GET', `/cases/${opened.body.id}`],
      ['PUT', `/cases/${opened.body.id}/decision`, { version: 0 }],
      ['POST', `/cases/${opened.body.id}/acts`, act(county)],
      ['GET', `/cases/${opened.body.id}/evidence`],
      ['GET', `/cases/${opened.body.id}/responsibility`],
      ['GET', `/devices?agencyId=${county}`],
      ['GET', '/officers'],
      ['GET', '/powers'],
      ['GET', '/compliance/deadlines'],
    ];
    for (const [method, path, json] of attempts) {
      const res = await api.fetchJson<Err>(path, { token: noAgency, method, ...(json ? { json } : {}) });
      expect([res.status, res.body.error?.code], `${method} ${path}`).toEqual([403, 'AGENCY_REQUIRED']);
    }
    const timeline = await api.fetchJson<{ items: { type: string }[] }>(`/cases/${opened.body.id}/timeline`, { token: admin });
    expect(timeline.body.items.filter((i) => i.type.startsWith('act'))).toEqual([]);
    const list = await api.fetchJson<{ items: CaseView[] }>(`/cases?agencyId=${city}`, { token: admin });
    expect(list.body.items).toEqual([]);
  });

  it('refuses a token with no group on every staff route', async () => {
    const none = await api.token([], { agencyId: county });
    for (const path of [`/cases?agencyId=${county}`, '/officers', '/agencies', '/powers', `/devices?agencyId=${county}`]) {
      const res = await api.fetchJson<Err>(path, { token: none });
      expect([res.status, res.body.error.code], path).toEqual([403, 'NO_ROLE']);
    }
  });

  it('lets the city bureau reach its county bureaus, never a county its sibling or its superior', async () => {
    const countyOfficer = await api.token(['officer'], { agencyId: county });
    const siblingOfficer = await api.token(['officer', 'leader'], { agencyId: sibling });
    const cityOfficer = await api.token(['officer', 'leader'], { agencyId: city });
    const c = await api.fetchJson<CaseView>('/cases', { token: countyOfficer, json: caseBody(county) });
    expect(c.status, c.text).toBe(201);

    expect((await api.fetchJson(`/cases/${c.body.id}`, { token: cityOfficer })).status).toBe(200);
    expect((await api.fetchJson<{ items: CaseView[] }>(`/cases?agencyId=${county}`, { token: cityOfficer })).body.items.map((x) => x.id)).toContain(c.body.id);
    expect((await api.fetchJson('/cases', { token: cityOfficer, json: caseBody(county, '市局为县局立案') })).status).toBe(201);

    for (const [path, json] of [
      [`/cases/${c.body.id}`, undefined],
      [`/cases?agencyId=${county}`, undefined],
      [`/cases/${c.body.id}/acts`, act(county)],
      ['/cases', caseBody(county)],
    ] as const) {
      const res = await api.fetchJson<Err>(path, { token: siblingOfficer, ...(json ? { json } : {}) });
      expect([res.status, res.body.error.code], path).toEqual([403, 'AGENCY_FORBIDDEN']);
    }
    const cityCase = await api.fetchJson<CaseView>('/cases', { token: cityOfficer, json: caseBody(city) });
    expect((await api.fetchJson<Err>(`/cases/${cityCase.body.id}`, { token: countyOfficer })).status).toBe(403);
  });
});

describe('retries are harmless (Idempotency-Key)', () => {
  const ok = (r: ApiResponse<unknown>) => r.status === 201 || (r.status === 409 && (r.body as Err).error.code === 'IDEMPOTENCY_IN_PROGRESS');

  it('100 concurrent identical filings create one case; the others get its answer or 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const agencyId = county;
    const officer = await api.token(['officer'], { agencyId, sub: uniqueId('device-user') });
    const key = uniqueId('idem-case');
    const body = caseBody(agencyId, `并发重试${key}`);
    const answers = await Promise.all(Array.from({ length: 100 }, () => api.fetchJson<CaseView>('/cases', { token: officer, json: body, headers: { 'idempotency-key': key } })));

    expect(answers.filter((r) => !ok(r)).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const created = new Set(answers.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(created.size).toBe(1);
    // A retry after the first finished gets the same answer.
    const later = await api.fetchJson<CaseView>('/cases', { token: officer, json: body, headers: { 'idempotency-key': key } });
    expect([later.status, later.body.id]).toEqual([201, [...created][0]]);
    const all: CaseView[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse<{ items: (CaseView & { summary: string })[]; nextCursor: string | null }> = await api.fetchJson(`/cases?agencyId=${agencyId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: officer });
      all.push(...page.body.items.filter((x) => x.summary === body.summary));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(1);
  });

  it('100 concurrent identical acts record one act', async () => {
    const officer = await api.token(['officer'], { agencyId: county });
    const c = await api.fetchJson<CaseView>('/cases', { token: officer, json: caseBody(county) });
    const key = uniqueId('idem-act');
    const answers = await Promise.all(Array.from({ length: 100 }, () => api.fetchJson<{ id: string }>(`/cases/${c.body.id}/acts`, { token: officer, json: act(county), headers: { 'idempotency-key': key } })));

    expect(answers.filter((r) => !ok(r)).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(new Set(answers.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(1);
    const timeline = await api.fetchJson<{ items: { kind: string }[] }>(`/cases/${c.body.id}/timeline`, { token: officer });
    expect(timeline.body.items.filter((i) => i.kind === 'act')).toHaveLength(1);
  });

  it('a key reused with another body gets 422 IDEMPOTENCY_KEY_REUSED; a refused request frees its key', async () => {
    const officer = await api.token(['officer'], { agencyId: county });
    const key = uniqueId('idem-reuse');
    const refused = await api.fetchJson<Err>('/cases', { token: officer, json: { ...caseBody(county), handlingOfficerIds: officersOf.get(county)!.slice(0, 1) }, headers: { 'idempotency-key': key } });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'INSUFFICIENT_OFFICERS']);
    const corrected = await api.fetchJson<CaseView>('/cases', { token: officer, json: caseBody(county, '更正后重新提交'), headers: { 'idempotency-key': key } });
    expect(corrected.status, corrected.text).toBe(201);
    const other = await api.fetchJson<Err>('/cases', { token: officer, json: caseBody(county, '另一个案件'), headers: { 'idempotency-key': key } });
    expect([other.status, other.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });
});

describe('case numbers never collide (issue 10, point 4)', () => {
  it('50 concurrent filings in one agency all succeed with distinct, gap-free numbers', async () => {
    const agencyId = uniqueId('isoq');
    await agency(agencyId, 'COUNTY', city);
    const officer = await api.token(['officer'], { agencyId });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => api.fetchJson<CaseView>('/cases', { token: officer, json: caseBody(agencyId, `并发立案${i}`) })));

    expect(answers.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const numbers = answers.map((r) => Number(r.body.caseNo.split('-').at(-1))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
