/**
 * Local mode's Step Functions: the same ASL files run by the in-process runner (local/workflows.ts),
 * every Task routed to the same handler the state machine invokes in AWS. Installed as the
 * workflow client the services use (shared/aws/workflows.ts).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { functions } from '../shared/manifest.ts';
import { setWorkflowClient, TaskGoneError } from '../shared/aws/workflows.ts';
import {
  persistExecutionsIn,
  resumePersistedExecutions,
  sendTaskFailure,
  sendTaskHeartbeat,
  sendTaskSuccess,
  startExecution,
  stopExecution,
  suspendAllExecutions,
  TaskTokenError,
} from './workflows.ts';

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
  if (e instanceof TaskTokenError && e.code !== 'InvalidOutput') throw new TaskGoneError(e.code);
  throw e;
};

export interface LocalWorkflowOptions {
  /** Where running executions are kept so that they survive a restart (`<DATA_DIR>/workflows`); none: memory only. */
  readonly stateDir?: string;
  readonly log?: (line: string) => void;
}

/**
 * Installs the local workflow client and resumes the executions a previous run left in `stateDir`
 * (their human steps get fresh tokens, which the task handler stores with the reviews). Returns the
 * shutdown: every execution ends in this process, its file stays for the next start.
 */
export async function installLocalWorkflows(options: LocalWorkflowOptions = {}): Promise<() => Promise<void>> {
  const handler = await workflowHandler();
  // Tests (and a curious operator) can shrink the human steps' 23-day timeouts: 1e-6 makes them seconds.
  const timeScale = Number(process.env.LOCAL_WORKFLOW_TIME_SCALE ?? 1);
  const taskHandler = (payload: unknown) => handler(payload, context());
  setWorkflowClient({
    async start(workflow, name, input) {
      return startExecution(workflow, input, { name, timeScale, taskHandler }).executionId;
    },
    stop: (executionId) => stopExecution(executionId),
    sendTaskSuccess: (token, output) => sendTaskSuccess(token, output).catch(expired),
    sendTaskFailure: (token, error, cause) => sendTaskFailure(token, error, cause).catch(expired),
    sendTaskHeartbeat: (token) => sendTaskHeartbeat(token).catch(expired),
  });
  persistExecutionsIn(options.stateDir);
  const resumed = resumePersistedExecutions(taskHandler, (file, error) =>
    options.log?.(`无法恢复流程实例 ${file} / could not resume workflow execution ${file}: ${error instanceof Error ? error.message : String(error)}`),
  );
  if (resumed.length > 0) options.log?.(`已恢复 ${resumed.length} 个进行中的流程实例 / resumed ${resumed.length} workflow execution(s)`);
  return async () => {
    setWorkflowClient(undefined);
    await suspendAllExecutions();
    persistExecutionsIn(undefined);
  };
}
