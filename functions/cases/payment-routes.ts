/**
 * Payment of fines (P5): confirmations from the bank's reconciliation or receipts, deferral and
 * instalments approved by a leader or the legal division, and the account with today's surcharge.
 */
import * as z from '#domain/z.ts';
import type { Identity } from '#domain/identity.ts';
import { lazySchema, route } from '#http/router.ts';
import { requireCaseAccess } from '#services/cases.ts';

// Loaded by these routes only (issue 13: the cases function's cold start).
// The bodies' schemas (and their domain module) load with the first request of these routes (issue 13).
const schemas = () => import('#domain/payment.ts');
const payments = () => import('#services/payments.ts');

const idParam = z.strictObject({ id: z.uuid({ message: '案件编号格式无效' }) });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

export const paymentRoutes = [
  route({
    method: 'POST',
    path: '/cases/{id}/payments',
    auth: 'case.write',
    summary: '登记罚款缴纳（P5，罚缴分离）：银行对账或缴款凭证；缴款识别码须与决定书一致，金额不超过尚应缴纳的罚款及加处罚款',
    params: idParam,
    body: lazySchema(async () => (await schemas()).paymentBody),
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await payments()).recordPayment(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/payments/arrangement',
    auth: 'payment.approve',
    summary: '登记经批准的暂缓或分期缴纳罚款（行政处罚法第六十六条）：新的缴款期限或各期期限和金额',
    params: idParam,
    body: lazySchema(async () => (await schemas()).arrangementBody),
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'payment.approve');
      return (await payments()).approveArrangement(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/payments',
    auth: 'case.read',
    summary: '罚款缴纳情况：罚款、已缴、缴款期限（或分期）、逾期天数、按今日计算的加处罚款、尚欠金额和状态',
    params: idParam,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.read');
      return (await payments()).account({}, r.params.id);
    },
  }),
];
