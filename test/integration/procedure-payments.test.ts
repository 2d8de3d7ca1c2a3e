/**
 * Payment of a fine through the HTTP API (P5, 罚缴分离): the period from the 决定书's service, payments
 * that must quote the decision's reference and may not exceed what is due, partial then full payment, the
 * surcharge computed for today and capped at the fine, deferral and instalments approved by a leader, the
 * sparse queue the daily check reads, and the annual report's fines collected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiToday } from '../../shared/domain/dates.ts';
import { addCalendarDays } from '../../shared/domain/working-days.ts';
import { overduePayments } from '../../shared/store/payments.ts';
import { aggregatesOf } from '../../shared/store/aggregates.ts';
import { startApi, type TestApi } from './helpers.ts';
import { issuedFine, serveDecision, setUpAgency, type Agency, type Err } from './penalty-fixture.ts';

let api: TestApi;
let a: Agency;
const today = shanghaiToday();

interface Account {
  version: number;
  fine: string;
  paid: string;
  surcharge: string;
  outstanding: string;
  status: string;
  dueDate: string | null;
  daysOverdue: number;
  servedOn: string | null;
  schedule: { dueDate: string; amount: string }[] | null;
  payments: { amount: string; toFine: string; toSurcharge: string }[];
}

beforeAll(async () => {
  api = await startApi();
  a = await setUpAgency(api, 'pay');
});
afterAll(async () => api.stop());

const account = async (caseId: string) => (await api.fetchJson<Account & Err>(`/cases/${caseId}/payments`, { token: a.officer })).body;
const pay = (caseId: string, body: Record<string, unknown>) => api.fetchJson<{ account: Account } & Err>(`/cases/${caseId}/payments`, { token: a.officer, json: { source: 'BANK_RECONCILIATION', paidOn: today, ...body } });

describe('payment of a fine (P5)', () => {
  it('an overdue fine: surcharge capped at the fine; wrong reference and too much refused; partial then full payment → PAID, out of the queue', async () => {
    // Served 2026-06-01: due 2026-06-16; by today far more than 34 days of 3%: capped.
    const { caseId, decision } = await issuedFine(api, a, '50000.00', { filing: '2026-05-04', notice: '2026-05-11', decision: '2026-05-20', served: '2026-06-01' });
    const ref = decision.paymentReference;
    const before = await account(caseId);
    expect(before).toMatchObject({ fine: '50000.00', servedOn: '2026-06-01', dueDate: '2026-06-16', status: 'OVERDUE', surcharge: '50000.00', outstanding: '100000.00', paid: '0.00' });
    expect(before.daysOverdue).toBeGreaterThan(34);
    // The daily check's queue has it, read without a Scan.
    expect((await overduePayments(addCalendarDays(today, -1))).map((x) => x.caseId)).toContain(caseId);
    // The leaders' deadline list says how much is owed, surcharge included (computed for the day).
    const listed = async () =>
      (await api.fetchJson<{ items: { kind: string; subjectId: string; state: string; dueDate: string; text: string }[] }>(`/compliance/deadlines?agencyId=${a.agencyId}`, { token: a.leader })).body.items.filter(
        (i) => i.kind === 'PAYMENT' && i.subjectId === caseId,
      );
    const [item] = await listed();
    expect(item).toMatchObject({ state: 'OVERDUE', dueDate: '2026-06-16' });
    expect(item?.text).toContain('尚欠 100000.00 元（含加处罚款 50000.00 元）');

    const wrongRef = await pay(caseId, { amount: '100.00', reference: 'BK-1', paymentReference: ref.replace(/.$/, (d) => String((Number(d) + 1) % 10)) });
    expect([wrongRef.status, wrongRef.body.error.code]).toEqual([422, 'PAYMENT_REFERENCE_MISMATCH']);
    const tooMuch = await pay(caseId, { amount: '100000.01', reference: 'BK-1', paymentReference: ref });
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, 'PAYMENT_EXCEEDS_DUE']);
    expect(tooMuch.body.error.message).toContain('100000.00');
    const early = await pay(caseId, { amount: '100.00', reference: 'BK-1', paymentReference: ref, paidOn: '2026-05-19' });
    expect([early.status, early.body.error.code]).toEqual([422, 'PAYMENT_BEFORE_DECISION']);
    const future = await pay(caseId, { amount: '100.00', reference: 'BK-1', paymentReference: ref, paidOn: addCalendarDays(today, 2) });
    expect([future.status, future.body.error.code]).toEqual([422, 'PAYMENT_DATE_IN_FUTURE']);
    expect((await account(caseId)).payments).toEqual([]);

    const partial = await pay(caseId, { amount: '30000.00', reference: 'BK-1', paymentReference: ref });
    expect(partial.status, partial.text).toBe(201);
    expect(partial.body.account).toMatchObject({ status: 'OVERDUE', paid: '30000.00', outstanding: '70000.00' });
    const again = await pay(caseId, { amount: '30000.00', reference: 'BK-1', paymentReference: ref });
    expect([again.status, again.body.error.code]).toEqual([409, 'PAYMENT_ALREADY_RECORDED']);

    const rest = await pay(caseId, { amount: '70000.00', source: 'RECEIPT', reference: 'NO.0002', paymentReference: ref });
    expect(rest.status, rest.text).toBe(201);
    const after = await account(caseId);
    expect(after).toMatchObject({ status: 'PAID', paid: '100000.00', outstanding: '0.00', surcharge: '50000.00' });
    expect(after.payments.map((p) => [p.amount, p.toFine, p.toSurcharge])).toEqual([
      ['30000.00', '30000.00', '0.00'],
      ['70000.00', '20000.00', '50000.00'],
    ]);
    expect((await overduePayments(today)).map((x) => x.caseId)).not.toContain(caseId);
    expect(await listed()).toEqual([]);
    // Nothing more may be paid.
    const extra = await pay(caseId, { amount: '0.01', reference: 'BK-3', paymentReference: ref });
    expect([extra.status, extra.body.error.code]).toEqual([422, 'PAYMENT_EXCEEDS_DUE']);

    // The annual report counts the fine (not the surcharge) in the year of payment.
    expect((await aggregatesOf(Number(today.slice(0, 4)))).get(a.agencyId)?.finesCollectedFen).toBeGreaterThanOrEqual(5_000_000);
    const timeline = await api.fetchJson<{ items: { type: string }[] }>(`/cases/${caseId}/timeline`, { token: a.officer });
    expect(timeline.body.items.filter((e) => e.type === 'procedure.payment')).toHaveLength(2);
  });

  it('before service nothing runs; from service 15 days; instalments need the approving role and must sum to the fine', async () => {
    const decisionDate = addCalendarDays(today, -3);
    const { caseId, decision } = await issuedFine(api, a, '20000.00', { filing: addCalendarDays(today, -20), notice: addCalendarDays(today, -10), decision: decisionDate });
    expect(await account(caseId)).toMatchObject({ status: 'NOT_SERVED', dueDate: null, surcharge: '0.00', outstanding: '20000.00' });
    await serveDecision(api, a, caseId, decision.document.id, decisionDate);
    const served = await account(caseId);
    expect(served).toMatchObject({ status: 'NOT_DUE', dueDate: addCalendarDays(decisionDate, 15), daysOverdue: 0 });

    const instalments = [
      { dueDate: addCalendarDays(today, 10), amount: '8000.00' },
      { dueDate: addCalendarDays(today, 40), amount: '12000.00' },
    ];
    const body = { version: served.version, kind: 'INSTALMENTS', appliedOn: today, reason: '当事人经营困难，申请分期缴纳', approver: '王局长', approvedOn: today, instalments };
    const byOfficer = await api.fetchJson<Err>(`/cases/${caseId}/payments/arrangement`, { token: a.officer, json: body });
    expect(byOfficer.status).toBe(403);
    const wrongSum = await api.fetchJson<Err>(`/cases/${caseId}/payments/arrangement`, { token: a.leader, json: { ...body, instalments: [instalments[0], { ...instalments[1], amount: '11000.00' }] } });
    expect([wrongSum.status, wrongSum.body.error.code]).toEqual([422, 'INSTALMENTS_SUM_MISMATCH']);
    const ok = await api.fetchJson<Account>(`/cases/${caseId}/payments/arrangement`, { token: a.leader, json: body });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ status: 'NOT_DUE', dueDate: instalments[0]!.dueDate, schedule: instalments });
    const stale = await api.fetchJson<Err>(`/cases/${caseId}/payments/arrangement`, { token: a.leader, json: { ...body, kind: 'DEFERRAL', instalments: undefined, dueDate: addCalendarDays(today, 60) } });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'VERSION_CONFLICT']);

    const first = await pay(caseId, { amount: '8000.00', reference: 'BK-I1', paymentReference: decision.paymentReference });
    expect(first.status, first.text).toBe(201);
    expect(first.body.account).toMatchObject({ status: 'NOT_DUE', dueDate: instalments[1]!.dueDate, outstanding: '12000.00' });
    // The queue follows the earliest unpaid instalment.
    expect((await overduePayments(instalments[1]!.dueDate)).find((x) => x.caseId === caseId)?.dueDate).toBe(instalments[1]!.dueDate);
  });

  it('a decision without a fine has no payment account', async () => {
    const other = await api.fetchJson<Err>(`/cases/00000000-0000-4000-8000-000000000000/payments`, { token: a.officer });
    expect(other.status).toBe(404);
  });
});
