/**
 * Ending a case without a penalty and closing it through the HTTP API (P8, P9, P7): 不予处罚 (with the
 * first-violation list), 移送 and 撤销立案 with their state and date rules; 结案 with its numbered 结案审批表,
 * refused while the fine is unpaid or a remedy open unless a reason is recorded; a closed case read-only
 * (409 CASE_CLOSED on every change, reads allowed); the 立案审批表 made on demand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocumentProxy } from 'unpdf';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { addCalendarDays } from '../../shared/domain/working-days.ts';
import { casesDueBy } from '../../shared/store/cases.ts';
import { createPower, startApi, uniqueId, type TestApi } from './helpers.ts';
import { issuedFine, orgParty, setUpAgency, type Agency, type Err } from './penalty-fixture.ts';

let api: TestApi;
let a: Agency;
const today = shanghaiToday();
const filing = addCalendarDays(today, -30);

interface CaseView {
  id: string;
  caseNo: string;
  version: number;
  status: string;
  ending?: { kind: string; ground?: string; firstViolationItem?: { code: string; versionNo: number } };
  closing?: { reason: string; documentNo: string; approvedOn: string };
}
interface DocumentView {
  id: string;
  type: string;
  documentNo: string;
  sha256: string;
  date: string;
}

const party = orgParty;

async function openCase(powerCode = a.powerCode): Promise<CaseView> {
  const c = await api.fetchJson<CaseView>('/cases', {
    token: a.officer,
    json: { agencyId: a.agencyId, enforcementType: 'PENALTY', powerCode, party: party(), handlingOfficerIds: a.officerIds, filingDate: filing, summary: '涉嫌经营超过保质期的食品' },
  });
  expect(c.status, c.text).toBe(201);
  return c.body;
}
const getCase = async (id: string) => (await api.fetchJson<{ case: CaseView; decision: { version: number } | null }>(`/cases/${id}`, { token: a.officer })).body;
const end = async (id: string, body: Record<string, unknown>, token = a.leader) =>
  api.fetchJson<CaseView & Err>(`/cases/${id}/ending`, { token, json: { version: (await getCase(id)).case.version, approver: '王局长', approvedOn: today, reason: '经调查，当事人的行为不构成违法。', ...body } });
const close = async (id: string, body: Record<string, unknown>) =>
  api.fetchJson<{ case: CaseView; document: DocumentView } & Err>(`/cases/${id}/close`, { token: a.leader, json: { version: (await getCase(id)).case.version, approver: '王局长', approvedOn: today, ...body } });
const documents = async (id: string) => (await api.fetchJson<{ items: DocumentView[] }>(`/cases/${id}/documents`, { token: a.officer })).body.items;

async function pdfText(caseId: string, documentId: string): Promise<string> {
  const res = await fetch(`${api.url}/cases/${caseId}/documents/${documentId}`, { headers: { authorization: `Bearer ${a.officer}` } });
  expect(res.status).toBe(200);
  const doc = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) text += (await (await doc.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
  return text.replace(/\s+/g, '');
}

beforeAll(async () => {
  api = await startApi();
  a = await setUpAgency(api, 'close');
});
afterAll(async () => api.stop());

describe('ending a case without a penalty (P8)', () => {
  it('不予处罚: leader only, version, dates; the case leaves the 90-day queue and takes no penalty decision', async () => {
    const c = await openCase();
    expect((await casesDueBy(addCalendarDays(filing, 365))).map((x) => x.id)).toContain(c.id);
    const body = { kind: 'NO_PENALTY', ground: 'NOT_ESTABLISHED' };
    const byOfficer = await end(c.id, body, a.officer);
    expect(byOfficer.status).toBe(403);
    const stale = await api.fetchJson<Err>(`/cases/${c.id}/ending`, { token: a.leader, json: { ...body, version: c.version + 1, approver: '王局长', approvedOn: today, reason: '不构成违法。' } });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'VERSION_CONFLICT']);
    const early = await end(c.id, { ...body, approvedOn: addCalendarDays(filing, -1) });
    expect([early.status, early.body.error.code]).toEqual([422, 'ENDING_BEFORE_FILING']);
    const future = await end(c.id, { ...body, approvedOn: addCalendarDays(today, 1) });
    expect([future.status, future.body.error.code]).toEqual([422, 'ENDING_DATE_IN_FUTURE']);
    const noItem = await end(c.id, { ...body, ground: 'FIRST_VIOLATION' });
    expect(noItem.status).toBe(400);
    expect((await getCase(c.id)).case).toMatchObject({ status: 'OPEN', version: c.version });

    const ok = await end(c.id, body);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ status: 'DECIDED', version: c.version + 1, ending: { kind: 'NO_PENALTY', ground: 'NOT_ESTABLISHED', approver: '王局长', approvedOn: today } });
    expect((await casesDueBy(addCalendarDays(filing, 365))).map((x) => x.id)).not.toContain(c.id);
    const again = await end(c.id, { kind: 'CANCEL_FILING' });
    expect([again.status, again.body.error.code]).toEqual([409, 'CASE_ENDED']);
    const draft = await api.fetchJson<Err>(`/cases/${c.id}/decision`, {
      method: 'PUT',
      token: a.officer,
      json: { version: 0, kind: 'PENALTY', procedure: 'GENERAL', conclusion: '罚款人民币1000.00元', penalties: ['FINE'], fine: '1000.00', legalBasis: '《食品安全法》', facts: '经查。', decisionDate: today },
    });
    expect([draft.status, draft.body.error.code]).toEqual([409, 'CASE_ENDED']);
    const timeline = await api.fetchJson<{ items: { type: string; kind: string }[] }>(`/cases/${c.id}/timeline`, { token: a.officer });
    expect(timeline.body.items.find((e) => e.type === 'procedure.ending')).toMatchObject({ kind: 'procedure' });
  });

  it("首违不罚 needs an item of the agency's published list that covers the case's power (P9)", async () => {
    const otherPower = uniqueId('PO').toUpperCase();
    expect((await createPower(api, a.admin, otherPower, a.agencyId)).status).toBe(201);
    const code = uniqueId('FV').toUpperCase();
    const item = await api.fetchJson('/first-violation-items', {
      token: a.admin,
      json: {
        code,
        effectiveFrom: addCalendarDays(today, -60),
        content: { name: '未按规定公示食品经营许可证', agencyId: a.agencyId, powerCodes: [a.powerCode], conditions: '首次被发现，危害后果轻微，并在责令改正期限内改正。', legalBasis: '《中华人民共和国行政处罚法》第三十三条第一款' },
      },
    });
    expect(item.status, item.text).toBe(201);
    const listed = await api.fetchJson<{ items: { code: string }[] }>(`/first-violation-items?agencyId=${a.agencyId}`, { token: a.officer });
    expect(listed.body.items.map((i) => i.code)).toContain(code);

    const body = { kind: 'NO_PENALTY', ground: 'FIRST_VIOLATION', firstViolationItemCode: code, reason: '当事人初次违法，危害后果轻微，已于当日改正。' };
    const notCovered = await openCase(otherPower);
    const refused = await end(notCovered.id, body);
    expect([refused.status, refused.body.error.code]).toEqual([422, 'NOT_ON_FIRST_VIOLATION_LIST']);
    expect(refused.body.error.message).toContain(otherPower);
    const unknown = await end(notCovered.id, { ...body, firstViolationItemCode: 'NO-SUCH-ITEM' });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'NOT_ON_FIRST_VIOLATION_LIST']);
    // Before the item was published it was not on the list.
    const covered = await openCase();
    const tooEarly = await end(covered.id, { ...body, approvedOn: addCalendarDays(today, -61) });
    expect(tooEarly.status).toBe(422);
    const ok = await end(covered.id, body);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.ending).toMatchObject({ ground: 'FIRST_VIOLATION', firstViolationItem: { code, versionNo: 1 } });
  });

  it('移送 names to whom and why; 撤销立案 is refused once a penalty decision was issued', async () => {
    const c = await openCase();
    const missing = await end(c.id, { kind: 'TRANSFER', target: 'PUBLIC_SECURITY' });
    expect(missing.status).toBe(400);
    const ok = await end(c.id, { kind: 'TRANSFER', target: 'PUBLIC_SECURITY', recipient: '宿迁市公安局宿城分局', reason: '涉案货值金额较大，涉嫌生产、销售伪劣产品罪。' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.ending).toMatchObject({ kind: 'TRANSFER', target: 'PUBLIC_SECURITY', recipient: '宿迁市公安局宿城分局' });

    const { caseId } = await issuedFine(api, a, '3000.00', { filing, notice: addCalendarDays(today, -20), decision: addCalendarDays(today, -5) });
    const cancel = await end(caseId, { kind: 'CANCEL_FILING', reason: '立案错误。' });
    expect([cancel.status, cancel.body.error.code]).toEqual([409, 'DECISION_ISSUED']);
  });
});

describe('closing (P8)', () => {
  it('an open case cannot close; an ended case closes with its numbered 结案审批表', async () => {
    const open = await openCase();
    const refused = await close(open.id, { reason: 'OTHER', reasonText: '其他' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'CASE_NOT_DECIDED']);

    const c = await openCase();
    expect((await end(c.id, { kind: 'CANCEL_FILING', reason: '经核查，不属于本机关管辖且已由有权机关立案。' })).status).toBe(200);
    const wrongReason = await close(c.id, { reason: 'PERFORMED' });
    expect([wrongReason.status, wrongReason.body.error.code]).toEqual([422, 'CLOSING_REASON_MISMATCH']);
    const future = await close(c.id, { reason: 'ENDED', approvedOn: addCalendarDays(today, 1) });
    expect([future.status, future.body.error.code]).toEqual([422, 'CLOSING_DATE_IN_FUTURE']);
    const other = await close(c.id, { reason: 'OTHER' });
    expect(other.status).toBe(400);
    const closed = await close(c.id, { reason: 'ENDED' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.document).toMatchObject({ type: 'CLOSING_APPROVAL', date: today });
    expect(closed.body.document.documentNo).toMatch(/结〔\d{4}〕\d+号$/);
    expect(closed.body.case).toMatchObject({ status: 'CLOSED', closing: { reason: 'ENDED', documentNo: closed.body.document.documentNo, approvedOn: today } });
    const text = await pdfText(c.id, closed.body.document.id);
    expect(text).toContain('结案审批表');
    expect(text).toContain('撤销立案');
    expect(text).toContain('王局长');

    // Numbers run per agency, type and year.
    const c2 = await openCase();
    await end(c2.id, { kind: 'NO_PENALTY', ground: 'NO_FAULT', reason: '当事人提供的进货凭证足以证明其不知道所售食品不符合标准。' });
    const closed2 = await close(c2.id, { reason: 'ENDED' });
    const seq = (no: string) => Number(/〔\d{4}〕(\d+)号/.exec(no)?.[1]);
    expect(seq(closed2.body.document.documentNo)).toBe(seq(closed.body.document.documentNo) + 1);
  });

  it('a penalty closes once the fine (with any surcharge) is paid, or with a recorded reason; an open remedy needs one too', async () => {
    const decisionDate = addCalendarDays(today, -3);
    const { caseId, decision } = await issuedFine(api, a, '5000.00', { filing, notice: addCalendarDays(today, -20), decision: decisionDate, served: decisionDate });
    const before = (await getCase(caseId)).case;
    const unpaid = await close(caseId, { reason: 'PERFORMED' });
    expect([unpaid.status, unpaid.body.error.code]).toEqual([409, 'FINE_UNPAID']);
    expect(unpaid.body.error.message).toContain('5000.00');
    // Nothing written.
    expect((await getCase(caseId)).case).toMatchObject({ status: 'DECIDED', version: before.version });
    expect((await documents(caseId)).map((d) => d.type)).not.toContain('CLOSING_APPROVAL');

    const paid = await api.fetchJson(`/cases/${caseId}/payments`, { token: a.officer, json: { source: 'BANK_RECONCILIATION', paidOn: today, amount: '5000.00', reference: uniqueId('BK'), paymentReference: decision.paymentReference } });
    expect(paid.status, paid.text).toBe(201);
    const remedy = await api.fetchJson<{ id: string }>(`/cases/${caseId}/remedies`, { token: a.officer, json: { kind: 'RECONSIDERATION', body: '宿迁市人民政府', filedOn: today, caseNumber: '宿政复〔2026〕1号' } });
    expect(remedy.status, remedy.text).toBe(201);
    const open = await close(caseId, { reason: 'PERFORMED' });
    expect([open.status, open.body.error.code]).toEqual([409, 'REMEDY_OPEN']);
    const early = await close(caseId, { reason: 'PERFORMED', approvedOn: addCalendarDays(decisionDate, -1), openRemedyReason: '复议不停止执行，罚款已缴清。' });
    expect([early.status, early.body.error.code]).toEqual([422, 'CLOSING_BEFORE_DECISION']);
    const closed = await close(caseId, { reason: 'PERFORMED', openRemedyReason: '复议不停止执行，罚款已缴清；复议结果另行处理。' });
    expect(closed.status, closed.text).toBe(200);
    const text = await pdfText(caseId, closed.body.document.id);
    expect(text).toContain(decision.document.documentNo);
    expect(text).toContain('当事人已缴清罚款人民币5000.00元');

    // Unpaid, with a recorded reason (an application to the court for enforcement).
    const other = await issuedFine(api, a, '2000.00', { filing, notice: addCalendarDays(today, -20), decision: decisionDate, served: decisionDate });
    const withReason = await close(other.caseId, { reason: 'OTHER', reasonText: '已申请人民法院强制执行', unpaidReason: '当事人逾期不缴纳，已于本月申请人民法院强制执行。' });
    expect(withReason.status, withReason.text).toBe(200);
    expect(withReason.body.case.status).toBe('CLOSED');
  });

  it('a closed case is read-only: every change answers 409 CASE_CLOSED, reads still work', async () => {
    const c = await openCase();
    await end(c.id, { kind: 'NO_PENALTY', ground: 'MINOR_CORRECTED', reason: '违法行为轻微并已当场改正。' });
    const closed = await close(c.id, { reason: 'ENDED' });
    expect(closed.status, closed.text).toBe(200);
    const version = closed.body.case.version;
    const changes: [string, string, string, Record<string, unknown>][] = [
      ['POST', 'acts', a.officer, { type: 'INSPECTION', at: new Date().toISOString(), place: '当事人经营场所', officerIds: a.officerIds }],
      ['PUT', 'decision', a.officer, { version: 0, kind: 'PENALTY', procedure: 'GENERAL', conclusion: '警告', penalties: ['WARNING'], fine: '0.00', legalBasis: '依据', facts: '事实。', decisionDate: today }],
      ['POST', 'notice', a.officer, { version }],
      ['POST', 'services', a.officer, { documentId: closed.body.document.id, method: 'DIRECT', servedOn: today, recipient: '李四', place: '经营场所', officerIds: a.officerIds, receipt: '签收' }],
      ['POST', 'statements', a.officer, { kind: 'STATEMENT', receivedOn: today, channel: 'WRITTEN', text: '陈述内容' }],
      ['POST', 'extensions', a.leader, { version, days: 10, reason: '延长', approvedBy: '王局长' }],
      ['POST', 'ending', a.leader, { version, kind: 'CANCEL_FILING', reason: '撤销', approver: '王局长', approvedOn: today }],
      ['POST', 'close', a.leader, { version, reason: 'ENDED', approver: '王局长', approvedOn: today }],
      ['POST', 'documents', a.officer, { type: 'FILING_APPROVAL', caseSource: '监督检查', approvalOpinion: '同意立案', approver: '王局长' }],
      // Routes of other functions: the legal review and the recording exceptions.
      ['POST', 'decision/review', a.officer, { version: 1, materials: ['决定书草稿'] }],
      ['POST', 'recording-exceptions', a.admin, { actId: '00000000-0000-4000-8000-000000000001', reason: '设备故障，未能录像，已由两名执法人员签字确认。' }],
    ];
    for (const [method, path, token, json] of changes) {
      const res = await api.fetchJson<Err>(`/cases/${c.id}/${path}`, { method, token, json });
      expect([path, res.status, res.body.error?.code]).toEqual([path, 409, 'CASE_CLOSED']);
    }
    // Another agency's officer learns nothing of the case's state.
    const stranger = await api.token(['officer'], { name: '他人', agencyId: uniqueId('other') });
    const foreign = await api.fetchJson<Err>(`/cases/${c.id}/acts`, { token: stranger, json: changes[0]![3] });
    expect(foreign.status).toBe(403);

    expect((await api.fetchJson(`/cases/${c.id}`, { token: a.officer })).status).toBe(200);
    expect((await api.fetchJson(`/cases/${c.id}/timeline`, { token: a.officer })).status).toBe(200);
    expect((await documents(c.id)).map((d) => d.type)).toEqual(['CLOSING_APPROVAL']);
    expect((await getCase(c.id)).case.version).toBe(version);
    const timeline = await api.fetchJson<{ items: { type: string }[] }>(`/cases/${c.id}/timeline`, { token: a.officer });
    expect(timeline.body.items.map((e) => e.type)).toEqual(expect.arrayContaining(['procedure.ending', 'procedure.close']));
  });
});

describe('documents on demand (P7)', () => {
  it('makes the 立案审批表 once from the case; other types are made by their steps', async () => {
    const c = await openCase();
    const stepMade = await api.fetchJson<Err>(`/cases/${c.id}/documents`, { token: a.officer, json: { type: 'PENALTY_NOTICE' } });
    expect([stepMade.status, stepMade.body.error.code]).toEqual([422, 'DOCUMENT_TYPE_NOT_ON_DEMAND']);
    const unknown = await api.fetchJson<Err>(`/cases/${c.id}/documents`, { token: a.officer, json: { type: 'NO_SUCH_TYPE' } });
    expect(unknown.status).toBe(400);
    const body = { type: 'FILING_APPROVAL', caseSource: '投诉举报', approvalOpinion: '同意立案调查', approver: '王局长' };
    const incomplete = await api.fetchJson<Err>(`/cases/${c.id}/documents`, { token: a.officer, json: { ...body, approver: undefined } });
    expect(incomplete.status).toBe(400);
    const late = await api.fetchJson<Err>(`/cases/${c.id}/documents`, { token: a.officer, json: { ...body, date: addCalendarDays(filing, 1) } });
    expect([late.status, late.body.error.code]).toEqual([422, 'FILING_APPROVAL_AFTER_FILING']);
    expect(await documents(c.id)).toEqual([]);

    const made = await api.fetchJson<DocumentView>(`/cases/${c.id}/documents`, { token: a.officer, json: body });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ type: 'FILING_APPROVAL', date: filing });
    expect(made.body.documentNo).toMatch(/立〔\d{4}〕\d+号$/);
    expect(JSON.stringify(made.body)).not.toContain('objectKey');
    const text = await pdfText(c.id, made.body.id);
    expect(text).toContain('立案审批表');
    expect(text).toContain('投诉举报');
    expect(text).toContain(c.caseNo);
    const again = await api.fetchJson<Err>(`/cases/${c.id}/documents`, { token: a.officer, json: body });
    expect([again.status, again.body.error.code]).toEqual([409, 'DOCUMENT_EXISTS']);
    expect((await documents(c.id)).map((d) => d.documentNo)).toEqual([made.body.documentNo]);
  });
});
