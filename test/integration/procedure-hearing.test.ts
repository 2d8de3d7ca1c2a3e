/**
 * The hearing through the HTTP API (P3, N10, N11): the request within the notice's window, the officers
 * who may preside and record, the numbered 听证通知书 and its seven days, postponement, the 听证笔录, the
 * decision limit moved by the hearing's days, and the decision that waits for the hearing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '../../shared/aws/dynamodb.ts';
import { getDocumentProxy } from 'unpdf';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { createPower, DOCUMENT_SETTINGS, startApi, uniqueId, type TestApi } from './helpers.ts';
import { generalFineDraft, orgParty } from './penalty-fixture.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
/** Two handling officers, then the hearing officer, the clerk, and a legal reviewer. */
const ids: string[] = [];
const names = ['承办甲', '承办乙', '主持丙', '记录丁', '审核戊'];
const [H1, H2, CHAIR, CLERK, REVIEWER] = [0, 1, 2, 3, 4];
const powerCode = uniqueId('HR').toUpperCase();

interface Err {
  error: { code: string; message: string; details?: Record<string, unknown>[] };
}
interface DocumentView {
  id: string;
  type: string;
  title: string;
  documentNo: string;
  date: string;
  servedOn?: string;
}
interface Hearing {
  status: string;
  request: { receivedOn: string };
  arrangement?: { at: string; officerName: string; clerkName: string; noticeDocumentId: string; noticeDocumentNo: string };
  postponements: { from: string; to: string; requestedBy: string; noticeDocumentNo: string }[];
  held?: { heldOn: string; documentId: string; documentNo: string };
  excluded?: { from: string; to: string; days: number; reason: string };
}
interface CaseView {
  id: string;
  caseNo: string;
  version: number;
  decisionDueDate: string;
  notice?: { documentNo: string; hearingOffered: boolean; hearingRequestEndsOn?: string };
  hearing?: Hearing;
  excludedPeriods?: { from: string; to: string; days: number; reason: string }[];
}
interface DecisionView {
  version: number;
  status: string;
  draftHash: string;
}
interface StepResult {
  case: CaseView;
  document: DocumentView;
}

const party = orgParty;

const fineDraft = (version: number, fine: string, extra: Record<string, unknown> = {}) =>
  generalFineDraft(version, fine, { facts: '经查，当事人于2026年9月在其经营场所销售超过保质期的预包装食品120件，货值金额12000元。', decisionDate: '2026-11-30', ...extra });

const getCase = async (id: string) => (await api.fetchJson<{ case: CaseView; decision: DecisionView }>(`/cases/${id}`, { token: officer })).body;

/** A case with a general-procedure fine draft (its 决定书 number and text are generated at issue) and its notice (hearing offered from 100,000 yuan for an organisation). */
async function caseWithNotice(fine = '150000.00', serveOn: string | undefined = '2026-11-02') {
  const c = await api.fetchJson<CaseView>('/cases', {
    token: officer,
    json: { agencyId, enforcementType: 'PENALTY', powerCode, party: party(), handlingOfficerIds: [ids[H1], ids[H2]], filingDate: '2026-10-08', summary: '涉嫌经营超过保质期的食品' },
  });
  expect(c.status, c.text).toBe(201);
  const caseId = c.body.id;
  const d = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: fineDraft(0, fine) });
  expect(d.status, d.text).toBe(200);
  const made = await api.fetchJson<StepResult>(`/cases/${caseId}/notice`, { token: officer, json: { version: (await getCase(caseId)).case.version, date: '2026-11-02' } });
  expect(made.status, made.text).toBe(201);
  if (serveOn) expect((await serve(caseId, made.body.document.id, serveOn)).status).toBe(201);
  return caseId;
}

const serve = (caseId: string, documentId: string, servedOn: string) =>
  api.fetchJson<Err>(`/cases/${caseId}/services`, {
    token: officer,
    json: { documentId, method: 'DIRECT', servedOn, recipient: '李四', place: '宿迁市宿城区工业园区1号', officerIds: [ids[H1], ids[H2]], receipt: '当事人当场签收' },
  });

const version = async (caseId: string) => (await getCase(caseId)).case.version;
const post = async <T>(caseId: string, step: string, body: Record<string, unknown>) =>
  api.fetchJson<T & Err>(`/cases/${caseId}/hearing${step}`, { token: officer, json: { version: await version(caseId), ...body } });
const request = (caseId: string, receivedOn = '2026-11-05') => post<CaseView>(caseId, '', { receivedOn, channel: 'WRITTEN' });
const arrangement = (extra: Record<string, unknown> = {}) => ({
  officerId: ids[CHAIR],
  clerkId: ids[CLERK],
  at: '2026-11-18T09:30:00+08:00',
  place: '测试市示范路1号本局三楼听证室',
  public: true,
  date: '2026-11-10',
  ...extra,
});
const arrange = (caseId: string, extra: Record<string, unknown> = {}) => post<StepResult>(caseId, '/arrangement', arrangement(extra));
const recordBody = (heldOn: string) => ({
  heldOn,
  participants: '委托代理人孙某（江苏某某律师事务所律师）；案件调查人员承办甲、承办乙',
  investigatorStatement: '调查人员陈述：当事人销售超过保质期的预包装食品120件，违反《中华人民共和国食品安全法》第三十四条第十项，建议罚款人民币150000元。',
  partyStatement: '当事人对违法事实无异议，称系疏忽未及时下架，已全部下架并自查其他商品，请求从轻处罚。',
  crossExamination: '当事人对证据1至5的真实性、合法性、关联性均无异议。',
  finalStatement: '当事人请求从轻处罚。',
});
const issue = async (caseId: string) => {
  const { decision } = await getCase(caseId);
  return api.fetchJson<DecisionView & Err>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: decision.version } });
};

/** What the review workflow writes: a passed review of `draftHash` by `reviewerId`. */
async function putReview(caseId: string, draftHash: string, reviewerId: string, status = 'PASSED') {
  const id = uniqueId();
  await documentClient().send(
    new PutCommand({
      TableName: tableName('Cases'),
      Item: { pk: `CASE#${caseId}`, sk: `REVIEW#${id}`, entity: 'Review', id, caseId, status, draftHash, reviewerId, reviewerName: names[REVIEWER], assignments: [], opinions: [], version: 1, at: new Date().toISOString() },
    }),
  );
}

async function pdfText(documentId: string, caseId: string): Promise<string> {
  const res = await fetch(`${api.url}/cases/${caseId}/documents/${documentId}`, { headers: { authorization: `Bearer ${officer}` } });
  expect(res.status).toBe(200);
  const doc = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) text += (await (await doc.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
  return text.replace(/\s+/g, '');
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin']);
  agencyId = uniqueId('hear');
  officer = await api.token(['officer'], { name: '承办人', agencyId });
  leader = await api.token(['leader'], { name: '负责人', agencyId });
  const created = await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `听证测试局${agencyId}`, level: 'CITY', region: '测试市', ...DOCUMENT_SETTINGS } });
  expect(created.status, created.text).toBe(201);
  for (const [i, name] of names.entries()) {
    const o = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name, agencyId, certificateNo: `6${String(Date.now()).slice(-7)}${i}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    expect(o.status, o.text).toBe(201);
    ids.push(o.body.id);
  }
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
});
afterAll(async () => api.stop());

describe('the request (P3, N10)', () => {
  it('is recorded within the window; after it 422 HEARING_REQUEST_LATE; twice 409', async () => {
    const caseId = await caseWithNotice();
    expect((await getCase(caseId)).case.notice?.hearingRequestEndsOn).toBe('2026-11-09');
    const late = await request(caseId, '2026-11-10');
    expect([late.status, late.body.error.code]).toEqual([422, 'HEARING_REQUEST_LATE']);
    expect(late.body.error.message).toContain('2026-11-09');
    expect((await getCase(caseId)).case.hearing).toBeUndefined();

    const ok = await request(caseId, '2026-11-09');
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.hearing).toMatchObject({ status: 'REQUESTED', request: { receivedOn: '2026-11-09', channel: 'WRITTEN' } });
    const again = await request(caseId, '2026-11-09');
    expect([again.status, again.body.error.code]).toEqual([409, 'HEARING_ALREADY_REQUESTED']);

    // While the hearing is under way: no new notice, and no draft that claims a hearing was held.
    const { case: c, decision } = await getCase(caseId);
    const renotice = await api.fetchJson<Err>(`/cases/${caseId}/notice`, { token: officer, json: { version: c.version } });
    expect([renotice.status, renotice.body.error.code]).toEqual([409, 'HEARING_PENDING']);
    const claimed = await api.fetchJson<Err>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: fineDraft(decision.version, '150000.00', { hearingHeld: true }) });
    expect([claimed.status, claimed.body.error.code]).toEqual([422, 'HEARING_NOT_HELD']);
  });

  it('may come before the notice is served', async () => {
    const caseId = await caseWithNotice('150000.00', undefined);
    const ok = await request(caseId, '2026-11-03');
    expect(ok.status, ok.text).toBe(201);
  });

  it('is refused with 409 HEARING_NOT_OFFERED when the notice offered none', async () => {
    const caseId = await caseWithNotice('50000.00');
    expect((await getCase(caseId)).case.notice?.hearingOffered).toBe(false);
    const refused = await request(caseId);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'HEARING_NOT_OFFERED']);
  });
});

describe('the arrangement (P3)', () => {
  it('refuses a handling officer or a reviewer of the case (422, naming who and why), then makes a numbered 听证通知书', async () => {
    const caseId = await caseWithNotice();
    await request(caseId);
    const handler = await arrange(caseId, { officerId: ids[H1] });
    expect([handler.status, handler.body.error.code]).toEqual([422, 'HEARING_OFFICER_NOT_ELIGIBLE']);
    expect(handler.body.error.message).toContain(`${names[H1]}：是本案承办人员`);
    expect(handler.body.error.details?.[0]).toMatchObject({ path: 'body.officerId', officerId: ids[H1] });

    const { decision } = await getCase(caseId);
    await putReview(caseId, decision.draftHash, ids[REVIEWER] as string, 'IN_PROGRESS');
    const reviewer = await arrange(caseId, { clerkId: ids[REVIEWER] });
    expect([reviewer.status, reviewer.body.error.code]).toEqual([422, 'HEARING_OFFICER_NOT_ELIGIBLE']);
    expect(reviewer.body.error.message).toContain(`${names[REVIEWER]}：是本案法制审核人员`);

    const early = await arrange(caseId, { at: '2026-11-16T09:30:00+08:00' });
    expect([early.status, early.body.error.code]).toEqual([422, 'HEARING_DATE_TOO_EARLY']);
    expect(early.body.error.message).toContain('2026-11-17');
    expect((await api.fetchJson<{ documents: unknown[] }>(`/cases/${caseId}/hearing`, { token: officer })).body.documents).toEqual([]);

    const made = await arrange(caseId);
    expect(made.status, made.text).toBe(201);
    expect(made.body.document).toMatchObject({ type: 'HEARING_NOTICE', title: '听证通知书', date: '2026-11-10' });
    expect(made.body.document.documentNo).toMatch(/^测市监听通〔2026〕\d+号$/);
    expect(made.body.case.hearing).toMatchObject({ status: 'ARRANGED', arrangement: { officerName: names[CHAIR], clerkName: names[CLERK], noticeDocumentNo: made.body.document.documentNo } });
    const text = await pdfText(made.body.document.id, caseId);
    for (const phrase of ['2026年11月18日上午9时30分', '测试市示范路1号本局三楼听证室', `由${names[CHAIR]}担任主持人`, `${names[CLERK]}担任记录员`, '经营超过保质期的食品', '公开']) expect(text, phrase).toContain(phrase);
    const twice = await arrange(caseId);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'HEARING_ALREADY_ARRANGED']);
  });
});

describe('the hearing held (P3, N11)', () => {
  it('notice served too late → 409 with the earliest date; postponed with a new notice; the record makes it HELD and moves the decision limit', async () => {
    const caseId = await caseWithNotice();
    const before = (await getCase(caseId)).case;
    expect(before.decisionDueDate).toBe('2027-01-06');
    await request(caseId, '2026-11-05');
    const made = await arrange(caseId);
    expect(made.status, made.text).toBe(201);

    // Not served: no hearing.
    const unserved = await post<StepResult>(caseId, '/record', recordBody('2026-11-18'));
    expect([unserved.status, unserved.body.error.code]).toEqual([409, 'HEARING_NOTICE_NOT_SERVED']);
    // Served on 11-12, six days before 11-18: not on that date.
    expect((await serve(caseId, made.body.document.id, '2026-11-12')).status).toBe(201);
    const tooLate = await post<StepResult>(caseId, '/record', recordBody('2026-11-18'));
    expect([tooLate.status, tooLate.body.error.code]).toEqual([409, 'HEARING_NOTICE_TOO_LATE']);
    expect(tooLate.body.error.message).toContain('2026-11-19');
    expect(tooLate.body.error.details?.[0]).toMatchObject({ earliest: '2026-11-19', servedOn: '2026-11-12' });

    const notLater = await post<StepResult>(caseId, '/postponement', { at: '2026-11-17T09:30:00+08:00', reason: '通知书送达不足七日', requestedBy: 'AGENCY', date: '2026-11-12' });
    expect([notLater.status, notLater.body.error.code]).toEqual([422, 'HEARING_POSTPONEMENT_NOT_LATER']);
    const postponed = await post<StepResult>(caseId, '/postponement', { at: '2026-11-27T14:00:00+08:00', reason: '听证通知书送达不足七日，依法延期', requestedBy: 'AGENCY', date: '2026-11-19' });
    expect(postponed.status, postponed.text).toBe(201);
    expect(postponed.body.document.type).toBe('HEARING_NOTICE');
    expect(postponed.body.document.documentNo).not.toBe(made.body.document.documentNo);
    expect(postponed.body.case.hearing?.postponements).toEqual([
      expect.objectContaining({ from: '2026-11-18T09:30:00+08:00', to: '2026-11-27T14:00:00+08:00', requestedBy: 'AGENCY', noticeDocumentNo: postponed.body.document.documentNo }),
    ]);
    expect(await pdfText(postponed.body.document.id, caseId)).toContain('2026年11月27日下午2时');
    expect((await serve(caseId, postponed.body.document.id, '2026-11-19')).status).toBe(201);

    const early = await post<StepResult>(caseId, '/record', recordBody('2026-11-26'));
    expect([early.status, early.body.error.code]).toEqual([422, 'HEARING_RECORD_BEFORE_HEARING']);
    const future = await post<StepResult>(caseId, '/record', recordBody('2099-01-01'));
    expect([future.status, future.body.error.code]).toEqual([422, 'HEARING_DATE_IN_FUTURE']);

    const held = await post<StepResult>(caseId, '/record', recordBody('2026-11-27'));
    expect(held.status, held.text).toBe(201);
    expect(held.body.document).toMatchObject({ type: 'HEARING_RECORD', title: '听证笔录', date: '2026-11-27' });
    expect(held.body.document.documentNo).toMatch(/^测市监听录〔2026〕\d+号$/);
    // N11: 2026-11-05 → 2026-11-27 is 22 days; 2027-01-06 + 22.
    expect(held.body.case.hearing).toMatchObject({ status: 'HELD', held: { heldOn: '2026-11-27' }, excluded: { from: '2026-11-05', to: '2026-11-27', days: 22, reason: '听证' } });
    expect(held.body.case.decisionDueDate).toBe('2027-01-28');
    const text = await pdfText(held.body.document.id, caseId);
    for (const phrase of [before.caseNo, '2026年11月27日下午2时', '请求从轻处罚', '真实性、合法性、关联性均无异议', names[CHAIR], names[CLERK]]) expect(text, phrase).toContain(phrase);

    // The case and the deadline list show the new date.
    const after = (await getCase(caseId)).case;
    expect(after.decisionDueDate).toBe('2027-01-28');
    expect(after.excludedPeriods).toEqual([{ from: '2026-11-05', to: '2026-11-27', days: 22, reason: '听证' }]);
    const deadlines = async (date: string) =>
      (await api.fetchJson<{ items: { kind: string; subjectId: string; dueDate: string }[] }>(`/compliance/deadlines?date=${date}&agencyId=${agencyId}`, { token: leader })).body.items.filter(
        (i) => i.kind === 'CASE_LIMIT' && i.subjectId === caseId,
      );
    expect(await deadlines('2027-01-03')).toEqual([]); // the old due date's week: no longer due
    expect((await deadlines('2027-01-25')).map((i) => i.dueDate)).toEqual(['2027-01-28']);

    const view = await api.fetchJson<{ hearing: Hearing; documents: DocumentView[]; records: { documentNo: string; partyStatement: string }[]; decisionDueDate: string }>(`/cases/${caseId}/hearing`, { token: officer });
    expect(view.status, view.text).toBe(200);
    expect(view.body.hearing.status).toBe('HELD');
    expect(view.body.documents.map((d) => d.type)).toEqual(['HEARING_NOTICE', 'HEARING_NOTICE', 'HEARING_RECORD']);
    expect(view.body.records).toEqual([expect.objectContaining({ documentNo: held.body.document.documentNo, partyStatement: recordBody('').partyStatement })]);
    expect(JSON.stringify(view.body)).not.toContain('objectKey');
    const again = await post<StepResult>(caseId, '/record', recordBody('2026-11-27'));
    expect([again.status, again.body.error.code]).toEqual([409, 'HEARING_ENDED']);

    // Issue: the held hearing must be in the draft (review scope), then the review, then the decision.
    const notInDraft = await issue(caseId);
    expect([notInDraft.status, notInDraft.body.error.code]).toEqual([409, 'HEARING_NOT_IN_DRAFT']);
    const { decision } = await getCase(caseId);
    const withHearing = await api.fetchJson<DecisionView & { scope: { matched: { rule: string }[] } }>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: fineDraft(decision.version, '150000.00', { hearingHeld: true }) });
    expect(withHearing.status, withHearing.text).toBe(200);
    expect(withHearing.body.scope.matched.map((m) => m.rule)).toContain('HEARING_HELD');
    const review = await issue(caseId);
    expect([review.status, review.body.error.code]).toEqual([409, 'REVIEW_REQUIRED']);
    await putReview(caseId, withHearing.body.draftHash, ids[REVIEWER] as string);
    const issued = await issue(caseId);
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.status).toBe('ISSUED');

    const timeline = await api.fetchJson<{ items: { kind: string; type: string }[] }>(`/cases/${caseId}/timeline`, { token: officer });
    expect(timeline.body.items.filter((e) => e.type.startsWith('procedure.hearing')).map((e) => [e.kind, e.type])).toEqual([
      ['procedure', 'procedure.hearing.request'],
      ['procedure', 'procedure.hearing.arrangement'],
      ['procedure', 'procedure.hearing.postponement'],
      ['procedure', 'procedure.hearing.record'],
    ]);
  });
});

describe('the gate at issue (P3)', () => {
  it('a pending hearing blocks issuing (409 HEARING_PENDING); the withdrawal unblocks it and moves the limit by its days', async () => {
    const caseId = await caseWithNotice();
    await request(caseId, '2026-11-05');
    const pending = await issue(caseId);
    expect([pending.status, pending.body.error.code]).toEqual([409, 'HEARING_PENDING']);
    await arrange(caseId);
    const arranged = await issue(caseId);
    expect([arranged.status, arranged.body.error.code]).toEqual([409, 'HEARING_PENDING']);
    expect(arranged.body.error.message).toContain('2026年11月18日上午9时30分');

    const absentEarly = await post<CaseView>(caseId, '/withdrawal', { withdrawnOn: '2026-11-12', how: 'ABSENT' });
    expect([absentEarly.status, absentEarly.body.error.code]).toEqual([422, 'HEARING_NOT_YET_DUE']);
    const beforeRequest = await post<CaseView>(caseId, '/withdrawal', { withdrawnOn: '2026-11-04', how: 'WRITTEN' });
    expect([beforeRequest.status, beforeRequest.body.error.code]).toEqual([422, 'HEARING_WITHDRAWAL_BEFORE_REQUEST']);
    const stale = await api.fetchJson<Err>(`/cases/${caseId}/hearing/withdrawal`, { token: officer, json: { version: 1, withdrawnOn: '2026-11-12', how: 'WRITTEN' } });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'VERSION_CONFLICT']);

    const withdrawn = await post<CaseView>(caseId, '/withdrawal', { withdrawnOn: '2026-11-12', how: 'WRITTEN', note: '当事人书面撤回听证申请' });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.hearing).toMatchObject({ status: 'WITHDRAWN', excluded: { from: '2026-11-05', to: '2026-11-12', days: 7 } });
    expect(withdrawn.body.decisionDueDate).toBe('2027-01-13');

    const next = await issue(caseId);
    expect([next.status, next.body.error.code]).toEqual([409, 'REVIEW_REQUIRED']);
    await putReview(caseId, (await getCase(caseId)).decision.draftHash, ids[REVIEWER] as string);
    const issued = await issue(caseId);
    expect(issued.status, issued.text).toBe(200);
    const timeline = await api.fetchJson<{ items: { type: string }[] }>(`/cases/${caseId}/timeline`, { token: officer });
    expect(timeline.body.items.map((e) => e.type)).toContain('procedure.hearing.withdrawal');
  });

  it('another agency\'s staff cannot read or request the hearing', async () => {
    const caseId = await caseWithNotice();
    const stranger = await api.token(['officer'], { agencyId: uniqueId('other') });
    expect((await api.fetchJson(`/cases/${caseId}/hearing`, { token: stranger })).status).toBe(403);
    expect((await api.fetchJson(`/cases/${caseId}/hearing`, { token: stranger, json: { version: 1, receivedOn: '2026-11-05', channel: 'WRITTEN' } })).status).toBe(403);
  });
});
