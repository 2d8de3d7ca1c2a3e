/**
 * The general penalty procedure through the HTTP API (P1, P2, P4, P7, N10): the prior notice and its
 * document, service with its receipt, the statement period on the working-day calendar, statements and
 * their written responses, and the decision that may not be heavier than notified.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';
import { generalFineDraft, orgParty, passReview, setUpAgency } from './penalty-fixture.ts';

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
const officerIds: string[] = [];
let powerCode: string;

interface Err {
  error: { code: string; message: string; details?: Record<string, unknown>[] };
}
interface Notice {
  documentNo: string;
  hearingOffered: boolean;
  servedOn?: string;
  statementEndsOn?: string;
  hearingRequestEndsOn?: string;
  waivedOn?: string;
}
interface CaseView {
  id: string;
  version: number;
  notice?: Notice;
}
interface DocumentView {
  id: string;
  type: string;
  title: string;
  documentNo: string;
  sha256: string;
  date: string;
  servedOn?: string;
}
interface DecisionView {
  version: number;
  status: string;
  draftHash: string;
}

const party = orgParty;

const fineDraft = generalFineDraft;

const getCase = async (id: string) => (await api.fetchJson<{ case: CaseView; decision: DecisionView }>(`/cases/${id}`, { token: officer })).body;

/** A case with a saved general-procedure fine draft. */
async function caseWithDraft(fine = '50000.00', extra: Record<string, unknown> = {}) {
  const c = await api.fetchJson<CaseView>('/cases', {
    token: officer,
    json: { agencyId, enforcementType: 'PENALTY', powerCode, party: party(), handlingOfficerIds: officerIds.slice(0, 2), filingDate: '2026-10-08', summary: '涉嫌经营超过保质期的食品' },
  });
  expect(c.status, c.text).toBe(201);
  const d = await api.fetchJson<DecisionView>(`/cases/${c.body.id}/decision`, { method: 'PUT', token: officer, json: fineDraft(0, fine, extra) });
  expect(d.status, d.text).toBe(200);
  return { caseId: c.body.id, decision: d.body };
}

const notice = async (caseId: string, date?: string) => {
  const { case: c } = await getCase(caseId);
  return api.fetchJson<{ case: CaseView; document: DocumentView } & Err>(`/cases/${caseId}/notice`, { token: officer, json: { version: c.version, ...(date ? { date } : {}) } });
};
const serve = (caseId: string, documentId: string, servedOn: string, extra: Record<string, unknown> = {}) =>
  api.fetchJson<{ service: { effectiveOn: string }; receipt: DocumentView; case: CaseView } & Err>(`/cases/${caseId}/services`, {
    token: officer,
    json: { documentId, method: 'DIRECT', servedOn, recipient: '李四', place: '宿迁市宿城区工业园区1号', officerIds: officerIds.slice(0, 2), receipt: '当事人当场签收', ...extra },
  });
const issue = async (caseId: string) => {
  const { decision } = await getCase(caseId);
  return api.fetchJson<DecisionView & Err>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: decision.version } });
};


beforeAll(async () => {
  api = await startApi();
  const a = await setUpAgency(api, 'proc');
  ({ agencyId, admin, officer, leader, powerCode } = a);
  officerIds.push(...a.officerIds);
});
afterAll(async () => api.stop());

describe('the prior notice (P1, P7)', () => {
  it('refuses to issue a general-procedure penalty without a notice, then makes the notice as a numbered PDF', async () => {
    const { caseId } = await caseWithDraft();
    const early = await issue(caseId);
    expect([early.status, early.body.error.code]).toEqual([409, 'NOTICE_REQUIRED']);

    const made = await notice(caseId, '2026-11-02');
    expect(made.status, made.text).toBe(201);
    expect(made.body.document.type).toBe('PENALTY_NOTICE');
    expect(made.body.document.documentNo).toMatch(/^测市监.+〔2026〕\d+号$/);
    expect(made.body.case.notice).toMatchObject({ documentNo: made.body.document.documentNo, hearingOffered: false });
    expect(made.body.case.notice?.servedOn).toBeUndefined();

    // Listed with its hash; the PDF served is the one hashed.
    const docs = await api.fetchJson<{ items: DocumentView[] }>(`/cases/${caseId}/documents`, { token: officer });
    expect(docs.body.items.map((d) => d.documentNo)).toEqual([made.body.document.documentNo]);
    expect(JSON.stringify(docs.body)).not.toContain('objectKey');
    const pdf = await fetch(`${api.url}/cases/${caseId}/documents/${made.body.document.id}`, { headers: { authorization: `Bearer ${officer}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(made.body.document.sha256);

    // Not yet served: the period has not started.
    const unserved = await issue(caseId);
    expect([unserved.status, unserved.body.error.code]).toEqual([409, 'NOTICE_NOT_SERVED']);
  });

  it('numbers documents per agency, type and year without reuse; a licensing draft takes no notice', async () => {
    const a = await caseWithDraft();
    const b = await caseWithDraft();
    const first = await notice(a.caseId, '2026-11-02');
    const second = await notice(b.caseId, '2026-11-02');
    const seq = (no: string) => Number(/〔2026〕(\d+)号/.exec(no)?.[1]);
    expect(seq(second.body.document.documentNo)).toBe(seq(first.body.document.documentNo) + 1);
    // A new notice of the same case takes a new number; the old one stays on the case file.
    const again = await notice(a.caseId, '2026-11-03');
    expect(seq(again.body.document.documentNo)).toBe(seq(second.body.document.documentNo) + 1);
    const docs = await api.fetchJson<{ items: DocumentView[] }>(`/cases/${a.caseId}/documents`, { token: officer });
    expect(docs.body.items.map((d) => d.documentNo)).toEqual([first.body.document.documentNo, again.body.document.documentNo]);

    const lic = await api.fetchJson<CaseView>('/cases', {
      token: officer,
      json: { agencyId, enforcementType: 'PENALTY', powerCode, party: party(), handlingOfficerIds: officerIds.slice(0, 2), filingDate: '2026-10-08', summary: '简易程序' },
    });
    await api.fetchJson(`/cases/${lic.body.id}/decision`, { method: 'PUT', token: officer, json: { ...fineDraft(0, '200.00'), procedure: 'SIMPLE', decisionNo: `测市监简罚〔2026〕${uniqueId('s')}号`, documentText: '当场作出的行政处罚决定书全文。' } });
    const refused = await notice(lic.body.id);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'NOTICE_NOT_APPLICABLE']);
  });

  it('names the agency settings a document needs when they are missing, and writes nothing', async () => {
    const bare = uniqueId('bare');
    expect((await api.fetchJson('/agencies', { token: admin, json: { id: bare, name: `无设置局${bare}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
    const token = await api.token(['officer'], { agencyId: bare });
    const o = await api.fetchJson<{ id: string }>('/officers', { token: admin, json: { name: '甲一', agencyId: bare, certificateNo: `7${String(Date.now()).slice(-7)}1`, categories: ['综合执法'], region: '测试市', validUntil: '2029-12-31' } });
    expect(o.status, o.text).toBe(201);
    const o2 = await api.fetchJson<{ id: string }>('/officers', { token: admin, json: { name: '乙二', agencyId: bare, certificateNo: `7${String(Date.now()).slice(-7)}2`, categories: ['综合执法'], region: '测试市', validUntil: '2029-12-31' } });
    const c = await api.fetchJson<CaseView>('/cases', {
      token,
      json: { agencyId: bare, enforcementType: 'PENALTY', powerCode, party: party(), handlingOfficerIds: [o.body.id, o2.body.id], filingDate: '2026-10-08', summary: '涉嫌经营超过保质期的食品' },
    });
    expect(c.status, c.text).toBe(201);
    await api.fetchJson(`/cases/${c.body.id}/decision`, { method: 'PUT', token, json: fineDraft(0, '50000.00') });
    const refused = await api.fetchJson<Err>(`/cases/${c.body.id}/notice`, { token, json: { version: c.body.version } });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'AGENCY_DOCUMENT_SETTINGS_MISSING']);
    expect(refused.body.error.message).toContain('文书编号的机关代字');
    expect((await api.fetchJson<{ items: unknown[] }>(`/cases/${c.body.id}/documents`, { token })).body.items).toEqual([]);
  });

  it('offers a hearing when the draft meets N10 (a fine of 100,000 yuan or more for an organisation)', async () => {
    const { caseId } = await caseWithDraft('150000.00');
    const made = await notice(caseId, '2026-11-02');
    expect(made.body.case.notice?.hearingOffered).toBe(true);
    const served = await serve(caseId, made.body.document.id, '2026-11-02');
    expect(served.status, served.text).toBe(201);
    expect(served.body.case.notice?.hearingRequestEndsOn).toBe('2026-11-09');
  });
});

describe('service (P4) and the statement period (P1)', () => {
  it('counts five working days from service; issuing inside the period answers NOTICE_PERIOD_OPEN with its end', async () => {
    const today = shanghaiToday();
    const { caseId } = await caseWithDraft('50000.00', { decisionDate: today });
    const made = await notice(caseId, today);
    const served = await serve(caseId, made.body.document.id, today);
    expect(served.status, served.text).toBe(201);
    expect(served.body.receipt).toMatchObject({ type: 'SERVICE_RECEIPT' });
    const ends = served.body.case.notice?.statementEndsOn as string;
    expect(ends > today).toBe(true);
    const open = await issue(caseId);
    expect([open.status, open.body.error.code]).toEqual([409, 'NOTICE_PERIOD_OPEN']);
    expect(open.body.error.message).toContain(ends);
    expect(open.body.error.details?.[0]).toMatchObject({ endsOn: ends });
  });

  it('counts on the official calendar: served Friday 2026-10-09, the working Saturday 2026-10-10 counts; a notice before the filing is refused', async () => {
    const { caseId } = await caseWithDraft();
    const made = await notice(caseId, '2026-09-25');
    expect(made.status, made.text).toBe(422); // before the filing date (2026-10-08)
    expect(made.body.error.code).toBe('NOTICE_BEFORE_FILING');
    const ok = await notice(caseId, '2026-10-09');
    const served = await serve(caseId, ok.body.document.id, '2026-10-09'); // Friday; 2026-10-10 is a working Saturday
    expect(served.body.case.notice?.statementEndsOn).toBe('2026-10-15');
  });

  it('refuses service before the document, in the future, electronically without consent; records the receipt', async () => {
    const { caseId } = await caseWithDraft();
    const made = await notice(caseId, '2026-11-02');
    const id = made.body.document.id;
    const before = await serve(caseId, id, '2026-11-01');
    expect([before.status, before.body.error.code]).toEqual([422, 'SERVICE_BEFORE_DOCUMENT']);
    const future = await serve(caseId, id, '2099-01-01');
    expect([future.status, future.body.error.code]).toEqual([422, 'SERVICE_DATE_IN_FUTURE']);
    const electronic = await serve(caseId, id, '2026-11-03', { method: 'ELECTRONIC', place: undefined });
    expect([electronic.status, electronic.body.error.code]).toEqual([422, 'ELECTRONIC_SERVICE_WITHOUT_CONSENT']);
    expect((await api.fetchJson<{ items: unknown[] }>(`/cases/${caseId}/services`, { token: officer })).body.items).toEqual([]);

    const { case: c } = await getCase(caseId);
    const consent = await api.fetchJson<CaseView>(`/cases/${caseId}/electronic-consent`, { token: officer, json: { version: c.version, signedOn: '2026-11-02', address: 'lisi@example.com' } });
    expect(consent.status, consent.text).toBe(200);
    const ok = await serve(caseId, id, '2026-11-03', { method: 'ELECTRONIC', place: undefined, receipt: '电子邮件已送达，系统回执编号 E-1' });
    expect(ok.status, ok.text).toBe(201);
    const services = await api.fetchJson<{ items: { method: string; effectiveOn: string; documentNo: string; receiptDocumentId: string }[] }>(`/cases/${caseId}/services`, { token: officer });
    expect(services.body.items).toHaveLength(1);
    expect(services.body.items[0]).toMatchObject({ method: 'ELECTRONIC', effectiveOn: '2026-11-03', documentNo: made.body.document.documentNo });
    const docs = await api.fetchJson<{ items: DocumentView[] }>(`/cases/${caseId}/documents`, { token: officer });
    expect(docs.body.items.find((d) => d.id === id)?.servedOn).toBe('2026-11-03');
    expect(docs.body.items.some((d) => d.type === 'SERVICE_RECEIPT' && d.id === services.body.items[0]?.receiptDocumentId)).toBe(true);
  });

  it('public-notice service takes effect 30 days after the notice', async () => {
    const { caseId } = await caseWithDraft();
    const made = await notice(caseId, '2026-10-09');
    const served = await serve(caseId, made.body.document.id, '2026-10-12', { method: 'PUBLIC_NOTICE', place: undefined, receipt: '在本局网站和公告栏公告' });
    expect(served.status, served.text).toBe(201);
    expect(served.body.service.effectiveOn).toBe('2026-11-11');
    expect(served.body.case.notice?.servedOn).toBe('2026-11-11');
  });
});

describe('statement and defence (P2)', () => {
  it('a statement needs a written response before the decision; a heavier decision needs a new notice', async () => {
    const { caseId } = await caseWithDraft('50000.00', { decisionDate: '2026-11-20' });
    const made = await notice(caseId, '2026-11-02');
    await serve(caseId, made.body.document.id, '2026-11-02');
    const st = await api.fetchJson<{ id: string; late: boolean }>(`/cases/${caseId}/statements`, {
      token: officer,
      json: { kind: 'STATEMENT', receivedOn: '2026-11-05', channel: 'WRITTEN', text: '当事人称系首次违法，且已主动下架全部过期食品，请求从轻处罚。' },
    });
    expect(st.status, st.text).toBe(201);
    expect(st.body.late).toBe(false);
    const unanswered = await issue(caseId);
    expect([unanswered.status, unanswered.body.error.code]).toEqual([409, 'STATEMENT_UNANSWERED']);

    const answered = await api.fetchJson(`/cases/${caseId}/statements/${st.body.id}/response`, { token: officer, json: { adoption: 'PARTLY_ADOPTED', response: '当事人主动下架的情节属实，予以采纳；首次违法不属于法定从轻情节。' } });
    expect(answered.status, answered.text).toBe(200);
    const twice = await api.fetchJson<Err>(`/cases/${caseId}/statements/${st.body.id}/response`, { token: officer, json: { adoption: 'ADOPTED', response: '再次答复' } });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'STATEMENT_ALREADY_ANSWERED']);

    // Heavier than notified: refused until a new notice is served and its period passes.
    const { decision } = await getCase(caseId);
    const heavier = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: fineDraft(decision.version, '60000.00', { decisionDate: '2026-11-20' }) });
    expect(heavier.status, heavier.text).toBe(200);
    const refused = await issue(caseId);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'HEAVIER_THAN_NOTIFIED']);
    expect(refused.body.error.message).toContain('60000.00');

    // Lighter is always allowed: back to 40,000; review passed; issued.
    const lighter = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, { method: 'PUT', token: officer, json: fineDraft(heavier.body.version, '40000.00', { decisionDate: '2026-11-20' }) });
    const review = await issue(caseId);
    expect([review.status, review.body.error.code]).toEqual([409, 'REVIEW_REQUIRED']);
    await passReview(caseId, lighter.body.draftHash);
    const issued = await issue(caseId);
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.status).toBe('ISSUED');

    // The 决定书 is generated, numbered in its own sequence, and is the served text (P5–P7, N2).
    const decided = issued.body as unknown as { document: { id: string; documentNo: string; sha256: string }; servedText: string; paymentReference: string };
    expect(decided.document.documentNo).toMatch(/^测市监处罚〔2026〕\d+号$/);
    expect(decided.paymentReference).toMatch(/^2026\d{16}$/);
    // The facts were typed with their own 经查: the 决定书 says it once.
    expect(decided.servedText).toContain('经查，当事人于2026年9月');
    expect(decided.servedText).not.toContain('经查，经查');
    for (const phrase of ['罚款人民币40000.00元', '肆万元整', decided.paymentReference, '测试市人民政府', '60日内', '测试市测试区人民法院', '6个月内', '3%', '部分采纳', '主动下架']) {
      expect(decided.servedText, phrase).toContain(phrase);
    }
    const docs = await api.fetchJson<{ items: DocumentView[] }>(`/cases/${caseId}/documents`, { token: officer });
    expect(docs.body.items.find((x) => x.type === 'PENALTY_DECISION')).toMatchObject({ id: decided.document.id, documentNo: decided.document.documentNo, sha256: decided.document.sha256, date: '2026-11-20' });

    // Not served on the spot: due within 7 days of its date (P4), listed overdue until served.
    const serviceItems = async () =>
      (await api.fetchJson<{ items: { kind: string; subjectId: string; state: string; dueDate: string }[] }>(`/compliance/deadlines?agencyId=${agencyId}`, { token: leader })).body.items.filter((i) => i.kind === 'SERVICE' && i.subjectId === caseId);
    expect(await serviceItems()).toEqual([expect.objectContaining({ state: 'OVERDUE', dueDate: '2026-11-27' })]);
    const servedDecision = await serve(caseId, decided.document.id, '2026-11-21');
    expect(servedDecision.status, servedDecision.text).toBe(201);
    expect(await serviceItems()).toEqual([]);

    // Published under the 决定书's number, its text redacted from the generated document.
    const admin2 = await api.token(['admin']);
    const published = await api.fetchJson<{ publicId: string; version: number }>(`/cases/${caseId}/decision/publish`, { token: admin2, json: { version: issued.body.version } });
    expect(published.status, published.text).toBe(200);
    const record = await api.fetchJson<{ decisionNo: string; documentText: string }>(`/public/decisions/${published.body.publicId}`);
    expect(record.body.decisionNo).toBe(decided.document.documentNo);
    expect(record.body.documentText).toContain('申请行政复议');
    // Its 行政处罚信息摘要 (Order 45 Art 4) is made from the published record.
    const withSummary = await api.fetchJson<{ items: DocumentView[] }>(`/cases/${caseId}/documents`, { token: officer });
    const summary = withSummary.body.items.find((x) => x.type === 'PENALTY_SUMMARY');
    expect(summary?.documentNo).toMatch(/^测市监罚摘〔2026〕\d+号$/);
    const summaryPdf = Buffer.from(await (await fetch(`${api.url}/cases/${caseId}/documents/${summary?.id}`, { headers: { authorization: `Bearer ${officer}` } })).arrayBuffer());
    const { extractText } = await import('unpdf');
    const summaryText = (await extractText(new Uint8Array(summaryPdf), { mergePages: true })).text.replace(/\s+/g, '');
    for (const phrase of [decided.document.documentNo, '宿迁市某某食品有限公司', '罚款人民币40000.00元']) expect(summaryText, phrase).toContain(phrase);

    const timeline = await api.fetchJson<{ items: { kind: string; type: string }[] }>(`/cases/${caseId}/timeline`, { token: officer });
    expect(timeline.body.items.filter((e) => e.kind === 'procedure').map((e) => e.type)).toEqual(['procedure.notice', 'procedure.service', 'procedure.statement', 'procedure.statement.response', 'procedure.service']);
  });

  it('a written waiver ends the period at once; the decision may not be dated before it', async () => {
    const { caseId } = await caseWithDraft('50000.00', { decisionDate: '2026-11-02' });
    const made = await notice(caseId, '2026-11-02');
    await serve(caseId, made.body.document.id, '2026-11-02');
    const oral = await api.fetchJson<Err>(`/cases/${caseId}/statements`, { token: officer, json: { kind: 'WAIVER', receivedOn: '2026-11-03', channel: 'ORAL', text: '放弃' } });
    expect(oral.status).toBe(400);
    const waiver = await api.fetchJson(`/cases/${caseId}/statements`, { token: officer, json: { kind: 'WAIVER', receivedOn: '2026-11-03', channel: 'WRITTEN', text: '本公司放弃陈述、申辩的权利。' } });
    expect(waiver.status, waiver.text).toBe(201);
    expect((await getCase(caseId)).case.notice?.waivedOn).toBe('2026-11-03');
    const early = await issue(caseId);
    expect([early.status, early.body.error.code]).toEqual([422, 'DECISION_DATE_IN_NOTICE_PERIOD']);
  });

  it('a statement before any notice, or dated before the notice, is refused', async () => {
    const { caseId } = await caseWithDraft();
    const none = await api.fetchJson<Err>(`/cases/${caseId}/statements`, { token: officer, json: { kind: 'STATEMENT', receivedOn: '2026-11-05', channel: 'WRITTEN', text: '陈述' } });
    expect([none.status, none.body.error.code]).toEqual([409, 'NOTICE_REQUIRED']);
    await notice(caseId, '2026-11-02');
    const before = await api.fetchJson<Err>(`/cases/${caseId}/statements`, { token: officer, json: { kind: 'STATEMENT', receivedOn: '2026-11-01', channel: 'WRITTEN', text: '陈述' } });
    expect([before.status, before.body.error.code]).toEqual([422, 'STATEMENT_BEFORE_NOTICE']);
  });

  it('another agency\'s staff cannot read or act on the procedure', async () => {
    const { caseId } = await caseWithDraft();
    const stranger = await api.token(['officer'], { agencyId: uniqueId('other') });
    expect((await api.fetchJson(`/cases/${caseId}/documents`, { token: stranger })).status).toBe(403);
    expect((await api.fetchJson(`/cases/${caseId}/notice`, { token: stranger, json: { version: 1 } })).status).toBe(403);
  });
});
