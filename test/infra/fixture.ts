/**
 * Builds the real CDK app (the one `cdk synth` builds) for the infrastructure tests.
 * Synthesis bundles every function of the manifest with esbuild, so each test file builds it once, in beforeAll.
 */
import { Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync } from 'node:fs';
import { buildApp } from '../../infra/build-app.ts';
import type { BuiltApp } from '../../infra/build-app.ts';
import { fromRoot } from '../../infra/paths.ts';
import { functions } from '../../shared/manifest.ts';

/** Context that makes synth skip esbuild (tests of things other than the bundles). */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/** A valid CloudFront web ACL ARN: with it in context the app has the Portal stack (phase two of a deploy). */
export const DUMMY_PORTAL_WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ThreeSystems-portal/0a1b2c3d-1111-2222-3333-444455556666';

export interface SynthesisedApp extends BuiltApp {
  readonly dataTemplate: Template;
  readonly apiTemplate: Template;
}

export function synthesise(context?: Record<string, unknown>): SynthesisedApp {
  const missing = functions.map((f) => f.entry).filter((entry) => !existsSync(fromRoot(entry)));
  if (missing.length > 0) {
    throw new Error(`Lambda entry files missing (the infra tests synthesise the real ones): ${missing.join(', ')}`);
  }
  const built = buildApp(context ? { context } : {});
  built.app.synth();
  return {
    ...built,
    dataTemplate: Template.fromStack(built.data),
    apiTemplate: Template.fromStack(built.api),
  };
}

/** The logical id of a construct's CloudFormation resource, e.g. to find it in a template. */
export function logicalId(element: { node: { defaultChild?: unknown } } | CfnElement): string {
  const cfn = ('logicalId' in element ? element : element.node.defaultChild) as CfnElement;
  return Stack.of(cfn).resolve(cfn.logicalId) as string;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Every statement of the IAM policies attached to a role (by the role's logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** Every statement of every IAM policy in a template. */
export function allStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );
}

/** Full path (`/cases/{id}`) of every API Gateway resource of a REST API, by logical id. */
export function resourcePaths(template: Template, restApiLogicalId: string): Map<string, string> {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (id: string): string => {
    const r = resources[id];
    if (!r) throw new Error(`No resource ${id}`);
    const parent = r.Properties.ParentId as { 'Fn::GetAtt'?: [string, string]; Ref?: string };
    const prefix = parent['Fn::GetAtt']?.[0] === restApiLogicalId ? '' : pathOf(parent.Ref as string);
    return `${prefix}/${r.Properties.PathPart as string}`;
  };
  return new Map(Object.keys(resources).map((id) => [id, pathOf(id)]));
}
