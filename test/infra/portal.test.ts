/**
 * The public portal behind CloudFront (issue 14 point 4): the PortalWaf stack (always, in the CloudFront
 * region) and the Portal stack (only with `portalWebAclArn`), as `cdk deploy` would deploy them.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssets } from '../../functions/portal/assets.ts';
import { buildApp } from '../../infra/build-app.ts';
import { ConfigError } from '../../infra/config.ts';
import { SECURITY_HEADERS } from '../../shared/portal-headers.ts';
import { actionsOf, DUMMY_PORTAL_WEB_ACL_ARN, logicalId, SKIP_BUNDLING, statementsOfRole, synthesise } from './fixture.ts';
import type { SynthesisedApp } from './fixture.ts';

let built: SynthesisedApp;
let portal: Template;
let waf: Template;

beforeAll(() => {
  built = synthesise({ ...SKIP_BUNDLING, portalWebAclArn: DUMMY_PORTAL_WEB_ACL_ARN });
  if (!built.portal) throw new Error('no Portal stack with portalWebAclArn set');
  portal = Template.fromStack(built.portal);
  waf = Template.fromStack(built.portalWaf);
});

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const only = (template: Template, type: string): Props => {
  const found = Object.values(template.findResources(type));
  expect(found.length, type).toBe(1);
  return (found[0] as { Properties: Props }).Properties;
};
const distributionConfig = (): Props => only(portal, 'AWS::CloudFront::Distribution').DistributionConfig as Props;

describe('the app without portalWebAclArn', () => {
  it('has Data, Api and PortalWaf, and no Portal stack', () => {
    const app = buildApp({ context: { ...SKIP_BUNDLING } });
    expect(app.portal).toBeUndefined();
    expect(app.app.node.children.map((c) => c.node.id).sort()).toEqual(['ThreeSystems-Api', 'ThreeSystems-Data', 'ThreeSystems-PortalWaf']);
  });
});

describe('PortalWaf stack', () => {
  it('is in the configured region (us-east-1 by default, -c portalWafRegion to change)', () => {
    expect(built.portalWaf.region).toBe('us-east-1');
    expect(buildApp({ context: { ...SKIP_BUNDLING, portalWafRegion: 'cn-north-1' } }).portalWaf.region).toBe('cn-north-1');
  });

  it('has a CLOUDFRONT web ACL with the IP rate limit, the common rule set and known bad inputs', () => {
    const acl = only(waf, 'AWS::WAFv2::WebACL');
    expect(acl.Scope).toBe('CLOUDFRONT');
    const rules = acl.Rules as Props[];
    const rate = rules.find((r) => r.Statement.RateBasedStatement);
    expect(rate?.Statement.RateBasedStatement).toMatchObject({ Limit: built.config.wafRateLimitPer5Minutes, AggregateKeyType: 'IP' });
    expect(rate?.Action.Block).toBeDefined();
    const managed = rules.map((r) => r.Statement.ManagedRuleGroupStatement?.Name).filter(Boolean);
    expect(managed).toEqual(expect.arrayContaining(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']));
  });

  it('logs to an encrypted aws-waf-logs- group with the configured retention', () => {
    const group = only(waf, 'AWS::Logs::LogGroup');
    expect(JSON.stringify(group.LogGroupName)).toContain('aws-waf-logs-');
    expect(group.RetentionInDays).toBe(built.config.logRetentionDays);
    expect(group.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(built.portalWaf.logsKey), 'Arn'] });
    const logging = only(waf, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging.ResourceArn).toEqual({ 'Fn::GetAtt': [logicalId(built.portalWaf.webAcl), 'Arn'] });
  });

  it('outputs PortalWebAclArn', () => {
    expect(waf.findOutputs('PortalWebAclArn')).not.toEqual({});
  });
});

describe('Portal stack: the distribution', () => {
  it('is behind the web ACL of the context ARN, HTTP/2 and 3, with access logs to the logs bucket', () => {
    const config = distributionConfig();
    expect(config.WebACLId).toBe(DUMMY_PORTAL_WEB_ACL_ARN);
    expect(config.HttpVersion).toBe('http2and3');
    expect(JSON.stringify(config.Logging.Bucket)).toContain(logicalId(built.portal!.logsBucket));
  });

  it('reaches the function and the bucket with origin access control (one of type lambda, one of type s3), the API stage over HTTPS', () => {
    const oacs = Object.values(portal.findResources('AWS::CloudFront::OriginAccessControl')).map((o) => o.Properties.OriginAccessControlConfig);
    expect(oacs.map((o) => o.OriginAccessControlOriginType).sort()).toEqual(['lambda', 's3']);
    for (const o of oacs) expect(o.SigningBehavior).toBe('always');
    const origins = distributionConfig().Origins as Props[];
    expect(origins.length).toBe(3);
    const [signed, api] = [origins.filter((o) => o.OriginAccessControlId !== undefined), origins.filter((o) => o.OriginAccessControlId === undefined)];
    expect(signed.length).toBe(2);
    // The REST API for the staff console (issue 16): its own authorizer, no origin access control.
    expect(api.length).toBe(1);
    expect(api[0]?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it('default behaviour: HTTPS, GET/HEAD only, compressed, the page cache policy (query strings in the key) and the origin-request policy without Host', () => {
    const config = distributionConfig();
    const behaviour = config.DefaultCacheBehavior as Props;
    expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behaviour.AllowedMethods.sort()).toEqual(['GET', 'HEAD']);
    expect(behaviour.Compress).toBe(true);
    expect(behaviour.CachePolicyId).toEqual({ Ref: logicalId(built.portal!.pageCachePolicy) });
    expect(behaviour.OriginRequestPolicyId).toEqual({ Ref: logicalId(built.portal!.pageOriginRequestPolicy) });
    const cache = only(portal, 'AWS::CloudFront::CachePolicy').CachePolicyConfig as Props;
    expect(cache).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 86400 });
    expect(cache.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      QueryStringsConfig: { QueryStringBehavior: 'all' },
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
    });
    const request = only(portal, 'AWS::CloudFront::OriginRequestPolicy').OriginRequestPolicyConfig as Props;
    expect(request).toMatchObject({ QueryStringsConfig: { QueryStringBehavior: 'all' }, CookiesConfig: { CookieBehavior: 'none' }, HeadersConfig: { HeaderBehavior: 'none' } });
    expect(JSON.stringify(request).toLowerCase()).not.toContain('host');
    const origin = (config.Origins as Props[]).find((o) => o.Id === behaviour.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain(logicalId(built.portal!.functionUrl));
  });

  it('/assets/* goes to the assets bucket with the caching-optimised policy', () => {
    const config = distributionConfig();
    const behaviours = config.CacheBehaviors as Props[];
    expect(behaviours.map((b) => b.PathPattern)).toEqual(['/assets/*', '/console*', '/api/*']);
    const assets = behaviours[0] as Props;
    expect(assets.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(assets.CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6'); // CachingOptimized
    const origin = (config.Origins as Props[]).find((o) => o.Id === assets.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain(logicalId(built.portal!.assetsBucket));
  });

  it('the headers of shared/portal-headers.ts on the pages, /assets/* and /api/* (the console has its own CSP, test/infra/console.test.ts)', () => {
    const policy = portal.findResources('AWS::CloudFront::ResponseHeadersPolicy')[logicalId(built.portal!.responseHeadersPolicy)]?.Properties.ResponseHeadersPolicyConfig as Props;
    const security = policy.SecurityHeadersConfig as Props;
    expect(security.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: SECURITY_HEADERS['content-security-policy'], Override: true });
    expect(security.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
    const config = distributionConfig();
    const ref = { Ref: logicalId(built.portal!.responseHeadersPolicy) };
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(ref);
    const byPattern = new Map((config.CacheBehaviors as Props[]).map((b) => [b.PathPattern as string, b]));
    expect(byPattern.get('/assets/*')?.ResponseHeadersPolicyId).toEqual(ref);
    expect(byPattern.get('/api/*')?.ResponseHeadersPolicyId).toEqual(ref);
  });

  it('uses the default *.cloudfront.net certificate without a custom domain, and the ACM certificate with TLS 1.2 with one', () => {
    expect(distributionConfig().Aliases).toBeUndefined();
    const withDomain = buildApp({
      context: {
        ...SKIP_BUNDLING,
        portalWebAclArn: DUMMY_PORTAL_WEB_ACL_ARN,
        portalDomainName: 'gongshi.example.gov.cn',
        portalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      },
    });
    const t = Template.fromStack(withDomain.portal!);
    const config = (Object.values(t.findResources('AWS::CloudFront::Distribution'))[0] as { Properties: Props }).Properties.DistributionConfig as Props;
    expect(config.Aliases).toEqual(['gongshi.example.gov.cn']);
    expect(config.ViewerCertificate).toMatchObject({ AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(Object.values(t.findOutputs('PortalUrl'))[0]?.Value).toBe('https://gongshi.example.gov.cn');
  });

  it('outputs PortalUrl (https://<distribution domain>) and PortalDistributionDomain', () => {
    const url = Object.values(portal.findOutputs('PortalUrl'))[0]?.Value;
    expect(JSON.stringify(url)).toContain('https://');
    expect(JSON.stringify(url)).toContain(logicalId(built.portal!.distribution));
    expect(Object.values(portal.findOutputs('PortalDistributionDomain'))[0]?.Value).toEqual({ 'Fn::GetAtt': [logicalId(built.portal!.distribution), 'DomainName'] });
  });
});

describe('Portal stack: the assets bucket', () => {
  it('blocks all public access, denies non-TLS requests, is versioned, SSE-S3, and logs to the logs bucket', () => {
    const id = logicalId(built.portal!.assetsBucket);
    const bucket = portal.findResources('AWS::S3::Bucket')[id]?.Properties as Props;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(built.portal!.logsBucket) });
    const policy = Object.values(portal.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket).includes(id));
    const statements = policy?.Properties.PolicyDocument.Statement as Props[];
    expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    // Only CloudFront, for this distribution, may read.
    const read = statements.find((s) => s.Effect === 'Allow' && JSON.stringify(s.Action).includes('s3:GetObject'));
    expect(read?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(JSON.stringify(read?.Condition)).toContain(logicalId(built.portal!.distribution));
  });

  it('the logs bucket keeps ACLs for CloudFront standard logging and expires logs after logRetentionDays', () => {
    const bucket = portal.findResources('AWS::S3::Bucket')[logicalId(built.portal!.logsBucket)]?.Properties as Props;
    expect(bucket.OwnershipControls.Rules[0].ObjectOwnership).toBe('BucketOwnerPreferred');
    expect(bucket.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(built.config.logRetentionDays);
  });

  it('the BucketDeployment carries the hashed stylesheet with a year-long immutable Cache-Control and its content type, never pruning', () => {
    const key = loadAssets().pathOf('portal.css').slice(1);
    const deployments = Object.values(portal.findResources('Custom::CDKBucketDeployment')).map((d) => d.Properties as Props);
    // Source.data stages a directory holding the file under its key; the deployment names its zip by the asset hash.
    const css = deployments.find((d) =>
      (d.SourceObjectKeys as string[]).some((zip) => existsSync(join(built.app.outdir, `asset.${zip.replace(/\.zip$/, '')}`, key))),
    );
    expect(css?.Prune).toBe(false);
    expect(css?.SystemMetadata).toMatchObject({ 'cache-control': 'public, max-age=31536000, immutable', 'content-type': 'text/css; charset=utf-8' });
    expect(css?.DestinationBucketName).toEqual({ Ref: logicalId(built.portal!.assetsBucket) });
  });
});

describe('Portal stack: the function', () => {
  it('has a function URL with AWS_IAM auth, invokable only by CloudFront for this distribution', () => {
    expect(only(portal, 'AWS::Lambda::Url').AuthType).toBe('AWS_IAM');
    const permissions = Object.values(portal.findResources('AWS::Lambda::Permission')).map((p) => p.Properties as Props);
    expect(permissions.length).toBeGreaterThan(0);
    for (const p of permissions) {
      expect(p.Principal).toBe('cloudfront.amazonaws.com');
      expect(JSON.stringify(p.SourceArn)).toContain(`:distribution/","{"Ref":"${logicalId(built.portal!.distribution)}"}`.replace('","{', '",{'));
    }
    expect(permissions.map((p) => p.Action).sort()).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
  });

  it('holds no permission on any table, bucket, key or secret', () => {
    const role = logicalId(built.portal!.portalFunction.role);
    const actions = statementsOfRole(portal, role).flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => /^(dynamodb|s3|kms|secretsmanager):/.test(a))).toEqual([]);
    const inline = portal.findResources('AWS::IAM::Role')[role]?.Properties.Policies;
    expect(inline).toBeUndefined();
  });

  it('PUBLIC_API_URL is the REST API stage URL, PORTAL_STYLESHEET the hashed stylesheet, BUREAU_NAME the configured bureau', () => {
    const fn = portal.findResources('AWS::Lambda::Function')[logicalId(built.portal!.portalFunction.function)]?.Properties as Props;
    const env = fn.Environment.Variables as Props;
    const api = JSON.stringify(env.PUBLIC_API_URL);
    expect(api).toContain(logicalId(built.api.api));
    expect(api).toContain('execute-api');
    expect(api).not.toMatch(/\/"\]\]\}$/);
    expect(env.PORTAL_STYLESHEET).toBe(loadAssets().pathOf('portal.css'));
    expect(env.BUREAU_NAME).toBe(built.config.bureauName);
    expect(fn.ReservedConcurrentExecutions).toBe(built.config.publicReservedConcurrency);
  });
});

describe('portal context values', () => {
  const synth = (context: Record<string, unknown>): unknown => buildApp({ context: { ...SKIP_BUNDLING, ...context } });

  it('an invalid portalWebAclArn stops the synth naming it', () => {
    for (const bad of ['arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/y', 'not-an-arn', 'arn:aws:wafv2:us-east-1:1234:global/webacl/x/y']) {
      expect(() => synth({ portalWebAclArn: bad })).toThrow(ConfigError);
      expect(() => synth({ portalWebAclArn: bad })).toThrow(/portalWebAclArn/);
    }
  });

  it('half a custom domain stops the synth: portalDomainName and portalCertificateArn go together', () => {
    expect(() => synth({ portalWebAclArn: DUMMY_PORTAL_WEB_ACL_ARN, portalDomainName: 'gongshi.example.gov.cn' })).toThrow(/portalDomainName and portalCertificateArn/);
    expect(() => synth({ portalWebAclArn: DUMMY_PORTAL_WEB_ACL_ARN, portalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' })).toThrow(/portalDomainName and portalCertificateArn/);
  });

  it('a certificate outside us-east-1 or a malformed domain stops the synth', () => {
    expect(() => synth({ portalDomainName: 'gongshi.example.gov.cn', portalCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' })).toThrow(/portalCertificateArn.*us-east-1/);
    expect(() => synth({ portalDomainName: 'Not A Domain', portalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' })).toThrow(/portalDomainName/);
  });

  it('an invalid portalWafRegion stops the synth', () => {
    expect(() => synth({ portalWafRegion: 'useast1' })).toThrow(/portalWafRegion/);
  });
});
