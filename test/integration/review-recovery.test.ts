/**
 * A person's step never wedges a review (issue 10, point 8): when the step's task token is gone
 * (TaskTimedOut, InvalidToken, TaskDoesNotExist — an expired step on AWS, a local execution lost), the
 * person gets a clear 409, nothing is recorded, the step is re-opened with a new execution and can then
 * be done; withdraw works whatever the workflow answers; a hand-over that reached the workflow is never
 * lost. The real ASL and handlers; the workflow client is wrapped where AWS's answers are simulated.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidToken, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { setWorkflowClient, taskTokenError, workflowClient, type WorkflowClient } from '../../shared/aws/workflows.ts';
import { getExecution, pendingTasks, stopExecution } from '../../local/workflows.ts';
import { startApi, type TestApi } from './helpers.ts';
import { approveOpinion, reviewWorld, type Err, type ReviewView, type ReviewWorld } from './fixtures/review-scenario.ts';

let api: TestApi;
let world: ReviewWorld;
let real: WorkflowClient;

beforeAll(async () => {
  api = await startApi();
  real = workflowClient();
  world = await reviewWorld(api);
});
afterEach(() => setWorkflowClient(real));
afterAll(async () => api.stop());

/** The SDK's exceptions, as SFNClient throws them. */
const sdkError = {
  TaskTimedOut: () => new TaskTimedOut({ message: 'Task Timed Out', $metadata: { httpStatusCode: 400 } }),
  InvalidToken: () => new InvalidToken({ message: 'Invalid Token', $metadata: { httpStatusCode: 400 } }),
  TaskDoesNotExist: () => new TaskDoesNotExist({ message: 'Task does not exist', $metadata: { httpStatusCode: 400 } }),
};

/** The workflow client with some calls answered as AWS would (through the same error mapping as the AWS client). */
function withClient(overrides: Partial<WorkflowClient>): void {
  setWorkflowClient({ ...real, ...overrides });
}

const giveOpinion = (r: ReviewView) => api.fetchJson<ReviewView & Err>(`/reviews/${r.id}/opinion`, { token: world.reviewer, json: approveOpinion(r.version) });

/** After a re-open: the step is waiting again under the new execution (its token stored: the version moved twice). */
async function reopened(before: ReviewView): Promise<ReviewView> {
  return world.until(before.id, 'the step re-opened', (r) => r.step === 'AwaitOpinion' && r.version === before.version + 2 && r.executionId !== before.executionId);
}

describe('a step whose task token is gone', () => {
  for (const name of ['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'] as const) {
    it(`${name}: 409 REVIEW_TASK_EXPIRED, nothing recorded, the step re-opened; then the opinion goes through`, async () => {
      const waiting = await world.awaitingOpinion();
      withClient({ sendTaskSuccess: () => Promise.reject(sdkError[name]()).catch(taskTokenError) });

      const refused = await giveOpinion(waiting);
      expect([refused.status, refused.body.error.code]).toEqual([409, 'REVIEW_TASK_EXPIRED']);
      expect(refused.body.error.message).toContain('重新开启');
      setWorkflowClient(real);

      // Not advanced: same step, no opinion, no opinion on the timeline; the re-opening is on record.
      const after = await reopened(waiting);
      expect([after.status, after.step, after.opinions]).toEqual(['IN_PROGRESS', 'AwaitOpinion', []]);
      const timeline = await world.timeline(waiting.caseId);
      expect(timeline).not.toContain('review.opinion');
      expect(timeline).toContain('review.step-reopened');
      // The old execution was stopped; the new one waits in the step.
      expect(getExecution(waiting.executionId as string)?.status()).toBe('ABORTED');
      expect(pendingTasks(after.executionId).map((t) => t.state)).toEqual(['AwaitOpinion']);

      const given = await giveOpinion(after);
      expect(given.status, given.text).toBe(200);
      await world.approveToPassed(waiting.id);
      expect(await world.decisionStatus(waiting.caseId)).toBe('REVIEW_PASSED');
    });
  }

  it('an execution that is really gone: the same clear error, and the re-opened step can be done', async () => {
    const waiting = await world.awaitingOpinion();
    await stopExecution(waiting.executionId as string); // its token now answers TaskTimedOut

    const refused = await giveOpinion(waiting);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'REVIEW_TASK_EXPIRED']);
    const after = await reopened(waiting);
    expect(after.opinions).toEqual([]);
    const given = await giveOpinion(after);
    expect(given.status, given.text).toBe(200);
    await world.until(waiting.id, 'AwaitLeaderApproval', (r) => r.step === 'AwaitLeaderApproval');
  });

  it('an approval against a gone token is not stored, and approval then goes on (no WRONG_STEP for ever)', async () => {
    const waiting = await world.awaitingOpinion();
    expect((await giveOpinion(waiting)).status).toBe(200);
    const approving = await world.until(waiting.id, 'AwaitLeaderApproval', (r) => r.step === 'AwaitLeaderApproval');
    withClient({ sendTaskSuccess: () => Promise.reject(sdkError.TaskTimedOut()).catch(taskTokenError) });
    const refused = await api.fetchJson<Err>(`/reviews/${waiting.id}/approval`, { token: world.leader, json: { version: approving.version, decision: 'APPROVE' } });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'REVIEW_TASK_EXPIRED']);
    setWorkflowClient(real);
    const after = await world.until(waiting.id, 'approval re-opened', (r) => r.step === 'AwaitLeaderApproval' && r.version === approving.version + 2);
    expect((after as ReviewView & { approval?: unknown }).approval).toBeUndefined();
    const approved = await api.fetchJson(`/reviews/${waiting.id}/approval`, { token: world.leader, json: { version: after.version, decision: 'APPROVE' } });
    expect(approved.status, approved.text).toBe(200);
    expect((await world.until(waiting.id, 'Passed', (r) => r.step === 'Passed')).status).toBe('PASSED');
  });
});

describe('withdraw', () => {
  it('ends a review whose execution is gone and returns the decision to draft', async () => {
    const waiting = await world.awaitingOpinion();
    await stopExecution(waiting.executionId as string);
    const withdrawn = await api.fetchJson<ReviewView>(`/reviews/${waiting.id}/withdraw`, { token: world.officer, json: { version: waiting.version, reason: '流程已中断，撤回修改' } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect(await world.decisionStatus(waiting.caseId)).toBe('DRAFT');
  });

  it('works when SendTaskFailure and StopExecution both answer that nothing is there', async () => {
    const waiting = await world.awaitingOpinion();
    withClient({
      sendTaskFailure: () => Promise.reject(sdkError.TaskDoesNotExist()).catch(taskTokenError),
      stop: () => Promise.reject(Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' })),
    });
    const withdrawn = await api.fetchJson<ReviewView>(`/reviews/${waiting.id}/withdraw`, { token: world.officer, json: { version: waiting.version, reason: '撤回修改罚款金额' } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect(await world.decisionStatus(waiting.caseId)).toBe('DRAFT');
    setWorkflowClient(real);
    // The execution left behind cannot touch the withdrawn review: its step fails and nothing is recorded.
    expect((await api.fetchJson<Err>(`/reviews/${waiting.id}/opinion`, { token: world.reviewer, json: approveOpinion(withdrawn.body.version) })).body.error.code).toBe('WRONG_STEP');
    await stopExecution(waiting.executionId as string);
    expect((await world.review(waiting.id)).status).toBe('WITHDRAWN');
  });

  it('works in a step that is not waiting for a person (the execution died between states)', async () => {
    const waiting = await world.awaitingOpinion();
    await stopExecution(waiting.executionId as string);
    // What a crash between two states leaves: the opinion recorded, no execution to take it further.
    withClient({ sendTaskSuccess: async () => undefined });
    expect((await giveOpinion(waiting)).status).toBe(200);
    setWorkflowClient(real);
    const stuck = await world.review(waiting.id);
    expect([stuck.step, stuck.status]).toEqual(['OpinionDecision', 'IN_PROGRESS']);
    const withdrawn = await api.fetchJson<ReviewView>(`/reviews/${waiting.id}/withdraw`, { token: world.officer, json: { version: stuck.version, reason: '流程中断，撤回' } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(await world.decisionStatus(waiting.caseId)).toBe('DRAFT');
  });
});

describe('the hand-over to the workflow', () => {
  it('a send that fails before reaching the workflow changes nothing (503), and the same step can be resubmitted', async () => {
    const waiting = await world.awaitingOpinion();
    withClient({ sendTaskSuccess: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' })) });
    const refused = await giveOpinion(waiting);
    expect([refused.status, refused.body.error.code]).toEqual([503, 'WORKFLOW_UNAVAILABLE']);
    setWorkflowClient(real);
    const after = await world.review(waiting.id);
    expect([after.version, after.step, after.opinions]).toEqual([waiting.version, 'AwaitOpinion', []]);
    const given = await giveOpinion(waiting);
    expect(given.status, given.text).toBe(200);
    await world.until(waiting.id, 'AwaitLeaderApproval', (r) => r.step === 'AwaitLeaderApproval');
  });

  it('a send that reached the workflow is never lost: its next task records the step the request could not', async () => {
    const waiting = await world.awaitingOpinion();
    // SendTaskSuccess arrives, then the answer is lost (a timeout): the request cannot finalise.
    withClient({
      sendTaskSuccess: async (token, output) => {
        await real.sendTaskSuccess(token, output);
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
    });
    const unconfirmed = await giveOpinion(waiting);
    expect([unconfirmed.status, unconfirmed.body.error.code]).toEqual([503, 'WORKFLOW_UNCONFIRMED']);
    setWorkflowClient(real);
    const approving = await world.until(waiting.id, 'AwaitLeaderApproval', (r) => r.step === 'AwaitLeaderApproval');
    expect(approving.opinions.map((o) => o.outcome)).toEqual(['APPROVE']);
    expect(await world.timeline(waiting.caseId)).toContain('review.opinion');
    // A second submission of the same step is refused as out of turn, not recorded twice.
    const again = await giveOpinion(waiting);
    expect(again.status).toBe(409);
    expect((await world.review(waiting.id)).opinions).toHaveLength(1);
  });
});
