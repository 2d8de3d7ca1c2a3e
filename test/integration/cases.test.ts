/**
 * Cases, acts and decisions through the HTTP API (R1, N6, N11, N12, L1, D7–D11, N1–N5): what an
 * officer, a leader, the legal division and the public see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PutCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { creditCodeCheckChar, idNumberCheckChar } from '../../shared/domain/identifiers.ts';
import { createPower, serveNoticeAndWaive, startApi, uniqueId, type TestApi, simpleWarningDraft } from './helpers.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
const officerIds: string[] = [];
let suspendedOfficerId: string;
let wrongCategoryOfficerId: string;
const powerCode = uniqueId('CF').toUpperCase();
let certSeq = 0;

interface Err {
  error: { code: string; message: string; details?: Record<string, unknown>[] };
}
interface CaseView {
  id: string;
  caseNo: string;
  version: number;
  decisionDueDate: string;
  status: string;
}
interface DecisionView {
  version: number;
  status: string;
  publicId: string;
  draftHash: string;
  scope: { inScope: boolean; matched: { rule: string }[]; collectiveDiscussion: boolean };
  publicationDue?: { dueDate: string; skipped: { date: string; reason: string }[] };
}

const idNumber = (birth: string, seq: string) => {
  const first = `321302${birth}${seq}`;
  return first + idNumberCheckChar(first);
};
const creditCode = (body: string) => body + creditCodeCheckChar(body);

async function newOfficer(extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<{ id: string; version: number }>('/officers', {
    token: admin,
    json: {
      name: '案件测试员',
      agencyId,
      certificateNo: `7${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`,
      categories: ['食品安全'],
      region: '测试市',
      validUntil: '2029-12-31',
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const personParty = () => ({
  kind: 'PERSON',
  name: '张三丰',
  idNumber: idNumber('19800101', '123'),
  phone: '13912345678',
  address: '宿迁市宿城区幸福路88号3幢201室',
});
const orgParty = () => ({
  kind: 'ORG',
  name: '宿迁市某某食品有限公司',
  creditCode: creditCode('91321302MA1XXXXX0'),
  address: '宿迁市宿城区工业园区1号',
  legalRepresentative: '李四',
});

async function openCase(party: Record<string, unknown> = orgParty(), extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<CaseView>('/cases', {
    token: officer,
    json: {
      agencyId,
      enforcementType: 'PENALTY',
      powerCode,
      party,
      handlingOfficerIds: officerIds.slice(0, 2),
      filingDate: '2026-03-02',
      summary: '涉嫌经营超过保质期的食品',
      ...extra,
    },
  });
  return res;
}

const simpleWarning = (version = 0) =>
  simpleWarningDraft({ version, documentText: `当事人张三丰（身份证号 ${personParty().idNumber}）于2026年3月1日经营超过保质期的食品，联系电话13912345678。决定给予警告。` });

const generalFine = (version: number, extra: Record<string, unknown> = {}) => ({
  version,
  kind: 'PENALTY',
  procedure: 'GENERAL',
  conclusion: '罚款人民币五万元',
  penalties: ['FINE'],
  fine: '50000.00',
  violationType: '经营超过保质期的食品',
  legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
  facts: '经查，当事人经营超过保质期的食品，证人王五作证',
  thirdPartyNames: ['王五'],
  decisionDate: '2026-09-30',
  ...extra,
});

/** What the review workflow (next issue) writes when a review passes: the gate's only key. */
async function passReview(caseId: string, draftHash: string) {
  await documentClient().send(
    new PutCommand({
      TableName: tableName('Cases'),
      Item: (() => {
        const id = uniqueId();
        return { pk: `CASE#${caseId}`, sk: `REVIEW#${id}`, entity: 'Review', id, caseId, status: 'PASSED', draftHash, version: 1, at: new Date().toISOString() };
      })(),
    }),
  );
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  agencyId = uniqueId('case');
  officer = await api.token(['officer'], { name: '承办人', agencyId });
  leader = await api.token(['leader'], { name: '负责人', agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `案件测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 3; i++) officerIds.push((await newOfficer()).id);
  suspendedOfficerId = (await newOfficer({ certificateStatus: 'SUSPENDED' })).id;
  wrongCategoryOfficerId = (await newOfficer({ categories: ['特种设备'] })).id;
  const power = await createPower(api, admin, powerCode, agencyId);
  expect(power.status).toBe(201);
});
afterAll(async () => api.stop());

describe("an officer's own cases (issue 16: the console's 我的案件)", () => {
  it('lists the cases an officer handles, newest filing first, for them and for who may read their agency', async () => {
    const [a, b, c] = officerIds as [string, string, string];
    const first = await openCase(orgParty(), { handlingOfficerIds: [a, b], filingDate: '2026-03-02' });
    const second = await openCase(orgParty(), { handlingOfficerIds: [c, a], filingDate: '2026-03-05' });
    const notMine = await openCase(orgParty(), { handlingOfficerIds: [b, c], filingDate: '2026-03-06' });
    for (const res of [first, second, notMine]) expect(res.status, res.text).toBe(201);

    const asA = await api.token(['officer'], { agencyId, officerId: a });
    const mine = await api.fetchJson<{ items: CaseView[]; nextCursor?: string }>('/cases?handler=me', { token: asA });
    expect(mine.status, mine.text).toBe(200);
    const ids = mine.body.items.map((x) => x.id);
    expect(ids).toContain(first.body.id);
    expect(ids).toContain(second.body.id);
    expect(ids).not.toContain(notMine.body.id);
    expect(ids.indexOf(second.body.id)).toBeLessThan(ids.indexOf(first.body.id));

    // Paged like every list: one at a time, the cursor goes on.
    const one = await api.fetchJson<{ items: CaseView[]; nextCursor?: string }>('/cases?handler=me&limit=1', { token: asA });
    expect(one.body.items).toHaveLength(1);
    const next = await api.fetchJson<{ items: CaseView[] }>(`/cases?handler=me&limit=1&cursor=${encodeURIComponent(one.body.nextCursor ?? '')}`, { token: asA });
    expect(next.body.items[0]?.id).not.toBe(one.body.items[0]?.id);

    // A leader of the agency may look at an officer's list; an officer of another agency may not.
    expect((await api.fetchJson<{ items: CaseView[] }>(`/cases?handler=${a}`, { token: leader })).body.items.map((x) => x.id)).toContain(first.body.id);
    const outsider = await api.fetchJson<Err>(`/cases?handler=${a}`, { token: await api.token(['officer'], { agencyId: 'some-other-agency' }) });
    expect(outsider.status).toBe(403);
    // Without an officer record, "me" names nobody; handler and agencyId do not mix.
    const anonymous = await api.fetchJson<Err>('/cases?handler=me', { token: officer });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.error.details?.[0]).toMatchObject({ path: 'query.handler' });
    expect((await api.fetchJson<Err>(`/cases?handler=me&agencyId=${agencyId}`, { token: asA })).status).toBe(400);
    expect((await api.fetchJson<Err>('/cases?handler=no-such-officer', { token: leader })).status).toBe(404);
  });
});

describe('opening a case (N6, D5, N11)', () => {
  it('opens with a case number and the 90-day decision limit', async () => {
    const res = await openCase();
    expect(res.status, res.text).toBe(201);
    expect(res.body.caseNo).toMatch(new RegExp(`^${agencyId.toUpperCase()}-2026-\\d{5}$`));
    expect(res.body.decisionDueDate).toBe('2026-05-31');
  });

  it('refuses one officer for an investigation, an invalid certificate, or one not covering the category', async () => {
    const one = await openCase(orgParty(), { handlingOfficerIds: [officerIds[0]] });
    expect([one.status, (one.body as unknown as Err).error.code]).toEqual([422, 'INSUFFICIENT_OFFICERS']);
    const suspended = await openCase(orgParty(), { handlingOfficerIds: [officerIds[0], suspendedOfficerId] });
    expect([suspended.status, (suspended.body as unknown as Err).error.code]).toEqual([422, 'CERTIFICATE_INVALID']);
    const category = await openCase(orgParty(), { handlingOfficerIds: [officerIds[0], wrongCategoryOfficerId] });
    expect([category.status, (category.body as unknown as Err).error.code]).toEqual([422, 'CERTIFICATE_INVALID']);
    expect((category.body as unknown as Err).error.message).toContain('食品安全');
  });

  it('refuses a power not in force on the filing date, a bad credit code and a bad ID number', async () => {
    const early = await openCase(orgParty(), { filingDate: '2023-12-31' });
    expect([early.status, (early.body as unknown as Err).error.code]).toEqual([422, 'POWER_NOT_IN_FORCE']);
    const badCode = await openCase({ ...orgParty(), creditCode: '91321302MA1XXXXX0A' });
    expect(badCode.status).toBe(400);
    const badId = await openCase({ ...personParty(), idNumber: '321302198001011230' });
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('body.party.idNumber');
  });

  it('extensions of the 90-day limit are recorded; beyond 30 days only by collective discussion (N11)', async () => {
    const c = (await openCase()).body;
    const ext = (version: number, days: number, collectiveDiscussion = false) =>
      api.fetchJson<CaseView & Err>(`/cases/${c.id}/extensions`, { token: leader, json: { version, days, reason: '案情复杂需补充检验', approvedBy: '局长', collectiveDiscussion } });
    const first = await ext(c.version, 20);
    expect(first.status, first.text).toBe(200);
    expect(first.body.decisionDueDate).toBe('2026-06-20');
    const tooMuch = await ext(first.body.version, 11);
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, 'EXTENSION_NOT_ALLOWED']);
    const collective = await ext(first.body.version, 60, true);
    expect(collective.body.decisionDueDate).toBe('2026-08-19');
    expect((await ext(first.body.version, 5)).status).toBe(409);
  });

  it('staff of another agency cannot see or change the case', async () => {
    const c = (await openCase()).body;
    const other = await api.token(['officer'], { agencyId: 'some-other-agency' });
    expect((await api.fetchJson(`/cases/${c.id}`, { token: other })).status).toBe(403);
    expect((await api.fetchJson(`/cases/${c.id}/timeline`, { token: other })).status).toBe(403);
    expect((await api.fetchJson(`/cases/${c.id}`, { token: await api.token(['officer'], { agencyId }) })).status).toBe(200);
  });

  it('a retry with the same Idempotency-Key returns the first case', async () => {
    const key = uniqueId('idem-case');
    const body = { agencyId, enforcementType: 'PENALTY', powerCode, party: orgParty(), handlingOfficerIds: officerIds.slice(0, 2), filingDate: '2026-03-02', summary: '重试测试' };
    const a = await api.fetchJson<CaseView>('/cases', { token: officer, json: body, headers: { 'idempotency-key': key } });
    const b = await api.fetchJson<CaseView>('/cases', { token: officer, json: body, headers: { 'idempotency-key': key } });
    expect(a.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
  });
});

describe('acts and the timeline (R1)', () => {
  it('records acts by officers with valid certificates, in time order, and refuses others', async () => {
    const c = (await openCase()).body;
    const act = (at: string, type: string, extra: Record<string, unknown> = {}) =>
      api.fetchJson<Err>(`/cases/${c.id}/acts`, {
        token: officer,
        json: { type, at, place: '宿城区某超市', officerIds: officerIds.slice(0, 2), notes: '现场检查发现过期食品', ...extra },
      });
    expect((await act('2026-03-05T10:00:00+08:00', 'QUESTIONING')).status).toBe(201);
    expect((await act('2026-03-03T09:00:00+08:00', 'INSPECTION')).status).toBe(201);
    const service = await act('2026-03-10T15:00:00+08:00', 'SERVICE', { serviceMethod: 'BY_LEAVING', officerIds: [officerIds[0]] });
    expect(service.status).toBe(201);
    const noMethod = await act('2026-03-10T15:00:00+08:00', 'SERVICE');
    expect(noMethod.status).toBe(400);
    const suspended = await act('2026-03-06T10:00:00+08:00', 'SAMPLING', { officerIds: [officerIds[0], suspendedOfficerId] });
    expect([suspended.status, suspended.body.error.code]).toEqual([422, 'CERTIFICATE_INVALID']);
    const timeline = await api.fetchJson<{ items: { type: string; at: string }[] }>(`/cases/${c.id}/timeline`, { token: officer });
    expect(timeline.body.items.map((i) => i.type)).toEqual(['INSPECTION', 'QUESTIONING', 'SERVICE']);
  });
});

describe('the review gate (L1) and issuing (D7, N12)', () => {
  it('a general-procedure penalty cannot be issued without a passed review of exactly that draft', async () => {
    const c = (await openCase()).body;
    const draft = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: generalFine(0) });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.scope.inScope).toBe(true);
    expect(draft.body.scope.matched.map((m) => m.rule)).toContain('GENERAL_PROCEDURE_PENALTY');
    await serveNoticeAndWaive(api, c.id, { officerIds: officerIds.slice(0, 2) });

    const refused = await api.fetchJson<Err>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: draft.body.version } });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'REVIEW_REQUIRED']);

    // A review of another draft does not open the gate.
    await passReview(c.id, 'f'.repeat(64));
    expect((await api.fetchJson<Err>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: draft.body.version } })).status).toBe(409);

    await passReview(c.id, draft.body.draftHash);
    // Changing the draft after the review voids it.
    const changed = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: generalFine(draft.body.version, { fine: '40000.00', conclusion: '罚款人民币四万元' }) });
    expect(changed.status).toBe(200);
    expect((await api.fetchJson<Err>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: changed.body.version } })).body.error.code).toBe('REVIEW_REQUIRED');

    await passReview(c.id, changed.body.draftHash);
    expect((await api.fetchJson<Err>(`/cases/${c.id}/decision/issue`, { token: officer, json: { version: changed.body.version } })).status).toBe(403);
    const issued = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: changed.body.version } });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.status).toBe('ISSUED');
    // 7 working days from 2026-09-30 across the National Day holiday.
    expect(issued.body.publicationDue?.skipped.some((s) => s.reason.includes('国庆'))).toBe(true);
  });

  it('the simple procedure only within the N12 limits', async () => {
    const c = (await openCase(personParty())).body;
    const over = await api.fetchJson<Err>(`/cases/${c.id}/decision`, {
      method: 'PUT',
      token: officer,
      json: { ...simpleWarning(), penalties: ['FINE'], fine: '200.01', conclusion: '罚款' },
    });
    expect([over.status, over.body.error.code]).toEqual([422, 'SIMPLE_PROCEDURE_NOT_ALLOWED']);
    const bad = await api.fetchJson<Err>(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: { ...simpleWarning(), penalties: ['FINE'], fine: '-5' } });
    expect(bad.status).toBe(400);
    const precise = await api.fetchJson<Err>(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: { ...simpleWarning(), penalties: ['FINE'], fine: '10.001' } });
    expect(precise.status).toBe(400);
  });
});

describe('publication (D7–D11, N1–N5)', () => {
  async function issuedWarning(party: Record<string, unknown> = personParty(), draft: Record<string, unknown> = simpleWarning()) {
    const c = (await openCase(party)).body;
    const d = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: draft });
    expect(d.status, d.text).toBe(200);
    expect(d.body.scope.inScope).toBe(false);
    const issued = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: d.body.version } });
    expect(issued.status, issued.text).toBe(200);
    return { caseId: c.id, decision: issued.body, decisionNo: draft.decisionNo as string };
  }

  it('publishes a redacted record; the public finds it, without personal data', async () => {
    const { caseId, decision, decisionNo } = await issuedWarning();
    const published = await api.fetchJson<DecisionView & { disclosure: { endsOn: string } }>(`/cases/${caseId}/decision/publish`, { token: admin, json: { version: decision.version } });
    expect(published.status, published.text).toBe(200);
    const detail = await api.fetchJson<Record<string, unknown> & { party: { name: string }; documentText: string; notice: string; penaltyRegister: boolean }>(`/public/decisions/${decision.publicId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.party.name).toBe('张某某');
    expect(detail.body.documentText).not.toContain('张三丰');
    expect(detail.body.documentText).not.toContain(personParty().idNumber);
    expect(detail.body.documentText).toContain('[身份证号已隐去]');
    expect(detail.body.documentText).not.toContain('13912345678');
    expect(detail.body.notice).toMatch(/公示/);
    // N1: a warning-only penalty is public but not in the penalty register.
    expect(detail.body.penaltyRegister).toBe(false);
    const byNo = await api.fetchJson<{ items: { id: string }[] }>(`/public/decisions?decisionNo=${encodeURIComponent(decisionNo)}`);
    expect(byNo.body.items.map((i) => i.id)).toEqual([decision.publicId]);
    const register = await api.fetchJson<{ items: { id: string }[] }>(`/public/decisions?kind=PENALTY&decisionNo=${encodeURIComponent(decisionNo)}`);
    expect(register.body.items).toEqual([]);
    const byParty = await api.fetchJson<{ items: { id: string }[] }>(`/public/decisions?agencyId=${agencyId}&party=${encodeURIComponent('张某')}`);
    expect(byParty.body.items.map((i) => i.id)).toContain(decision.publicId);
    const byRealName = await api.fetchJson<{ items: { id: string }[] }>(`/public/decisions?party=${encodeURIComponent('张三丰')}`);
    expect(byRealName.body.items).toEqual([]);
    // N5: a warning only: 3 months.
    expect(published.body.disclosure.endsOn).toBe(detail.body.disclosureEndsOn);
  });

  it('an organisation is found by credit code; a correction makes a new public version', async () => {
    const c = (await openCase(orgParty())).body;
    const d = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision`, { method: 'PUT', token: officer, json: generalFine(0) });
    await passReview(c.id, d.body.draftHash);
    await serveNoticeAndWaive(api, c.id, { officerIds: officerIds.slice(0, 2) });
    const issued = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: d.body.version } });
    const pub = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision/publish`, { token: admin, json: { version: issued.body.version } });
    expect(pub.status, pub.text).toBe(200);
    const detail = await api.fetchJson<{ documentText: string; party: { creditCode: string }; penaltyRegister: boolean }>(`/public/decisions/${pub.body.publicId}`);
    expect(detail.body.documentText).toContain('[第三人姓名已隐去]');
    expect(detail.body.documentText).not.toContain('王五');
    expect(detail.body.penaltyRegister).toBe(true);
    const byCode = await api.fetchJson<{ items: { id: string }[] }>(`/public/decisions?creditCode=${orgParty().creditCode}&kind=PENALTY&from=2026-09-01&to=2026-09-30`);
    expect(byCode.body.items.map((i) => i.id)).toContain(pub.body.publicId);
    const register = await api.fetchJson<{ items: { id: string; penaltyRegister: boolean }[] }>(`/public/decisions?agencyId=${agencyId}&kind=PENALTY&limit=100`);
    expect(register.body.items.map((i) => i.id)).toContain(pub.body.publicId);
    expect(register.body.items.every((i) => i.penaltyRegister)).toBe(true);

    const corrected = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision/correct`, {
      token: admin,
      json: { version: pub.body.version, reason: '违法行为类型录入错误', violationType: '经营过期食品' },
    });
    expect(corrected.status, corrected.text).toBe(200);
    const after = await api.fetchJson<{ publicVersion: number; violationType: string; corrections: { reason: string; correctedAt: string }[] }>(`/public/decisions/${pub.body.publicId}`);
    expect(after.body.publicVersion).toBe(2);
    expect(after.body.violationType).toBe('经营过期食品');
    expect(after.body.corrections).toEqual([expect.objectContaining({ reason: '违法行为类型录入错误', publicVersion: 2 })]);

    const withdrawn = await api.fetchJson<DecisionView>(`/cases/${c.id}/decision/withdraw`, {
      token: admin,
      json: { version: corrected.body.version, ground: 'REVOKED', changedOn: '2026-10-09', reason: '行政复议决定撤销' },
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const timeline = await api.fetchJson<{ items: { kind: string; type: string }[] }>(`/cases/${c.id}/timeline`, { token: officer });
    expect(timeline.body.items.filter((i) => i.kind !== 'act').map((i) => i.type)).toEqual([
      'decision.draft',
      'procedure.notice',
      'procedure.service',
      'procedure.statement',
      'decision.issued',
      'publication.published',
      'publication.corrected',
      'publication.withdrawn',
    ]);
    const gone = await api.fetchJson<Err>(`/public/decisions/${pub.body.publicId}`);
    expect([gone.status, gone.body.error.code]).toEqual([410, 'WITHDRAWN']);
    const list = await api.fetchJson<{ items: { id: string }[] }>(`/public/decisions?creditCode=${orgParty().creditCode}`);
    expect(list.body.items.map((i) => i.id)).not.toContain(pub.body.publicId);
    const again = await api.fetchJson<Err>(`/cases/${c.id}/decision/correct`, { token: admin, json: { version: withdrawn.body.version, reason: '再次更正', violationType: 'x类型' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_STATE']);
    expect(again.body.error.message).toContain('已公示');
  });

  it('an exemption needs a ground and an approver; an exempt decision cannot be published', async () => {
    const { caseId, decision } = await issuedWarning();
    const noGround = await api.fetchJson<Err>(`/cases/${caseId}/decision/exempt`, { token: admin, json: { version: decision.version, approver: '局长' } });
    expect(noGround.status).toBe(400);
    const ok = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/exempt`, { token: admin, json: { version: decision.version, ground: 'STATE_SECRET', approver: '局长' } });
    expect(ok.status).toBe(200);
    const publish = await api.fetchJson<Err>(`/cases/${caseId}/decision/publish`, { token: admin, json: { version: ok.body.version } });
    expect([publish.status, publish.body.error.code]).toEqual([409, 'INVALID_STATE']);
  });

  it('no personal data of a natural person reaches any public response (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          surname: fc.constantFrom('赵', '钱', '孙', '欧阳', '诸葛'),
          given: fc.constantFrom('伟', '秀英', '建国', '娜娜'),
          birth: fc.constantFrom('19700105', '19851231', '19991111'),
          seq: fc.integer({ min: 100, max: 999 }).map(String),
          mobile: fc.integer({ min: 3, max: 9 }).chain((d) => fc.integer({ min: 100_000_000, max: 999_999_999 }).map((n) => `1${d}${n}`)),
          street: fc.constantFrom('人民路', '幸福大道', '洪泽湖路'),
          no: fc.integer({ min: 1, max: 999 }),
        }),
        async (p) => {
          const name = p.surname + p.given;
          const id = idNumber(p.birth, p.seq);
          const address = `宿迁市宿城区${p.street}${p.no}号`;
          const party = { kind: 'PERSON', name, idNumber: id, phone: p.mobile, address };
          const text = `当事人${name}，身份证号码${id}，住${address}，电话${p.mobile}，经营超过保质期的食品。给予${name}警告。`;
          // Every published text field carries some of the personal data.
          const { caseId, decision } = await issuedWarning(party, {
            ...simpleWarning(),
            documentText: text,
            conclusion: `对${name}给予警告`,
            violationType: `${name}经营过期食品（电话${p.mobile}）`,
            legalBasis: `《食品安全法》第一百二十四条（当事人${name}，住${address}，身份证${id}）`,
          });
          const pub = await api.fetchJson(`/cases/${caseId}/decision/publish`, { token: admin, json: { version: decision.version } });
          expect(pub.status).toBe(200);
          const responses = [
            (await api.fetchJson(`/public/decisions/${decision.publicId}`)).text,
            (await api.fetchJson(`/public/decisions?agencyId=${agencyId}&limit=100`)).text,
            (await api.fetchJson(`/public/decisions?party=${encodeURIComponent(p.surname)}`)).text,
          ];
          for (const body of responses) {
            for (const secret of [name, id, p.mobile, address]) expect(body).not.toContain(secret);
          }
        },
      ),
      { numRuns: 5 },
    );
  });
});
