/**
 * The legal-review workflow as deployed (L1): a Standard state machine from
 * statemachines/legal-review.asl.json, logged and traced, whose role may invoke only the review-tasks
 * function; the reviews function starts it and completes its human steps, and the jobs function (the
 * daily deadline check's heartbeats) holds the same grant; no other function touches Step Functions. The ASL's own rules (states, timeouts, payloads) are linted in
 * test/unit/legal-review-asl.test.ts and not repeated here.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkDefinition,
  checkedWorkflow,
  checkWorkflowFunctions,
  definitionPath,
  deployedWorkflows,
  placeholdersOf,
  stateMachineArnEnv,
  WORKFLOW_TASK_FUNCTIONS,
} from '../../infra/workflows.ts';
import { functions, routes } from '../../shared/manifest.ts';
import type { FunctionSpec } from '../../shared/manifest.ts';
import { actionsOf, logicalId, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const ASL_TEXT = readFileSync(definitionPath('legal-review'), 'utf8');
const ASL = JSON.parse(ASL_TEXT) as { States: Record<string, { Type: string; Resource?: string; TimeoutSeconds?: number }> };

const workflow = () => built.api.workflows['legal-review']!;
const stateMachine = () => built.apiTemplate.findResources('AWS::StepFunctions::StateMachine')[logicalId(workflow().stateMachine)];
const reviewTasksArn = () => ({ 'Fn::GetAtt': [logicalId(built.api.functions['review-tasks'].function), 'Arn'] });
const stateMachineRef = () => ({ Ref: logicalId(workflow().stateMachine) });
const roleStatements = (fn: keyof SynthesisedApp['api']['functions']): Statement[] =>
  statementsOfRole(built.apiTemplate, logicalId(built.api.functions[fn].role));
const envOf = (fn: keyof SynthesisedApp['api']['functions']): Record<string, unknown> =>
  built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions[fn].function)]?.Properties.Environment.Variables;

describe('manifest', () => {
  it('deploys the workflows that functions drive: legal-review, driven by reviews and jobs, run by review-tasks', () => {
    expect(deployedWorkflows()).toEqual(['legal-review']);
    expect(functions.filter((f) => f.drivesWorkflows?.includes('legal-review')).map((f) => f.id)).toEqual(['reviews', 'jobs']);
    expect(functions.filter((f) => f.drivesWorkflows?.length).map((f) => f.id)).toEqual(['reviews', 'jobs']);
    expect(functions.filter((f) => f.invokedBy === 'workflow').map((f) => f.id)).toEqual(['review-tasks']);
    expect(WORKFLOW_TASK_FUNCTIONS['legal-review']).toEqual({ ReviewTaskFunctionArn: 'review-tasks' });
  });

  it('names the ARN variable as shared/aws/workflows.ts reads it', () => {
    expect(stateMachineArnEnv('legal-review')).toBe('LEGAL_REVIEW_STATE_MACHINE_ARN');
  });
});

describe('legal-review state machine', () => {
  it('is the only state machine, a Standard one', () => {
    built.apiTemplate.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(stateMachine()?.Properties.StateMachineType).toBe('STANDARD');
  });

  it('logs every event with its data to its own retained log group, and is traced with X-Ray', () => {
    expect(stateMachine()?.Properties).toMatchObject({
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalId(workflow().logGroup), 'Arn'] } } }],
      },
      TracingConfiguration: { Enabled: true },
    });
    const logGroup = built.apiTemplate.findResources('AWS::Logs::LogGroup')[logicalId(workflow().logGroup)];
    expect(logGroup?.DeletionPolicy).toBe('Retain');
    expect(logGroup?.Properties.RetentionInDays).toBe(built.config.logRetentionDays);
    expect(JSON.stringify(logGroup?.Properties.LogGroupName)).toContain('"/aws/vendedlogs/states/ThreeSystems-Api-legal-review-"');
  });

  it('is defined by the ASL file itself, with the review-tasks function ARN for ${ReviewTaskFunctionArn}', () => {
    const props = stateMachine()?.Properties;
    expect(props.DefinitionString).toBeUndefined();
    built.apiTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionS3Location: { Bucket: Match.anyValue(), Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.json$') },
      DefinitionSubstitutions: Match.exact({ ReviewTaskFunctionArn: reviewTasksArn() }),
    });
    // The asset CloudFormation reads is the file, byte for byte, and uses exactly the substituted placeholders.
    const staged = readFileSync(path.join(built.app.outdir, `asset.${props.DefinitionS3Location.Key as string}`), 'utf8');
    expect(staged).toBe(ASL_TEXT);
    expect(placeholdersOf(staged)).toEqual(Object.keys(props.DefinitionSubstitutions));
  });

  it('its role may invoke the review-tasks function (unqualified) and nothing else', () => {
    const roleArn = stateMachine()?.Properties.RoleArn as { 'Fn::GetAtt': [string, string] };
    const statements = statementsOfRole(built.apiTemplate, roleArn['Fn::GetAtt'][0]);
    const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(invoke).toHaveLength(1);
    expect(actionsOf(invoke[0]!)).toEqual(['lambda:InvokeFunction']);
    expect(resourcesOf(invoke[0]!)).toEqual([reviewTasksArn()]);
    // The rest is what Step Functions needs for log delivery and X-Ray; no data, no other service.
    for (const s of statements.filter((x) => x !== invoke[0])) {
      for (const action of actionsOf(s)) expect(action).toMatch(/^(logs|xray):/);
    }
  });

  it("gives each Lambda task more time than the function's own timeout, so a slow run fails as the function's error", () => {
    const fn = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(built.api.functions['review-tasks'].function)];
    const timeout = fn?.Properties.Timeout as number;
    const lambdaTasks = Object.values(ASL.States).filter((s) => s.Type === 'Task' && s.Resource === 'arn:aws:states:::lambda:invoke');
    expect(lambdaTasks.length).toBeGreaterThan(0);
    for (const task of lambdaTasks) expect(task.TimeoutSeconds).toBeGreaterThan(timeout);
  });

  it('exports its ARN', () => {
    built.apiTemplate.hasOutput('LegalReviewStateMachineArn', { Value: stateMachineRef() });
  });
});

describe('Step Functions permissions of the functions', () => {
  const statesStatements = (fn: keyof SynthesisedApp['api']['functions']) =>
    roleStatements(fn).filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));

  // drivesWorkflows grants one fixed set: jobs, which only sends heartbeats, also holds StartExecution,
  // SendTaskSuccess and SendTaskFailure (reported; the manifest has no narrower field today).
  const drivers = functions.filter((f) => f.drivesWorkflows?.includes('legal-review')).map((f) => [f.id] as const);

  it.each(drivers)('%s starts executions of exactly this state machine, with its ARN in LEGAL_REVIEW_STATE_MACHINE_ARN', (id) => {
    expect(envOf(id)['LEGAL_REVIEW_STATE_MACHINE_ARN']).toEqual(stateMachineRef());
    const start = statesStatements(id).filter((s) => actionsOf(s).includes('states:StartExecution'));
    expect(start).toHaveLength(1);
    expect(actionsOf(start[0]!)).toEqual(['states:StartExecution']);
    expect(resourcesOf(start[0]!)).toEqual([stateMachineRef()]);
  });

  it.each(drivers)('%s stops only executions of this state machine (re-opening a step whose token has gone)', (id) => {
    const stop = statesStatements(id).filter((s) => actionsOf(s).includes('states:StopExecution'));
    expect(stop).toHaveLength(1);
    expect(actionsOf(stop[0]!)).toEqual(['states:StopExecution']);
    const resource = JSON.stringify(resourcesOf(stop[0]!));
    expect(resource).toContain(':execution:');
    expect(resource).toContain('Fn::GetAtt');
    expect(resource).toContain(':*');
    expect(resource).not.toContain('"*"');
  });

  it.each(drivers)('%s completes human steps with the task-token actions, the only ones on "*"', (id) => {
    const statements = statesStatements(id);
    expect(statements.flatMap(actionsOf).sort()).toEqual(
      ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess', 'states:StartExecution', 'states:StopExecution'].sort(),
    );
    const wildcard = statements.filter((s) => resourcesOf(s).includes('*'));
    expect(wildcard).toHaveLength(1);
    expect(actionsOf(wildcard[0]!).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
    expect(wildcard[0]!.Condition).toBeUndefined();
  });

  it.each(functions.filter((f) => !f.drivesWorkflows?.length).map((f) => [f.id] as const))(
    '%s has no Step Functions action and no state machine ARN',
    (id) => {
      expect(statesStatements(id)).toEqual([]);
      expect(Object.keys(envOf(id)).filter((k) => k.endsWith('_STATE_MACHINE_ARN'))).toEqual([]);
    },
  );

  it('covers public, registry, catalog, cases, audit and review-tasks among those', () => {
    const without = functions.filter((f) => !f.drivesWorkflows?.length).map((f) => f.id);
    expect(without).toEqual(expect.arrayContaining(['public', 'registry', 'catalog', 'cases', 'audit', 'review-tasks']));
  });
});

describe('workflow task functions and the API', () => {
  it('no route names review-tasks, and API Gateway may not invoke it', () => {
    expect(routes.filter((r) => r.fn === 'review-tasks')).toEqual([]);
    const fnId = logicalId(built.api.functions['review-tasks'].function);
    const permissions = Object.values(built.apiTemplate.findResources('AWS::Lambda::Permission'));
    expect(permissions.filter((p) => JSON.stringify(p.Properties.FunctionName).includes(fnId))).toEqual([]);
    const methods = Object.values(built.apiTemplate.findResources('AWS::ApiGateway::Method'));
    expect(methods.filter((m) => JSON.stringify(m.Properties.Integration).includes(fnId))).toEqual([]);
  });
});

describe('synth-time checks', () => {
  const spec = (id: FunctionSpec['id'], extra: Partial<FunctionSpec>): FunctionSpec => ({
    id,
    entry: `functions/${id}/handler.ts`,
    description: id,
    tables: {},
    timeoutSeconds: 10,
    memoryMb: 512,
    ...extra,
  });

  it('accept the manifest and the real ASL', () => {
    expect(() => checkWorkflowFunctions()).not.toThrow();
    expect(checkedWorkflow('legal-review').path).toBe(definitionPath('legal-review'));
  });

  it('refuse a route to a workflow task function', () => {
    const specs = [spec('reviews', { drivesWorkflows: ['legal-review'] }), spec('review-tasks', { invokedBy: 'workflow' })];
    expect(() => checkWorkflowFunctions(specs, [{ method: 'POST', path: '/x', fn: 'review-tasks', auth: 'user' }])).toThrow(/routes name it/);
  });

  it('refuse a workflow task function that no deployed workflow invokes', () => {
    expect(() => checkWorkflowFunctions([spec('review-tasks', { invokedBy: 'workflow' })], [])).toThrow(/no deployed workflow invokes it/);
  });

  it('refuse a function that both runs and drives a workflow (a dependency cycle)', () => {
    const specs = [spec('review-tasks', { invokedBy: 'workflow', drivesWorkflows: ['legal-review'] })];
    expect(() => checkWorkflowFunctions(specs, [])).toThrow(/dependency cycle/);
  });

  it('refuse an ASL whose placeholders differ from the substitutions', () => {
    const text = ASL_TEXT.replace('"${ReviewTaskFunctionArn}"', '"${OtherFunctionArn}"');
    expect(() => checkDefinition('legal-review', text, { ReviewTaskFunctionArn: 'review-tasks' })).toThrow(/placeholders/);
  });

  it('refuse a Task the role could not run (another service, or a literal function)', () => {
    const withTask = (task: object) => {
      const def = JSON.parse(ASL_TEXT) as { States: Record<string, object> };
      def.States['Extra'] = { Type: 'Task', End: true, TimeoutSeconds: 60, ...task };
      return JSON.stringify(def);
    };
    const map = { ReviewTaskFunctionArn: 'review-tasks' } as const;
    expect(() => checkDefinition('legal-review', withTask({ Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: {} }), map)).toThrow(/Task Extra/);
    expect(() =>
      checkDefinition('legal-review', withTask({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:aws:lambda:cn-north-1:1:function:x' } }), map),
    ).toThrow(/Task Extra/);
    expect(() => checkDefinition('legal-review', ASL_TEXT, map)).not.toThrow();
  });

  it('refuse a placeholder naming a function that is not invoked by a workflow', () => {
    const text = ASL_TEXT.replaceAll('${ReviewTaskFunctionArn}', '${ReviewsFunctionArn}');
    expect(() => checkDefinition('legal-review', text, { ReviewsFunctionArn: 'reviews' })).toThrow(/not an invokedBy/);
  });
});
