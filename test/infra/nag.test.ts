/**
 * cdk-nag (AWS Solutions, Serverless and NIST 800-53 Rev. 5 rules) over the whole app, as `cdk synth`
 * runs it: no open finding in any pack, and every acknowledgement is specific, explained, and still needed.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { NagPack } from 'cdk-nag';
import { NAG_PACK_PREFIXES, NAG_PACKS } from '../../infra/nag-packs.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../shared/manifest.ts';
import type { FunctionSpec } from '../../shared/manifest.ts';
import { DUMMY_PORTAL_WEB_ACL_ARN, logicalId, SKIP_BUNDLING, synthesise } from './fixture.ts';
import type { SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;

beforeAll(() => {
  // With the portal's web ACL set, so that the packs check every stack: Data, Api, PortalWaf and Portal.
  built = synthesise({ ...SKIP_BUNDLING, portalWebAclArn: DUMMY_PORTAL_WEB_ACL_ARN });
  expect(built.portal).toBeDefined();
});

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          path: construct.node.path,
          // aws-cdk-lib stores unprefixed ids as annotation acknowledgements.
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** A pack's findings with acknowledgements ignored: what its rules find before any is applied. */
function rawFindings(pack: NagPack): { id: string; path: string }[] {
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return pack.validateScope(built.app).violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
}

describe.each(NAG_PACKS.map((Pack) => [Pack.name as keyof typeof NAG_PACK_PREFIXES, Pack] as const))('cdk-nag %s', (name, Pack) => {
  const prefix = NAG_PACK_PREFIXES[name];

  it('reports no open finding', () => {
    const report = new Pack().validateScope(built.app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("every acknowledgement of this pack's rules still silences a finding (none is stale)", () => {
    const findings = rawFindings(new Pack());
    const acks = acknowledgements(built.app).filter((a) => a.id.startsWith(prefix));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      const silenced = findings.filter((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)));
      expect(silenced.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(0);
    }
  });
});

describe('cdk-nag acknowledgements', () => {
  it('every acknowledgement names one rule of a pack in synth (unprefixed) and gives a real reason', () => {
    const acks = acknowledgements(built.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^(AwsSolutions-[A-Z]+\d+|Serverless-[A-Za-z]+|NIST\.800\.53\.R5-[A-Za-z0-9]+)(\[[^\]]+\])?$/);
      expect(Object.values(NAG_PACK_PREFIXES).some((p) => ack.id.startsWith(p)), ack.id).toBe(true);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges each finding once, on the construct it concerns (no acknowledgement on a stack or the app)', () => {
    const acks = acknowledgements(built.app);
    const keys = acks.map((a) => `${a.id} at ${a.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const ack of acks) expect(ack.path.split('/').length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(2);
  });
});

describe('cdk-nag Serverless and NIST findings that are fixed, not acknowledged', () => {
  it('every function has a dead-letter queue: its own for asynchronous triggers, otherwise the alarmed UnexpectedAsyncDeadLetters', () => {
    const fns = Object.values(built.apiTemplate.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Handler === 'index.handler');
    expect(fns.length).toBe(functions.length);
    for (const fn of fns) expect(fn.Properties.DeadLetterConfig?.TargetArn, fn.Properties.Description).toBeDefined();
    const unexpected = logicalId(built.api.unexpectedAsyncDeadLetters);
    const users = fns.filter((f) => JSON.stringify(f.Properties.DeadLetterConfig).includes(`"${unexpected}"`));
    expect(users.length).toBe(functions.filter((f) => built.api.deadLetterQueues[f.id] === undefined).length);
    const alarms = Object.values(built.apiTemplate.findResources('AWS::CloudWatch::Alarm')).filter((a) => JSON.stringify(a.Properties.Dimensions).includes(`"${unexpected}"`));
    expect(alarms.length).toBe(1);
  });

  it('every log group of the API stack is encrypted with the logs key, which only CloudWatch Logs of this account and region may use', () => {
    const groups = Object.values(built.apiTemplate.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(functions.length + 2);
    for (const g of groups) expect(g.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(built.api.logsKey), 'Arn'] });
    const key = built.apiTemplate.findResources('AWS::KMS::Key')[logicalId(built.api.logsKey)];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    const logs = (key?.Properties.KeyPolicy.Statement as { Sid?: string; Condition?: unknown }[]).find((s) => s.Sid === 'AllowCloudWatchLogsOfThisAccount');
    expect(JSON.stringify(logs?.Condition)).toContain('kms:EncryptionContext:aws:logs:arn');
  });

  it('every table is in the AWS Backup plan', () => {
    const selections = Object.values(built.dataTemplate.findResources('AWS::Backup::BackupSelection'));
    expect(selections.length).toBe(1);
    const resources = JSON.stringify(selections[0]?.Properties.BackupSelection.Resources);
    for (const table of Object.values(built.data.tables)) expect(resources).toContain(`"${logicalId(table)}"`);
  });

  it('none of these is acknowledged anywhere', () => {
    const fixed = /^(Serverless-LambdaDLQ|NIST\.800\.53\.R5-(LambdaDLQ|CloudWatchLogGroupEncrypted|DynamoDBInBackupPlan))$/;
    expect(acknowledgements(built.app).filter((a) => fixed.test(a.id))).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('the state machines satisfy SF1 (logging ALL) and SF2 (X-Ray) rather than acknowledging them', () => {
    const findings = rawFindings(new AwsSolutionsChecks()).map((f) => f.id);
    expect(findings.filter((id) => /^AwsSolutions-SF\d/.test(id))).toEqual([]);
    expect(acknowledgements(built.app).filter((a) => /^AwsSolutions-SF\d/.test(a.id))).toEqual([]);
    expect(Object.keys(built.apiTemplate.findResources('AWS::StepFunctions::StateMachine')).length).toBeGreaterThan(0);
  });

  it('wildcard resources are acknowledged only for "*" (actions without resource types), the evidence/* objects, the reports/* and documents/* objects of the reports bucket, the checkpoints/* objects and the executions of the workflow a function drives', () => {
    // The portal's asset deployment role is checked on its own below.
    const iam5 = acknowledgements(built.app).filter((a) => a.id.startsWith('AwsSolutions-IAM5') && !a.path.startsWith('ThreeSystems-Portal/'));
    const executions = iam5.filter((a) => a.id.includes(':execution:'));
    expect(executions.map((a) => a.path).sort()).toEqual(
      functions.filter((f) => f.drivesWorkflows?.length).map((f) => `ThreeSystems-Api/${pascal(f.id)}Function/WorkflowAccess`).sort(),
    );
    for (const ack of executions) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<\w+\.Name>:\*\]$/);
    const others = iam5.filter((a) => a.id !== 'AwsSolutions-IAM5[Resource::*]' && !executions.includes(a));
    const evidence = others.filter((a) => a.id.includes('EvidenceBucket'));
    // The functions the manifest gives `evidenceBucket` (the API, sealing, and any job that reads evidence), nothing else.
    expect(evidence.map((a) => a.path).sort()).toEqual(dataAccessPaths((f) => f.evidenceBucket !== undefined));
    expect(evidence.map((a) => a.path)).toEqual(expect.arrayContaining(['ThreeSystems-Api/EvidenceFunction/DataAccess', 'ThreeSystems-Api/EvidenceSealFunction/DataAccess']));
    for (const ack of evidence) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[Resource::ThreeSystems-Data:ExportsOutputFnGetAttEvidenceBucket\w+\/evidence\/\*\]$/);
    // The functions with `reportsBucket` (public reads, jobs and reports write), for reports/* of the reports bucket only.
    // The functions with `checkpointsBucket` (jobs, audit), for checkpoints/* of the checkpoints bucket only.
    const checkpoints = others.filter((a) => a.id.includes('CheckpointsBucket'));
    expect(checkpoints.map((a) => a.path).sort()).toEqual(dataAccessPaths((f) => f.checkpointsBucket !== undefined));
    for (const ack of checkpoints) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[Resource::ThreeSystems-Data:ExportsOutputFnGetAttCheckpointsBucket\w+\/checkpoints\/\*\]$/);
    // The functions with `documentsBucket` (cases), for documents/* of the reports bucket only.
    const documents = others.filter((a) => a.id.endsWith('/documents/*]'));
    expect(documents.map((a) => a.path).sort()).toEqual(dataAccessPaths((f) => f.documentsBucket !== undefined));
    expect(documents.map((a) => a.path)).toEqual(['ThreeSystems-Api/CasesFunction/DataAccess']);
    for (const ack of documents) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[Resource::ThreeSystems-Data:ExportsOutputFnGetAttReportsBucket\w+\/documents\/\*\]$/);
    const reports = others.filter((a) => !evidence.includes(a) && !checkpoints.includes(a) && !documents.includes(a));
    expect(reports.map((a) => a.path).sort()).toEqual(dataAccessPaths((f) => f.reportsBucket !== undefined));
    expect(reports.map((a) => a.path)).toEqual(expect.arrayContaining(['ThreeSystems-Api/JobsFunction/DataAccess', 'ThreeSystems-Api/PublicFunction/DataAccess']));
    for (const ack of reports) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[Resource::ThreeSystems-Data:ExportsOutputFnGetAttReportsBucket\w+\/reports\/\*\]$/);
  });
});

describe('cdk-nag over the portal stacks', () => {
  it('the packs see both portal stacks', () => {
    const stacks = built.app.node.children.map((c) => c.node.id);
    expect(stacks).toEqual(expect.arrayContaining(['ThreeSystems-PortalWaf', 'ThreeSystems-Portal']));
  });

  it("the portal's IAM5 acknowledgements are only on the asset deployment role's policy: CDK's S3 grant action groups, the CDK asset bucket's and the assets bucket's objects", () => {
    // Besides the portal function's X-Ray statement (Resource::*), as for every ProjectFunction.
    const iam5 = acknowledgements(built.app).filter((a) => a.id.startsWith('AwsSolutions-IAM5') && a.id !== 'AwsSolutions-IAM5[Resource::*]' && a.path.startsWith('ThreeSystems-Portal/'));
    expect(new Set(iam5.map((a) => a.path))).toEqual(new Set(['ThreeSystems-Portal/AssetsDeploymentRole/DefaultPolicy']));
    for (const ack of iam5) {
      expect(ack.id).toMatch(/^AwsSolutions-IAM5\[(Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\*|Resource::arn:<AWS::Partition>:s3:::cdk-\w+-assets-<AWS::AccountId>-<AWS::Region>\/\*|Resource::<AssetsBucket\w+\.Arn>\/\*)\]$/);
    }
  });

  it('the PortalWaf stack needs no acknowledgement at all', () => {
    expect(acknowledgements(built.portalWaf).filter((a) => !a.id.startsWith('NIST.800.53.R5-IAMNoInlinePolicy'))).toEqual([]);
  });
});

/** The DataAccess policies of the manifest's functions that match (construct paths, sorted). */
const pascal = (id: string): string => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

function dataAccessPaths(match: (f: FunctionSpec) => boolean): string[] {
  return functions
    .filter(match)
    .map((f) => `ThreeSystems-Api/${pascal(f.id)}Function/DataAccess`)
    .sort();
}
