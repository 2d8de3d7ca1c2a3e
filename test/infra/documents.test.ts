/**
 * The case documents as deployed (issue 15, P7: the penalty-procedure documents the `cases` function
 * generates as PDFs): kept in the reports bucket under `documents/<case id>/<document id>.pdf`;
 * `documentsBucket` in shared/manifest.ts → IAM (`cases` writes and reads back, on `documents/*` only,
 * the key only through S3; no other function anything of `documents/*`) and REPORTS_BUCKET; the bucket's
 * deletion deny covers them; the report font on `cases` (api-stack.test.ts checks its bundle).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_EXTRAS, LAMBDA_TASK_ROOT, REPORT_FONT, REPORT_FONT_LICENCE, REPORT_FONT_PATH_ENV } from '../../infra/bundled-files.ts';
import { DOCUMENT_KEY_ACTIONS, DOCUMENT_OBJECT_ACTIONS, DOCUMENTS_BUCKET_ENV, DOCUMENTS_PREFIX } from '../../infra/constructs/documents-access.ts';
import type { DocumentsAccess } from '../../infra/constructs/documents-access.ts';
import { ProjectFunction } from '../../infra/constructs/project-function.ts';
import { REPORTS_BUCKET_ENV } from '../../infra/constructs/reports-access.ts';
import { REPORTS_BUCKET_DENIED_ACTIONS } from '../../infra/stacks/data-stack.ts';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../../infra/paths.ts';
import { DOCUMENTS_PREFIX as RUNTIME_DOCUMENTS_PREFIX } from '../../shared/aws/documents-bucket.ts';
import { functions } from '../../shared/manifest.ts';
import type { FunctionId } from '../../shared/manifest.ts';
import { actionsOf, allStatements, logicalId, resourcesOf, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { Statement, SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING });
});

const bucketId = () => logicalId(built.data.reportsBucket);
const keyId = () => logicalId(built.data.reportsKey);
const bucketArn = () => ({ 'Fn::GetAtt': [bucketId(), 'Arn'] });
const fnId = (fn: FunctionId) => logicalId(built.api.functions[fn].function);
const statementsOf = (fn: FunctionId): Statement[] => statementsOfRole(built.apiTemplate, logicalId(built.api.functions[fn].role));
const envOf = (fn: FunctionId): Record<string, unknown> => built.apiTemplate.findResources('AWS::Lambda::Function')[fnId(fn)]?.Properties.Environment.Variables;
/** Statements that name the reports bucket or its key (by the data stack's exports). */
const onBucket = (statements: Statement[]) => statements.filter((s) => JSON.stringify(s.Resource).includes(bucketId()) || JSON.stringify(s.Resource).includes(keyId()));
const namesDocuments = (s: Statement) => JSON.stringify(s.Resource).includes(`/${DOCUMENTS_PREFIX}`);
const namesReports = (s: Statement) => JSON.stringify(s.Resource).includes('/reports/');
const s3ViaService = { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } };
const importOf = (attribute: string) => ({ 'Fn::ImportValue': expect.stringMatching(new RegExp(`^ThreeSystems-Data:ExportsOutput${attribute}`)) });

/** `<imported reports bucket ARN>/documents/*`, as the template has it. */
function documentObjects(): unknown {
  const [statement] = statementsOf('cases').filter((s) => s.Sid === 'DocumentObjects');
  const join = (statement?.Resource as { 'Fn::Join': [string, [{ 'Fn::ImportValue': string }, string]] })['Fn::Join'];
  expect(join[0]).toBe('');
  expect(join[1][0]['Fn::ImportValue']).toMatch(new RegExp(`^ThreeSystems-Data:ExportsOutputFnGetAtt${bucketId()}Arn`));
  expect(join[1][1]).toBe('/documents/*');
  return statement?.Resource;
}

describe('case documents in the reports bucket (documentsBucket in the manifest)', () => {
  it('the manifest: only cases, with write', () => {
    expect(functions.filter((f) => f.documentsBucket).map((f) => [f.id, f.documentsBucket])).toEqual([['cases', 'write']]);
    expect(functions.find((f) => f.id === 'cases')?.description).toMatch(/penalty-procedure documents/);
  });

  it('cases: exactly s3:PutObject and s3:GetObject on documents/* of the reports bucket, and the key through S3 to encrypt and decrypt; nothing else of the bucket or key', () => {
    // (The template lists a statement's actions sorted.)
    expect(onBucket(statementsOf('cases'))).toEqual([
      { Sid: 'DocumentObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: documentObjects() },
      { Sid: 'DocumentsKeyWrite', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: importOf(`FnGetAtt${keyId()}Arn`), Condition: s3ViaService },
    ]);
  });

  it('cases: nothing of reports/* (it has no reportsBucket)', () => {
    expect(functions.find((f) => f.id === 'cases')?.reportsBucket).toBeUndefined();
    expect(statementsOf('cases').filter(namesReports)).toEqual([]);
    expect(statementsOf('cases').filter((s) => s.Sid?.startsWith('Report'))).toEqual([]);
  });

  it('a function with reportsBucket has nothing of documents/* unless it also has documentsBucket', () => {
    for (const spec of functions.filter((f) => f.reportsBucket && !f.documentsBucket)) {
      expect(statementsOf(spec.id).filter(namesDocuments), spec.id).toEqual([]);
      expect(onBucket(statementsOf(spec.id)).filter(namesReports).length, spec.id).toBe(1);
    }
  });

  it('no other function, nor any other principal of either stack, has anything on documents/*', () => {
    for (const spec of functions.filter((f) => f.id !== 'cases')) {
      expect(statementsOf(spec.id).filter(namesDocuments), spec.id).toEqual([]);
      expect(statementsOf(spec.id).filter((s) => s.Sid?.startsWith('Document')), spec.id).toEqual([]);
    }
    const all = [...allStatements(built.apiTemplate), ...allStatements(built.dataTemplate)];
    const naming = all.filter(namesDocuments);
    expect(naming).toHaveLength(1);
    expect(actionsOf(naming[0] as Statement).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    const casesRole = logicalId(built.api.functions.cases.role);
    const holders = Object.values(built.apiTemplate.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(`/${DOCUMENTS_PREFIX}`))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect(holders).toEqual([casesRole]);
  });

  it('cases: REPORTS_BUCKET names the reports bucket, and REPORT_FONT_PATH the font in its bundle', () => {
    expect(envOf('cases')[REPORTS_BUCKET_ENV]).toEqual(importOf(`Ref${bucketId()}`));
    expect(envOf('cases')[REPORT_FONT_PATH_ENV]).toBe('/var/task/NotoSansSC-Regular.ttf');
    expect(BUNDLE_EXTRAS.cases).toEqual({ files: [REPORT_FONT, REPORT_FONT_LICENCE], environment: { REPORT_FONT_PATH: `${LAMBDA_TASK_ROOT}/${REPORT_FONT.to}` } });
  });

  it('the bucket policy denies every principal s3:DeleteObject* on every object of the bucket, documents/ included; no lifecycle rule deletes them', () => {
    const policies = Object.values(built.dataTemplate.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId() }),
    );
    expect(policies).toHaveLength(1);
    const deny = (policies[0]?.Properties.PolicyDocument.Statement as (Statement & { Principal?: unknown })[]).find((s) => s.Sid === 'DenyReportDeletion');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:DeleteObject*' });
    expect(deny?.Condition).toBeUndefined();
    // The whole bucket's objects (`<bucket>/*`), not only reports/.
    expect(resourcesOf(deny as Statement)).toEqual([{ 'Fn::Join': ['', [bucketArn(), '/*']] }]);
    expect([...REPORTS_BUCKET_DENIED_ACTIONS]).toEqual(['s3:DeleteObject*']);
    const bucket = built.dataTemplate.findResources('AWS::S3::Bucket')[bucketId()];
    expect(bucket?.Properties.LifecycleConfiguration).toBeUndefined();
    expect(bucket?.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('the actions per access: write is PutObject and GetObject, the key to match; never a delete; the prefix and variable the runtime uses', () => {
    expect(DOCUMENT_OBJECT_ACTIONS).toEqual({ write: ['s3:PutObject', 's3:GetObject'] });
    expect(DOCUMENT_KEY_ACTIONS).toEqual({ write: ['kms:GenerateDataKey', 'kms:Decrypt'] });
    for (const actions of Object.values(DOCUMENT_OBJECT_ACTIONS)) for (const a of actions) expect(a).not.toMatch(/Delete|\*/);
    // shared/aws/documents-bucket.ts: the prefix documents/, and the reports bucket's variable (infra does not
    // import that module, which loads the AWS SDK).
    expect(DOCUMENTS_PREFIX).toBe('documents/');
    expect(DOCUMENTS_PREFIX).toBe(RUNTIME_DOCUMENTS_PREFIX);
    expect(DOCUMENTS_BUCKET_ENV).toBe('REPORTS_BUCKET');
    expect(readFileSync(fromRoot('shared/aws/documents-bucket.ts'), 'utf8')).toMatch(/requireEnv\((['"])REPORTS_BUCKET\1\)|requireEnv\(REPORTS_BUCKET_ENV\)/);
  });
});

describe('a probe ProjectFunction', () => {
  const setUp = () => {
    const app = new App({ context: { ...SKIP_BUNDLING } });
    const stack = new Stack(app, 'Probe');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const key = new kms.Key(stack, 'Key');
    const make = (id: string) =>
      new ProjectFunction(stack, id, { entry: 'functions/cases/handler.ts', description: 'probe', serviceName: 'probe', logRetention: RetentionDays.ONE_WEEK, logKey: key });
    return { stack, bucket, key, make };
  };

  it('gets exactly these statements for documentsBucket: write, and the bucket in REPORTS_BUCKET', () => {
    const { stack, bucket, key, make } = setUp();
    const writer = make('Writer');
    writer.grantDocumentsBucket({ bucket, key, access: 'write' });
    const template = Template.fromStack(stack);
    const statements = statementsOfRole(template, logicalId(writer.role)).filter((s) => s.Sid?.startsWith('Document'));
    expect(statements.map((s) => [s.Sid, actionsOf(s), s.Resource])).toEqual([
      ['DocumentObjects', ['s3:PutObject', 's3:GetObject'], { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(bucket), 'Arn'] }, '/documents/*']] }],
      ['DocumentsKeyWrite', ['kms:GenerateDataKey', 'kms:Decrypt'], { 'Fn::GetAtt': [logicalId(key), 'Arn'] }],
    ]);
    const env = template.findResources('AWS::Lambda::Function')[logicalId(writer.function)]?.Properties.Environment.Variables;
    expect(env[REPORTS_BUCKET_ENV]).toEqual({ Ref: logicalId(bucket) });
    expect(() => make('Bad').grantDocumentsBucket({ bucket, key, access: 'delete' as DocumentsAccess })).toThrow(/Unknown documents bucket access/);
  });

  it.each([
    ['read', ['s3:GetObject']],
    ['write', ['s3:PutObject', 's3:GetObject']],
  ] as const)('with reportsBucket: %s as well, keeps both grants apart and sets REPORTS_BUCKET once, to the same bucket', (access, reportActions) => {
    const { stack, bucket, key, make } = setUp();
    const both = make('Both');
    both.grantReportsBucket({ bucket, key, access });
    both.grantDocumentsBucket({ bucket, key, access: 'write' });
    const template = Template.fromStack(stack);
    const statements = statementsOfRole(template, logicalId(both.role)).filter((s) => /^(Report|Document)/.test(s.Sid ?? ''));
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(bucket), 'Arn'] }, `/${prefix}*`]] });
    expect(statements.map((s) => [s.Sid, actionsOf(s), s.Resource])).toEqual([
      ['ReportObjects', reportActions, objects('reports/')],
      [access === 'write' ? 'ReportsKeyWrite' : 'ReportsKeyRead', access === 'write' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'], { 'Fn::GetAtt': [logicalId(key), 'Arn'] }],
      ['DocumentObjects', ['s3:PutObject', 's3:GetObject'], objects('documents/')],
      ['DocumentsKeyWrite', ['kms:GenerateDataKey', 'kms:Decrypt'], { 'Fn::GetAtt': [logicalId(key), 'Arn'] }],
    ]);
    const env = template.findResources('AWS::Lambda::Function')[logicalId(both.function)]?.Properties.Environment.Variables;
    expect(env[REPORTS_BUCKET_ENV]).toEqual({ Ref: logicalId(bucket) });
  });

  it('refuses REPORTS_BUCKET set by two grants to different buckets', () => {
    const { stack, bucket, key, make } = setUp();
    const other = new s3.Bucket(stack, 'Other');
    const fn = make('Two');
    fn.grantReportsBucket({ bucket, key, access: 'read' });
    expect(() => fn.grantDocumentsBucket({ bucket: other, key, access: 'write' })).toThrow(/REPORTS_BUCKET is already set to another value/);
  });
});
