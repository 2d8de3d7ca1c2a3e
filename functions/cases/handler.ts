/**
 * Cases, acts and decisions for enforcement staff (R1, D5–D11, L1). Officers open cases, record
 * acts and draft decisions; leaders issue; the legal division (admin) and leaders publish, exempt,
 * correct and withdraw.
 */
import * as z from '#domain/z.ts';
import { versionNo } from '#domain/numbers.ts';
import { actBody, createCaseBody, extensionBody } from '#domain/case.ts';
import { agencyId } from '#domain/agency.ts';
import { correctBody, decisionChangedBody, decisionDraftBody, exemptBody, withdrawBody } from '#domain/decision.ts';
import type { Identity } from '#domain/identity.ts';
import { ValidationError } from '#domain/errors.ts';
import type { Permission } from '#domain/access.ts';
import { createHttpHandler, route } from '#http/router.ts';
import { pageQuery } from '#http/schemas.ts';
import * as store from '#store/cases.ts';
import * as cases from '#services/cases.ts';
import { requireAccess as requireAgencyAccess } from '#services/access.ts';
import * as decisions from '#services/decisions.ts';
import * as publication from '#services/publication.ts';


const idParam = z.strictObject({ id: z.uuid({ message: '案件编号格式无效' }) });
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

export const handler = createHttpHandler([
  route({
    method: 'GET',
    path: '/cases',
    auth: 'case.read',
    summary: '本机构案件列表（按立案日期倒序）',
    query: z.strictObject({ agencyId: agencyId.optional(), ...pageQuery }),
    handle: async (r) => {
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
  disclosureAction('publish', '公示决定（隐去个人信息，D7 D9）', versionBody, (r) => publication.publish(ctx(r), r.params.id, r.body.version)),
  disclosureAction('exempt', '不予公开（须有法定理由和批准人，D8）', exemptBody, (r) => publication.exempt(ctx(r), r.params.id, r.body)),
  disclosureAction('correct', '更正已公示的决定（D10）', correctBody, (r) => publication.correct(ctx(r), r.params.id, r.body)),
  disclosureAction('changed', '登记已公示决定被变更、撤销或确认违法（N4）：3 个工作日内须撤下', decisionChangedBody, (r) => publication.recordChange(ctx(r), r.params.id, r.body)),
  disclosureAction('withdraw', '撤下已公示的决定（D11 N4）', withdrawBody, (r) => publication.withdraw(ctx(r), r.params.id, r.body)),
]);
