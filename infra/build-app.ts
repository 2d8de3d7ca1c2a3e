/**
 * Builds the CDK app. The CLI entry point (infra/app.ts) and the infrastructure tests both call
 * this, so the tests check exactly what `cdk deploy` would deploy.
 */
import { App, Tags } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { readConfig } from './config.ts';
import type { AppConfig } from './config.ts';
import { cdkJson } from './paths.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { PortalStack } from './stacks/portal-stack.ts';
import { PortalWafStack } from './stacks/portal-waf-stack.ts';

export interface BuildAppOptions {
  /**
   * Context that overrides cdk.json, as `-c key=value` would. The CLI's own context (cdk.json,
   * cdk.context.json, `-c`) still takes precedence over cdk.json defaults read here.
   * @default - none
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /** @default - the CLI's output directory, or a temporary one */
  readonly outdir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly config: AppConfig;
  readonly data: DataStack;
  readonly api: ApiStack;
  /** The portal's CloudFront web ACL, in `portalWafRegion` (always in the app). */
  readonly portalWaf: PortalWafStack;
  /** The portal behind CloudFront: only once `portalWebAclArn` is set (the second phase of a deploy). */
  readonly portal: PortalStack | undefined;
}

export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const app = new App({
    // cdk.json's context applies outside the CLI too (tests), with the same feature flags.
    context: cdkJsonContext(),
    ...(options.context ? { postCliContext: { ...options.context } } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = readConfig(app);

  Tags.of(app).add('project', 'three-systems');

  // No `env`: environment-agnostic stacks synthesise offline, without credentials or lookups.
  const data = new DataStack(app, `${config.stackPrefix}-Data`, {
    description: 'Three enforcement systems: tables, evidence bucket (Object Lock), reports bucket, keys',
    evidenceRetentionYears: config.evidenceRetentionYears,
    checkpointRetentionYears: config.checkpointRetentionYears,
    terminationProtection: true,
  });
  const api = new ApiStack(app, `${config.stackPrefix}-Api`, {
    description: 'Three enforcement systems: REST API, functions, user pool, alerts',
    data,
    config,
  });
  // A CloudFront web ACL exists only in us-east-1 (cn-north-1 in China): this stack alone names a region.
  const portalWaf = new PortalWafStack(app, `${config.stackPrefix}-PortalWaf`, {
    description: 'Three enforcement systems: AWS WAF web ACL of the public portal (CloudFront scope)',
    env: { region: config.portalWafRegion },
    config,
  });
  // Environment-agnostic like Data and Api, so that it references the Api stack directly; it needs the
  // web ACL's ARN, which exists only after the PortalWaf stack is deployed (infra/README.md, Portal).
  const portal =
    config.portalWebAclArn === undefined
      ? undefined
      : new PortalStack(app, `${config.stackPrefix}-Portal`, {
          description: 'Three enforcement systems: public disclosure portal (CloudFront, portal function, assets bucket)',
          config,
          api,
          webAclArn: config.portalWebAclArn,
          evidenceBucket: data.evidenceBucket,
        });
  return { app, config, data, api, portalWaf, portal };
}

function cdkJsonContext(): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(cdkJson, 'utf8')) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}
