/**
 * Dates that cannot be true are refused (issue 11, point 3), through the HTTP API: the three observed
 * cases — a case filed for a day next year, a decision published before its own date, a change dated
 * before the decision it changes — and the other rules. Each refusal is 422 with the rule's code and a
 * zh-CN message naming the dates, and nothing changes: the case list, the case and its decision
 * (status, version), the timeline, the case-number counter, the public record.
 *
 * "Today" is the machine's clock in Asia/Shanghai, as the server judges it: future dates are computed
 * from it, past ones are fixed dates well before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { creditCodeCheckChar } from '../../shared/domain/identifiers.ts';
import { createCaseBody } from '../../shared/domain/case.ts';
import { decisionChangedBody, decisionDraftBody } from '../../shared/domain/decision.ts';
import type { Identity } from '../../shared/domain/identity.ts';
import { decisionKey } from '../../shared/store/cases.ts';
import * as caseService from '../../shared/services/cases.ts';
import type { ActionContext } from '../../shared/services/context.ts';
import * as decisionService from '../../shared/services/decisions.ts';
import * as publicationService from '../../shared/services/publication.ts';
import { createPower, startApi, uniqueId, type TestApi, simpleWarningDraft } from './helpers.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
const officerIds: string[] = [];
const powerCode = uniqueId('DR').toUpperCase();
let certSeq = 0;

interface Err {
  error: { code: string; message: string; details?: ({ path?: string } & Record<string, unknown>)[] };
}
interface CaseView {
  id: string;
  version: number;
  filingDate: string;
}
interface DecisionView {
  version: number;
  status: string;
  publicId: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A calendar date `days` from today in Shanghai. */
const daysFromToday = (days: number): string => shanghaiToday(new Date(Date.now() + days * DAY_MS));

const FILING_DATE = '2026-03-02';
const DECISION_DATE = '2026-09-30';

async function newOfficer() {
  const res = await api.fetchJson<{ id: string }>('/officers', {
    token: admin,
    json: {
      name: '日期测试员',
      agencyId,
      certificateNo: `6${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`,
      categories: ['食品安全'],
      region: '测试市',
      validUntil: '2029-12-31',
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const CREDIT_CODE_BODY = '91321302MA1DATE00';

const caseBody = (extra: Record<string, unknown> = {}) => {
  const code = CREDIT_CODE_BODY;
  return {
    agencyId,
    enforcementType: 'PENALTY',
    powerCode,
    party: { kind: 'ORG', name: '宿迁市日期测试食品有限公司', creditCode: code + creditCodeCheckChar(code), address: '宿迁市宿城区测试路1号' },
    handlingOfficerIds: officerIds.slice(0, 2),
    filingDate: FILING_DATE,
    summary: '涉嫌经营超过保质期的食品',
    ...extra,
  };
};

/** A warning by the simple procedure: outside the review scope, so it can be issued at once. */
const warning = (version: number, decisionDate = DECISION_DATE) =>
  simpleWarningDraft({ version, decisionNo: `测市监简罚〔2026〕${uniqueId('d')}号`, documentText: '宿迁市日期测试食品有限公司经营超过保质期的食品。决定给予警告。', decisionDate });

async function openCase(extra: Record<string, unknown> = {}): Promise<CaseView> {
  const res = await api.fetchJson<CaseView>('/cases', { token: officer, json: caseBody(extra) });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function saveDraft(caseId: string, body: Record<string, unknown>): Promise<DecisionView> {
  const res = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: body });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function issue(caseId: string, version: number): Promise<DecisionView> {
  const res = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version } });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function published(): Promise<{ caseId: string; decision: DecisionView }> {
  const c = await openCase();
  const issued = await issue(c.id, (await saveDraft(c.id, warning(0))).version);
  const res = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision/publish`, { token: admin, json: { version: issued.version } });
  expect(res.status, res.text).toBe(200);
  return { caseId: c.id, decision: res.body };
}

/** Everything a refused request could have changed about a case, as its staff see it. */
async function snapshot(caseId: string) {
  const view = await api.fetchJson<{ case: unknown; decision: unknown }>(`/cases/${caseId}`, { token: officer });
  expect(view.status, view.text).toBe(200);
  const timeline = await api.fetchJson<{ items: unknown[] }>(`/cases/${caseId}/timeline`, { token: officer });
  expect(timeline.status, timeline.text).toBe(200);
  return { ...view.body, timeline: timeline.body.items };
}

async function caseIdsOfAgency(): Promise<string[]> {
  const res = await api.fetchJson<{ items: { id: string }[] }>(`/cases?agencyId=${agencyId}&limit=100`, { token: officer });
  expect(res.status, res.text).toBe(200);
  return res.body.items.map((c) => c.id).sort();
}

/** 422 with the rule's code, a Chinese message naming `dates`, and the field in the details. */
function expectRule(res: { status: number; body: unknown; text: string }, code: string, dates: readonly string[], path: string): void {
  expect(res.status, res.text).toBe(422);
  const { error } = res.body as Err;
  expect(error.code).toBe(code);
  expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
  for (const date of dates) expect(error.message).toContain(date);
  expect(error.details?.map((d) => d.path)).toContain(path);
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  agencyId = uniqueId('date');
  officer = await api.token(['officer'], { name: '承办人', agencyId });
  leader = await api.token(['leader'], { name: '负责人', agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `日期测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 2; i++) officerIds.push(await newOfficer());
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
});
afterAll(async () => api.stop());

describe('a case filed for a day that has not come (observed: filed for 2027-06-30)', () => {
  it('is refused with 422 FILING_DATE_IN_FUTURE; no case is opened and no number of that year is taken', async () => {
    const before = await caseIdsOfAgency();
    const future = daysFromToday(210);
    const year = Number(future.slice(0, 4));
    const counter = () => documentClient().send(new GetCommand({ TableName: tableName('Cases'), Key: { pk: `COUNTER#${agencyId}#${year}`, sk: 'COUNTER' } }));
    const counterBefore = (await counter()).Item;

    const res = await api.fetchJson('/cases', { token: officer, json: caseBody({ filingDate: future }) });
    expectRule(res, 'FILING_DATE_IN_FUTURE', [future, shanghaiToday()], 'body.filingDate');
    expectRule(await api.fetchJson('/cases', { token: officer, json: caseBody({ filingDate: daysFromToday(2) }) }), 'FILING_DATE_IN_FUTURE', [daysFromToday(2)], 'body.filingDate');

    expect(await caseIdsOfAgency()).toEqual(before);
    expect((await counter()).Item).toEqual(counterBefore);
  });

  it('a case filed today is opened; a year 9999 or 0000 is no date at all (400)', async () => {
    const today = shanghaiToday();
    const c = await openCase({ filingDate: today });
    expect(c.filingDate).toBe(today);
    for (const filingDate of ['9999-12-31', '0000-01-01', '2026-02-30']) {
      const res = await api.fetchJson<Err>('/cases', { token: officer, json: caseBody({ filingDate }) });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.details?.map((d) => d.path)).toContain('body.filingDate');
    }
  });
});

describe('acts between filing and now', () => {
  it('an act ahead of the clock is 422 ACT_IN_FUTURE, a questioning before the filing 422 ACT_BEFORE_FILING; the timeline is unchanged', async () => {
    const c = await openCase();
    const act = (type: string, at: string) =>
      api.fetchJson(`/cases/${c.id}/acts`, { token: officer, json: { type, at, place: '宿城区某超市', officerIds: officerIds.slice(0, 2), notes: '日期测试' } });
    const before = await snapshot(c.id);
    const ahead = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    expectRule(await act('QUESTIONING', ahead), 'ACT_IN_FUTURE', [ahead], 'body.at');
    expectRule(await act('INSPECTION', ahead), 'ACT_IN_FUTURE', [ahead], 'body.at');
    expectRule(await act('QUESTIONING', '2026-03-01T10:00:00+08:00'), 'ACT_BEFORE_FILING', ['2026-03-01', FILING_DATE], 'body.at');
    expect(await snapshot(c.id)).toEqual(before);
    // An on-site inspection may come before the filing (it found the violation); acts since filing are recorded.
    expect((await act('INSPECTION', '2026-02-27T10:00:00+08:00')).status).toBe(201);
    expect((await act('QUESTIONING', '2026-03-02T00:30:00+08:00')).status).toBe(201);
  });
});

describe('decision dates', () => {
  it('a draft dated before the filing is 422 DECISION_BEFORE_FILING; no decision is saved', async () => {
    const c = await openCase();
    const before = await snapshot(c.id);
    const res = await api.fetchJson(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: warning(0, '2026-03-01') });
    expectRule(res, 'DECISION_BEFORE_FILING', ['2026-03-01', FILING_DATE], 'body.decisionDate');
    expect(await snapshot(c.id)).toEqual(before);
    expect((await api.fetchJson(`/cases/${c.id}/decision`, { token: officer })).status).toBe(404);
  });

  it('a decision dated ahead (observed: 2026-12-15, two weeks ahead) may be drafted but not issued: 422 DECISION_DATE_IN_FUTURE; it stays a draft', async () => {
    const c = await openCase();
    const ahead = daysFromToday(13);
    const draft = await saveDraft(c.id, warning(0, ahead));
    const before = await snapshot(c.id);
    const res = await api.fetchJson(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: draft.version } });
    expectRule(res, 'DECISION_DATE_IN_FUTURE', [ahead, shanghaiToday()], 'decisionDate');
    const after = await snapshot(c.id);
    expect(after).toEqual(before);
    expect(after.decision).toMatchObject({ status: 'DRAFT', version: draft.version });
    expect(after.case).toMatchObject({ status: 'OPEN' });
    // Dated today, it is issued.
    const today = await saveDraft(c.id, warning(draft.version, shanghaiToday()));
    expect((await issue(c.id, today.version)).status).toBe('ISSUED');
  });
});

describe('publication not before the decision date (observed: a decision of 2026-12-15 published on 2026-12-02)', () => {
  it('an issued decision whose date lies ahead (issued before the rule) is not published: 422 PUBLISHED_BEFORE_DECISION', async () => {
    const c = await openCase();
    const issued = await issue(c.id, (await saveDraft(c.id, warning(0))).version);
    // Such a decision can no longer be issued (see above); this is what one issued before the rule looks like.
    const ahead = daysFromToday(13);
    await documentClient().send(
      new UpdateCommand({ TableName: tableName('Cases'), Key: decisionKey(c.id), UpdateExpression: 'SET #d.#dd = :d', ExpressionAttributeNames: { '#d': 'draft', '#dd': 'decisionDate' }, ExpressionAttributeValues: { ':d': ahead } }),
    );
    const before = await snapshot(c.id);

    const res = await api.fetchJson(`/cases/${c.id}/decision/publish`, { token: admin, json: { version: issued.version } });
    expectRule(res, 'PUBLISHED_BEFORE_DECISION', [shanghaiToday(), ahead], 'decisionDate');
    const after = await snapshot(c.id);
    expect(after).toEqual(before);
    expect(after.decision).toMatchObject({ status: 'ISSUED', version: issued.version });
    expect((await api.fetchJson(`/public/decisions/${issued.publicId}`)).status).toBe(404);
  });
});

describe('change and withdrawal dates (observed: a change dated 2025-01-01 on a decision of 2026-12-15)', () => {
  it('a change or withdrawal dated before the decision is 422 CHANGE_BEFORE_DECISION, one dated ahead 422 CHANGE_DATE_IN_FUTURE; the decision stays published', async () => {
    const { caseId, decision } = await published();
    const before = await snapshot(caseId);
    const ahead = daysFromToday(3);
    for (const action of ['changed', 'withdraw']) {
      const send = (changedOn: string) =>
        api.fetchJson(`/cases/${caseId}/decision/${action}`, { token: admin, json: { version: decision.version, ground: 'REVOKED', changedOn, reason: '行政复议决定撤销' } });
      expectRule(await send('2025-01-01'), 'CHANGE_BEFORE_DECISION', ['2025-01-01', DECISION_DATE], 'body.changedOn');
      expectRule(await send('2026-09-29'), 'CHANGE_BEFORE_DECISION', ['2026-09-29', DECISION_DATE], 'body.changedOn');
      expectRule(await send(ahead), 'CHANGE_DATE_IN_FUTURE', [ahead], 'body.changedOn');
    }
    const after = await snapshot(caseId);
    expect(after).toEqual(before);
    expect(after.decision).toMatchObject({ status: 'PUBLISHED', version: decision.version });
    expect(after.decision).not.toHaveProperty('pendingWithdrawal');
    expect((await api.fetchJson(`/public/decisions/${decision.publicId}`)).status).toBe(200);

    // Dated on the decision's own day, the change is recorded.
    const changed = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/changed`, { token: admin, json: { version: decision.version, ground: 'REVOKED', changedOn: DECISION_DATE, reason: '行政复议决定撤销' } });
    expect(changed.status, changed.text).toBe(200);
  });
});

describe('the observed dates literally, on the days they were entered (services at a fixed clock)', () => {
  /** The action context of this agency's staff at 10:00 in Shanghai on `date` (access is the handlers' part). */
  const on = (date: string): ActionContext => {
    const identity: Identity = { sub: 'test:date-rules', name: '日期测试', groups: ['officer', 'leader', 'admin'], agencyId };
    return { identity, requestId: uniqueId('req'), now: new Date(`${date}T10:00:00+08:00`) };
  };
  const refusal = (code: string) => expect.objectContaining({ status: 422, code });

  it('on 2026-12-02 a case filed for 2027-06-30 is refused; a decision of 2026-12-15 is not issued on 2026-12-02, nor published then; a change dated 2025-01-01 is refused', async () => {
    const before = await caseIdsOfAgency();
    await expect(caseService.openCase(on('2026-12-02'), createCaseBody.parse(caseBody({ filingDate: '2027-06-30' })))).rejects.toEqual(refusal('FILING_DATE_IN_FUTURE'));
    expect(await caseIdsOfAgency()).toEqual(before);

    const c = await caseService.openCase(on('2026-12-01'), createCaseBody.parse(caseBody({ filingDate: '2026-12-01' })));
    const draft = await decisionService.saveDraft(on('2026-12-02'), c.id, decisionDraftBody.parse(warning(0, '2026-12-15')));
    await expect(decisionService.issueDecision(on('2026-12-02'), c.id, draft.version)).rejects.toEqual(refusal('DECISION_DATE_IN_FUTURE'));
    // Issued on its own date (7 working days counted from the next day: due 2026-12-24), then published
    // on 2026-12-02 — as by a decision issued before the rule, or a clock set back: refused.
    const issued = await decisionService.issueDecision(on('2026-12-15'), c.id, draft.version);
    expect(issued.publicationDue?.dueDate).toBe('2026-12-24');
    const error = await publicationService.publish(on('2026-12-02'), c.id, issued.version).catch((e: unknown) => e);
    expect(error).toEqual(refusal('PUBLISHED_BEFORE_DECISION'));
    expect((error as Error).message).toBe('公示日期 2026-12-02 早于决定日期 2026-12-15，不能公示尚未作出的决定');
    expect(await decisionService.requireDecision(c.id)).toMatchObject({ status: 'ISSUED', version: issued.version });

    const published = await publicationService.publish(on('2026-12-16'), c.id, issued.version);
    const change = (changedOn: string) => decisionChangedBody.parse({ version: published.version, ground: 'REVOKED', changedOn, reason: '行政复议决定撤销' });
    await expect(publicationService.recordChange(on('2026-12-20'), c.id, change('2025-01-01'))).rejects.toEqual(refusal('CHANGE_BEFORE_DECISION'));
    await expect(publicationService.recordChange(on('2026-12-20'), c.id, change('2026-12-21'))).rejects.toEqual(refusal('CHANGE_DATE_IN_FUTURE'));
    expect(await decisionService.requireDecision(c.id)).toMatchObject({ status: 'PUBLISHED', version: published.version });
    expect((await decisionService.requireDecision(c.id)).pendingWithdrawal).toBeUndefined();
  });
});
