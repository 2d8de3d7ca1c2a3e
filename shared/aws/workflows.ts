/**
 * Starting workflows and completing their human steps. In AWS: Step Functions (StartExecution,
 * StopExecution, SendTaskSuccess/Failure/Heartbeat). In local mode and the tests, the local runner
 * (local/workflows.ts) installs itself here with `setWorkflowClient`, so the same service code drives both.
 */
import { AppError, ConflictError } from '../domain/errors.ts';
import { requireEnv } from './env.ts';
import { traceClient } from './tracing.ts';

export interface WorkflowClient {
  /** Starts `workflow` with an execution name unique per subject (the review id); returns the execution id (ARN). */
  start(workflow: string, name: string, input: unknown): Promise<string>;
  /** Like StopExecution; an execution that no longer exists or has already ended is not an error. */
  stop(executionId: string, cause: string): Promise<void>;
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
  /** Tells the waiting step its person is still on it (the daily check), so it does not escalate. */
  sendTaskHeartbeat(taskToken: string): Promise<void>;
}

/** The SFN API's answers for a token whose task is gone (ended, timed out, never existed, lost with a local restart). */
export const TASK_GONE_ERRORS = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const;

/** 409: the task token a step was waiting with no longer answers; nothing was handed to the workflow. */
export class TaskGoneError extends ConflictError {
  constructor(readonly reason: string) {
    super('STEP_EXPIRED', '该审核步骤已超时或已结束，请刷新后查看当前步骤');
  }
}

/** 503: the workflow service could not be reached or did not confirm; the message says what to do. */
export class WorkflowUnavailableError extends AppError {
  readonly status = 503;
  constructor(message: string, code = 'WORKFLOW_UNAVAILABLE') {
    super(code, message);
  }
}

/** A token that is gone, as a client reports it (mapped) or as the SDK throws it (by exception name). */
export function isTaskGone(e: unknown): boolean {
  return e instanceof TaskGoneError || (e instanceof Error && (TASK_GONE_ERRORS as readonly string[]).includes(e.name));
}

/** Maps the SDK's task-token exceptions to {@link TaskGoneError}; anything else is rethrown unchanged. */
export function taskTokenError(e: unknown): never {
  if (e instanceof Error && (TASK_GONE_ERRORS as readonly string[]).includes(e.name)) throw new TaskGoneError(e.name);
  throw e;
}

/**
 * The id (ARN) an execution named `name` of the same state machine as `executionId` gets: execution
 * ARNs are `arn:<partition>:states:<region>:<account>:execution:<stateMachine>:<name>`, locally too.
 * Lets a review name the execution that will resume it before it starts (its tasks are then not stale).
 */
export function siblingExecutionId(executionId: string, name: string): string | undefined {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*:execution:[^:]+):[^:]+$/.exec(executionId);
  return m ? `${m[1]}:${name}` : undefined;
}

let client: WorkflowClient | undefined;

export function setWorkflowClient(c: WorkflowClient | undefined): void {
  client = c;
}

/** Step Functions by state machine ARN from the environment (`LEGAL_REVIEW_STATE_MACHINE_ARN` for legal-review). */
function awsClient(): WorkflowClient {
  let sfn: Promise<typeof import('@aws-sdk/client-sfn')> | undefined;
  let instance: import('@aws-sdk/client-sfn').SFNClient | undefined;
  const get = async () => {
    sfn ??= import('@aws-sdk/client-sfn');
    const mod = await sfn;
    instance ??= traceClient(new mod.SFNClient({}));
    return { mod, instance };
  };
  return {
    async start(workflow, name, input) {
      const { mod, instance } = await get();
      const arn = requireEnv(`${workflow.toUpperCase().replace(/-/g, '_')}_STATE_MACHINE_ARN`);
      const res = await instance.send(new mod.StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
      return res.executionArn ?? '';
    },
    async stop(executionId, cause) {
      const { mod, instance } = await get();
      // Stopping an ended execution succeeds; one that is gone answers ExecutionDoesNotExist: both are "stopped".
      await instance.send(new mod.StopExecutionCommand({ executionArn: executionId, error: 'Stopped', cause })).catch((e: unknown) => {
        if (e instanceof Error && e.name === 'ExecutionDoesNotExist') return;
        throw e;
      });
    },
    async sendTaskSuccess(taskToken, output) {
      const { mod, instance } = await get();
      await instance.send(new mod.SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })).catch(taskTokenError);
    },
    async sendTaskFailure(taskToken, error, cause) {
      const { mod, instance } = await get();
      await instance.send(new mod.SendTaskFailureCommand({ taskToken, error, cause })).catch(taskTokenError);
    },
    async sendTaskHeartbeat(taskToken) {
      const { mod, instance } = await get();
      await instance.send(new mod.SendTaskHeartbeatCommand({ taskToken })).catch(taskTokenError);
    },
  };
}

export function workflowClient(): WorkflowClient {
  client ??= awsClient();
  return client;
}
