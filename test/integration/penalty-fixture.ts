/**
 * A general-procedure fine issued through the procedure (notice → service → waiver → review test double →
 * issue) and its 决定书 served: the starting point of the payment and remedy tests (P5, P6).
 */
import { expect } from 'vitest';
import { PutCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { createPower, DOCUMENT_SETTINGS, serveNoticeAndWaive, uniqueId, type TestApi } from './helpers.ts';

export interface Err {
  error: { code: string; message: string; details?: Record<string, unknown>[] };
}
export interface IssuedDecision {
  version: number;
  status: string;
  draftHash: string;
  paymentReference: string;
  document: { id: string; documentNo: string };
  pendingWithdrawal?: { ground: string; dueDate: string; changedOn: string };
}

export interface Agency {
  readonly agencyId: string;
  readonly admin: string;
  readonly officer: string;
  readonly leader: string;
  readonly officerIds: readonly string[];
  readonly powerCode: string;
}

/** What the review workflow writes when a review passes (the gate's only key). */
export async function passReview(caseId: string, draftHash: string) {
  const id = uniqueId();
  await documentClient().send(
    new PutCommand({ TableName: tableName('Cases'), Item: { pk: `CASE#${caseId}`, sk: `REVIEW#${id}`, entity: 'Review', id, caseId, status: 'PASSED', draftHash, version: 1, at: new Date().toISOString() } }),
  );
}

export async function setUpAgency(api: TestApi, prefix: string): Promise<Agency> {
  const admin = await api.token(['admin']);
  const agencyId = uniqueId(prefix);
  const officer = await api.token(['officer'], { name: '承办人', agencyId });
  const leader = await api.token(['leader'], { name: '负责人', agencyId });
  const created = await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `处罚程序测试局${agencyId}`, level: 'CITY', region: '测试市', ...DOCUMENT_SETTINGS } });
  expect(created.status, created.text).toBe(201);
  const officerIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const o = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name: `承办${i + 1}`, agencyId, certificateNo: `6${String(Date.now()).slice(-7)}${i}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    expect(o.status, o.text).toBe(201);
    officerIds.push(o.body.id);
  }
  const powerCode = uniqueId('PF').toUpperCase();
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
  return { agencyId, admin, officer, leader, officerIds, powerCode };
}

/** The party of the procedure tests: an organisation with a valid credit code and an address. */
export const orgParty = () => ({ kind: 'ORG', name: '宿迁市某某食品有限公司', creditCode: '91321302MA1XXXXX0' + creditCodeCheckChar('91321302MA1XXXXX0'), address: '宿迁市宿城区工业园区1号', legalRepresentative: '李四' });
const party = orgParty;

/** A general-procedure fine's draft (no number or text: its 决定书 is generated when issued). */
export const generalFineDraft = (version: number, fine: string, extra: Record<string, unknown> = {}) => ({
  version,
  kind: 'PENALTY',
  procedure: 'GENERAL',
  conclusion: `罚款人民币${fine}元`,
  penalties: ['FINE'],
  fine,
  violationType: '经营超过保质期的食品',
  legalBasis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项',
  facts: '经查，当事人于2026年9月在其经营场所销售超过保质期的预包装食品12件，货值金额1200元。',
  decisionDate: '2026-11-20',
  ...extra,
});

/** A general-procedure fine issued on `dates.decision`; its 决定书 served on `dates.served` unless absent. */
export async function issuedFine(api: TestApi, a: Agency, fine: string, dates: { filing: string; notice: string; decision: string; served?: string }): Promise<{ caseId: string; decision: IssuedDecision }> {
  const c = await api.fetchJson<{ id: string }>('/cases', {
    token: a.officer,
    json: { agencyId: a.agencyId, enforcementType: 'PENALTY', powerCode: a.powerCode, party: party(), handlingOfficerIds: a.officerIds, filingDate: dates.filing, summary: '涉嫌经营超过保质期的食品' },
  });
  expect(c.status, c.text).toBe(201);
  const caseId = c.body.id;
  const draft = await api.fetchJson<IssuedDecision>(`/cases/${caseId}/decision`, {
    method: 'PUT',
    token: a.officer,
    json: generalFineDraft(0, fine, { decisionDate: dates.decision }),
  });
  expect(draft.status, draft.text).toBe(200);
  await serveNoticeAndWaive(api, caseId, { officerIds: a.officerIds, date: dates.notice });
  await passReview(caseId, draft.body.draftHash);
  const current = await api.fetchJson<IssuedDecision>(`/cases/${caseId}/decision`, { token: a.officer });
  const issued = await api.fetchJson<IssuedDecision>(`/cases/${caseId}/decision/issue`, { token: a.leader, json: { version: current.body.version } });
  expect(issued.status, issued.text).toBe(200);
  if (dates.served) await serveDecision(api, a, caseId, issued.body.document.id, dates.served);
  return { caseId, decision: issued.body };
}

export async function serveDecision(api: TestApi, a: Agency, caseId: string, documentId: string, servedOn: string): Promise<void> {
  const served = await api.fetchJson(`/cases/${caseId}/services`, {
    token: a.officer,
    json: { documentId, method: 'DIRECT', servedOn, recipient: '李四', place: '宿迁市宿城区工业园区1号', officerIds: a.officerIds, receipt: '当事人当场签收' },
  });
  expect(served.status, served.text).toBe(201);
}
