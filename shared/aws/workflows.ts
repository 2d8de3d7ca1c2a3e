/**
 * Starting workflows and completing their human steps. In AWS: Step Functions (StartExecution,
 * SendTaskSuccess/Failure). In local mode and the tests, the local runner (local/workflows.ts)
 * installs itself here with `setWorkflowClient`, so the same service code drives both.
 */
import { ConflictError } from '../domain/errors.ts';
import { requireEnv } from './env.ts';

export interface WorkflowClient {
  /** Starts `workflow` with an execution name unique per subject (the review id). */
  start(workflow: string, name: string, input: unknown): Promise<string>;
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
  /** Tells the waiting step its person is still on it (the daily check), so it does not escalate. */
  sendTaskHeartbeat(taskToken: string): Promise<void>;
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
    instance ??= new mod.SFNClient({});
    return { mod, instance };
  };
  const tokenErrors = (e: unknown): never => {
    const name = e instanceof Error ? e.name : '';
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') {
      throw new ConflictError('STEP_EXPIRED', '该审核步骤已超时或已结束，请刷新后查看当前步骤');
    }
    throw e;
  };
  return {
    async start(workflow, name, input) {
      const { mod, instance } = await get();
      const arn = requireEnv(`${workflow.toUpperCase().replace(/-/g, '_')}_STATE_MACHINE_ARN`);
      const res = await instance.send(new mod.StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
      return res.executionArn ?? '';
    },
    async sendTaskSuccess(taskToken, output) {
      const { mod, instance } = await get();
      await instance.send(new mod.SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })).catch(tokenErrors);
    },
    async sendTaskFailure(taskToken, error, cause) {
      const { mod, instance } = await get();
      await instance.send(new mod.SendTaskFailureCommand({ taskToken, error, cause })).catch(tokenErrors);
    },
    async sendTaskHeartbeat(taskToken) {
      const { mod, instance } = await get();
      await instance.send(new mod.SendTaskHeartbeatCommand({ taskToken })).catch(tokenErrors);
    },
  };
}

export function workflowClient(): WorkflowClient {
  client ??= awsClient();
  return client;
}
