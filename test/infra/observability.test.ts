/**
 * Issue 10 point 11 (infrastructure) and the AWS side of point 5 (cursor secret): AWS WAF logs with
 * retention; alarms on API 5xx, on each function's errors and throttles and on failed, timed-out and
 * aborted workflow executions, all to the alert topic; reserved concurrency on the function behind the
 * anonymous routes; the cursor-signing secret, readable only by the functions that serve paged lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CURSOR_SECRET_ACTIONS, CURSOR_SECRET_ENV } from '../../infra/constructs/cursor-access.ts';
import { WAF_LOG_GROUP_PREFIX } from '../../infra/constructs/api-firewall.ts';
import { CURSOR_SECRET_ENV as RUNTIME_CURSOR_SECRET_ENV } from '../../shared/aws/cursor-secret.ts';
import { functions, routes } from '../../shared/manifest.ts';
import { fromRoot } from '../../infra/paths.ts';
import { actionsOf, allStatements, logicalId, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const topicRef = () => ({ Ref: logicalId(built.api.alertTopic) });
const alarmsWith = (metricName: string) =>
  Object.entries(built.apiTemplate.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }));

describe('AWS WAF logging', () => {
  it('logs the web ACL to a CloudWatch Logs group named aws-waf-logs-..., with the configured retention', () => {
    const logGroupId = logicalId(built.api.firewall.logGroup);
    const logGroup = built.apiTemplate.findResources('AWS::Logs::LogGroup')[logGroupId];

    expect(logGroup?.Properties.RetentionInDays).toBe(built.config.logRetentionDays);
    expect(logGroup?.DeletionPolicy).toBe('Retain');
    const name = logGroup?.Properties.LogGroupName as { 'Fn::Join': [string, unknown[]] };
    expect(String(name['Fn::Join'][1][0])).toMatch(new RegExp(`^${WAF_LOG_GROUP_PREFIX}ThreeSystems-Api-api-`));

    built.apiTemplate.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    built.apiTemplate.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [logicalId(built.api.firewall.webAcl), 'Arn'] },
      LogDestinationConfigs: [
        {
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':log-group:$'), { Ref: logGroupId }])],
        },
      ],
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]),
    });
  });

  it('gives the WAF log destination without the `:*` CloudFormation appends to a log group ARN', () => {
    const [config] = Object.values(built.apiTemplate.findResources('AWS::WAFv2::LoggingConfiguration'));
    expect(JSON.stringify(config?.Properties.LogDestinationConfigs)).not.toContain(':*');
  });

  it('follows the logRetentionDays context', () => {
    const other = synthesise({ ...SKIP_BUNDLING, logRetentionDays: 90 });
    other.apiTemplate.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`^${WAF_LOG_GROUP_PREFIX}`)])] }), RetentionInDays: 90 });
  });
});

describe('alarms to the alert topic', () => {
  it('API Gateway 5xx of the stage, on the first occurrence', () => {
    const stageId = Object.keys(built.apiTemplate.findResources('AWS::ApiGateway::Stage'))[0];
    built.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: Match.arrayWith([Match.objectLike({ Name: 'ApiName' }), { Name: 'Stage', Value: { Ref: stageId } }]),
      AlarmActions: [topicRef()],
    });
  });

  it.each(['Errors', 'Throttles'])('Lambda %s: exactly one alarm per function of the manifest, to the topic', (metric) => {
    const alarms = alarmsWith(metric).filter(([, a]) => a.Properties.Namespace === 'AWS/Lambda');
    const functionsAlarmed = alarms.map(([, a]) => (a.Properties.Dimensions as { Name: string; Value: { Ref: string } }[]).find((d) => d.Name === 'FunctionName')?.Value.Ref).sort();

    expect(functionsAlarmed).toEqual(functions.map((f) => logicalId(built.api.functions[f.id].function)).sort());
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties, id).toMatchObject({ Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [topicRef()] });
    }
  });

  it.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])('Step Functions %s: one alarm per workflow, to the topic', (metric) => {
    const machines = Object.values(built.api.workflows).map((w) => logicalId(w.stateMachine));
    expect(machines.length).toBeGreaterThan(0);
    for (const machine of machines) {
      built.apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }],
        AlarmActions: [topicRef()],
      });
    }
    expect(alarmsWith(metric)).toHaveLength(machines.length);
  });

  it('every alarm of the API stack notifies the alert topic and says what to do', () => {
    const alarms = Object.entries(built.apiTemplate.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(1 + 2 * functions.length + 3 * Object.keys(built.api.workflows).length);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([topicRef()]);
      expect(JSON.stringify(alarm.Properties.AlarmDescription).length, id).toBeGreaterThan(30);
    }
  });
});

describe('reserved concurrency', () => {
  const anonymousFunctions = [...new Set(routes.filter((r) => r.auth === 'none').map((r) => r.fn))];
  const reserved = (b: SynthesisedApp, id: string): unknown =>
    b.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(b.api.functions[id as keyof typeof b.api.functions].function)]?.Properties.ReservedConcurrentExecutions;

  it('the function behind the anonymous routes (public) gets the configured reserved concurrency, 50 by default', () => {
    expect(anonymousFunctions).toEqual(['public']);
    expect(built.config.publicReservedConcurrency).toBe(50);
    built.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Public disclosure API'),
      ReservedConcurrentExecutions: 50,
    });
  });

  it('no staff function is capped: they share the rest of the account', () => {
    for (const f of functions.filter((fn) => !anonymousFunctions.includes(fn.id))) expect(reserved(built, f.id), f.id).toBeUndefined();
  });

  it('follows the publicReservedConcurrency context, and refuses 0 or more than the account can reserve', () => {
    expect(reserved(synthesise({ ...SKIP_BUNDLING, publicReservedConcurrency: '20' }), 'public')).toBe(20);
    expect(() => synthesise({ ...SKIP_BUNDLING, publicReservedConcurrency: 0 })).toThrow(/publicReservedConcurrency/);
    expect(() => synthesise({ ...SKIP_BUNDLING, publicReservedConcurrency: 901 })).toThrow(/publicReservedConcurrency/);
  });
});

describe('the cursor-signing secret (issue 10 point 5)', () => {
  const secretId = () => logicalId(built.api.cursorSecret.secret);

  it('is one Secrets Manager secret whose value Secrets Manager generates (never in the template)', () => {
    built.apiTemplate.resourceCountIs('AWS::SecretsManager::Secret', 1);
    built.apiTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
      SecretString: Match.absent(),
    });
  });

  it('the environment variable matches the runtime', () => {
    expect(CURSOR_SECRET_ENV).toBe(RUNTIME_CURSOR_SECRET_ENV);
  });

  it.each(functions.map((f) => [f.id, f.pagesLists === true] as const))('%s: may read it and is told its ARN exactly when it pages lists (%s)', (id, pages) => {
    const fn = built.api.functions[id];
    const statements = statementsOfRole(built.apiTemplate, logicalId(fn.role)).filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    const env = built.apiTemplate.findResources('AWS::Lambda::Function')[logicalId(fn.function)]?.Properties.Environment.Variables as Record<string, unknown>;

    if (pages) {
      expect(statements).toEqual([expect.objectContaining({ Effect: 'Allow', Action: CURSOR_SECRET_ACTIONS[0], Resource: { Ref: secretId() } })]);
      expect(env[CURSOR_SECRET_ENV]).toEqual({ Ref: secretId() });
    } else {
      expect(statements).toEqual([]);
      expect(env).not.toHaveProperty(CURSOR_SECRET_ENV);
    }
  });

  it('nothing else in the stack may read it, and no statement grants Secrets Manager on "*"', () => {
    const readers = allStatements(built.apiTemplate).filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    expect(readers).toHaveLength(functions.filter((f) => f.pagesLists).length);
    for (const s of readers) {
      expect(actionsOf(s)).toEqual(['secretsmanager:GetSecretValue']);
      expect(resourcesOf(s)).toEqual([{ Ref: secretId() }]);
    }
  });

  it('pagesLists in the manifest is exactly the functions whose routes take a cursor', () => {
    // A handler declares a paged route by spreading `pageQuery` (shared/http/schemas.ts) into its query schema.
    const usesPageQuery = (entry: string): boolean => {
      const dir = fromRoot(dirname(entry));
      return readdirSync(dir).filter((f) => f.endsWith('.ts')).some((f) => /\.\.\.pageQuery\b/.test(readFileSync(`${dir}/${f}`, 'utf8')));
    };
    const paging = functions.filter((f) => usesPageQuery(f.entry)).map((f) => f.id).sort();

    expect(paging.length).toBeGreaterThan(0);
    expect(functions.filter((f) => f.pagesLists).map((f) => f.id).sort()).toEqual(paging);
  });
});
