/**
 * The pieces that keep a person's step from wedging a review (issue 10, point 8), without the network:
 * the SDK's task-token errors as the services see them, the resuming execution's input and id, the
 * ASL's resume path, and local executions that are persisted, suspended and resumed at their state.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionDoesNotExist, InvalidToken, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { isTaskGone, siblingExecutionId, TaskGoneError, taskTokenError } from '../../shared/aws/workflows.ts';
import { REVIEW_WORKFLOW_NAME, resumeExecutionName, resumeInput, type ReviewTaskPayload } from '../../shared/domain/review-workflow.ts';
import {
  abortAllExecutions,
  pendingTasks,
  persistExecutionsIn,
  resumePersistedExecutions,
  sendTaskSuccess,
  startExecution,
  suspendAllExecutions,
  type PersistedExecution,
} from '../../local/workflows.ts';

const meta = { $metadata: { httpStatusCode: 400 } };

describe('task-token errors', () => {
  it('TaskTimedOut, InvalidToken and TaskDoesNotExist become TaskGoneError (409 STEP_EXPIRED); others pass through', () => {
    for (const e of [new TaskTimedOut({ message: 'x', ...meta }), new InvalidToken({ message: 'x', ...meta }), new TaskDoesNotExist({ message: 'x', ...meta })]) {
      expect(isTaskGone(e)).toBe(true);
      expect(() => taskTokenError(e)).toThrow(TaskGoneError);
      try {
        taskTokenError(e);
      } catch (mapped) {
        expect(mapped).toMatchObject({ status: 409, code: 'STEP_EXPIRED', reason: e.name });
      }
    }
    const other = new ExecutionDoesNotExist({ message: 'x', ...meta });
    expect(isTaskGone(other)).toBe(false);
    expect(() => taskTokenError(other)).toThrow(other);
    expect(isTaskGone(new Error('socket hang up'))).toBe(false);
  });
});

describe('resuming a review', () => {
  it('names the resuming execution next to the old one, within AWS limits', () => {
    const old = 'arn:aws-cn:states:cn-north-1:123456789012:execution:legal-review:7c1f0e2a-1111-4222-8333-944455556666';
    const name = resumeExecutionName('7c1f0e2a-1111-4222-8333-944455556666', 'ab12cd34');
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(siblingExecutionId(old, name)).toBe(`arn:aws-cn:states:cn-north-1:123456789012:execution:legal-review:${name}`);
    expect(siblingExecutionId('not-an-arn', name)).toBeUndefined();
  });

  it('carries what the states after the step read', () => {
    expect(resumeInput({ id: 'r1', step: 'AwaitCoordination', missing: [], reviewerId: 'o-9', opinions: [{ outcome: 'RETURN' }, { outcome: 'AMEND' }] })).toEqual({
      reviewId: 'r1',
      resume: { step: 'AwaitCoordination' },
      materials: { complete: true, missing: [] },
      reviewer: { reviewerId: 'o-9' },
      opinion: { outcome: 'AMEND' },
    });
  });

  it('the ASL resume path: CheckScope, then straight back to the step (here the coordination), and on to the end', async () => {
    const calls: ReviewTaskPayload[] = [];
    const handle = startExecution<ReviewTaskPayload>(REVIEW_WORKFLOW_NAME, resumeInput({ id: 'r-resume', step: 'AwaitCoordination', missing: [], reviewerId: 'o-1', opinions: [{ outcome: 'DISAGREE' }] }), {
      retryIntervalMs: 0,
      taskHandler: async (p) => {
        calls.push(p);
        if (p.task === 'checkScope') return { inScope: true, collectiveDiscussion: false };
        if (p.task === 'recordOutcome') return { result: p.result };
        return {};
      },
    });
    const waitFor = async (step: string) => {
      for (let i = 0; i < 100 && !pendingTasks(handle.executionId).some((t) => t.state === step); i++) await new Promise((r) => setTimeout(r, 10));
      return pendingTasks(handle.executionId).find((t) => t.state === step)?.taskToken as string;
    };
    const coordination = await waitFor('AwaitCoordination');
    expect(calls.find((c) => c.step === 'AwaitCoordination')).toMatchObject({ opinionOutcome: 'DISAGREE' });
    await sendTaskSuccess(coordination, { handlingDivision: 'ACCEPT' });
    await sendTaskSuccess(await waitFor('AwaitLeaderApproval'), { decision: 'APPROVE' });
    expect((await handle.result).status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.step)).toEqual(['CheckScope', 'AwaitCoordination', 'AwaitLeaderApproval', 'RecordPassed']);
  });
});

describe('local executions across a restart', () => {
  let dir: string | undefined;
  afterEach(async () => {
    await abortAllExecutions();
    persistExecutionsIn(undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a waiting execution is kept on disk by a shutdown and resumed at its step with a fresh token; its end removes the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wf-'));
    persistExecutionsIn(dir);
    const calls: ReviewTaskPayload[] = [];
    const taskHandler = async (p: ReviewTaskPayload) => {
      calls.push(p);
      if (p.task === 'checkScope') return { inScope: true, collectiveDiscussion: false };
      if (p.task === 'checkMaterials') return { complete: true, missing: [] };
      if (p.task === 'assignReviewer') return { reviewerId: 'o-7' };
      if (p.task === 'recordOutcome') return { result: p.result };
      return {};
    };
    const first = startExecution<ReviewTaskPayload>(REVIEW_WORKFLOW_NAME, { reviewId: 'r-restart' }, { taskHandler, retryIntervalMs: 0 });
    const waiting = async (executionId: string, state: string) => {
      for (let i = 0; i < 200; i++) {
        const t = pendingTasks(executionId).find((x) => x.state === state);
        const file = readdirSync(dir as string).find((f) => f.endsWith('.json'));
        if (t && file && (JSON.parse(readFileSync(join(dir as string, file), 'utf8')) as PersistedExecution).state === state) return t.taskToken;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${state} not reached`);
    };
    const oldToken = await waiting(first.executionId, 'AwaitOpinion');

    await suspendAllExecutions();
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.json'));
    const saved = JSON.parse(readFileSync(join(dir, file as string), 'utf8')) as PersistedExecution;
    expect(saved).toMatchObject({ executionId: first.executionId, state: 'AwaitOpinion', stateInput: { reviewId: 'r-restart', reviewer: { reviewerId: 'o-7' } } });
    expect(saved.callbackDeadline).toBeGreaterThan(Date.now());
    await expect(sendTaskSuccess(oldToken, { outcome: 'APPROVE' })).rejects.toMatchObject({ name: 'TaskTimedOut' });

    const [resumed] = resumePersistedExecutions(taskHandler);
    expect(resumed?.executionId).toBe(first.executionId);
    const newToken = await waiting(first.executionId, 'AwaitOpinion');
    expect(newToken).not.toBe(oldToken);
    expect(calls.filter((c) => c.step === 'AwaitOpinion').map((c) => (c as { reviewerId?: string }).reviewerId)).toEqual(['o-7', 'o-7']);
    await sendTaskSuccess(newToken, { outcome: 'APPROVE' });
    await sendTaskSuccess(await waiting(first.executionId, 'AwaitLeaderApproval'), { decision: 'APPROVE' });
    expect((await (resumed as { result: Promise<{ status: string }> }).result).status).toBe('SUCCEEDED');
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
