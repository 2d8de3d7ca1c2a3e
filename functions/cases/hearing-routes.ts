/**
 * The hearing (听证, issue 15 point 3: P3, N10, N11). The steps make documents (pdfkit, the templates):
 * their service loads with the first hearing request, never at cold start (issue 13).
 */
import * as z from '#domain/z.ts';
import type { Identity } from '#domain/identity.ts';
import { lazySchema, route } from '#http/router.ts';
import { requireCaseAccess } from '#services/cases.ts';

// The bodies' schemas (and their domain module) load with the first request of these routes (issue 13).
const schemas = () => import('#domain/hearing.ts');
const hearing = () => import('#services/hearing.ts');
const idParam = z.strictObject({ id: z.uuid({ message: '案件编号格式无效' }) });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

export const hearingRoutes = [
  route({
    method: 'POST',
    path: '/cases/{id}/hearing',
    auth: 'case.write',
    summary: '登记当事人的听证申请（P3）：告知书告知了听证权利，且在要求听证的期限内（自告知书送达之日起计算）',
    params: idParam,
    body: lazySchema(async () => (await schemas()).hearingRequestBody),
    status: 201,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await hearing()).requestHearing(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/hearing',
    auth: 'case.read',
    summary: '听证情况（P3）：申请、安排、延期、撤回、笔录，听证通知书和听证笔录，不计入办案期限的期间（N11）',
    params: idParam,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.read');
      return (await hearing()).hearingView(r.params.id);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/hearing/arrangement',
    auth: 'case.write',
    summary: '安排听证（P3）：指定非本案调查、承办或法制审核人员为主持人和记录员，确定时间、地点、是否公开；生成听证通知书',
    params: idParam,
    body: lazySchema(async () => (await schemas()).hearingArrangementBody),
    status: 201,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await hearing()).arrangeHearing(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/hearing/postponement',
    auth: 'case.write',
    summary: '延期听证（P3）：新的时间、理由、提出者；生成载明新时间的听证通知书',
    params: idParam,
    body: lazySchema(async () => (await schemas()).hearingPostponementBody),
    status: 201,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await hearing()).postponeHearing(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/hearing/withdrawal',
    auth: 'case.write',
    summary: '登记当事人撤回听证申请或视为放弃（P3）；听证所用时间不计入办案期限（N11）',
    params: idParam,
    body: lazySchema(async () => (await schemas()).hearingWithdrawalBody),
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await hearing()).withdrawHearing(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/hearing/record',
    auth: 'case.write',
    summary: '听证笔录（P3）：举行日期、参加人员、调查人员意见、当事人陈述申辩、质证辩论、最后陈述；生成听证笔录，听证所用时间不计入办案期限（N11）',
    params: idParam,
    body: lazySchema(async () => (await schemas()).hearingRecordBody),
    status: 201,
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await hearing()).recordHearing(ctx(r), r.params.id, r.body);
    },
  }),
];
