/**
 * The legal review of major decisions (L1–L7, N8–N10): submission, the workflow's tasks, and the
 * human steps that complete them. Every change is one transaction with its audit event; the workflow
 * (statemachines/legal-review.asl.json) decides what comes next.
 */
import { randomUUID } from 'node:crypto';
import type * as z from '../domain/z.ts';
import type { Case } from '../domain/case.ts';
import { shanghaiToday, yearOf } from '../domain/dates.ts';
import { decisionNumber } from '../domain/decision-record.ts';
import type { Decision } from '../domain/decision-record.ts';
import { BusinessRuleError, ConflictError, NotFoundError, VersionConflictError } from '../domain/errors.ts';
import type { Identity } from '../domain/identity.ts';
import { requireAccess } from './access.ts';
import { requireReview, requireReviewAccess } from './review-access.ts';
import {
  CHECKLIST_POINTS,
  chooseReviewer,
  missingMaterials,
  reviewerProblem,
  staffing,
} from '../domain/review.ts';
import type { approvalBody, collectiveDiscussionBody, coordinationBody, OpinionBody, supplementBody } from '../domain/review.ts';
import type { Opinion, Review } from '../domain/review-record.ts';
import { HUMAN_STEPS, isCallbackTask, isHumanStep, resumeExecutionName, resumeInput, REVIEW_WORKFLOW_NAME, STATE_LABELS, STEP_ACTIONS } from '../domain/review-workflow.ts';
import type { HumanStep, PayloadOf, ReviewTaskPayload, WorkflowState } from '../domain/review-workflow.ts';
import { isTaskGone, siblingExecutionId, workflowClient, WorkflowUnavailableError } from '../aws/workflows.ts';
import * as caseStore from '../store/cases.ts';
import * as store from '../store/reviews.ts';
import { allOfficers, getAgency, getOfficer } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import type { BusinessMetric } from '../metric-names.ts';
import type { Write } from '../store/transact.ts';
import { commitContext, systemContext } from './context.ts';
import type { ActionContext } from './context.ts';

// Loaded on first use (issue 13): the case, decision, recording, catalogue and calendar services bring
// the decision and case rules, the holiday data and their schemas, which only some steps need; the
// review queue and a review's view answer without them.
const requireCase = async (caseId: string) => (await import('./cases.ts')).requireCase(caseId);
const requireDecision = async (caseId: string) => (await import('./decisions.ts')).requireDecision(caseId);
const assertRecordingComplete = async (caseId: string) => (await import('./recording.ts')).assertRecordingComplete(caseId);
const reviewCatalogueContentAsOf = async (date: string) => (await import('./review-catalogue.ts')).reviewCatalogueContentAsOf(date);
const currentCalendar = async () => (await import('./calendar.ts')).currentCalendar();
/** The report's counters (their rules come with the decision rules), for the steps that count. */
const aggregates = () => import('../store/aggregates.ts');
/** countBusiness with Powertools' metrics loaded on first use; never throws, like countBusiness. */
async function countBusiness(name: BusinessMetric, agencyId: string): Promise<void> {
  try {
    (await import('../aws/metrics.ts')).countBusiness(name, agencyId);
  } catch {
    // The action is done and the line is only lost.
  }
}

/** An agency and the agencies above it (the hierarchy is at most a few levels deep). */
async function agencyAndAncestors(agencyId: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (let id: string | undefined = agencyId; id !== undefined && !out.has(id); ) {
    out.add(id);
    id = (await getAgency(id))?.parentId ?? undefined;
  }
  return out;
}

export { requireReview, requireReviewAccess };

const nowIso = (ctx: ActionContext) => (ctx.now ?? new Date()).toISOString();
const WORKFLOW_ACTOR = { sub: 'system:legal-review', name: '法制审核流程', groups: [] } as const;

/** 409 naming the step the review is in (and the one the action needs). */
function requireStep(r: Review, steps: readonly WorkflowState[], action: string): void {
  if (r.status !== 'IN_PROGRESS' || !steps.includes(r.step) || !r.taskToken) {
    throw new ConflictError('WRONG_STEP', `${action}只能在「${steps.map((s) => STATE_LABELS[s]).join('」或「')}」步骤进行；该审核当前处于「${STATE_LABELS[r.step]}」`, [
      { path: 'step', message: STATE_LABELS[r.step], step: r.step, status: r.status, required: steps },
    ]);
  }
}

function checkVersion(r: Review, expected: number) {
  if (r.version !== expected) throw new VersionConflictError('法制审核', expected, r.version);
}

const decisionWrite = (d: Decision, status: Decision['status'], at: string): Write =>
  caseStore.putDecision({ ...d, status, version: d.version + 1, updatedAt: at }, d.version);

// ---------------------------------------------------------------- submission

export async function submit(ctx: ActionContext, caseId: string, body: { version: number; materials: readonly string[] }): Promise<Review> {
  const c = await requireCase(caseId);
  // A closed case is read-only, and one that ended without a penalty takes no decision (P8).
  if (c.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', `案件 ${c.caseNo} 已结案，不能提交法制审核`);
  if (c.ending) throw new ConflictError('CASE_ENDED', `案件 ${c.caseNo} 已终结（不予处罚、移送或撤销立案），不能提交法制审核`);
  const d = await requireDecision(caseId);
  if (d.version !== body.version) throw new VersionConflictError('决定', body.version, d.version);
  if (d.status !== 'DRAFT') throw new ConflictError('INVALID_STATE', `只有草稿状态的决定可以提交法制审核，当前状态为 ${d.status}`);
  if (!d.scope.inScope) throw new BusinessRuleError('REVIEW_NOT_REQUIRED', '该决定不在法制审核目录范围内，无需审核，可直接作出');
  const open = (await store.reviewsOfCase(caseId)).find((r) => r.status === 'IN_PROGRESS');
  if (open) throw new ConflictError('REVIEW_IN_PROGRESS', `本案已有进行中的法制审核（${open.id}）`);
  // Every act that needs a recording has its sealed evidence, or an admin's explained exception (R5).
  await assertRecordingComplete(caseId);
  const at = nowIso(ctx);
  const review: Review = {
    id: randomUUID(),
    caseId,
    caseNo: c.caseNo,
    agencyId: c.agencyId,
    draftHash: d.draftHash,
    decisionNo: decisionNumber(d),
    status: 'IN_PROGRESS',
    step: 'CheckScope',
    scope: d.scope,
    materials: [...body.materials],
    missing: [],
    assignments: [],
    opinions: [],
    supplements: [],
    coordination: [],
    discussions: [],
    escalations: [],
    submittedBy: ctx.identity.name,
    submittedById: ctx.identity.officerId ?? ctx.identity.sub,
    submittedAt: at,
    version: 1,
    updatedAt: at,
  };
  await commit(
    commitContext(ctx),
    [
      store.putReview(review, 0),
      decisionWrite(d, 'IN_REVIEW', at),
      caseStore.putEvent(caseId, { type: 'review.submitted', label: '提交法制审核', at, by: ctx.identity.name, details: { reviewId: review.id, materials: review.materials } }),
    ],
    [{ action: 'review.submit', entityType: 'Review', entityId: review.id, change: { caseId, draftHash: d.draftHash, materials: review.materials, scope: d.scope.matched.map((m) => m.rule) } }],
  );
  await workflowClient().start(REVIEW_WORKFLOW_NAME, review.id, { reviewId: review.id });
  return review;
}

// ---------------------------------------------------------------- the workflow's tasks

type WorkflowChange = (r: Review) => {
  next: Partial<Review>;
  writes?: Write[];
  event?: { action: string; change: Record<string, unknown> };
  timeline?: { type: string; label: string; details?: Record<string, unknown> };
};

/** A workflow task the review refuses: it fails the task, and the execution ends through RecordFailure. */
class WorkflowTaskRefused extends Error {
  constructor(name: 'StaleExecution' | 'ReviewClosed', message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Only the review's current execution may write it, and only while it is in progress: an execution that
 * was stopped or superseded (its step re-opened by a new one) fails its task instead.
 */
function requireCurrentExecution(r: Review, payload: ReviewTaskPayload): void {
  if (r.executionId !== undefined && r.executionId !== payload.executionId) {
    throw new WorkflowTaskRefused('StaleExecution', `review ${r.id} is driven by another execution`);
  }
  if (r.status !== 'IN_PROGRESS') throw new WorkflowTaskRefused('ReviewClosed', `review ${r.id} is ${r.status}`);
}

/**
 * What a workflow task means for a person's pending step (store.PendingStep): a task that runs after
 * the step ended proves the hand-over went through (finalise it); a re-entry of the step with another
 * token proves it did not (discard it); checkScope and recordFailure never follow a human step (leave it
 * to the request that recorded it).
 */
function pendingRule(p: store.PendingStep, payload: ReviewTaskPayload): 'finalise' | 'discard' | 'leave' {
  if (payload.task === 'escalate') return payload.timedOutStep === p.step ? 'discard' : 'finalise';
  if (isCallbackTask(payload.task) && payload.step === p.step) return (payload as { taskToken: string }).taskToken === p.taskToken ? 'leave' : 'discard';
  if (payload.task === 'checkScope' || payload.task === 'recordFailure') return 'leave';
  return 'finalise';
}

/** Before a task reads the review: refuse a stale execution, and settle a person's pending step. */
async function beginWorkflowTask(payload: ReviewTaskPayload): Promise<void> {
  const r = await requireReview(payload.reviewId);
  requireCurrentExecution(r, payload);
  const pending = await store.getPendingStep(r.caseId, r.id);
  if (!pending) return;
  const rule = pendingRule(pending, payload);
  if (rule === 'finalise') await finalisePendingStep(r.id, pending.id);
  if (rule === 'discard') await discardPendingStep(pending);
}

/** Update a review written by the workflow; retried when a person's action raced it. */
async function updateByWorkflow(payload: ReviewTaskPayload, change: WorkflowChange): Promise<Review> {
  const ctx = systemContext(WORKFLOW_ACTOR);
  for (let attempt = 0; ; attempt++) {
    const r = await requireReview(payload.reviewId);
    requireCurrentExecution(r, payload);
    const at = nowIso(ctx);
    const { next, writes = [], event, timeline } = change(r);
    const updated: Review = { ...r, ...next, version: r.version + 1, updatedAt: at };
    try {
      await commit(
        commitContext(ctx),
        [
          store.putReview(updated, r.version),
          ...writes,
          ...(timeline ? [caseStore.putEvent(r.caseId, { ...timeline, at, by: WORKFLOW_ACTOR.name }, attempt)] : []),
        ],
        event ? [{ action: event.action, entityType: 'Review', entityId: r.id, change: event.change }] : [],
      );
      return updated;
    } catch (e) {
      if (e instanceof VersionConflictError && attempt < 5) continue;
      throw e;
    }
  }
}

/** Who may not review: the case's handlers and everyone who recorded an act in it (N8 Art 49). */
async function involvedOfficers(c: Case): Promise<Set<string>> {
  const ids = new Set(c.handlingOfficerIds);
  for (const item of await caseStore.caseCollection(c.id)) {
    if (item.entity === 'Act') for (const id of item.officerIds as string[]) ids.add(id);
  }
  return ids;
}

export async function runTask(payload: ReviewTaskPayload): Promise<unknown> {
  // recordFailure decides for itself (it must not fail for a review that has ended).
  if (payload.task !== 'recordFailure') await beginWorkflowTask(payload);
  switch (payload.task) {
    case 'checkScope': {
      const r = await requireReview(payload.reviewId);
      const d = await requireDecision(r.caseId);
      // An execution resuming a human step (ReviewWorkflowInput.resume) passes here first: the review is
      // past the scope check, so it keeps the scope it was decided with and waits in its step again.
      if (isHumanStep(r.step)) {
        requireCurrentExecution(r, payload);
        if (r.executionId === undefined) await updateByWorkflow(payload, () => ({ next: { executionId: payload.executionId } }));
        return { inScope: true, collectiveDiscussion: r.scope.collectiveDiscussion };
      }
      if (d.draftHash !== r.draftHash) throw new Error('DraftChanged: the decision changed after submission');
      if (!d.scope.inScope) {
        await updateByWorkflow(payload, (cur) => ({
          next: { status: 'NOT_REQUIRED', step: 'NotRequired', executionId: payload.executionId },
          writes: [decisionWrite(d, 'DRAFT', new Date().toISOString())],
          event: { action: 'review.not-required', change: { reviewId: cur.id } },
        }));
      } else {
        await updateByWorkflow(payload, () => ({ next: { step: 'CheckScope', executionId: payload.executionId } }));
      }
      return { inScope: d.scope.inScope, collectiveDiscussion: d.scope.collectiveDiscussion };
    }
    case 'checkMaterials': {
      const r = await requireReview(payload.reviewId);
      const d = await requireDecision(r.caseId);
      const catalogue = await reviewCatalogueContentAsOf(d.draft.decisionDate);
      const missing = missingMaterials(catalogue.requiredMaterials[d.draft.kind] ?? [], r.materials, d.draft.hearingHeld);
      await updateByWorkflow(payload, () => ({ next: { step: 'CheckMaterials', missing } }));
      return { complete: missing.length === 0, missing };
    }
    case 'assignReviewer': {
      const r = await requireReview(payload.reviewId);
      const c = await requireCase(r.caseId);
      const involved = await involvedOfficers(c);
      const today = shanghaiToday();
      // Reviewers of the case's own agency or of an agency above it (a county bureau's decisions may be
      // reviewed by the city bureau's legal division), never of a sibling or a lower one.
      const agencies = await agencyAndAncestors(c.agencyId);
      const reviewers = (await allOfficers()).filter((o) => o.reviewer && agencies.has(o.agencyId));
      const candidates = await Promise.all(
        reviewers.map(async (officer) => {
          const load = await store.openReviewCount(officer.id);
          return { officer, completedReviews: load.completed, openReviews: load.open };
        }),
      );
      const chosen = chooseReviewer(candidates, involved, today);
      if (!chosen) throw new Error('NoEligibleReviewer: no qualified reviewer who is not involved in the case');
      // N9: provisional (Monday–Friday) in a year without holiday data; recomputed once it is entered.
      const opinionDue = (await currentCalendar()).addWorkingDays(today, (await reviewCatalogueContentAsOf(today)).opinionWorkingDays);
      const opinionDueDate = opinionDue.dueDate;
      const opinionDueProvisional = opinionDue.provisional ? { ...opinionDue.provisional, start: today, workingDays: opinionDue.workingDays } : undefined;
      await updateByWorkflow(payload, (cur) => ({
        next: {
          step: 'AssignReviewer',
          reviewerId: chosen.officer.id,
          reviewerName: chosen.officer.name,
          opinionDueDate,
          ...(opinionDueProvisional ? { opinionDueProvisional } : {}),
          assignments: [...cur.assignments, { at: new Date().toISOString(), reviewerId: chosen.officer.id, reviewerName: chosen.officer.name, by: WORKFLOW_ACTOR.name, reason: '自动分配：符合条件且在办审核最少' }],
        },
        event: { action: 'review.assign', change: { reviewerId: chosen.officer.id, opinionDueDate } },
        timeline: { type: 'review.assigned', label: `分配审核人员：${chosen.officer.name}`, details: { opinionDueDate } },
      }));
      return { reviewerId: chosen.officer.id };
    }
    case 'awaitSupplement':
    case 'awaitOpinion':
    case 'awaitCoordination':
    case 'awaitCollectiveDiscussion':
    case 'awaitLeaderApproval': {
      const p = payload as PayloadOf<'awaitOpinion'>;
      await updateByWorkflow(p, () => ({ next: { step: p.step, taskToken: p.taskToken, executionId: p.executionId } }));
      return {};
    }
    case 'escalate': {
      const p = payload as PayloadOf<'escalate'>;
      const escalationId = randomUUID();
      await updateByWorkflow(p, (cur) => ({
        next: { step: p.step, escalations: [...cur.escalations, { at: new Date().toISOString(), step: p.timedOutStep, reason: p.reason }] },
        event: { action: 'review.escalate', change: { step: p.timedOutStep, reason: p.reason } },
        timeline: { type: 'review.escalated', label: `超期提醒：${STATE_LABELS[p.timedOutStep]}` },
      }));
      return { escalationId };
    }
    case 'recordOutcome': {
      const p = payload as PayloadOf<'recordOutcome'>;
      const r = await requireReview(p.reviewId);
      const d = await requireDecision(r.caseId);
      const passed = p.result === 'PASSED' && d.draftHash === r.draftHash;
      const at = new Date().toISOString();
      const { addToAggregate } = await aggregates();
      await updateByWorkflow(p, () => ({
        next: { status: passed ? 'PASSED' : 'REJECTED', step: passed ? 'Passed' : 'Rejected' },
        // D13: a review done (passed or not), counted in the year it ended.
        writes: [decisionWrite(d, passed ? 'REVIEW_PASSED' : 'DRAFT', at), addToAggregate(r.agencyId, yearOf(shanghaiToday()), { reviewsDone: 1, reviewsPassed: passed ? 1 : 0 })!],
        event: { action: 'review.outcome', change: { result: passed ? 'PASSED' : 'REJECTED', leaderDecision: p.leaderDecision } },
        timeline: { type: 'review.outcome', label: passed ? '法制审核通过' : '法制审核未通过（负责人不同意）' },
      }));
      return { result: passed ? 'PASSED' : 'REJECTED' };
    }
    case 'recordFailure': {
      const p = payload as PayloadOf<'recordFailure'>;
      const r = await requireReview(p.reviewId);
      // A withdrawal ends the execution through this path (the review already says why), and so does
      // an execution that was stopped or superseded by one that resumed the review: nothing to record.
      if (r.status !== 'IN_PROGRESS' || (r.executionId !== undefined && r.executionId !== p.executionId)) return {};
      const d = await requireDecision(r.caseId);
      await updateByWorkflow(p, () => ({
        next: { status: 'FAILED', step: 'Failed' },
        writes: d.status === 'IN_REVIEW' ? [decisionWrite(d, 'DRAFT', new Date().toISOString())] : [],
        event: { action: 'review.failed', change: { error: p.failure.Error } },
        timeline: { type: 'review.failed', label: `法制审核流程异常：${p.failure.Error}` },
      }));
      return {};
    }
  }
}

// ---------------------------------------------------------------- human steps

/** A pending step older than this was left by a request that died: the workflow would have finalised it by now. */
const PENDING_STEP_STALE_MS = 5 * 60_000;

/** What a pending step turns into when it is finalised (stored as JSON in store.PendingStep.change). */
interface PendingChange {
  readonly next: Partial<Review>;
  readonly writes: Write[];
  readonly audit: { action: string; change: Record<string, unknown> };
}

/**
 * Records a person's step and hands the result to the workflow (SendTaskSuccess), in an order that
 * never wedges the review (issue 10, point 8):
 *
 * 1. the step is recorded as pending (store.PendingStep), on condition that the review is still at the
 *    version the person saw and nothing else is pending; the review itself does not change;
 * 2. SendTaskSuccess with the token the review holds;
 * 3. the pending step becomes the review's change with its audit event (finalisePendingStep). If the
 *    request dies after 2, the workflow's next task finalises it (updateByWorkflow), so the step the
 *    workflow acted on is never lost.
 *
 * If the token is gone (TaskTimedOut, TaskDoesNotExist, InvalidToken: an expired step on AWS, a local
 * execution lost with a restart), nothing is recorded, the step is re-opened with a fresh execution
 * and the person gets 409 REVIEW_TASK_EXPIRED saying so; they resubmit once the review shows the step
 * again. If the send cannot be confirmed either way, 503 says whether to retry.
 */
async function completeStep(
  ctx: ActionContext,
  r: Review,
  next: Partial<Review>,
  output: unknown,
  audit: { action: string; change: Record<string, unknown> },
  timeline: { type: string; label: string; details?: Record<string, unknown> },
  extra: readonly Write[] = [],
): Promise<Review> {
  const at = nowIso(ctx);
  const token = r.taskToken as string;
  const earlier = await store.getPendingStep(r.caseId, r.id);
  if (earlier) {
    if (Date.now() - Date.parse(earlier.at) < PENDING_STEP_STALE_MS) {
      throw new ConflictError('STEP_SUBMITTING', '该审核步骤正在提交中，请稍后刷新查看结果');
    }
    await discardPendingStep(earlier);
  }
  const change: PendingChange = { next, writes: [caseStore.putEvent(r.caseId, { ...timeline, at, by: ctx.identity.name }), ...extra], audit };
  const pending: store.PendingStep = {
    id: randomUUID(),
    reviewId: r.id,
    caseId: r.caseId,
    step: r.step,
    taskToken: token,
    at: new Date().toISOString(),
    actor: commitContext(ctx).actor,
    requestId: ctx.requestId,
    change: JSON.stringify(change),
  };
  await commit(commitContext(ctx), store.putPendingStep(pending, r.version), []);
  try {
    await workflowClient().sendTaskSuccess(token, output);
  } catch (e) {
    return handOverFailed(ctx, r, pending, e);
  }
  return finalisePendingStep(r.id, pending.id);
}

/** SendTaskSuccess failed: undo the pending step where it surely did not arrive, and say what to do. */
async function handOverFailed(ctx: ActionContext, r: Review, pending: store.PendingStep, error: unknown): Promise<never> {
  if (isTaskGone(error)) {
    await discardPendingStep(pending);
    return reopenLostStep(ctx, r.id, pending.taskToken);
  }
  // Whether the send arrived is unknown: a task that still answers a heartbeat is still waiting.
  const waiting = await workflowClient()
    .sendTaskHeartbeat(pending.taskToken)
    .then(() => true, () => false);
  if (waiting) {
    await discardPendingStep(pending);
    throw new WorkflowUnavailableError('审核流程服务暂时不可用，本次提交未生效，请稍后重试');
  }
  // Left pending: the workflow's next task finalises it if the send arrived; otherwise it lapses.
  throw new WorkflowUnavailableError('已提交，但审核流程服务未能确认；请稍后刷新查看结果，请勿重复提交', 'WORKFLOW_UNCONFIRMED');
}

/** Turns the pending step `pendingId` into the review's change, with the person's audit event; idempotent. */
async function finalisePendingStep(reviewId: string, pendingId: string): Promise<Review> {
  for (let attempt = 0; ; attempt++) {
    const r = await requireReview(reviewId);
    const p = await store.getPendingStep(r.caseId, r.id);
    if (!p || p.id !== pendingId) return r; // finalised (or discarded) by someone else meanwhile
    const { next, writes, audit } = JSON.parse(p.change) as PendingChange;
    const at = new Date().toISOString();
    const { taskToken, ...rest } = r;
    const updated: Review = {
      ...rest,
      // The step's token is spent; a newer one (stored by the workflow meanwhile) stays.
      ...(taskToken !== undefined && taskToken !== p.taskToken ? { taskToken } : {}),
      ...next,
      // A review withdrawn meanwhile keeps its end state; the person's record is kept with it.
      ...(r.status !== 'IN_PROGRESS' ? { step: r.step } : {}),
      version: r.version + 1,
      updatedAt: at,
    };
    try {
      await commit({ actor: p.actor, requestId: p.requestId }, [store.putReview(updated, r.version), store.resolvePendingStep(p, 'FINALISED', at), ...writes], [
        { action: audit.action, entityType: 'Review', entityId: r.id, change: audit.change },
      ]);
      // Here, not in giveOpinion: the opinion is recorded by whoever finalises it (once), like its aggregate.
      if (audit.action === 'review.opinion' && (audit.change.outcome === 'RETURN' || audit.change.outcome === 'AMEND')) await countBusiness('ReviewsReturned', r.agencyId);
      return updated;
    } catch (e) {
      if ((e instanceof VersionConflictError || e instanceof store.PendingStepGoneError) && attempt < 5) continue;
      throw e;
    }
  }
}

/** Drops a pending step that never reached the workflow (no audit event: nothing happened). */
async function discardPendingStep(p: store.PendingStep): Promise<void> {
  try {
    await commit(commitContext(systemContext(WORKFLOW_ACTOR)), [store.resolvePendingStep(p, 'DISCARDED', new Date().toISOString())], []);
  } catch (e) {
    if (!(e instanceof store.PendingStepGoneError)) throw e;
  }
}

/**
 * The step's token is gone. If the review still waits with that token, its execution cannot complete
 * the step any more: re-open the step with a new execution. Either way the person's submission did
 * not count, and the 409 says what to do.
 */
async function reopenLostStep(ctx: ActionContext, reviewId: string, token: string): Promise<never> {
  const cur = await requireReview(reviewId);
  const details = [{ path: 'step', message: STATE_LABELS[cur.step], step: cur.step, status: cur.status }];
  if (cur.status !== 'IN_PROGRESS' || cur.taskToken !== token || !isHumanStep(cur.step)) {
    throw new ConflictError('REVIEW_TASK_EXPIRED', `该审核步骤的流程任务已更新，本次提交未生效；审核当前处于「${STATE_LABELS[cur.step]}」，请刷新后按当前步骤重新提交`, details);
  }
  await reopenStep(ctx, cur, 'TASK_TOKEN_GONE');
  throw new ConflictError(
    'REVIEW_TASK_EXPIRED',
    `「${STATE_LABELS[cur.step]}」步骤的流程任务已失效（超时或流程中断），本次提交未生效，审核内容未改变。系统已重新开启该步骤，请稍后刷新并重新提交`,
    details,
  );
}

/**
 * Re-opens the human step a review waits in with a new execution that resumes there (the ASL's resume
 * path: ReviewWorkflowInput.resume), after stopping the old one. The review names the new execution
 * first, so a task the old one still runs is refused (requireCurrentExecution). Recorded and audited.
 */
async function reopenStep(ctx: ActionContext, r: Review, reason: string): Promise<Review> {
  if (!isHumanStep(r.step)) throw new ConflictError('WRONG_STEP', `该审核当前处于「${STATE_LABELS[r.step]}」，不是等待人员处理的步骤，无需重新开启`);
  const step = r.step;
  const name = resumeExecutionName(r.id, randomUUID().slice(0, 8));
  const executionId = r.executionId === undefined ? undefined : siblingExecutionId(r.executionId, name);
  const at = nowIso(ctx);
  // Without a derivable id the review drops the old one; the resuming execution adopts itself (checkScope).
  const { executionId: _old, ...rest } = r;
  const updated: Review = { ...rest, ...(executionId ? { executionId } : {}), version: r.version + 1, updatedAt: at };
  await commit(
    commitContext(ctx),
    [store.putReview(updated, r.version), caseStore.putEvent(r.caseId, { type: 'review.step-reopened', label: `流程任务失效，重新开启步骤：${STATE_LABELS[step]}`, at, by: ctx.identity.name, details: { step } })],
    [{ action: 'review.step-reopen', entityType: 'Review', entityId: r.id, change: { step, reason, execution: name } }],
  );
  if (r.executionId) await stopQuietly(r.executionId, `review step ${step} re-opened by ${name}`);
  try {
    await workflowClient().start(REVIEW_WORKFLOW_NAME, name, resumeInput({ ...r, step }));
  } catch {
    // The review still holds the dead token: the next attempt re-opens again.
    throw new WorkflowUnavailableError('审核步骤的流程任务已失效，且暂时无法重新开启（审核流程服务不可用），本次提交未生效，请稍后重试');
  }
  return updated;
}

/** StopExecution where the answer does not matter: a gone execution is stopped, and a live one is refused by the review. */
async function stopQuietly(executionId: string, cause: string): Promise<void> {
  await workflowClient()
    .stop(executionId, cause)
    .catch(() => undefined);
}

export async function giveOpinion(ctx: ActionContext, reviewId: string, body: OpinionBody): Promise<Review> {
  const r = await requireReview(reviewId);
  await requireReviewAccess(ctx.identity, 'review.opinion', r);
  requireStep(r, ['AwaitOpinion'], '出具审核意见');
  checkVersion(r, body.version);
  const opinion: Opinion = {
    id: randomUUID(),
    at: nowIso(ctx),
    reviewerId: r.reviewerId ?? ctx.identity.officerId ?? ctx.identity.sub,
    reviewerName: r.reviewerName ?? ctx.identity.name,
    outcome: body.outcome,
    checklist: body.checklist,
    documentsComplete: body.documentsComplete,
    suspectedCrime: body.suspectedCrime,
    opinion: body.opinion,
    requestedMaterials: body.requestedMaterials,
  };
  const failed = CHECKLIST_POINTS.filter((p) => !body.checklist[p].passed);
  const { addToAggregate } = await aggregates();
  return completeStep(
    ctx,
    r,
    { opinions: [...r.opinions, opinion], step: 'OpinionDecision' },
    { outcome: body.outcome, opinionId: opinion.id },
    { action: 'review.opinion', change: { opinionId: opinion.id, outcome: body.outcome, failedPoints: failed, suspectedCrime: body.suspectedCrime } },
    { type: 'review.opinion', label: `审核意见：${{ APPROVE: '同意', RETURN: '退回补充材料', AMEND: '建议修改', DISAGREE: '不同意' }[body.outcome]}`, details: { reviewer: opinion.reviewerName } },
    // D13: reviews returned for supplement or amendment, counted in the year of the opinion.
    body.outcome === 'RETURN' || body.outcome === 'AMEND' ? [addToAggregate(r.agencyId, yearOf(shanghaiToday(ctx.now)), { reviewsReturned: 1 })!] : [],
  );
}

/** The handling division's staff of the case's agency, or of an agency above it (or admins). */
async function requireHandlingSide(ctx: ActionContext, r: Review) {
  await requireReviewAccess(ctx.identity, 'review.handle', r);
}


export async function supplement(ctx: ActionContext, reviewId: string, body: z.infer<typeof supplementBody>): Promise<Review> {
  const r = await requireReview(reviewId);
  await requireHandlingSide(ctx, r);
  requireStep(r, ['AwaitMaterials', 'AwaitSupplement'], '补充材料');
  checkVersion(r, body.version);
  const id = randomUUID();
  const materials = [...new Set([...r.materials, ...body.materials])];
  return completeStep(
    ctx,
    r,
    { materials, supplements: [...r.supplements, { id, at: nowIso(ctx), by: ctx.identity.name, materials: body.materials, note: body.note }] },
    { supplementId: id },
    { action: 'review.supplement', change: { supplementId: id, materials: body.materials } },
    { type: 'review.supplemented', label: '承办机构补充材料', details: { materials: body.materials } },
  );
}

export async function coordinate(ctx: ActionContext, reviewId: string, body: z.infer<typeof coordinationBody>): Promise<Review> {
  const r = await requireReview(reviewId);
  await requireHandlingSide(ctx, r);
  requireStep(r, ['AwaitCoordination'], '协调');
  checkVersion(r, body.version);
  const id = randomUUID();
  // If the handling division amended the draft meanwhile, the review goes on about the amended draft.
  const d = await requireDecision(r.caseId);
  const amended = d.draftHash !== r.draftHash;
  return completeStep(
    ctx,
    r,
    {
      coordination: [...r.coordination, { id, at: nowIso(ctx), by: ctx.identity.name, response: body.response, reason: body.reason }],
      ...(amended ? { draftHash: d.draftHash, decisionNo: decisionNumber(d) } : {}),
    },
    { handlingDivision: body.response, coordinationId: id },
    { action: 'review.coordination', change: { coordinationId: id, response: body.response, ...(amended ? { draftHash: { from: r.draftHash, to: d.draftHash } } : {}) } },
    { type: 'review.coordination', label: body.response === 'ACCEPT' ? '承办机构接受审核意见' : '承办机构对审核意见有异议，提交集体讨论' },
  );
}

export async function collectiveDiscussion(ctx: ActionContext, reviewId: string, body: z.infer<typeof collectiveDiscussionBody>): Promise<Review> {
  const r = await requireReview(reviewId);
  await requireReviewAccess(ctx.identity, 'review.discuss', r);
  requireStep(r, ['AwaitCollectiveDiscussion'], '录入集体讨论');
  checkVersion(r, body.version);
  const leaders = body.participants.filter((p) => p.role === 'LEADER').length;
  const catalogue = await reviewCatalogueContentAsOf(shanghaiToday(ctx.now));
  if (leaders < catalogue.minCollectiveLeaders) {
    throw new BusinessRuleError('TOO_FEW_LEADERS', `集体讨论须有至少 ${catalogue.minCollectiveLeaders} 名负责人参加，现有 ${leaders} 名`);
  }
  const id = randomUUID();
  const { version: _v, ...record } = body;
  return completeStep(
    ctx,
    r,
    { discussions: [...r.discussions, { id, at: nowIso(ctx), recordedBy: ctx.identity.name, ...record }] },
    { decision: body.decision, discussionId: id },
    { action: 'review.collective-discussion', change: { discussionId: id, date: body.date, chair: body.chair, participants: body.participants.map((p) => p.name), decision: body.decision } },
    { type: 'review.collective-discussion', label: `集体讨论：${body.decision === 'APPROVE' ? '同意' : '不同意'}`, details: { chair: body.chair, date: body.date } },
  );
}

export async function approve(ctx: ActionContext, reviewId: string, body: z.infer<typeof approvalBody>): Promise<Review> {
  const r = await requireReview(reviewId);
  await requireReviewAccess(ctx.identity, 'review.approve', r);
  requireStep(r, ['AwaitLeaderApproval'], '负责人审批');
  checkVersion(r, body.version);
  const id = randomUUID();
  const approval = { id, at: nowIso(ctx), by: ctx.identity.name, decision: body.decision, ...(body.reason ? { reason: body.reason } : {}) };
  return completeStep(
    ctx,
    r,
    { approval },
    { decision: body.decision, approvalId: id },
    // L7: an override is the leader's own responsibility, on record with the reason.
    { action: body.decision === 'OVERRIDE' ? 'review.approval.override' : 'review.approval', change: { approvalId: id, decision: body.decision, reason: body.reason ?? null } },
    { type: 'review.approval', label: { APPROVE: '负责人同意', OVERRIDE: '负责人改变审核意见（承担相应责任）', REJECT: '负责人不同意作出决定' }[body.decision] },
  );
}

/**
 * The handling division withdraws a submission (to change the draft, or drop it): the review ends as
 * WITHDRAWN, the decision returns to DRAFT, and the workflow is stopped. A resubmission is a new review.
 */
export async function withdrawReview(ctx: ActionContext, reviewId: string, body: { version: number; reason: string }): Promise<Review> {
  const r = await requireReview(reviewId);
  await requireHandlingSide(ctx, r);
  // Any step while in progress, token or not: a review whose execution is gone can always be withdrawn.
  if (r.status !== 'IN_PROGRESS') requireStep(r, HUMAN_STEPS, '撤回法制审核');
  checkVersion(r, body.version);
  const d = await requireDecision(r.caseId);
  const at = nowIso(ctx);
  const token = r.taskToken;
  const { taskToken: _t, ...rest } = r;
  const updated: Review = { ...rest, status: 'WITHDRAWN', version: r.version + 1, updatedAt: at };
  await commit(
    commitContext(ctx),
    [
      store.putReview(updated, r.version),
      ...(d.status === 'IN_REVIEW' && d.draftHash === r.draftHash ? [decisionWrite(d, 'DRAFT', at)] : []),
      caseStore.putEvent(r.caseId, { type: 'review.withdrawn', label: '承办机构撤回法制审核', at, by: ctx.identity.name, details: { reason: body.reason } }),
    ],
    [{ action: 'review.withdraw', entityType: 'Review', entityId: r.id, change: { reason: body.reason, step: r.step } }],
  );
  // The review is withdrawn whatever the workflow answers: fail the waiting step (RecordFailure then
  // leaves the review as it is); if that token or the execution is gone, stop whatever is left of it.
  const failed = token === undefined ? false : await workflowClient().sendTaskFailure(token, 'ReviewWithdrawn', body.reason).then(() => true, () => false);
  if (!failed && r.executionId) await stopQuietly(r.executionId, 'review withdrawn');
  return updated;
}

/** An admin assigns another reviewer while the opinion is awaited; recorded. */
export async function reassign(ctx: ActionContext, reviewId: string, body: { version: number; reviewerId: string; reason: string }): Promise<Review> {
  const r = await requireReview(reviewId);
  await requireReviewAccess(ctx.identity, 'review.reassign', r);
  requireStep(r, ['AwaitOpinion'], '改派审核人员');
  checkVersion(r, body.version);
  const officer = await getOfficer(body.reviewerId, true);
  if (!officer) throw new NotFoundError(`执法人员 ${body.reviewerId} 不存在`);
  const c = await requireCase(r.caseId);
  const involved = await involvedOfficers(c);
  const load = await store.openReviewCount(officer.id);
  const problem = reviewerProblem({ officer, completedReviews: load.completed, openReviews: load.open }, involved, shanghaiToday(ctx.now));
  if (problem) throw new BusinessRuleError('REVIEWER_NOT_ELIGIBLE', problem);
  const at = nowIso(ctx);
  const updated: Review = {
    ...r,
    reviewerId: officer.id,
    reviewerName: officer.name,
    assignments: [...r.assignments, { at, reviewerId: officer.id, reviewerName: officer.name, by: ctx.identity.name, reason: body.reason }],
    version: r.version + 1,
    updatedAt: at,
  };
  await commit(commitContext(ctx), [store.putReview(updated, r.version), caseStore.putEvent(r.caseId, { type: 'review.reassigned', label: `改派审核人员：${officer.name}`, at, by: ctx.identity.name, details: { reason: body.reason } })], [
    { action: 'review.reassign', entityType: 'Review', entityId: r.id, change: { from: r.reviewerId ?? null, to: officer.id, reason: body.reason } },
  ]);
  return updated;
}

// ---------------------------------------------------------------- responsibility and staffing

/** L7: who answered for what, for one decision: one query over the case's item collection. */
export async function responsibility(identity: Identity, caseId: string) {
  const c = await requireCase(caseId);
  const reviews = (await store.reviewsOfCase(caseId)).sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : 1));
  // The case's agency chain, or a reviewer assigned to one of its reviews (L2: drawn across units).
  await requireAccess(identity, 'responsibility.read', c.agencyId, reviews.flatMap((r) => (r.reviewerId ? [r.reviewerId] : [])));
  return {
    caseId,
    caseNo: c.caseNo,
    reviews: reviews.map((r) => ({
      reviewId: r.id,
      status: r.status,
      draftHash: r.draftHash,
      materials: { submittedBy: r.submittedBy, at: r.submittedAt, materials: r.materials, responsibility: '对材料的真实性、完整性负责' },
      reviewers: r.opinions.map((o) => ({ name: o.reviewerName, at: o.at, outcome: o.outcome, opinion: o.opinion, responsibility: '对审核意见负责' })),
      handlingDivision: r.coordination.map((x) => ({ by: x.by, at: x.at, response: x.response, reason: x.reason })),
      collectiveDiscussions: r.discussions.map((x) => ({ date: x.date, chair: x.chair, participants: x.participants, decision: x.decision })),
      approval: r.approval
        ? { by: r.approval.by, at: r.approval.at, decision: r.approval.decision, reason: r.approval.reason ?? null, responsibility: r.approval.decision === 'OVERRIDE' ? '改变审核意见，由该负责人承担相应责任' : '审批' }
        : null,
      step: r.step,
      stepLabel: STATE_LABELS[r.step],
    })),
  };
}

export async function reviewStaffing() {
  return staffing(await allOfficers(), shanghaiToday());
}

export const stepAction = (step: HumanStep) => STEP_ACTIONS[step];
