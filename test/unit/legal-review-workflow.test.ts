/**
 * The REAL statemachines/legal-review.asl.json, run by aws-local-stepfunctions through local/workflows.ts,
 * through every branch (L1, L5–L7, N8, N9): a fake task handler records each call and answers the Lambda
 * tasks; the tests complete the human steps with sendTaskSuccess, as the HTTP routes will.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  abortAllExecutions,
  pendingTasks,
  sendTaskFailure,
  sendTaskHeartbeat,
  sendTaskSuccess,
  startExecution,
  ExecutionAlreadyExists,
  type ExecutionHandle,
  type ExecutionResult,
  type StartExecutionOptions,
} from '../../local/workflows.ts';
import {
  HUMAN_STEP_HEARTBEAT_SECONDS,
  HUMAN_STEP_TIMEOUT_SECONDS,
  REVIEW_WORKFLOW_NAME,
  reviewResultOf,
  type HumanStep,
  type HumanStepPayload,
  type LambdaTask,
  type PayloadOf,
  type ReviewTaskPayload,
  type ReviewTaskResults,
  type ReviewWorkflowState,
  type StepOutput,
} from '../../shared/domain/review-workflow.ts';

// Captured before any test fakes the timers: the harness's own guard must stay real.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

type Answers = { [T in LambdaTask]?: (payload: PayloadOf<T>, nth: number) => ReviewTaskResults[T] | Promise<ReviewTaskResults[T]> };

const DEFAULTS: Required<Answers> = {
  checkScope: () => ({ inScope: true, collectiveDiscussion: false }),
  checkMaterials: () => ({ complete: true, missing: [] }),
  assignReviewer: () => ({ reviewerId: 'reviewer-1' }),
  escalate: (_p, n) => ({ escalationId: `esc-${n}` }),
  recordOutcome: (p) => ({ result: p.result }),
  recordFailure: () => ({}),
};

/** A fake of the review task function: records every call, answers Lambda tasks, queues callbacks. */
function fakeReviewFunction(answers: Answers = {}) {
  const calls: ReviewTaskPayload[] = [];
  const counts = new Map<string, number>();
  const callbacks: ReviewTaskPayload[] = [];
  let waiter: (() => void) | undefined;

  const handler = async (payload: ReviewTaskPayload): Promise<unknown> => {
    calls.push(payload);
    const nth = (counts.get(payload.task) ?? 0) + 1;
    counts.set(payload.task, nth);
    if ('taskToken' in payload) {
      callbacks.push(payload);
      waiter?.();
      return { stored: true }; // ignored by the workflow, as in AWS
    }
    const answer = (answers[payload.task as LambdaTask] ?? DEFAULTS[payload.task as LambdaTask]) as (p: ReviewTaskPayload, n: number) => unknown;
    return answer(payload, nth);
  };

  /** The next human step the workflow entered (it must be `step`), with its token. */
  async function next<S extends HumanStep>(step: S): Promise<HumanStepPayload<S>> {
    // Counted in real 20 ms pauses, not Date.now(): some tests fake the clock.
    for (let waited = 0; callbacks.length === 0; waited++) {
      if (waited > 150) throw new Error(`no human step entered (expected ${step}); calls: ${calls.map((c) => c.step).join(' → ')}`);
      await new Promise<void>((resolve) => {
        const t = realSetTimeout(resolve, 20);
        waiter = () => (realClearTimeout(t), resolve());
      });
    }
    const payload = callbacks.shift() as ReviewTaskPayload;
    expect(payload.step, `calls: ${calls.map((c) => c.step).join(' → ')}`).toBe(step);
    return payload as HumanStepPayload<S>;
  }

  /** Completes the next human step with `output`, as its route would. */
  async function answer<S extends HumanStep>(step: S, output: StepOutput<S>) {
    const payload = await next(step);
    await sendTaskSuccess((payload as { readonly taskToken: string }).taskToken, output); // S is generic here
    return payload;
  }

  const steps = () => calls.map((c) => c.step);
  return { handler, calls, steps, next, answer, pendingCallbacks: () => callbacks.length };
}

type Fake = ReturnType<typeof fakeReviewFunction>;

let seq = 0;
function start(fake: Fake, options: Partial<StartExecutionOptions<ReviewTaskPayload>> = {}, reviewId = `review-${++seq}`): ExecutionHandle {
  return startExecution<ReviewTaskPayload>(REVIEW_WORKFLOW_NAME, { reviewId }, { taskHandler: fake.handler, retryIntervalMs: 0, ...options });
}

async function finished(handle: ExecutionHandle): Promise<ExecutionResult & { output: ReviewWorkflowState }> {
  const result = await handle.result;
  return result as ExecutionResult & { output: ReviewWorkflowState };
}

afterEach(async () => {
  vi.useRealTimers();
  await abortAllExecutions();
  expect(pendingTasks()).toEqual([]);
});

describe('legal review workflow: branches', () => {
  it('not in the review catalogue: ends NotRequired after the scope check alone', async () => {
    const fake = fakeReviewFunction({ checkScope: () => ({ inScope: false, collectiveDiscussion: false }) });
    const result = await finished(start(fake, {}, 'review-out-of-scope'));
    expect(result.status).toBe('SUCCEEDED');
    expect(fake.steps()).toEqual(['CheckScope']);
    expect(result.output).toEqual({ reviewId: 'review-out-of-scope', scope: { inScope: false, collectiveDiscussion: false } });
    expect(reviewResultOf(result.output)).toBe('NOT_REQUIRED');
  });

  it('approve, no collective discussion: reviewer → leader approval → PASSED', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake, {}, 'review-approve');
    const opinion = await fake.answer('AwaitOpinion', { outcome: 'APPROVE', opinionId: 'op-1' });
    expect(opinion).toMatchObject({ task: 'awaitOpinion', reviewId: 'review-approve', reviewerId: 'reviewer-1', executionId: handle.executionId });
    expect(opinion.taskToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    const result = await finished(handle);
    expect(result.status).toBe('SUCCEEDED');
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AssignReviewer', 'AwaitOpinion', 'AwaitLeaderApproval', 'RecordPassed']);
    expect(fake.calls.at(-1)).toMatchObject({ task: 'recordOutcome', result: 'PASSED', leaderDecision: 'APPROVE' });
    expect(result.output).toMatchObject({
      reviewId: 'review-approve',
      reviewer: { reviewerId: 'reviewer-1' },
      opinion: { outcome: 'APPROVE', opinionId: 'op-1' },
      approval: { decision: 'APPROVE' },
      outcome: { result: 'PASSED' },
    });
    expect(reviewResultOf(result.output)).toBe('PASSED');
    for (const call of fake.calls) expect(call).toMatchObject({ reviewId: 'review-approve', executionId: handle.executionId });
    expect(handle.status()).toBe('SUCCEEDED');
  });

  it('approve in an N8 case: collective discussion before the leader', async () => {
    const fake = fakeReviewFunction({ checkScope: () => ({ inScope: true, collectiveDiscussion: true }) });
    const handle = start(fake);
    await fake.answer('AwaitOpinion', { outcome: 'APPROVE' });
    await fake.answer('AwaitCollectiveDiscussion', { decision: 'APPROVE', discussionId: 'cd-1' });
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    const result = await finished(handle);
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AssignReviewer', 'AwaitOpinion', 'AwaitCollectiveDiscussion', 'AwaitLeaderApproval', 'RecordPassed']);
    expect(result.output).toMatchObject({ discussion: { decision: 'APPROVE', discussionId: 'cd-1' }, outcome: { result: 'PASSED' } });
  });

  it('returned twice for supplement, then approved: the same review continues with its history', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake, {}, 'review-returned');
    const tokens: string[] = [];
    for (let round = 1; round <= 2; round++) {
      tokens.push((await fake.answer('AwaitOpinion', { outcome: 'RETURN', opinionId: `op-${round}` })).taskToken);
      const supplement = await fake.answer('AwaitSupplement', { supplementId: `sup-${round}` });
      expect(supplement).toMatchObject({ task: 'awaitSupplement', reason: 'RETURNED', reviewId: 'review-returned' });
    }
    tokens.push((await fake.answer('AwaitOpinion', { outcome: 'APPROVE', opinionId: 'op-3' })).taskToken);
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    const result = await finished(handle);
    expect(fake.steps()).toEqual([
      'CheckScope',
      'CheckMaterials',
      'AssignReviewer',
      'AwaitOpinion',
      'AwaitSupplement',
      'AwaitOpinion',
      'AwaitSupplement',
      'AwaitOpinion',
      'AwaitLeaderApproval',
      'RecordPassed',
    ]);
    // One execution, one review, one reviewer (assigned once); each round had its own token.
    expect(new Set(fake.calls.map((c) => c.reviewId))).toEqual(new Set(['review-returned']));
    expect(new Set(fake.calls.map((c) => c.executionId))).toEqual(new Set([handle.executionId]));
    expect(fake.calls.filter((c) => c.task === 'awaitOpinion').map((c) => (c as PayloadOf<'awaitOpinion'>).reviewerId)).toEqual(['reviewer-1', 'reviewer-1', 'reviewer-1']);
    expect(new Set(tokens).size).toBe(3);
    expect(result.output).toMatchObject({ reviewId: 'review-returned', opinion: { outcome: 'APPROVE', opinionId: 'op-3' }, supplement: { supplementId: 'sup-2' }, outcome: { result: 'PASSED' } });
    // A used token is closed: answering it again is refused, as SendTaskSuccess would.
    await expect(sendTaskSuccess(tokens[0] as string, { outcome: 'APPROVE' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('amend → the handling division accepts → leader approves', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake);
    await fake.answer('AwaitOpinion', { outcome: 'AMEND' });
    const coordination = await fake.answer('AwaitCoordination', { handlingDivision: 'ACCEPT', coordinationId: 'co-1' });
    expect(coordination).toMatchObject({ task: 'awaitCoordination', opinionOutcome: 'AMEND' });
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    const result = await finished(handle);
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AssignReviewer', 'AwaitOpinion', 'AwaitCoordination', 'AwaitLeaderApproval', 'RecordPassed']);
    expect(result.output).toMatchObject({ coordination: { handlingDivision: 'ACCEPT' }, outcome: { result: 'PASSED' } });
  });

  it('disagree → disputed → collective discussion → leader approves', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake);
    await fake.answer('AwaitOpinion', { outcome: 'DISAGREE' });
    expect(await fake.answer('AwaitCoordination', { handlingDivision: 'DISPUTE' })).toMatchObject({ opinionOutcome: 'DISAGREE' });
    await fake.answer('AwaitCollectiveDiscussion', { decision: 'APPROVE' });
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    const result = await finished(handle);
    expect(fake.steps()).toEqual([
      'CheckScope',
      'CheckMaterials',
      'AssignReviewer',
      'AwaitOpinion',
      'AwaitCoordination',
      'AwaitCollectiveDiscussion',
      'AwaitLeaderApproval',
      'RecordPassed',
    ]);
    expect(result.output).toMatchObject({ opinion: { outcome: 'DISAGREE' }, coordination: { handlingDivision: 'DISPUTE' }, outcome: { result: 'PASSED' } });
  });

  it('leader override: the review passes and the override is recorded as the leader’s (L7)', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake);
    await fake.answer('AwaitOpinion', { outcome: 'DISAGREE' });
    await fake.answer('AwaitCoordination', { handlingDivision: 'ACCEPT' });
    await fake.answer('AwaitLeaderApproval', { decision: 'OVERRIDE', approvalId: 'ap-1' });
    const result = await finished(handle);
    expect(result.status).toBe('SUCCEEDED');
    expect(fake.calls.at(-1)).toMatchObject({ task: 'recordOutcome', step: 'RecordPassed', result: 'PASSED', leaderDecision: 'OVERRIDE' });
    expect(reviewResultOf(result.output)).toBe('PASSED');
  });

  it('leader rejects the decision: recorded REJECTED, the execution still SUCCEEDS (an outcome, not a fault)', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake);
    await fake.answer('AwaitOpinion', { outcome: 'APPROVE' });
    await fake.answer('AwaitLeaderApproval', { decision: 'REJECT' });
    const result = await finished(handle);
    expect(result.status).toBe('SUCCEEDED');
    expect(fake.calls.at(-1)).toMatchObject({ task: 'recordOutcome', step: 'RecordRejected', result: 'REJECTED', leaderDecision: 'REJECT' });
    expect(reviewResultOf(result.output)).toBe('REJECTED');
  });

  it('incomplete materials: the handling division supplements, completeness is checked again, the review continues', async () => {
    const fake = fakeReviewFunction({
      checkMaterials: (_p, n) => (n === 1 ? { complete: false, missing: ['调查终结报告', '听证笔录'] } : { complete: true, missing: [] }),
    });
    const handle = start(fake);
    const supplement = await fake.answer('AwaitMaterials', { supplementId: 'sup-1' });
    expect(supplement).toMatchObject({ task: 'awaitSupplement', reason: 'MATERIALS_INCOMPLETE', missing: ['调查终结报告', '听证笔录'] });
    await fake.answer('AwaitOpinion', { outcome: 'APPROVE' });
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    const result = await finished(handle);
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AwaitMaterials', 'CheckMaterials', 'AssignReviewer', 'AwaitOpinion', 'AwaitLeaderApproval', 'RecordPassed']);
    expect(result.output).toMatchObject({ materials: { complete: true, missing: [] }, outcome: { result: 'PASSED' } });
  });
});

describe('legal review workflow: timeouts (N9)', () => {
  it('the opinion times out after 23 days however often it is heartbeated → escalation → the opinion arrives → approved', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const fake = fakeReviewFunction();
    const handle = start(fake, {}, 'review-late');
    await vi.advanceTimersByTimeAsync(0);
    const first = await fake.next('AwaitOpinion');
    // The daily deadline check heartbeats the stored token: the heartbeat never expires...
    const day = 86_400_000;
    for (let elapsed = 0; elapsed < 22 * day; elapsed += day) {
      await vi.advanceTimersByTimeAsync(day);
      await sendTaskHeartbeat(first.taskToken);
    }
    // ...after 22 days (the National Day span of 10 working days) nothing has fired yet.
    expect(fake.steps()).not.toContain('EscalateOpinion');
    await vi.advanceTimersByTimeAsync(HUMAN_STEP_TIMEOUT_SECONDS * 1000 - 22 * day);
    const escalate = fake.calls.find((c) => c.task === 'escalate') as PayloadOf<'escalate'>;
    expect(escalate).toMatchObject({ step: 'EscalateOpinion', timedOutStep: 'AwaitOpinion', reason: 'States.Timeout', reviewId: 'review-late' });
    await expect(sendTaskSuccess(first.taskToken, { outcome: 'APPROVE' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    // Back in AwaitOpinion with a fresh token (an admin may reassign meanwhile); the opinion arrives.
    vi.useRealTimers();
    const second = await fake.answer('AwaitOpinion', { outcome: 'APPROVE' });
    expect(second.taskToken).not.toBe(first.taskToken);
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    const result = await finished(handle);
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AssignReviewer', 'AwaitOpinion', 'EscalateOpinion', 'AwaitOpinion', 'AwaitLeaderApproval', 'RecordPassed']);
    expect(result.output).toMatchObject({ timeout: { Error: 'States.Timeout' }, escalation: { escalationId: 'esc-1' }, outcome: { result: 'PASSED' } });
    expect(handle.events.filter((e) => e.type === 'CallbackTimedOut')).toHaveLength(1);
  });

  it('a token nobody heartbeats (lost) is escalated after HeartbeatSeconds and re-issued — timeScale shrinks days to ms', async () => {
    const timeScale = 1e-6; // 3 days → 259 ms, 23 days → 1.99 s
    const fake = fakeReviewFunction();
    const handle = start(fake, { timeScale });
    const first = await fake.next('AwaitOpinion');
    const startedAt = Date.now();
    const second = await fake.next('AwaitOpinion');
    const waited = Date.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(HUMAN_STEP_HEARTBEAT_SECONDS * 1000 * timeScale - 25);
    expect(waited).toBeLessThan(HUMAN_STEP_TIMEOUT_SECONDS * 1000 * timeScale);
    expect(fake.calls.find((c) => c.task === 'escalate')).toMatchObject({ timedOutStep: 'AwaitOpinion', reason: 'States.HeartbeatTimeout' });
    expect(second.taskToken).not.toBe(first.taskToken);
    await sendTaskSuccess(second.taskToken, { outcome: 'APPROVE' });
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    expect((await finished(handle)).output).toMatchObject({ timeout: { Error: 'States.HeartbeatTimeout' }, outcome: { result: 'PASSED' } });
  });

  it('every other human step escalates and returns to itself too (leader approval)', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake, { timeScale: 1e-6 });
    await fake.answer('AwaitOpinion', { outcome: 'APPROVE' });
    await fake.next('AwaitLeaderApproval'); // left unanswered
    await fake.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    await finished(handle);
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AssignReviewer', 'AwaitOpinion', 'AwaitLeaderApproval', 'EscalateLeaderApproval', 'AwaitLeaderApproval', 'RecordPassed']);
  });

  it('a Lambda task that hangs past its TimeoutSeconds fails the review (States.Timeout → RecordFailure)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fake = fakeReviewFunction({ assignReviewer: () => new Promise(() => undefined) });
    const handle = start(fake);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AssignReviewer']);
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await finished(handle);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(fake.calls.at(-1)).toMatchObject({ task: 'recordFailure', failure: { Error: 'States.Timeout' } });
  });
});

describe('legal review workflow: failures', () => {
  it('a failing task → RecordFailure → FAILED with the original error', async () => {
    const fake = fakeReviewFunction({
      assignReviewer: () => {
        throw Object.assign(new Error('没有符合条件的审核人员'), { name: 'NoEligibleReviewer' });
      },
    });
    const result = await finished(start(fake, {}, 'review-no-reviewer'));
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('NoEligibleReviewer');
    expect(JSON.parse(result.cause as string)).toEqual({ errorType: 'NoEligibleReviewer', errorMessage: '没有符合条件的审核人员' });
    expect(fake.steps()).toEqual(['CheckScope', 'CheckMaterials', 'AssignReviewer', 'RecordFailure']);
    expect(fake.calls.at(-1)).toMatchObject({ task: 'recordFailure', reviewId: 'review-no-reviewer', failure: { Error: 'NoEligibleReviewer' } });
  });

  it('Lambda service exceptions are retried; a task that keeps failing with one is then recorded as failed', async () => {
    const flaky = fakeReviewFunction({
      checkMaterials: (_p, n) => {
        if (n <= 2) throw Object.assign(new Error('rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
        return { complete: true, missing: [] };
      },
    });
    const handle = start(flaky);
    await flaky.answer('AwaitOpinion', { outcome: 'APPROVE' });
    await flaky.answer('AwaitLeaderApproval', { decision: 'APPROVE' });
    expect((await finished(handle)).status).toBe('SUCCEEDED');
    expect(flaky.steps().filter((s) => s === 'CheckMaterials')).toHaveLength(3);

    const broken = fakeReviewFunction({
      checkScope: () => {
        throw Object.assign(new Error('service'), { name: 'Lambda.ServiceException' });
      },
    });
    const result = await finished(start(broken));
    expect(result).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException' });
    expect(broken.steps()).toEqual([...Array(7).fill('CheckScope'), 'RecordFailure']); // 1 + MaxAttempts 6
  });

  it('RecordFailure failing too still ends FAILED with the original error', async () => {
    const fake = fakeReviewFunction({
      checkScope: () => {
        throw new Error('boom');
      },
      recordFailure: () => {
        throw new Error('table unavailable');
      },
    });
    const result = await finished(start(fake));
    expect(result).toMatchObject({ status: 'FAILED', error: 'Error' });
    expect(result.cause).toContain('boom');
  });

  it('a route’s SendTaskFailure fails the review through RecordFailure', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake);
    const opinion = await fake.next('AwaitOpinion');
    await sendTaskFailure(opinion.taskToken, 'ReviewWithdrawn', '承办机构撤回了提交');
    const result = await finished(handle);
    expect(result).toMatchObject({ status: 'FAILED', error: 'ReviewWithdrawn', cause: '承办机构撤回了提交' });
    expect(fake.steps().at(-1)).toBe('RecordFailure');
  });

  it('an output the workflow cannot route on fails the review through InvalidResult, not silently', async () => {
    const fake = fakeReviewFunction();
    const handle = start(fake);
    const opinion = await fake.next('AwaitOpinion');
    await sendTaskSuccess(opinion.taskToken, { outcome: 'MAYBE' });
    const result = await finished(handle);
    expect(result).toMatchObject({ status: 'FAILED', error: 'ReviewWorkflow.InvalidResult' });
    expect(fake.calls.at(-1)).toMatchObject({ task: 'recordFailure', failure: { Error: 'ReviewWorkflow.InvalidResult' } });
  });

  it('a callback handler that fails to store its token fails the step (as the Lambda invocation would)', async () => {
    const fake = fakeReviewFunction();
    const failing = async (p: ReviewTaskPayload) => {
      if (p.task === 'awaitOpinion') throw Object.assign(new Error('conditional check failed'), { name: 'ConditionalCheckFailedException' });
      return fake.handler(p);
    };
    const result = await finished(start(fake, { taskHandler: failing }));
    expect(result).toMatchObject({ status: 'FAILED', error: 'ConditionalCheckFailedException' });
  });
});

describe('legal review workflow: the callback API and executions', () => {
  it('unknown, used and aborted tokens are refused like the SFN API', async () => {
    await expect(sendTaskSuccess('no-such-token', {})).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(sendTaskHeartbeat('')).rejects.toMatchObject({ name: 'InvalidToken' });
    const fake = fakeReviewFunction();
    const handle = start(fake);
    const opinion = await fake.next('AwaitOpinion');
    expect(pendingTasks(handle.executionId)).toEqual([
      expect.objectContaining({ taskToken: opinion.taskToken, state: 'AwaitOpinion', executionId: handle.executionId }),
    ]);
    await expect(sendTaskSuccess(opinion.taskToken, { big: 'x'.repeat(300_000) })).rejects.toMatchObject({ name: 'InvalidOutput' });
    expect(handle.currentState()).toBe('AwaitOpinion');
    handle.abort();
    expect(await handle.result).toEqual({ status: 'ABORTED' });
    expect(pendingTasks()).toEqual([]);
    await expect(sendTaskSuccess(opinion.taskToken, { outcome: 'APPROVE' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect(fake.steps().at(-1)).toBe('AwaitOpinion'); // nothing ran after the abort
    expect(handle.currentState()).toBeUndefined();
  });

  it('execution names are unique: the same name and input while running is the same execution', async () => {
    const fake = fakeReviewFunction();
    const a = start(fake, { name: 'review-42' }, 'review-42');
    const b = start(fake, { name: 'review-42' }, 'review-42');
    expect(b).toBe(a);
    expect(() => start(fake, { name: 'review-42' }, 'review-43')).toThrow(ExecutionAlreadyExists);
    expect(a.executionId).toBe('arn:aws:states:cn-north-1:000000000000:execution:legal-review:review-42');
    a.abort();
    await a.result;
    expect(() => start(fake, { name: 'review-42' }, 'review-42')).toThrow(ExecutionAlreadyExists);
  });

  it('the engine’s event log shows the path taken', async () => {
    const fake = fakeReviewFunction({ checkScope: () => ({ inScope: false, collectiveDiscussion: false }) });
    const handle = start(fake);
    await handle.result;
    await new Promise((r) => realSetTimeout(r, 0));
    const entered = handle.events.flatMap((e) => (e.type === 'StateEntered' && 'state' in e ? [e.state.name] : []));
    expect(entered).toEqual(['CheckScope', 'ScopeDecision', 'NotRequired']);
    expect(handle.events.at(-1)?.type).toBe('ExecutionSucceeded');
  });
});
