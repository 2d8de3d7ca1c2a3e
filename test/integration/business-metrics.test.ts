/**
 * Business metrics are published by the services after their commit, one EMF line per call with the
 * agency as a dimension (issue 13, point 3): issuing a decision, and publishing it on time or late
 * against its publication due date. Services at a fixed clock; EMF lines captured from stdout.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { createCaseBody } from '../../shared/domain/case.ts';
import { decisionDraftBody } from '../../shared/domain/decision.ts';
import type { Identity } from '../../shared/domain/identity.ts';
import * as caseService from '../../shared/services/cases.ts';
import type { ActionContext } from '../../shared/services/context.ts';
import * as decisionService from '../../shared/services/decisions.ts';
import * as publicationService from '../../shared/services/publication.ts';
import { createPower, emfLines, metricNames, startApi, uniqueId, type TestApi, simpleWarningDraft } from './helpers.ts';

let api: TestApi;
let agencyId: string;
const officerIds: string[] = [];
const powerCode = uniqueId('BM').toUpperCase();

const on = (date: string): ActionContext => {
  const identity: Identity = { sub: 'test:metrics', name: '指标测试', groups: ['officer', 'leader', 'admin'], agencyId };
  return { identity, requestId: uniqueId('req'), now: new Date(`${date}T10:00:00+08:00`) };
};

const CODE = '91321302MA1METR00';
const caseBody = () => ({
  agencyId,
  enforcementType: 'PENALTY',
  powerCode,
  party: { kind: 'ORG', name: '宿迁市指标测试食品有限公司', creditCode: CODE + creditCodeCheckChar(CODE), address: '宿迁市宿城区测试路2号' },
  handlingOfficerIds: officerIds,
  filingDate: '2026-12-01',
  summary: '涉嫌经营超过保质期的食品',
});
/** A warning by the simple procedure: outside the review scope, so it can be issued at once. */
const warning = () =>
  simpleWarningDraft({ decisionNo: `测市监简罚〔2026〕${uniqueId('m')}号`, documentText: '宿迁市指标测试食品有限公司经营超过保质期的食品。决定给予警告。', decisionDate: '2026-12-15' });

async function issued(): Promise<{ caseId: string; version: number; lines: Record<string, unknown>[] }> {
  const c = await caseService.openCase(on('2026-12-01'), createCaseBody.parse(caseBody()));
  const draft = await decisionService.saveDraft(on('2026-12-02'), c.id, decisionDraftBody.parse(warning()));
  let version = 0;
  const lines = await emfLines(async () => {
    const d = await decisionService.issueDecision(on('2026-12-15'), c.id, draft.version);
    // 7 working days counted from the next day.
    expect(d.publicationDue?.dueDate).toBe('2026-12-24');
    version = d.version;
  });
  return { caseId: c.id, version, lines };
}

beforeAll(async () => {
  api = await startApi();
  const admin = await api.token(['admin']);
  agencyId = uniqueId('metrics');
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `指标测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 2; i++) {
    const res = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name: '指标测试员', agencyId, certificateNo: `7${String(Date.now()).slice(-7)}${String(i).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    expect(res.status, res.text).toBe(201);
    officerIds.push(res.body.id);
  }
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
});
afterAll(async () => api.stop());
afterEach(() => vi.unstubAllEnvs());

describe('business metrics of decisions', () => {
  it('issuing counts DecisionsIssued; publishing by the due date counts DecisionsPublishedOnTime', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const d = await issued();
    expect(metricNames(d.lines)).toEqual([['DecisionsIssued', agencyId, 1]]);
    expect(d.lines[0]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: 'ThreeSystems' }] } });
    const published = await emfLines(() => publicationService.publish(on('2026-12-24'), d.caseId, d.version));
    expect(metricNames(published)).toEqual([['DecisionsPublishedOnTime', agencyId, 1]]);
  });

  it('publishing after the due date counts DecisionsPublishedLate', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const d = await issued();
    const published = await emfLines(() => publicationService.publish(on('2026-12-25'), d.caseId, d.version));
    expect(metricNames(published)).toEqual([['DecisionsPublishedLate', agencyId, 1]]);
  });

  it('a refused action counts nothing, and nothing is printed with metrics off', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const d = await issued();
    // Published before the decision's own date: refused, so no metric.
    expect(await emfLines(() => publicationService.publish(on('2026-12-14'), d.caseId, d.version).catch(() => undefined))).toEqual([]);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    expect(await emfLines(() => publicationService.publish(on('2026-12-16'), d.caseId, d.version))).toEqual([]);
  });
});
