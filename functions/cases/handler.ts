/**
 * Cases, acts and decisions for enforcement staff (R1, D5–D11, L1). Officers open cases, record
 * acts and draft decisions; leaders issue; the legal division (admin) and leaders publish, exempt,
 * correct and withdraw.
 */
import * as z from '#domain/z.ts';
import { versionNo } from '#domain/numbers.ts';
import { actBody, createCaseBody, extensionBody } from '#domain/case.ts';
import { agencyId } from '#domain/agency.ts';
import { entityRef } from '#domain/text.ts';
import { correctBody, decisionChangedBody, decisionDraftBody, exemptBody, withdrawBody } from '#domain/decision.ts';
import type { Identity } from '#domain/identity.ts';
import { ValidationError } from '#domain/errors.ts';
import type { Permission } from '#domain/access.ts';
import { RawResult, createHttpHandler, route } from '#http/router.ts';
import { pageQuery } from '#http/schemas.ts';
import * as store from '#store/cases.ts';
import * as cases from '#services/cases.ts';
import { requireAccess as requireAgencyAccess } from '#services/access.ts';
import * as decisions from '#services/decisions.ts';
import * as publication from '#services/publication.ts';
import { consentBody, noticeBody, serviceBody, statementBody, statementResponseBody } from '#domain/procedure.ts';
import { closingRoutes, readOnlyOnceClosed } from './closing-routes.ts';
import { caseFileRoutes } from './case-file-routes.ts';
import { hearingRoutes } from './hearing-routes.ts';
import { paymentRoutes } from './payment-routes.ts';
import { remedyRoutes } from './remedy-routes.ts';

// The procedure's steps make documents (pdfkit, the templates): loaded by those routes only (issue 13).
const procedure = () => import('#services/procedure.ts');
const documents = () => import('#services/documents.ts');


const caseId = z.uuid({ message: '案件编号格式无效' });
const idParam = z.strictObject({ id: caseId });
const documentParam = z.strictObject({ id: caseId, documentId: z.uuid({ message: '文书编号格式无效' }) });
const statementParam = z.strictObject({ id: caseId, statementId: z.uuid({ message: '陈述、申辩记录编号格式无效' }) });
const versionBody = z.strictObject({ version: versionNo });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });

const requireAccess = cases.requireCaseAccess;
const DISCLOSURE: Permission = 'disclosure.manage';

/** The legal division's and leaders' actions on a decision's publication: same access, same shape. */
function disclosureAction<B>(action: string, summary: string, body: z.ZodType<B>, run: (r: { identity: Identity; requestId: string; params: { id: string }; body: B }) => Promise<unknown>) {
  return route({
    method: 'POST',
    path: `/cases/{id}/decision/${action}`,
    auth: DISCLOSURE,
    summary,
    params: idParam,
    body,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, DISCLOSURE);
      return run(r);
    },
  });
}

// A closed case refuses every change in one place (P8): readOnlyOnceClosed.
export const handler = createHttpHandler(readOnlyOnceClosed([
  route({
    method: 'GET',
    path: '/cases',
    auth: 'case.read',
    summary: '本机构案件列表，或某执法人员承办的案件（handler=me 或执法人员编号；均按立案日期倒序）',
    query: z.strictObject({
      agencyId: agencyId.optional(),
      handler: entityRef.optional().meta({ description: 'me（当前用户关联的执法人员）或执法人员编号：只列其承办的案件' }),
      ...pageQuery,
    }),
    handle: async (r) => {
      if (r.query.handler !== undefined) {
        if (r.query.agencyId !== undefined) throw new ValidationError('handler 与 agencyId 不能同时使用', [{ path: 'query.agencyId', message: '按承办人员查询时不需要机构编号' }]);
        return cases.casesOfHandler(r.identity, r.query.handler, { cursor: r.query.cursor, limit: r.query.limit });
      }
      const a = r.query.agencyId ?? r.identity.agencyId;
      if (!a) throw new ValidationError('请指定 agencyId', [{ path: 'query.agencyId', message: '缺少机构编号' }]);
      await requireAgencyAccess(r.identity, 'case.read', a);
      return store.listCases(a, { cursor: r.query.cursor, limit: r.query.limit });
    },
  }),
  route({
    method: 'POST',
    path: '/cases',
    auth: 'case.write',
    summary: '立案',
    body: createCaseBody,
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireAgencyAccess(r.identity, 'case.write', r.body.agencyId);
      return cases.openCase(ctx(r), r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}',
    auth: 'case.read',
    summary: '案件详情：案件、决定、法制审核范围及公示期限的计算过程',
    params: idParam,
    handle: async (r) => {
      const c = await requireAccess(r.identity, r.params.id, 'case.read');
      return { case: c, decision: (await store.getDecision(c.id)) ?? null };
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/extensions',
    auth: 'case.extend',
    summary: '延长办案期限（N11）',
    params: idParam,
    body: extensionBody,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.extend');
      return cases.extendDecisionLimit(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/acts',
    auth: 'case.write',
    summary: '记录执法行为（R1）',
    params: idParam,
    body: actBody,
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.write');
      return cases.recordAct(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/timeline',
    auth: 'case.read',
    summary: '案件全过程记录：执法行为、决定步骤、法制审核和公示事件',
    params: idParam,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.read');
      return { items: await decisions.timeline(r.params.id) };
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/decision',
    auth: 'case.read',
    summary: '决定详情',
    params: idParam,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.read');
      return decisions.requireDecision(r.params.id);
    },
  }),
  route({
    method: 'PUT',
    path: '/cases/{id}/decision',
    auth: 'case.write',
    summary: '保存决定草稿',
    params: idParam,
    body: decisionDraftBody,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.write');
      return decisions.saveDraft(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/decision/issue',
    auth: 'decision.issue',
    summary: '作出决定（法制审核范围内的须先通过审核，L1）',
    params: idParam,
    body: versionBody,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'decision.issue');
      return decisions.issueDecision(ctx(r), r.params.id, r.body.version);
    },
  }),
  // ---------------------------------------------------------------- penalty procedure (P1–P4, P7)
  route({
    method: 'POST',
    path: '/cases/{id}/notice',
    auth: 'case.write',
    summary: '制作行政处罚告知书（P1）：由当前决定草稿生成，告知拟处罚、陈述申辩权及（符合条件时）听证权；重新告知即制作新告知书',
    params: idParam,
    body: noticeBody,
    status: 201,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.write');
      return (await procedure()).issueNotice(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/electronic-consent',
    auth: 'case.write',
    summary: '登记当事人同意电子送达的书面确认（P4）',
    params: idParam,
    body: consentBody,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.write');
      return (await procedure()).recordElectronicConsent(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/services',
    auth: 'case.write',
    summary: '登记文书送达（P4）：方式、日期、受送达人、回执；生成送达回证；告知书送达后起算陈述申辩期限',
    params: idParam,
    body: serviceBody,
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.write');
      return (await procedure()).recordService(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/services',
    auth: 'case.read',
    summary: '文书送达记录',
    params: idParam,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.read');
      return { items: await store.servicesOf(r.params.id) };
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/statements',
    auth: 'case.write',
    summary: '登记当事人的陈述、申辩或书面放弃（P2）',
    params: idParam,
    body: statementBody,
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.write');
      return (await procedure()).recordStatement(ctx(r), r.params.id, r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/statements',
    auth: 'case.read',
    summary: '当事人的陈述、申辩及书面复核意见',
    params: idParam,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.read');
      return { items: await store.statementsOf(r.params.id) };
    },
  }),
  route({
    method: 'POST',
    path: '/cases/{id}/statements/{statementId}/response',
    auth: 'case.write',
    summary: '对陈述、申辩作出书面复核意见（采纳、部分采纳或不予采纳）',
    params: statementParam,
    body: statementResponseBody,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.write');
      return (await procedure()).answerStatement(ctx(r), r.params.id, r.params.statementId, r.body);
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/documents',
    auth: 'case.read',
    summary: '案件文书（P7）：文书编号、类型、日期、SHA-256、送达日期',
    params: idParam,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.read');
      return { items: (await store.documentsOf(r.params.id)).map(({ objectKey: _k, ...d }) => d) };
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/documents/{documentId}',
    auth: 'case.read',
    summary: '文书 PDF（与记录的 SHA-256 核对后返回；API Gateway 上请以 Accept: application/pdf 请求）',
    params: documentParam,
    handle: async (r) => {
      await requireAccess(r.identity, r.params.id, 'case.read');
      const svc = await documents();
      const doc = await svc.requireDocument(r.params.id, r.params.documentId);
      const pdf = await svc.documentFile(doc);
      const name = `${doc.title}-${doc.documentNo}.pdf`;
      return new RawResult(200, pdf, {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${doc.id}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'cache-control': 'private, max-age=300',
        'x-content-sha256': doc.sha256,
      });
    },
  }),
  disclosureAction('publish', '公示决定（隐去个人信息，D7 D9）', versionBody, (r) => publication.publish(ctx(r), r.params.id, r.body.version)),
  disclosureAction('exempt', '不予公开（须有法定理由和批准人，D8）', exemptBody, (r) => publication.exempt(ctx(r), r.params.id, r.body)),
  disclosureAction('correct', '更正已公示的决定（D10）', correctBody, (r) => publication.correct(ctx(r), r.params.id, r.body)),
  disclosureAction('changed', '登记已公示决定被变更、撤销或确认违法（N4）：3 个工作日内须撤下', decisionChangedBody, (r) => publication.recordChange(ctx(r), r.params.id, r.body)),
  disclosureAction('withdraw', '撤下已公示的决定（D11 N4）', withdrawBody, (r) => publication.withdraw(ctx(r), r.params.id, r.body)),
  ...caseFileRoutes,
  ...hearingRoutes,
  ...closingRoutes,
  ...paymentRoutes,
  ...remedyRoutes,
]));
