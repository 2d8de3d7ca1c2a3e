/**
 * Remedies against a decision (P6): reconsideration and litigation, their outcomes (an outcome that changes
 * a published decision starts its withdrawal, N4), the windows and the enforcement application's deadline.
 */
import * as z from '#domain/z.ts';
import type { Identity } from '#domain/identity.ts';
import { lazySchema, route } from '#http/router.ts';
import { requireCaseAccess } from '#services/cases.ts';

// Loaded by these routes only (issue 13: the cases function's cold start).
// The bodies' schemas (and their domain module) load with the first request of these routes (issue 13).
const schemas = () => import('#domain/remedy.ts');
const remedies = () => import('#services/remedies.ts');

const caseId = z.uuid({ message: '案件编号格式无效' });
const idParam = z.strictObject({ id: caseId });
const remedyParam = z.strictObject({ id: caseId, remedyId: z.uuid({ message: '复议或诉讼记录编号格式无效' }) });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

export const remedyRoutes = [
  route({
    method: 'POST',
    path: '/cases/{id}/remedies',
    auth: 'case.write',
    summary: '登记当事人申请行政复议或提起行政诉讼（P6）：复议机关或法院、日期、案号、阶段',
    params: idParam,
    body: lazySchema(async () => (await schemas()).remedyBody),
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await remedies()).fileRemedy(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/remedies/{remedyId}/outcome',
    auth: 'case.write',
    summary: '登记复议或诉讼结果：维持、变更、撤销、确认违法或责令重新作出；改变已公示决定的，同时登记决定变更（N4，3 个工作日内撤下）',
    params: remedyParam,
    body: lazySchema(async () => (await schemas()).outcomeBody),
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await remedies()).recordOutcome(ctx(r), r.params.id, r.params.remedyId, r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/remedies',
    auth: 'case.read',
    summary: '复议和诉讼：记录、自决定书送达起算的申请期限，以及未申请、未缴纳时申请法院强制执行的期限',
    params: idParam,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.read');
      return (await remedies()).listRemedies({}, r.params.id);
    },
  }),
];
