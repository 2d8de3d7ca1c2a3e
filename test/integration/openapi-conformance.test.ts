/**
 * The public OpenAPI document describes what the API really answers (issue 13, point 7): every public
 * route is called against the local API, with data this file creates (an agency, officers, a power and
 * an inspection item, a published and corrected decision with two signed checkpoints, an annual report of
 * a year no other file uses), and each 200 body is validated against the document's own response schema
 * with a JSON Schema 2020-12 validator (ajv), the document fetched from `GET /public/openapi.json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { chainOf } from '../../shared/domain/audit.ts';
import { idNumberCheckChar } from '../../shared/domain/identifiers.ts';
import { runCheckpoints } from '../../shared/services/checkpoints.ts';
import { routes } from '../../shared/manifest.ts';
import { responseValidator } from '../unit/openapi-validator.ts';
import { createPower, startApi, uniqueId, type TestApi, simpleWarningDraft } from './helpers.ts';

/** A year no other file reports on (the annual-report test uses the current one). */
const REPORT_YEAR = 2010;

let api: TestApi;
let validatorFor: (method: string, path: string) => ValidateFunction;
/** Route template → a concrete URL that answers 200. */
const calls: Record<string, string> = {};

const idNumber = (() => {
  const first = '32130219800101123';
  return first + idNumberCheckChar(first);
})();

beforeAll(async () => {
  api = await startApi();
  const admin = await api.token(['admin']);
  const agencyId = uniqueId('oas');
  const officer = await api.token(['officer'], { name: '承办人', agencyId });
  const leader = await api.token(['leader'], { name: '负责人', agencyId });
  const ok = async <T>(path: string, init: Parameters<TestApi['fetchJson']>[1], status = 201): Promise<T> => {
    const res = await api.fetchJson<T>(path, init);
    expect(res.status, `${path}: ${res.text}`).toBe(status);
    return res.body;
  };

  await ok('/agencies', { token: admin, json: { id: agencyId, name: `文档测试局${agencyId}`, level: 'CITY', region: '测试市' } });
  const certificates: string[] = [];
  const officerIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const certificateNo = `7${String(Date.now()).slice(-8)}${i}${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`;
    const created = await ok<{ id: string }>('/officers', {
      token: admin,
      json: { name: '文档测试员', agencyId, certificateNo, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    certificates.push(certificateNo);
    officerIds.push(created.id);
  }
  const powerCode = uniqueId('OAS').toUpperCase();
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
  await ok('/inspection-items', {
    token: admin,
    json: {
      code: uniqueId('SJ').toUpperCase(),
      effectiveFrom: '2024-01-01',
      content: {
        name: '食品经营者监督抽查',
        agencyId,
        basis: '《中华人民共和国食品安全法》第一百零九条',
        object: '辖区内的食品经营者',
        content: '经营条件、进货查验、贮存条件',
        ratio: '不低于5%',
        method: '随机抽取检查对象、随机选派执法检查人员；现场检查',
        frequency: '每年一次',
      },
    },
  });

  // A decision: drafted, issued, published (checkpoint), corrected (checkpoint).
  const opened = await ok<{ id: string }>('/cases', {
    token: officer,
    json: {
      agencyId,
      enforcementType: 'PENALTY',
      powerCode,
      party: { kind: 'PERSON', name: '张三丰', idNumber, phone: '13912345678', address: '宿迁市宿城区幸福路88号3幢201室' },
      handlingOfficerIds: officerIds,
      filingDate: '2026-03-02',
      summary: '涉嫌经营超过保质期的食品',
    },
  });
  type DecisionView = { version: number; publicId: string };
  const draft = await ok<DecisionView>(`/cases/${opened.id}/decision`, {
    method: 'PUT',
    token: officer,
    json: simpleWarningDraft({ documentText: '当事人张三丰经营超过保质期的食品。决定给予警告。' }),
  }, 200);
  const issued = await ok<DecisionView>(`/cases/${opened.id}/decision/issue`, { token: leader, json: { version: draft.version } }, 200);
  const published = await ok<DecisionView>(`/cases/${opened.id}/decision/publish`, { token: admin, json: { version: issued.version } }, 200);
  const chain = chainOf('Decision', opened.id);
  expect((await runCheckpoints({ chains: [chain] })).created).toBe(1);
  await ok(`/cases/${opened.id}/decision/correct`, { token: admin, json: { version: published.version, reason: '违法行为类型录入错误', violationType: '经营过期食品' } }, 200);
  expect((await runCheckpoints({ chains: [chain] })).created).toBe(1);
  const checkpoints = await ok<{ items: { treeSize: number }[] }>(`/public/audit/checkpoints?chain=${encodeURIComponent(chain)}`, {}, 200);
  const [first, second] = checkpoints.items.map((c) => c.treeSize).sort((a, b) => a - b);
  expect(second).toBeGreaterThan(first!);

  // An annual report, drafted, delivered and published by the jobs as scheduled.
  const { runJob } = await import('../../functions/jobs/handler.ts');
  for (const stage of ['draft', 'deliver', 'publish'] as const) {
    await runJob({ schedule: `annual-report-${stage}`, job: `annual-report-${stage}`, scheduledTime: `${REPORT_YEAR + 1}-01-05T01:00:00.000Z`, year: REPORT_YEAR });
  }

  Object.assign(calls, {
    'GET /public/agencies': '/public/agencies',
    'GET /public/officers': `/public/officers?agencyId=${agencyId}`,
    'GET /public/officers/verify/{certificateNo}': `/public/officers/verify/${certificates[0]}`,
    'GET /public/powers': `/public/powers?agencyId=${agencyId}`,
    'GET /public/powers/{code}': `/public/powers/${powerCode}`,
    'GET /public/inspection-items': `/public/inspection-items?agencyId=${agencyId}`,
    'GET /public/openapi.json': '/public/openapi.json',
    'GET /public/decisions': `/public/decisions?agencyId=${agencyId}`,
    'GET /public/decisions/{id}': `/public/decisions/${published.publicId}`,
    'GET /public/decisions/{id}/proof': `/public/decisions/${published.publicId}/proof`,
    'GET /public/reports/{year}': `/public/reports/${REPORT_YEAR}`,
    'GET /public/calendar/{year}': '/public/calendar/2026',
    'GET /public/audit/key': '/public/audit/key',
    'GET /public/audit/checkpoints': `/public/audit/checkpoints?chain=${encodeURIComponent(chain)}`,
    'GET /public/audit/checkpoints/{chain}/{size}/consistency': `/public/audit/checkpoints/${encodeURIComponent(chain)}/${second}/consistency?from=${first}`,
  });

  const doc = await api.fetchJson<object>('/public/openapi.json');
  expect(doc.status).toBe(200);
  validatorFor = responseValidator(doc.body);
}, 120_000);

afterAll(async () => api?.stop());

const publicRoutes = routes.filter((r) => r.auth === 'none').map((r) => `${r.method} ${r.path}`);

describe('public answers conform to GET /public/openapi.json', () => {
  it('calls every public route of the manifest', () => {
    expect(Object.keys(calls).sort()).toEqual([...publicRoutes].sort());
  });

  it.each(publicRoutes)('%s: the 200 body validates against its response schema', async (key) => {
    const [method, path] = key.split(' ') as [string, string];
    const url = calls[key];
    expect(url, `no call prepared for ${key}`).toBeDefined();
    const res = await api.fetchJson<unknown>(url!);
    expect(res.status, res.text).toBe(200);
    // Not an empty page: the data this file created is in the answer.
    if (typeof res.body === 'object' && res.body !== null && 'items' in res.body) expect((res.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const validate = validatorFor(method, path);
    const valid = validate(res.body);
    expect(validate.errors ?? [], JSON.stringify(res.body).slice(0, 2000)).toEqual([]);
    expect(valid).toBe(true);
  });
});
