/**
 * The staff console in AWS (issue 16, point 7): served at `/console/` of the portal's CloudFront
 * distribution from the assets bucket (hashed files a year, the index.html shell for every other address,
 * revalidated), with its own CSP (its scripts, this origin, the Cognito domain), configured for Cognito's
 * hosted sign-in by the Api stack's user pool domain and app client, and calling the REST API through
 * `/api/*` of the same origin (no CORS preflight, which API Gateway cannot answer here).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX_CODE, CONSOLE_REWRITE_CODE, CONSOLE_SHELL_KEY } from '../../infra/stacks/portal-stack.ts';
import { SECURITY_HEADERS } from '../../shared/portal-headers.ts';
import { DUMMY_PORTAL_WEB_ACL_ARN, logicalId, SKIP_BUNDLING, synthesise } from './fixture.ts';
import type { SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;
let portal: Template;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING, portalWebAclArn: DUMMY_PORTAL_WEB_ACL_ARN });
  if (!built.portal) throw new Error('no Portal stack with portalWebAclArn set');
  portal = Template.fromStack(built.portal);
});

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const distributionConfig = (): Props => (Object.values(portal.findResources('AWS::CloudFront::Distribution'))[0] as { Properties: Props }).Properties.DistributionConfig as Props;
const behaviour = (pattern: string): Props => {
  const found = (distributionConfig().CacheBehaviors as Props[]).find((b) => b.PathPattern === pattern);
  if (!found) throw new Error(`no behaviour ${pattern}`);
  return found;
};
const originOf = (b: Props): Props => (distributionConfig().Origins as Props[]).find((o) => o.Id === b.TargetOriginId) as Props;

interface ViewerRequest {
  uri: string;
}
type ViewerResult = ViewerRequest | { statusCode: number; headers?: Record<string, { value: string }> };
/** Runs a CloudFront Function's code (plain ES5 with a `handler`) on a viewer request. */
const run = (code: string, uri: string): ViewerResult => {
  const handler = new Function(`${code}\nreturn handler;`)() as (event: { request: ViewerRequest }) => ViewerResult;
  return handler({ request: { uri } });
};

/** The files a BucketDeployment copies: the staged directories of its sources (Source.data), by key. */
function deployedFiles(deployment: Props): Map<string, string> {
  const files = new Map<string, string>();
  for (const zip of deployment.SourceObjectKeys as string[]) {
    const dir = join(built.app.outdir, `asset.${zip.replace(/\.zip$/, '')}`);
    const walk = (sub: string): void => {
      for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
        const rel = sub ? `${sub}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(rel);
        else files.set(rel, readFileSync(join(dir, rel), 'utf8'));
      }
    };
    if (existsSync(dir)) walk('');
  }
  return files;
}
const deployments = (): Props[] => Object.values(portal.findResources('Custom::CDKBucketDeployment')).map((d) => d.Properties as Props);

describe('/console* on the portal distribution', () => {
  it('comes from the assets bucket (the same origin and access control as /assets/*), HTTPS, GET/HEAD, cached by the files\' own Cache-Control', () => {
    const b = behaviour('/console*');
    expect(b.TargetOriginId).toBe(behaviour('/assets/*').TargetOriginId);
    expect(JSON.stringify(originOf(b).DomainName)).toContain(logicalId(built.portal!.assetsBucket));
    expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(b.AllowedMethods.sort()).toEqual(['GET', 'HEAD']);
    expect(b.CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6'); // CachingOptimized
    expect(b.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(built.portal!.consoleRewrite), 'FunctionARN'] } }]);
  });

  it('answers every console address with the shell and a hashed file as itself; /console goes to /console/', () => {
    const fn = Object.values(portal.findResources('AWS::CloudFront::Function'))
      .map((f) => f.Properties as Props)
      .find((f) => f.FunctionCode === CONSOLE_REWRITE_CODE);
    expect(fn?.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const shell = `/${CONSOLE_SHELL_KEY}`;
    expect(run(CONSOLE_REWRITE_CODE, '/console/')).toEqual({ uri: shell });
    expect(run(CONSOLE_REWRITE_CODE, '/console/cases/c-1')).toEqual({ uri: shell });
    expect(run(CONSOLE_REWRITE_CODE, '/console/sign-in')).toEqual({ uri: shell });
    expect(run(CONSOLE_REWRITE_CODE, '/console/assets/main-ABCD1234.js')).toEqual({ uri: '/console/assets/main-ABCD1234.js' });
    expect(run(CONSOLE_REWRITE_CODE, '/console')).toMatchObject({ statusCode: 301, headers: { location: { value: '/console/' } } });
    expect(run(CONSOLE_REWRITE_CODE, '/consoles.txt')).toMatchObject({ statusCode: 404 });
  });

  it("sends the portal's security headers with the console's CSP: its own scripts, and calls to this origin and the Cognito domain only", () => {
    const b = behaviour('/console*');
    expect(b.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(built.portal!.consoleHeadersPolicy) });
    const config = portal.findResources('AWS::CloudFront::ResponseHeadersPolicy')[logicalId(built.portal!.consoleHeadersPolicy)]?.Properties.ResponseHeadersPolicyConfig as Props;
    const security = config.SecurityHeadersConfig as Props;
    expect(security.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: SECURITY_HEADERS['referrer-policy'], Override: true });
    expect(config.CustomHeadersConfig.Items).toEqual([{ Header: 'Permissions-Policy', Value: SECURITY_HEADERS['permissions-policy'], Override: true }]);
    // connect-src names the user pool domain, a deploy-time value of the Api stack.
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' https://");
    expect(csp).toContain('.amazoncognito.com');
    expect(csp).toContain('UserPoolDomain');
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    // The evidence viewer's short-lived links: images and media from the evidence bucket's S3 origin only.
    expect(csp).toMatch(/img-src 'self' data: https:\/\/[^;]*EvidenceBucket/);
    expect(csp).toMatch(/media-src 'self' https:\/\/[^;]*EvidenceBucket/);
    expect(csp).toContain('RegionalDomainName');
  });
});

describe('the console in the assets bucket', () => {
  it('copies every hashed file under console/assets/ with a year-long immutable Cache-Control, never pruning', () => {
    const consoleAssets = [...built.portal!.console.assets.values()];
    expect(consoleAssets.length).toBeGreaterThan(3);
    for (const asset of consoleAssets) {
      const key = asset.path.slice(1);
      const d = deployments().find((x) => deployedFiles(x).has(key));
      expect(d, key).toBeDefined();
      expect(deployedFiles(d!).get(key)).toBe(asset.body.toString('utf8'));
      expect(d?.Prune).toBe(false);
      expect(d?.SystemMetadata).toMatchObject({ 'cache-control': 'public, max-age=31536000, immutable', 'content-type': asset.contentType });
    }
  });

  it('puts the shell at console/index.html, revalidated on every load, configured for Cognito sign-in and the API at /api', () => {
    const d = deployments().find((x) => deployedFiles(x).has(CONSOLE_SHELL_KEY));
    expect(d?.SystemMetadata).toMatchObject({ 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' });
    expect(d?.Prune).toBe(false);
    expect(d?.DestinationBucketName).toEqual({ Ref: logicalId(built.portal!.assetsBucket) });
    const html = deployedFiles(d!).get(CONSOLE_SHELL_KEY) ?? '';
    expect(html).toContain(`<script type="module" src="${built.portal!.console.script}"></script>`);
    expect(html).toContain('<meta name="console:api-url" content="/api">');
    expect(html).toContain('<meta name="console:auth" content="cognito">');
    expect(html).toContain(`<meta name="console:bureau" content="${built.config.bureauName}">`);
    // The domain and the app client are filled in at deploy time from the Api stack's exports.
    expect(html).toMatch(/<meta name="console:cognito-domain" content="https:\/\/<<marker:[^>]+>>\.auth\./);
    expect(html).toMatch(/<meta name="console:cognito-client-id" content="<<marker:[^>]+>>">/);
    const markers = JSON.stringify(d?.SourceMarkers);
    expect(markers).toContain('UserPoolDomain');
    expect(markers).toContain('ConsoleClient');
  });
});

describe('/api/* on the portal distribution (the console calls the API on its own origin)', () => {
  it('forwards every method to the REST API stage, uncached, with every viewer header but Host (Authorization reaches the authorizer)', () => {
    const b = behaviour('/api/*');
    expect(b.ViewerProtocolPolicy).toBe('https-only');
    expect(b.AllowedMethods.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(b.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
    expect(b.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // AllViewerExceptHostHeader
    const origin = originOf(b);
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
    expect(JSON.stringify(origin.DomainName)).toContain(logicalId(built.api.api));
    // The stage's own path (its name, the Api stack's export) before the API's paths.
    expect(origin.OriginPath).toEqual({ 'Fn::Join': ['', ['/', { 'Fn::ImportValue': expect.stringContaining('DeploymentStage') }]] });
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it('strips /api so that /api/cases reaches the stage as /cases', () => {
    const b = behaviour('/api/*');
    expect(b.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(built.portal!.apiPrefix), 'FunctionARN'] } }]);
    expect(run(API_PREFIX_CODE, '/api/cases')).toEqual({ uri: '/cases' });
    expect(run(API_PREFIX_CODE, '/api/cases/c-1/acts')).toEqual({ uri: '/cases/c-1/acts' });
    expect(run(API_PREFIX_CODE, '/api/')).toEqual({ uri: '/' });
  });

  it("leaves the API's requests to the API's own common rule set (spreadsheet imports exceed its 8 KB body limit)", () => {
    const waf = Template.fromStack(built.portalWaf);
    const acl = Object.values(waf.findResources('AWS::WAFv2::WebACL'))[0]?.Properties as Props;
    const common = (acl.Rules as Props[]).find((r) => r.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common?.Statement.ManagedRuleGroupStatement.ScopeDownStatement).toEqual({
      NotStatement: { Statement: { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/api/', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } } },
    });
    // The rate limit still counts every request of an address, pages and API calls alike.
    expect((acl.Rules as Props[]).find((r) => r.Name === 'RateLimitPerIp')?.Statement.RateBasedStatement.ScopeDownStatement).toBeUndefined();
  });

  it('outputs ConsoleUrl', () => {
    expect(JSON.stringify(Object.values(portal.findOutputs('ConsoleUrl'))[0]?.Value)).toContain('/console/');
  });
});
