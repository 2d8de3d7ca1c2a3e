/**
 * Local mode's Step Functions: the same ASL files run by the in-process runner (local/workflows.ts),
 * every Task routed to the same handler the state machine invokes in AWS. Installed as the
 * workflow client the services use (shared/aws/workflows.ts).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { ConflictError } from '../shared/domain/errors.ts';
import { functions } from '../shared/manifest.ts';
import { setWorkflowClient } from '../shared/aws/workflows.ts';
import { abortAllExecutions, sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess, startExecution, TaskTokenError } from './workflows.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

type TaskHandler = (payload: unknown, context: Context) => Promise<unknown>;

async function workflowHandler(): Promise<TaskHandler> {
  const spec = functions.find((f) => f.invokedBy === 'workflow');
  if (!spec) throw new Error('No workflow function in the manifest');
  const mod = (await import(pathToFileURL(join(REPO_ROOT, spec.entry)).href)) as { handler: TaskHandler };
  return mod.handler;
}

const context = (): Context =>
  ({
    awsRequestId: randomUUID(),
    functionName: 'review-tasks-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:cn-north-1:000000000000:function:review-tasks-local',
    memoryLimitInMB: '1024',
    logGroupName: 'local',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 50_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

const expired = (e: unknown): never => {
  if (e instanceof TaskTokenError) throw new ConflictError('STEP_EXPIRED', '该审核步骤已超时或已结束，请刷新后查看当前步骤');
  throw e;
};

/** Installs the local workflow client; returns a function that aborts every running execution. */
export async function installLocalWorkflows(): Promise<() => Promise<void>> {
  const handler = await workflowHandler();
  // Tests (and a curious operator) can shrink the human steps' 23-day timeouts: 1e-6 makes them seconds.
  const timeScale = Number(process.env.LOCAL_WORKFLOW_TIME_SCALE ?? 1);
  setWorkflowClient({
    async start(workflow, name, input) {
      return startExecution(workflow, input, { name, timeScale, taskHandler: (payload) => handler(payload, context()) }).executionId;
    },
    sendTaskSuccess: (token, output) => sendTaskSuccess(token, output).catch(expired),
    sendTaskFailure: (token, error, cause) => sendTaskFailure(token, error, cause).catch(expired),
    sendTaskHeartbeat: (token) => sendTaskHeartbeat(token).catch(expired),
  });
  return async () => {
    setWorkflowClient(undefined);
    await abortAllExecutions();
  };
}
