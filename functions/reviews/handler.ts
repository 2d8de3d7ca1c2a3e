/**
 * Legal review of major decisions for staff (L1–L7, N8–N10): the handling division submits and
 * supplements, the assigned reviewer gives the opinion, leaders discuss and approve.
 * Each answer is the review with its current step; a step out of turn gets 409 naming the step.
 */
import * as z from '#domain/z.ts';
import { versionNo } from '#domain/numbers.ts';
import { entityRef, multiLineText, singleLineText } from '#domain/text.ts';
import { approvalBody, collectiveDiscussionBody, coordinationBody, opinionBody, supplementBody } from '#domain/review.ts';
import { REVIEW_STATUSES, reviewView } from '#domain/review-record.ts';
import type { Review } from '#domain/review-record.ts';
import { STATE_LABELS } from '#domain/review-workflow.ts';
import type { Identity } from '#domain/identity.ts';
import { ForbiddenError, ValidationError } from '#domain/errors.ts';
import { createHttpHandler, HttpResult, route } from '#http/router.ts';
import { pageQuery } from '#http/schemas.ts';
import * as store from '#store/reviews.ts';
import { requireReview, requireReviewAccess } from '#services/review-access.ts';

// The steps (workflow, case and decision writes; the decision and case rules they check) are loaded
// by the first step request, not at every cold start: the queue and a review's view answer without
// them (issue 13).
const steps = () => import('#services/reviews.ts');
import { isAdmin } from '#domain/access.ts';
import { agencyId } from '#domain/agency.ts';
import { requireAccess as requireAgencyAccess } from '#services/access.ts';

const idParam = z.strictObject({ id: z.uuid({ message: '编号格式无效' }) });
const ctx = (r: { identity: Identity; requestId: string }) => ({ identity: r.identity, requestId: r.requestId });
const view = (r: Review) => ({ ...reviewView(r), stepLabel: STATE_LABELS[r.step] });

export const handler = createHttpHandler([
  route({
    method: 'POST',
    path: '/cases/{id}/decision/review',
    auth: 'review.handle',
    summary: '提交法制审核（L1）',
    params: idParam,
    body: z.strictObject({
      version: versionNo.meta({ description: '决定的当前版本号' }),
      materials: z.array(singleLineText({ min: 2, max: 100 })).min(1).max(50).meta({ description: '提交的审核材料' }),
    }),
    status: 201,
    idempotency: 'Cases',
    handle: async (r) => {
      // The case service (case rules, holiday data) is loaded by this route only.
      const { requireCaseAccess } = await import('#services/cases.ts');
      await requireCaseAccess(r.identity, r.params.id, 'review.handle');
      return view(await (await steps()).submit(ctx(r), r.params.id, r.body));
    },
  }),
  route({
    method: 'GET',
    path: '/cases/{id}/responsibility',
    auth: 'responsibility.read',
    summary: '责任记录（L7）：谁提交材料、谁审核及意见、谁讨论、谁批准或改变意见',
    params: idParam,
    handle: async (r) => (await steps()).responsibility(r.identity, r.params.id),
  }),
  route({
    method: 'GET',
    path: '/reviews',
    auth: 'review.queue',
    summary: '审核人员的审核任务（assignee=me）',
    query: z.strictObject({
      assignee: entityRef.default('me').meta({ description: 'me 或执法人员编号（管理员）' }),
      status: z.enum(REVIEW_STATUSES).optional(),
      ...pageQuery,
    }),
    handle: async (r) => {
      const officerId = r.query.assignee === 'me' ? r.identity.officerId : r.query.assignee;
      if (!officerId) throw new ValidationError('当前用户未关联执法人员编号（custom:officerId）', [{ path: 'query.assignee', message: '无法确定审核人员' }]);
      if (officerId !== r.identity.officerId && !isAdmin(r.identity)) throw new ForbiddenError('只能查看自己的审核任务');
      const page = await store.reviewsOfReviewer(officerId, r.query.status, { cursor: r.query.cursor, limit: r.query.limit });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  }),
  route({
    method: 'GET',
    path: '/reviews/awaiting-leaders',
    auth: 'review.discuss',
    summary: '待负责人集体讨论或审批的法制审核（本机构，等待最久的在前）',
    query: z.strictObject({ agencyId: agencyId.optional() }),
    handle: async (r) => {
      const a = r.query.agencyId ?? r.identity.agencyId;
      if (!a) throw new ValidationError('请指定 agencyId', [{ path: 'query.agencyId', message: '缺少机构编号' }]);
      await requireAgencyAccess(r.identity, 'review.discuss', a);
      return { items: (await store.reviewsAwaitingLeaders(a)).map(view) };
    },
  }),
  route({
    method: 'GET',
    path: '/reviews/{id}',
    auth: 'review.read',
    summary: '法制审核详情及当前步骤',
    params: idParam,
    handle: async (r) => {
      const review = await requireReview(r.params.id);
      await requireReviewAccess(r.identity, 'review.read', review);
      return view(review);
    },
  }),
  route({
    method: 'POST',
    path: '/reviews/{id}/opinion',
    auth: 'review.opinion',
    summary: '出具审核意见：7 项审核要点、文书是否齐全、是否涉嫌犯罪、书面意见（N9 L4 L5）',
    params: idParam,
    body: opinionBody,
    handle: async (r) => view(await (await steps()).giveOpinion(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'POST',
    path: '/reviews/{id}/supplement',
    auth: 'review.handle',
    summary: '承办机构补充材料',
    params: idParam,
    body: supplementBody,
    handle: async (r) => view(await (await steps()).supplement(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'POST',
    path: '/reviews/{id}/coordination',
    auth: 'review.handle',
    summary: '协调：承办机构接受或对审核意见提出异议（L6）',
    params: idParam,
    body: coordinationBody,
    handle: async (r) => view(await (await steps()).coordinate(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'POST',
    path: '/reviews/{id}/collective-discussion',
    auth: 'review.discuss',
    summary: '集体讨论记录（N8 L6）',
    params: idParam,
    body: collectiveDiscussionBody,
    handle: async (r) => view(await (await steps()).collectiveDiscussion(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'POST',
    path: '/reviews/{id}/approval',
    auth: 'review.approve',
    summary: '负责人审批：同意、改变审核意见（须说明理由，L7）或不同意',
    params: idParam,
    body: approvalBody,
    handle: async (r) => view(await (await steps()).approve(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'POST',
    path: '/reviews/{id}/reassign',
    auth: 'review.reassign',
    summary: '改派审核人员（记录在案）',
    params: idParam,
    body: z.strictObject({ version: versionNo, reviewerId: entityRef, reason: multiLineText({ min: 2, max: 500 }) }),
    handle: async (r) => new HttpResult(200, view(await (await steps()).reassign(ctx(r), r.params.id, r.body))),
  }),
  route({
    method: 'POST',
    path: '/reviews/{id}/withdraw',
    auth: 'review.handle',
    summary: '承办机构撤回法制审核（决定回到草稿，修改后须重新提交）',
    params: idParam,
    body: z.strictObject({ version: versionNo, reason: multiLineText({ min: 2, max: 500 }) }),
    handle: async (r) => view(await (await steps()).withdrawReview(ctx(r), r.params.id, r.body)),
  }),
  route({
    method: 'GET',
    path: '/compliance/review-staffing',
    auth: 'staffing.read',
    summary: '法制审核人员配备（L2）：审核人员占执法人员比例，低于 5% 标出',
    query: z.strictObject({}),
    handle: async () => (await steps()).reviewStaffing(),
  }),
]);
