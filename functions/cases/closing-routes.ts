/**
 * Ending a case without a penalty, closing it, and the documents made on demand (issue 15: P7–P9);
 * and `readOnlyOnceClosed`, the one place where a closed case refuses every change (409 CASE_CLOSED).
 */
import * as z from '#domain/z.ts';
import { ConflictError } from '#domain/errors.ts';
import type { Identity } from '#domain/identity.ts';
import { lazySchema, route } from '#http/router.ts';
import type { Route } from '#http/router.ts';
import { requireCaseAccess } from '#services/cases.ts';

// Closing makes a document (pdfkit, the templates): loaded by these routes only (issue 13).
// The bodies' schemas (and their domain module) load with the first request of these routes (issue 13).
const schemas = () => import('#domain/closing.ts');
const closing = () => import('#services/closing.ts');

const idParam = z.strictObject({ id: z.uuid({ message: '案件编号格式无效' }) });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

export const closingRoutes = [
  route({
    method: 'POST',
    path: '/cases/{id}/ending',
    auth: 'decision.issue',
    summary: '案件终结（P8）：不予行政处罚（含首违不罚，P9）、移送或撤销立案，须有理由、批准人和批准日期；仅限尚未作出处罚决定的案件',
    params: idParam,
    body: lazySchema(async () => (await schemas()).endingBody),
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'decision.issue');
      return (await closing()).endCase(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/close',
    auth: 'decision.issue',
    summary: '结案（P8）：处罚决定履行或执行完毕、或案件以其他方式终结后，经批准结案并生成结案审批表；结案后案件只读',
    params: idParam,
    body: lazySchema(async () => (await schemas()).closeBody),
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'decision.issue');
      return (await closing()).closeCase(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/documents',
    auth: 'case.write',
    summary: '单独制作文书（P7）：目前为立案审批表；其他文书由其办案步骤生成',
    params: idParam,
    body: lazySchema(async () => (await schemas()).documentOnDemandBody),
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireCaseAccess(r.identity, r.params.id, 'case.write');
      return (await closing()).makeDocumentOnDemand(ctx(r), r.params.id, r.body);
    },
  }),
];

/**
 * The disclosure record's duties outlive the case file: a decision is published, corrected or taken
 * down (D7–D11, N4) also after its case closed, e.g. when a court revokes it.
 */
const AFTER_CLOSING = new Set(['/cases/{id}/decision/publish', '/cases/{id}/decision/exempt', '/cases/{id}/decision/correct', '/cases/{id}/decision/changed', '/cases/{id}/decision/withdraw']);

const changesACase = (r: Route): boolean => r.method !== 'GET' && r.path.startsWith('/cases/{id}') && !AFTER_CLOSING.has(r.path);

/**
 * A closed case is read-only (P8): every route that changes a case answers 409 CASE_CLOSED, after the
 * same 404/403 as the route itself (a caller without access learns nothing of the case's state).
 */
export function readOnlyOnceClosed(routes: readonly Route[]): Route[] {
  return routes.map((r) => {
    if (!changesACase(r) || r.auth === 'public' || r.auth === 'device') return r;
    const { auth, handle } = r;
    return {
      ...r,
      handle: async (req: Parameters<typeof handle>[0]) => {
        const c = await requireCaseAccess(req.identity, (req.params as { id: string }).id, auth);
        if (c.status === 'CLOSED') {
          throw new ConflictError('CASE_CLOSED', `案件 ${c.caseNo} 已于 ${c.closing?.approvedOn ?? c.updatedAt.slice(0, 10)} 结案，案卷只读：不能再作任何变更`, [{ path: 'status', message: 'CLOSED', current: 'CLOSED' }]);
        }
        return handle(req);
      },
    };
  });
}
