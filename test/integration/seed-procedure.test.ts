/**
 * The demo seed's penalty cases (issue 15 point 9): one case of sq-city at each stage of the general
 * procedure, made through the services (local/seed-procedure.ts), with the real legal review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { addCalendarDays } from '../../shared/domain/working-days.ts';
import { startApi, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
const today = shanghaiToday();

interface CaseView {
  id: string;
  caseNo: string;
  status: string;
  party: { name: string; creditCode?: string; address?: string };
  notice?: { servedOn?: string; statementEndsOn?: string; hearingOffered: boolean; waivedOn?: string };
  hearing?: { status: string };
  closing?: { reason: string };
}
interface DocumentView {
  id: string;
  type: string;
  documentNo: string;
  date: string;
}

const byParty: Record<string, string> = {
  notice: '宿迁示例超市有限公司',
  statement: '宿迁示例餐饮有限公司',
  hearing: '宿迁示例食品贸易有限公司',
  payment: '宿迁洋河示例副食品有限公司',
  reconsideration: '宿迁湖滨示例连锁便利有限公司',
  closed: '宿迁宿豫示例粮油有限公司',
};
const cases: Record<string, CaseView> = {};

const get = async <T>(path: string): Promise<T> => {
  const res = await api.fetchJson<T>(path, { token: admin });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.body;
};
const documents = async (key: string) => (await get<{ items: DocumentView[] }>(`/cases/${cases[key]!.id}/documents`)).items;

beforeAll(async () => {
  api = await startApi({ seed: true });
  admin = await api.token(['admin']);
  const list = await get<{ items: CaseView[] }>('/cases?agencyId=sq-city&limit=50');
  for (const [key, name] of Object.entries(byParty)) {
    const found = list.items.filter((c) => c.party.name === name);
    expect(found, name).toHaveLength(1);
    cases[key] = (await get<{ case: CaseView }>(`/cases/${found[0]!.id}`)).case;
  }
}, 180_000);
afterAll(async () => api?.stop());

describe('demo seed: one penalty case at each stage', () => {
  it('six cases in their statuses', () => {
    expect(Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, c.status]))).toEqual({
      notice: 'OPEN',
      statement: 'OPEN',
      hearing: 'OPEN',
      payment: 'DECIDED',
      reconsideration: 'DECIDED',
      closed: 'CLOSED',
    });
    for (const c of Object.values(cases)) expect(c.party.address).toBeTruthy();
  });

  it('告知: the notice made, not served', async () => {
    expect(cases.notice!.notice).toBeDefined();
    expect(cases.notice!.notice?.servedOn).toBeUndefined();
    expect((await documents('notice')).map((d) => d.type)).toEqual(['PENALTY_NOTICE']);
  });

  it('陈述申辩: served, the period still open, a statement without answer', async () => {
    const n = cases.statement!.notice!;
    expect(n.servedOn).toBeDefined();
    expect(n.statementEndsOn! >= today).toBe(true);
    const statements = await get<{ items: { kind: string; response?: unknown }[] }>(`/cases/${cases.statement!.id}/statements`);
    expect(statements.items).toEqual([expect.objectContaining({ kind: 'STATEMENT' })]);
    expect(statements.items[0]!.response).toBeUndefined();
  });

  it('听证: 150,000 yuan to an organisation, hearing arranged with its 听证通知书 at least 7 days ahead', async () => {
    const view = await get<{ hearingOffered: boolean; hearing: { status: string; arrangement: { at: string } }; documents: DocumentView[] }>(`/cases/${cases.hearing!.id}/hearing`);
    expect(view.hearingOffered).toBe(true);
    expect(view.hearing.status).toBe('ARRANGED');
    expect(shanghaiToday(new Date(view.hearing.arrangement.at)) >= addCalendarDays(today, 7)).toBe(true);
    expect(view.documents.map((d) => d.type)).toEqual(['HEARING_NOTICE']);
    const decision = await get<{ draft: { fine: string } }>(`/cases/${cases.hearing!.id}/decision`);
    expect(decision.draft.fine).toBe('150000.00');
  });

  it('待缴款: issued and served, the fine overdue and on the deadline list as PAYMENT', async () => {
    const account = await get<{ outstanding: string; daysOverdue: number; dueDate: string }>(`/cases/${cases.payment!.id}/payments`);
    expect(account.daysOverdue).toBeGreaterThan(0);
    expect(account.dueDate < today).toBe(true);
    const types = (await documents('payment')).map((d) => d.type);
    expect(types).toEqual(expect.arrayContaining(['PENALTY_NOTICE', 'PENALTY_DECISION', 'SERVICE_RECEIPT']));
    const deadlines = await get<{ items: { kind: string; state: string; subjectId: string }[] }>('/compliance/deadlines?agencyId=sq-city');
    expect(deadlines.items).toContainEqual(expect.objectContaining({ kind: 'PAYMENT', state: 'OVERDUE', subjectId: cases.payment!.id }));
  });

  it('复议中: published, a reconsideration without outcome', async () => {
    const decision = await get<{ status: string }>(`/cases/${cases.reconsideration!.id}/decision`);
    expect(decision.status).toBe('PUBLISHED');
    const remedies = await get<{ items: { kind: string; outcome?: unknown }[] }>(`/cases/${cases.reconsideration!.id}/remedies`);
    expect(remedies.items).toEqual([expect.objectContaining({ kind: 'RECONSIDERATION' })]);
    expect(remedies.items[0]!.outcome).toBeUndefined();
  });

  it('已结案: paid in full, closed, with the full document set, each a PDF', async () => {
    expect(cases.closed!.closing?.reason).toBe('PERFORMED');
    const account = await get<{ outstanding: string }>(`/cases/${cases.closed!.id}/payments`);
    expect(account.outstanding).toBe('0.00');
    const docs = await documents('closed');
    const types = docs.map((d) => d.type);
    for (const t of ['FILING_APPROVAL', 'PENALTY_NOTICE', 'PENALTY_DECISION', 'CLOSING_APPROVAL']) expect(types.filter((x) => x === t), t).toHaveLength(1);
    expect(types.filter((t) => t === 'SERVICE_RECEIPT')).toHaveLength(2);
    const pdf = await api.fetchJson(`/cases/${cases.closed!.id}/documents/${docs.find((d) => d.type === 'PENALTY_DECISION')!.id}`, { token: admin });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
  });

  it('the issued decisions passed a real legal review (opinion and approval on record)', async () => {
    for (const key of ['payment', 'reconsideration', 'closed']) {
      const resp = await get<{ reviews: { reviewers: { outcome: string }[]; approval: { decision: string } }[] }>(`/cases/${cases[key]!.id}/responsibility`);
      expect(resp.reviews, key).toEqual([expect.objectContaining({ reviewers: [expect.objectContaining({ outcome: 'APPROVE' })], approval: expect.objectContaining({ decision: 'APPROVE' }) })]);
    }
  });
});
