/**
 * The annual reports as deployed (issue 6, D13, N13): the reports bucket (SSE-KMS with its own rotating
 * key, versioned, private, TLS only, access-logged, retained, no lifecycle, deletes denied to everyone);
 * `reportsBucket` in shared/manifest.ts → IAM (`jobs` writes, `public` reads, on `reports/*` only, the key
 * only through S3; no other function anything of `reports/*`) and REPORTS_BUCKET (which `documentsBucket`
 * passes too: documents.test.ts checks the case documents under `documents/`); the report font's variable
 * on `jobs` and `cases` only (api-stack.test.ts checks the bundles themselves); the three annual-report
 * schedules; the anonymous route GET /public/reports/{year}.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_EXTRAS, checkBundleExtras, LAMBDA_TASK_ROOT, REPORT_FONT, REPORT_FONT_LICENCE, REPORT_FONT_PATH_ENV } from '../../infra/bundled-files.ts';
import { ProjectFunction } from '../../infra/constructs/project-function.ts';
import { REPORT_KEY_ACTIONS, REPORT_OBJECT_ACTIONS, REPORTS_BUCKET_ENV, REPORTS_PREFIX } from '../../infra/constructs/reports-access.ts';
import type { ReportsAccess } from '../../infra/constructs/reports-access.ts';
import { REPORTS_BUCKET_DENIED_ACTIONS } from '../../infra/stacks/data-stack.ts';
import { REPORTS_BUCKET_ENV as RUNTIME_REPORTS_BUCKET_ENV } from '../../shared/aws/reports-bucket.ts';
import { functions, routes } from '../../shared/manifest.ts';
import type { FunctionId, FunctionSpec } from '../../shared/manifest.ts';
import { REPORT_FONT_MODULE, REPORT_FONT_PATH_ENV as RUNTIME_REPORT_FONT_PATH_ENV } from '../../shared/report/font.ts';
import { schedules } from '../../shared/schedules.ts';
import { actionsOf, allStatements, logicalId, resourcePaths, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const bucketId = () => logicalId(built.data.reportsBucket);
const keyId = () => logicalId(built.data.reportsKey);
const bucketArn = () => ({ 'Fn::GetAtt': [bucketId(), 'Arn'] });
const dataResources = (type: string) => built.dataTemplate.findResources(type);
const apiResources = (type: string) => built.apiTemplate.findResources(type);
const reportsBucket = () => dataResources('AWS::S3::Bucket')[bucketId()];
const bucketPolicyStatements = (): Statement[] => {
  const policies = Object.values(dataResources('AWS::S3::BucketPolicy')).filter((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId() }));
  expect(policies).toHaveLength(1);
  return policies[0]?.Properties.PolicyDocument.Statement as Statement[];
};

const fnId = (fn: FunctionId) => logicalId(built.api.functions[fn].function);
const statementsOf = (fn: FunctionId): Statement[] => statementsOfRole(built.apiTemplate, logicalId(built.api.functions[fn].role));
const envOf = (fn: FunctionId): Record<string, unknown> => apiResources('AWS::Lambda::Function')[fnId(fn)]?.Properties.Environment.Variables;
/** Statements that name the reports bucket or its key (by the data stack's exports). */
const onReports = (statements: Statement[]) => statements.filter((s) => JSON.stringify(s.Resource).includes(bucketId()) || JSON.stringify(s.Resource).includes(keyId()));
const s3ViaService = { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } };

/** `<imported reports bucket ARN>/reports/*`, as the template has it. */
function reportObjects(): unknown {
  const [statement] = statementsOf('jobs').filter((s) => s.Sid === 'ReportObjects');
  const join = (statement?.Resource as { 'Fn::Join': [string, [{ 'Fn::ImportValue': string }, string]] })['Fn::Join'];
  expect(join[0]).toBe('');
  expect(join[1][0]['Fn::ImportValue']).toMatch(new RegExp(`^ThreeSystems-Data:ExportsOutputFnGetAtt${bucketId()}Arn`));
  expect(join[1][1]).toBe('/reports/*');
  return statement?.Resource;
}

describe('the reports bucket', () => {
  it('is one bucket of the data stack, retained, with no Object Lock', () => {
    const bucket = reportsBucket();
    expect(bucket).toBeDefined();
    expect(bucket?.DeletionPolicy).toBe('Retain');
    expect(bucket?.UpdateReplacePolicy).toBe('Retain');
    expect(bucket?.Properties.ObjectLockEnabled).toBeUndefined();
    built.dataTemplate.resourceCountIs('AWS::S3::Bucket', 4); // evidence, reports, checkpoints, access logs
  });

  it('is SSE-KMS with its own customer-managed key (bucket key on); the key rotates and is retained', () => {
    expect(reportsBucket()?.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId(), 'Arn'] } } },
      ],
    });
    const key = dataResources('AWS::KMS::Key')[keyId()];
    expect(key?.DeletionPolicy).toBe('Retain');
    expect(key?.Properties).toMatchObject({ EnableKeyRotation: true, Description: expect.stringMatching(/annual reports/) });
    expect(key?.Properties.KeySpec).toBeUndefined(); // symmetric
    // Its own: not the evidence key, nor the table key.
    expect(keyId()).not.toBe(logicalId(built.data.evidenceKey));
    expect(keyId()).not.toBe(logicalId(built.data.tableKey));
  });

  it('is versioned, blocks all public access and enforces bucket-owner object ownership', () => {
    expect(reportsBucket()?.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('has no lifecycle rules (reports are kept, every version) and no CORS', () => {
    expect(reportsBucket()?.Properties.LifecycleConfiguration).toBeUndefined();
    expect(reportsBucket()?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('writes server access logs to the access-log bucket under reports/, which lets S3 log delivery from this bucket write', () => {
    expect(reportsBucket()?.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(built.data.accessLogBucket) },
      LogFilePrefix: 'reports/',
    });
    const [logPolicy] = Object.values(dataResources('AWS::S3::BucketPolicy')).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalId(built.data.accessLogBucket) }),
    );
    const delivery = (logPolicy?.Properties.PolicyDocument.Statement as (Statement & { Principal?: unknown })[]).filter(
      (s) => s.Effect === 'Allow' && JSON.stringify(s.Condition).includes(`"${bucketId()}"`),
    );
    expect(delivery).toHaveLength(1);
    expect(delivery[0]).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' });
    expect(JSON.stringify(delivery[0]?.Resource)).toContain('/reports/*');
  });

  it('denies every request that does not use TLS (and TLS below 1.2)', () => {
    const statements = bucketPolicyStatements();
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    );
    for (const s of statements.filter((st) => st.Condition !== undefined)) {
      expect(resourcesOf(s)).toEqual([bucketArn(), { 'Fn::Join': ['', [bucketArn(), '/*']] }]);
    }
  });

  it('denies every principal any s3:DeleteObject* on every object', () => {
    const deny = bucketPolicyStatements().find((s) => s.Sid === 'DenyReportDeletion');
    expect(deny).toEqual({
      Sid: 'DenyReportDeletion',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:DeleteObject*',
      Resource: { 'Fn::Join': ['', [bucketArn(), '/*']] },
    });
    expect(deny?.Condition).toBeUndefined();
    expect([...REPORTS_BUCKET_DENIED_ACTIONS]).toEqual(['s3:DeleteObject*']);
    // The pattern covers the deletes S3 has: objects, versions, and their tags.
    const covers = (action: string) => new RegExp(`^${REPORTS_BUCKET_DENIED_ACTIONS[0].replace('*', '.*')}$`).test(action);
    for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging']) expect(covers(action), action).toBe(true);
  });

  it('its policy allows nothing to anyone: only denies', () => {
    const statements = bucketPolicyStatements();
    expect(statements.length).toBeGreaterThanOrEqual(3);
    expect(statements.filter((s) => s.Effect !== 'Deny')).toEqual([]);
  });

  it('its name is a stack output, under the variable the runtime reads', () => {
    built.dataTemplate.hasOutput('ReportsBucketName', { Value: { Ref: bucketId() }, Description: 'Value of REPORTS_BUCKET' });
  });

  it('the key policy grants nothing beyond the account (IAM decides), and no principal outside IAM', () => {
    const statements = dataResources('AWS::KMS::Key')[keyId()]?.Properties.KeyPolicy.Statement as (Statement & { Principal?: unknown })[];
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    expect(JSON.stringify(statements[0]?.Principal)).toContain(':root');
  });
});

describe('reports bucket permissions (reportsBucket in the manifest)', () => {
  it('the manifest: public reads, jobs and reports (the console\'s on-demand stages) write, nobody else', () => {
    expect(functions.filter((f) => f.reportsBucket).map((f) => [f.id, f.reportsBucket])).toEqual([
      ['public', 'read'],
      ['reports', 'write'],
      ['jobs', 'write'],
    ]);
  });

  it('jobs: s3:PutObject and s3:GetObject on reports/* of the reports bucket, and the key through S3 to encrypt and decrypt; nothing else of the bucket or key', () => {
    // (The template lists a statement's actions sorted.)
    const statements = onReports(statementsOf('jobs'));
    expect(statements).toEqual([
      { Sid: 'ReportObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: reportObjects() },
      {
        Sid: 'ReportsKeyWrite',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^ThreeSystems-Data:ExportsOutputFnGetAtt${keyId()}Arn`)) },
        Condition: s3ViaService,
      },
    ]);
  });

  it('public: s3:GetObject on reports/* of the reports bucket (to sign download links), and the key through S3 to decrypt; nothing else', () => {
    const statements = onReports(statementsOf('public'));
    expect(statements).toEqual([
      { Sid: 'ReportObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: reportObjects() },
      {
        Sid: 'ReportsKeyRead',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^ThreeSystems-Data:ExportsOutputFnGetAtt${keyId()}Arn`)) },
        Condition: s3ViaService,
      },
    ]);
  });

  it.each(functions.filter((f) => !f.reportsBucket && !f.documentsBucket).map((f) => [f.id] as const))('%s: no permission on the reports bucket or its key, and no REPORTS_BUCKET', (id) => {
    expect(onReports(statementsOf(id))).toEqual([]);
    expect(JSON.stringify(statementsOf(id))).not.toContain(bucketId());
    expect(JSON.stringify(statementsOf(id))).not.toContain(keyId());
    expect(envOf(id)[REPORTS_BUCKET_ENV]).toBeUndefined();
  });

  it.each(functions.filter((f) => !f.reportsBucket && f.documentsBucket).map((f) => [f.id] as const))('%s (documentsBucket only): nothing of reports/* (documents.test.ts checks its documents/* grant)', (id) => {
    expect(statementsOf(id).filter((s) => JSON.stringify(s.Resource).includes('/reports/'))).toEqual([]);
    expect(statementsOf(id).filter((s) => s.Sid?.startsWith('Report'))).toEqual([]);
  });

  it('no principal of either stack may delete from the reports bucket; all statements on it are the functions\' with reportsBucket or documentsBucket', () => {
    const all = [...allStatements(built.apiTemplate), ...allStatements(built.dataTemplate)];
    const naming = all.filter((s) => JSON.stringify(s.Resource).includes(bucketId()));
    // public, jobs and reports on reports/*, cases on documents/*.
    expect(naming).toHaveLength(4);
    for (const s of naming) {
      for (const action of actionsOf(s)) expect(action).toMatch(/^s3:(GetObject|PutObject)$/);
      expect((s as Statement & { NotAction?: unknown }).NotAction).toBeUndefined();
    }
    const holders = Object.values(apiResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(bucketId()))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref))
      .sort();
    const granted = functions.filter((f) => f.reportsBucket || f.documentsBucket).map((f) => f.id);
    expect(granted.sort()).toEqual(['cases', 'jobs', 'public', 'reports']);
    expect(holders).toEqual(granted.map((id) => logicalId(built.api.functions[id].role)).sort());
  });

  it('REPORTS_BUCKET names the reports bucket, on jobs, reports, public and cases (its documents) only', () => {
    const withVariable = functions.filter((f) => envOf(f.id)[REPORTS_BUCKET_ENV] !== undefined).map((f) => f.id);
    expect(withVariable.sort()).toEqual(['cases', 'jobs', 'public', 'reports']);
    for (const id of withVariable) {
      expect(envOf(id)[REPORTS_BUCKET_ENV]).toEqual({ 'Fn::ImportValue': expect.stringMatching(new RegExp(`^ThreeSystems-Data:ExportsOutputRef${bucketId()}`)) });
    }
  });

  it('the actions per access: read is GetObject, write is PutObject and GetObject; the key to match; never a delete', () => {
    expect(REPORT_OBJECT_ACTIONS).toEqual({ read: ['s3:GetObject'], write: ['s3:PutObject', 's3:GetObject'] });
    expect(REPORT_KEY_ACTIONS).toEqual({ read: ['kms:Decrypt'], write: ['kms:GenerateDataKey', 'kms:Decrypt'] });
    expect(REPORTS_PREFIX).toBe('reports/');
    for (const actions of Object.values(REPORT_OBJECT_ACTIONS)) for (const a of actions) expect(a).not.toMatch(/Delete|\*/);
  });

  it('a probe ProjectFunction gets exactly these statements for each access', () => {
    const app = new App({ context: { ...SKIP_BUNDLING } });
    const stack = new Stack(app, 'Probe');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const key = new kms.Key(stack, 'Key');
    const make = (id: string, access: ReportsAccess) => {
      const fn = new ProjectFunction(stack, id, { entry: 'functions/jobs/handler.ts', description: 'probe', serviceName: 'probe', logRetention: RetentionDays.ONE_WEEK, logKey: key });
      fn.grantReportsBucket({ bucket, key, access });
      return fn;
    };
    const reader = make('Reader', 'read');
    const writer = make('Writer', 'write');
    const template = Template.fromStack(stack);
    const of = (fn: ProjectFunction) => statementsOfRole(template, logicalId(fn.role)).filter((s) => s.Sid?.startsWith('Report'));
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(bucket), 'Arn'] }, '/reports/*']] };
    expect(of(reader).map((s) => [s.Sid, actionsOf(s), s.Resource])).toEqual([
      ['ReportObjects', ['s3:GetObject'], objects],
      ['ReportsKeyRead', ['kms:Decrypt'], { 'Fn::GetAtt': [logicalId(key), 'Arn'] }],
    ]);
    expect(of(writer).map((s) => [s.Sid, actionsOf(s), s.Resource])).toEqual([
      ['ReportObjects', ['s3:PutObject', 's3:GetObject'], objects],
      ['ReportsKeyWrite', ['kms:GenerateDataKey', 'kms:Decrypt'], { 'Fn::GetAtt': [logicalId(key), 'Arn'] }],
    ]);
    const env = (fn: ProjectFunction) => template.findResources('AWS::Lambda::Function')[logicalId(fn.function)]?.Properties.Environment.Variables;
    expect(env(reader)[REPORTS_BUCKET_ENV]).toEqual({ Ref: logicalId(bucket) });
    expect(() => make('Bad', 'delete' as ReportsAccess)).toThrow(/Unknown reports bucket access/);
  });
});

describe('the report font (infra/bundled-files.ts)', () => {
  it('REPORT_FONT_PATH is on jobs, reports and cases only (the annual report, the penalty documents), the absolute path of the font in the bundle', () => {
    const drawers: FunctionId[] = ['jobs', 'reports', 'cases'];
    for (const id of drawers) {
      expect(envOf(id)[REPORT_FONT_PATH_ENV], id).toBe('/var/task/NotoSansSC-Regular.ttf');
      expect(BUNDLE_EXTRAS[id]?.environment).toEqual({ REPORT_FONT_PATH: `${LAMBDA_TASK_ROOT}/${REPORT_FONT.to}` });
      expect(BUNDLE_EXTRAS[id]?.files).toEqual([REPORT_FONT, REPORT_FONT_LICENCE]);
    }
    for (const spec of functions.filter((f) => !drawers.includes(f.id))) expect(envOf(spec.id)[REPORT_FONT_PATH_ENV], spec.id).toBeUndefined();
  });

  it('the synth check accepts the real extras and refuses what could not be bundled', () => {
    expect(() => checkBundleExtras()).not.toThrow();
    const good = BUNDLE_EXTRAS.jobs!;
    expect(() => checkBundleExtras({ ['nightly' as FunctionId]: good })).toThrow(/does not have/);
    expect(() => checkBundleExtras({ jobs: { ...good, files: [{ from: 'node_modules/no-such-package/font.ttf', to: 'x.ttf' }], environment: {} } })).toThrow(/is not a file/);
    expect(() => checkBundleExtras({ jobs: { ...good, files: [{ ...REPORT_FONT, to: 'fonts/x.ttf' }], environment: {} } })).toThrow(/plain file name/);
    expect(() => checkBundleExtras({ jobs: { ...good, files: [{ ...REPORT_FONT, to: 'index.mjs' }], environment: {} } })).toThrow(/plain file name/);
    expect(() => checkBundleExtras({ jobs: { ...good, files: [{ ...REPORT_FONT, to: "x'; rm -rf ~; '" }], environment: {} } })).toThrow(/plain file name/);
    expect(() => checkBundleExtras({ jobs: { ...good, files: [REPORT_FONT, REPORT_FONT] } })).toThrow(/twice/);
    expect(() => checkBundleExtras({ jobs: { ...good, environment: { REPORT_FONT_PATH: '/var/task/other.ttf' } } })).toThrow(/does not name one of its files/);
    expect(() => checkBundleExtras({ jobs: { ...good, environment: { REPORT_FONT_PATH: 'NotoSansSC-Regular.ttf' } } })).toThrow(/does not name one of its files/);
    expect(() => checkBundleExtras({ jobs: good }, functions.filter((f) => f.id !== 'jobs'))).toThrow(/does not have/);
  });

  it('names the variable and the package file the runtime uses (shared/report/font.ts)', () => {
    expect(REPORT_FONT_PATH_ENV).toBe(RUNTIME_REPORT_FONT_PATH_ENV);
    expect(REPORT_FONT.from).toBe(`node_modules/${REPORT_FONT_MODULE}`);
    expect(REPORT_FONT_LICENCE.from).toBe('node_modules/@expo-google-fonts/noto-sans-sc/LICENSE_FONT');
  });
});

describe('annual-report schedules', () => {
  const expected = [
    ['annual-report-draft', 'cron(0 9 5 1 ? *)'],
    ['annual-report-deliver', 'cron(0 9 15 1 ? *)'],
    ['annual-report-publish', 'cron(0 9 31 1 ? *)'],
  ] as const;

  it.each(expected)('%s: %s in Asia/Shanghai, invoking jobs with its job', (id, cron) => {
    const schedule = built.api.jobSchedules.schedules[id];
    expect(schedule, id).toBeDefined();
    const p = apiResources('AWS::Scheduler::Schedule')[logicalId(schedule!)]?.Properties;
    expect(p.ScheduleExpression).toBe(cron);
    expect(p.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(p.State).toBe('ENABLED');
    expect(p.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(p.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId('jobs'), 'Arn'] });
    expect(JSON.parse(p.Target.Input as string)).toEqual({ schedule: id, job: id, scheduledTime: '<aws.scheduler.scheduled-time>' });
  });

  it('are the only annual-report schedules', () => {
    expect(schedules.filter((s) => s.id.startsWith('annual-report')).map((s) => s.id)).toEqual(expected.map(([id]) => id));
  });
});

describe('GET /public/reports/{year}', () => {
  it('is an anonymous method (no authorizer, no scopes) integrated with the public function', () => {
    expect(routes).toContainEqual({ method: 'GET', path: '/public/reports/{year}', fn: 'public', auth: 'none' });
    const paths = resourcePaths(built.apiTemplate, logicalId(built.api.api));
    const methods = Object.values(apiResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod === 'GET' && paths.get(m.Properties.ResourceId.Ref) === '/public/reports/{year}',
    );
    expect(methods).toHaveLength(1);
    const props = methods[0]?.Properties;
    expect(props.AuthorizationType).toBe('NONE');
    expect(props.AuthorizerId).toBeUndefined();
    expect(props.AuthorizationScopes).toBeUndefined();
    expect(props.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(props.Integration.Uri)).toContain(fnId('public'));
    // The route's function is the one that may read the reports.
    expect((functions.find((f) => f.id === 'public') as FunctionSpec).reportsBucket).toBe('read');
  });
});

describe('variable names match the runtime', () => {
  it('REPORTS_BUCKET', () => {
    expect(REPORTS_BUCKET_ENV).toBe(RUNTIME_REPORTS_BUCKET_ENV);
  });
});
