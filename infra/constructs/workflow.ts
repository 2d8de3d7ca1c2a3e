/**
 * One Step Functions Standard workflow, deployed from its ASL file (`statemachines/<name>.asl.json`,
 * the one source of the workflow, which local mode runs too) with `DefinitionBody.fromFile` and
 * `definitionSubstitutions`. Every execution event is logged with its data and traced with X-Ray; the
 * state machine's role may invoke its task functions and nothing else.
 */
import { Aws, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface WorkflowProps {
  /** The workflow's name, as in `drivesWorkflows` (e.g. `legal-review`). */
  readonly name: string;
  /** Absolute path of the ASL file. */
  readonly definitionPath: string;
  /**
   * The function each `${...}` placeholder of the ASL stands for (its unqualified ARN is substituted).
   * The role may invoke exactly these.
   */
  readonly taskFunctions: Readonly<Record<string, lambda.IFunction>>;
  /** Retention of the execution log group. */
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the execution log group (the stack's logs key). */
  readonly logKey: kms.IKey;
}

export class Workflow extends Construct {
  readonly name: string;
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    this.name = props.name;

    // Under /aws/vendedlogs/ as AWS recommends for Step Functions: CloudWatch Logs then needs no
    // per-log-group entry in the account's log-delivery resource policy (5,120 characters in all).
    // The stack's UUID ends the name, so that a retained group never blocks re-creating the stack.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: Fn.join('', [
        `/aws/vendedlogs/states/${Stack.of(this).stackName}-${props.name}-`,
        Fn.select(2, Fn.split('/', Aws.STACK_ID)),
      ]),
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: `Workflow ${props.name} (statemachines/${props.name}.asl.json)`,
      definitionBody: sfn.DefinitionBody.fromFile(props.definitionPath),
      definitionSubstitutions: Object.fromEntries(Object.entries(props.taskFunctions).map(([placeholder, fn]) => [placeholder, fn.functionArn])),
      // Every event with its input and output. The workflows carry identifiers and outcomes only
      // (review id, execution id, step, reviewer's officer id, catalogue material names, outcome
      // enums, error names and messages), never names or documents; callback states' parameters
      // also hold their task token, which the execution history shows anyway.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    // Unqualified ARNs only: the ASL invokes `${...}` (the function's ARN), never a version or alias,
    // so no `:*` (which CDK's grantInvoke would add).
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTaskFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(props.taskFunctions).map((fn) => fn.functionArn),
      }),
    );

    const defaultPolicy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Added by Step Functions logging and tracing: the CloudWatch Logs log-delivery actions (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups and the like) and X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) do not support resource-level permissions, so AWS requires Resource "*". lambda:InvokeFunction is on the task functions\' ARNs only.',
      });
    }
  }
}
