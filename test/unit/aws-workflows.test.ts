/**
 * The Step Functions branch of the workflow client (legal review, R5): the commands the service
 * receives and the errors it answers with, mapped to the project's errors the review service acts on
 * (a task token that is gone → TaskGoneError, 409 STEP_EXPIRED, which re-opens the step). No network:
 * the SFN client is mocked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { REVIEW_WORKFLOW_NAME } from '../../shared/domain/review-workflow.ts';
import { isTaskGone, setWorkflowClient, TaskGoneError, workflowClient } from '../../shared/aws/workflows.ts';

const STATE_MACHINE = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:LegalReview';
const EXECUTION = 'arn:aws-cn:states:cn-north-1:123456789012:execution:LegalReview:r-1';
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAb0bXmVdp0ZzYVN2';
const meta = { $metadata: { httpStatusCode: 400 } };

const sfn = mockClient(SFNClient);
const saved = { ...process.env };

beforeAll(() => {
  Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', LEGAL_REVIEW_STATE_MACHINE_ARN: STATE_MACHINE });
});
beforeEach(() => {
  sfn.reset();
  // No local runner installed: the AWS client, as in Lambda.
  setWorkflowClient(undefined);
});
afterAll(() => {
  sfn.restore();
  setWorkflowClient(undefined);
  process.env = saved;
});

describe('starting and stopping executions', () => {
  it('starts the state machine named by the workflow, with the review id as execution name and JSON input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });

    const id = await workflowClient().start(REVIEW_WORKFLOW_NAME, 'r-1', { reviewId: 'r-1' });

    expect(id).toBe(EXECUTION);
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(StartExecutionCommand, { stateMachineArn: STATE_MACHINE, name: 'r-1', input: '{"reviewId":"r-1"}' });
  });

  it('passes StartExecution errors through (an execution of that name exists already)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));

    await expect(workflowClient().start(REVIEW_WORKFLOW_NAME, 'r-1', {})).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('names the missing state machine variable for an unknown workflow', async () => {
    await expect(workflowClient().start('annual-report', 'x', {})).rejects.toThrow('Environment variable ANNUAL_REPORT_STATE_MACHINE_ARN is not set');
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('stops an execution with its cause; one that no longer exists counts as stopped', async () => {
    sfn.on(StopExecutionCommand).resolvesOnce({ stopDate: new Date() }).rejectsOnce(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', ...meta }));

    await workflowClient().stop(EXECUTION, 'review step re-opened');
    await workflowClient().stop(EXECUTION, 'again');

    expect(sfn).toHaveReceivedNthCommandWith(StopExecutionCommand, 1, { executionArn: EXECUTION, error: 'Stopped', cause: 'review step re-opened' });
    expect(sfn).toHaveReceivedCommandTimes(StopExecutionCommand, 2);
  });

  it('other StopExecution errors reach the caller', async () => {
    const throttled = new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', ...meta });
    sfn.on(StopExecutionCommand).rejects(throttled);

    await expect(workflowClient().stop(EXECUTION, 'c')).rejects.toBe(throttled);
  });
});

describe('completing human steps with the task token', () => {
  it('SendTaskSuccess carries the token and the output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});

    await workflowClient().sendTaskSuccess(TOKEN, { decision: 'APPROVED', opinion: '同意' });

    expect(sfn).toHaveReceivedCommandExactlyOnceWith(SendTaskSuccessCommand, { taskToken: TOKEN, output: '{"decision":"APPROVED","opinion":"同意"}' });
  });

  it('SendTaskFailure carries the error and cause as given', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});

    await workflowClient().sendTaskFailure(TOKEN, 'ReviewWithdrawn', 'withdrawn by the submitter');

    expect(sfn).toHaveReceivedCommandExactlyOnceWith(SendTaskFailureCommand, { taskToken: TOKEN, error: 'ReviewWithdrawn', cause: 'withdrawn by the submitter' });
  });

  it('SendTaskHeartbeat carries only the token', async () => {
    sfn.on(SendTaskHeartbeatCommand).resolves({});

    await workflowClient().sendTaskHeartbeat(TOKEN);

    expect(sfn).toHaveReceivedCommandExactlyOnceWith(SendTaskHeartbeatCommand, { taskToken: TOKEN });
  });

  // The three answers Step Functions gives for a token whose task is gone, as the SDK throws them.
  const gone = [
    ['TaskTimedOut', () => new TaskTimedOut({ message: 'Task Timed Out', ...meta })],
    ['TaskDoesNotExist', () => new TaskDoesNotExist({ message: 'Task Does Not Exist', ...meta })],
    ['InvalidToken', () => new InvalidToken({ message: 'Invalid token', ...meta })],
  ] as const;

  for (const [name, error] of gone) {
    it(`${name} from any SendTask* becomes TaskGoneError (409 STEP_EXPIRED), which the review service recognises`, async () => {
      sfn.on(SendTaskSuccessCommand).rejects(error()).on(SendTaskFailureCommand).rejects(error()).on(SendTaskHeartbeatCommand).rejects(error());
      const c = workflowClient();

      for (const send of [() => c.sendTaskSuccess(TOKEN, {}), () => c.sendTaskFailure(TOKEN, 'E', 'c'), () => c.sendTaskHeartbeat(TOKEN)]) {
        const failure: unknown = await send().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(TaskGoneError);
        expect(failure).toMatchObject({ status: 409, code: 'STEP_EXPIRED', reason: name });
        expect(isTaskGone(failure)).toBe(true);
      }
    });
  }

  it('any other SendTask* error reaches the caller unchanged and is not taken for a gone task', async () => {
    const throttled = new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', ...meta });
    sfn.on(SendTaskSuccessCommand).rejects(throttled);

    const failure: unknown = await workflowClient()
      .sendTaskSuccess(TOKEN, {})
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(failure).toBe(throttled);
    expect(isTaskGone(failure)).toBe(false);
  });

  it('the SDK exceptions themselves are recognised as gone tasks too (by name)', () => {
    expect(isTaskGone(new TaskTimedOut({ message: 'x', ...meta }))).toBe(true);
    expect(isTaskGone(new ExecutionDoesNotExist({ message: 'x', ...meta }))).toBe(false);
  });
});
