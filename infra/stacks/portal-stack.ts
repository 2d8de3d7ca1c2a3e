/**
 * The public disclosure portal behind CloudFront (issue 14 point 4): pages rendered by the portal
 * function (functions/portal/handler.ts) through its function URL, and the content-hashed static files
 * (functions/portal/assets) from a private S3 bucket, both reached only by CloudFront with origin access
 * control; the web ACL of the PortalWaf stack (us-east-1) in front, one response headers policy with the
 * security headers the pages send (shared/portal-headers.ts), access logs to a logs bucket, TLS with the
 * default `*.cloudfront.net` certificate or the bureau's own domain and ACM certificate.
 *
 * The function reads everything through the public REST API of the Api stack (PUBLIC_API_URL): it holds
 * no permission on any table, bucket or key.
 *
 * The staff console (issue 16, point 7) is served from the same distribution: `/console/assets/*` from the
 * assets bucket (console/build.ts, built at synth), every other `/console/...` address the index.html
 * shell (a CloudFront Function rewrites the URI), with its own CSP (console/headers.ts). It calls the
 * REST API through `/api/*` of this distribution, forwarded to the API stage uncached: same origin, so
 * the browser sends no CORS preflight, which API Gateway could not answer (infra/README.md, CORS).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { buildConsoleSync, CONSOLE_BASE, type ConsoleBuild } from '../../console/build.ts';
import { consoleSecurityHeaders } from '../../console/headers.ts';
import { loadAssets } from '../../functions/portal/assets.ts';
import { SECURITY_HEADERS } from '../../shared/portal-headers.ts';
import type { AppConfig } from '../config.ts';
import { acknowledgeSingleRoleInlinePolicies } from '../constructs/inline-policies.ts';
import { createLogsKey } from '../constructs/logs-key.ts';
import { deadLettersAlarm, ObjectCreatedTrigger } from '../constructs/object-created-trigger.ts';
import { ProjectFunction } from '../constructs/project-function.ts';
import type { ApiStack } from './api-stack.ts';

/** The portal function's entry (not in shared/manifest.ts: no route of the API reaches it). */
export const PORTAL_ENTRY = 'functions/portal/handler.ts';
/** Where the hashed static files live in the bucket and under the distribution: `/assets/portal-<hash>.css`. */
export const ASSETS_PATH_PATTERN = '/assets/*';
/** Cache-Control of the hashed files: their name changes with their content. */
export const ASSET_CACHE_CONTROL = [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(Duration.days(365)), s3deploy.CacheControl.immutable()];
/** The staff console: its shell for every address under it, its hashed files under `/console/assets/`. */
export const CONSOLE_PATH_PATTERN = `${CONSOLE_BASE}*`;
/** The REST API on the portal's origin, for the console: `/api/cases` → `<stage URL>/cases`. */
export const API_PATH_PATTERN = '/api/*';
/** The console's API URL in AWS: a path on its own origin. */
export const CONSOLE_API_URL = '/api';
/** The shell's key in the assets bucket. */
export const CONSOLE_SHELL_KEY = `${CONSOLE_BASE.slice(1)}/index.html`;

/**
 * Viewer request of `/console*`: a hashed file as it is, `/console` to `/console/`, every other console
 * address (a page of the app: `/console/cases/…`, `/console/?code=…` after sign-in) the shell, which the
 * app routes in the browser; anything else under the prefix (`/consolex`) is not found.
 */
export const CONSOLE_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('${CONSOLE_BASE}/assets/') === 0) return request;
  if (uri === '${CONSOLE_BASE}') return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '${CONSOLE_BASE}/' } } };
  if (uri.indexOf('${CONSOLE_BASE}/') !== 0) return { statusCode: 404, statusDescription: 'Not Found' };
  request.uri = '/${CONSOLE_SHELL_KEY}';
  return request;
}
`;

/** Viewer request of `/api/*`: the stage's own path (`/api/cases` → `/cases`; the origin path adds the stage). */
export const API_PREFIX_CODE = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.substring(${CONSOLE_API_URL.length}) || '/';
  return request;
}
`;
export interface PortalStackProps extends StackProps {
  readonly config: AppConfig;
  /** The Api stack: the REST API the portal reads, the alert topic, the unexpected-async dead-letter queue. */
  readonly api: ApiStack;
  /** The CloudFront web ACL (the PortalWaf stack's output, passed as context). */
  readonly webAclArn: string;
  /**
   * The evidence bucket: the console's viewer shows photos, audio and video through short-lived links
   * to it (virtual-hosted, the SDK's default), which the console's CSP must allow.
   */
  readonly evidenceBucket?: s3.IBucket;
}

export class PortalStack extends Stack {
  readonly portalFunction: ProjectFunction;
  readonly functionUrl: lambda.FunctionUrl;
  readonly assetsBucket: s3.Bucket;
  /** Server access logs of the assets bucket (`assets/`) and CloudFront's standard logs (`cloudfront/`). */
  readonly logsBucket: s3.Bucket;
  readonly assetsDeployments: readonly s3deploy.BucketDeployment[];
  readonly distribution: cloudfront.Distribution;
  readonly pageCachePolicy: cloudfront.CachePolicy;
  readonly pageOriginRequestPolicy: cloudfront.OriginRequestPolicy;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The console's security headers: its CSP lets its own scripts run and call this origin and the Cognito domain. */
  readonly consoleHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  readonly consoleRewrite: cloudfront.Function;
  readonly apiPrefix: cloudfront.Function;
  /** The console as built at synth (its hashed files and its shell). */
  readonly console: ConsoleBuild;
  /** The shell's deployment (index.html, `no-cache`). */
  readonly consoleShellDeployment: s3deploy.BucketDeployment;
  /** Encrypts the portal function's and the asset deployment's log groups. */
  readonly logsKey: kms.Key;
  /** What CloudFormation could not deliver to the asset deployment's function (alarmed). */
  readonly deploymentDeadLetters: sqs.Queue;
  /** `https://<distribution domain>` or `https://<portalDomainName>`. */
  readonly portalUrl: string;

  constructor(scope: Construct, id: string, props: PortalStackProps) {
    super(scope, id, props);
    const { config, api } = props;
    const assets = loadAssets();
    this.console = buildConsoleSync();

    this.logsKey = createLogsKey(this, 'LogsKey');
    (this.logsKey.node.defaultChild as kms.CfnKey).description = 'Encrypts the CloudWatch Logs groups of the portal stack (portal function, asset deployment)';

    // The REST API's stage URL without the trailing slash that RestApi.url ends with: the portal appends `/public/...`.
    const publicApiUrl = `https://${api.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${api.api.deploymentStage.stageName}`;

    this.portalFunction = new ProjectFunction(this, 'PortalFunction', {
      entry: PORTAL_ENTRY,
      description: 'Public disclosure portal: HTML pages from the public API, behind CloudFront',
      serviceName: 'three-systems-portal',
      logRetention: config.logRetentionDays,
      logKey: this.logsKey,
      environment: {
        PUBLIC_API_URL: publicApiUrl,
        PORTAL_STYLESHEET: assets.pathOf('portal.css'),
        BUREAU_NAME: config.bureauName,
      },
      // Anonymous like the public routes: a flood of page views is throttled here, not in the staff functions.
      reservedConcurrency: config.publicReservedConcurrency,
      // Only CloudFront invokes it, synchronously: an asynchronous invocation that fails anyway is kept and alarmed.
      unexpectedAsyncDeadLetterQueue: api.unexpectedAsyncDeadLetters,
    });
    // No grant at all: the empty DataAccess policy that ProjectFunction prepares is never synthesised; take it
    // out of the tree so that no rule reviews a policy that does not exist.
    this.portalFunction.node.tryRemoveChild(this.portalFunction.dataPolicy.node.id);
    this.functionUrl = this.portalFunction.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      // S3 server access logs and CloudFront standard logs cannot be delivered to an SSE-KMS (customer key) bucket.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging writes with an ACL grant to its log-delivery account: ACLs must stay enabled.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [{ id: 'ExpireLogs', expiration: Duration.days(config.logRetentionDays), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.assetsBucket = new s3.Bucket(this, 'AssetsBucket', {
      // SSE-S3: CloudFront's origin access control reads SSE-KMS objects only if the key policy lets the
      // distribution decrypt; the files are public stylesheets, nothing to keep from anyone (infra/README.md).
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'assets/',
      // Rebuilt from the repository by any deploy.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deploymentDeadLetters = ObjectCreatedTrigger.deadLetterQueue(this, 'AssetsDeploymentDeadLetters');
    deadLettersAlarm(
      this.deploymentDeadLetters,
      this.deploymentDeadLetters,
      api.alertTopic,
      'CloudFormation\'s request to copy the portal\'s static files into the assets bucket failed after Lambda\'s retries: the event is in this queue. The stack operation reports the failure too; fix the cause and redeploy the portal stack.',
    );
    this.assetsDeployments = this.deployAssets(assets, config);
    this.consoleShellDeployment = this.deployConsoleShell(api, config);

    this.pageCachePolicy = new cloudfront.CachePolicy(this, 'PageCachePolicy', {
      comment: 'Portal pages: each page sends its own Cache-Control (lists 60 s, details 300 s, errors no-store); at most a day',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // No viewer header: a function URL answers 403 to a Host header that is not its own.
    this.pageOriginRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'PageOriginRequestPolicy', {
      comment: 'Portal pages: the query string (search filters, cursors), no cookies, no viewer headers',
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.none(),
    });
    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'The security headers of shared/portal-headers.ts on every portal response',
      securityHeadersBehavior: portalSecurityHeaders(),
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: SECURITY_HEADERS['permissions-policy'], override: true }],
      },
    });

    const domain = config.portalDomain;
    // One origin (and origin access control) for the bucket, shared by the portal's and the console's files.
    const assetsOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.assetsBucket);
    const common = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      compress: true,
      responseHeadersPolicy: this.responseHeadersPolicy,
    } as const;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${config.stackPrefix} public disclosure portal`,
      defaultBehavior: {
        ...common,
        origin: origins.FunctionUrlOrigin.withOriginAccessControl(this.functionUrl),
        cachePolicy: this.pageCachePolicy,
        originRequestPolicy: this.pageOriginRequestPolicy,
      },
      additionalBehaviors: {
        [ASSETS_PATH_PATTERN]: {
          ...common,
          origin: assetsOrigin,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        },
      },
      webAclId: props.webAclArn,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Citizens reach it from anywhere, most from Asia: every edge location.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableIpv6: true,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      ...(domain
        ? {
            domainNames: [domain.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.acknowledgeDistribution(domain === undefined);

    // The staff console (issue 16, point 7), on the portal's origin.
    const signInUrl = api.userPoolDomain.baseUrl();
    this.consoleHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleSecurityHeaders', {
      comment: 'Staff console: the portal security headers with the CSP of console/headers.ts',
      securityHeadersBehavior: securityHeadersBehaviour(
        consoleSecurityHeaders(CONSOLE_API_URL, signInUrl, props.evidenceBucket ? `https://${props.evidenceBucket.bucketRegionalDomainName}` : undefined),
      ),
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: SECURITY_HEADERS['permissions-policy'], override: true }],
      },
    });
    this.consoleRewrite = new cloudfront.Function(this, 'ConsoleRewrite', {
      comment: 'Staff console: every address but a hashed file is the index.html shell',
      code: cloudfront.FunctionCode.fromInline(CONSOLE_REWRITE_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    this.distribution.addBehavior(CONSOLE_PATH_PATTERN, assetsOrigin, {
      ...common,
      responseHeadersPolicy: this.consoleHeadersPolicy,
      // Hashed files a year, the shell revalidated (their Cache-Control); the query string (?code=…) stays in the browser.
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      functionAssociations: [{ function: this.consoleRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    });

    // The REST API for the console: same origin, so no CORS preflight (API Gateway has no OPTIONS methods).
    this.apiPrefix = new cloudfront.Function(this, 'ApiPrefix', {
      comment: 'Staff console API: /api/<path> to the stage\'s /<path>',
      code: cloudfront.FunctionCode.fromInline(API_PREFIX_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    this.distribution.addBehavior(
      API_PATH_PATTERN,
      new origins.HttpOrigin(`${api.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}`, {
        originPath: `/${api.api.deploymentStage.stageName}`,
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      }),
      {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        compress: true,
        // Nothing cached: every answer is the signed-in user's. All viewer headers but Host (API Gateway
        // answers only its own), so Authorization, Idempotency-Key and Content-Type reach the API.
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [{ function: this.apiPrefix, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
    );

    this.portalUrl = domain ? `https://${domain.domainName}` : `https://${this.distribution.distributionDomainName}`;
    acknowledgeSingleRoleInlinePolicies(this);

    new CfnOutput(this, 'PortalUrl', { value: this.portalUrl, description: 'The portal; redeploy the Api stack with -c portalUrl=<this> so that certificate QR codes open it' });
    new CfnOutput(this, 'ConsoleUrl', { value: `${this.portalUrl}${CONSOLE_BASE}/`, description: 'The staff console (Cognito hosted sign-in; the Api stack\'s portalUrl must be this origin)' });
    new CfnOutput(this, 'PortalDistributionDomain', { value: this.distribution.distributionDomainName, description: 'Point a CNAME (or Route 53 alias) of portalDomainName here' });
  }

  /**
   * The hashed files, one BucketDeployment per content type (a deployment sets one Content-Type on all
   * it copies). `prune: false`: pages cached before a deploy still name the old files, which stay.
   */
  private deployAssets(assets: ReturnType<typeof loadAssets>, config: AppConfig): s3deploy.BucketDeployment[] {
    // The deployment's function (a CDK-managed singleton per stack) gets its own role and an encrypted log group.
    const logGroup = new logs.LogGroup(this, 'AssetsDeploymentLogs', { retention: config.logRetentionDays, encryptionKey: this.logsKey });
    const role = new iam.Role(this, 'AssetsDeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the portal\'s static files from the CDK asset bucket into the assets bucket',
    });
    logGroup.grantWrite(role);
    this.deploymentDeadLetters.grantSendMessages(role);

    // The portal's files and the console's (`console/assets/…`): both hashed, kept a year. One staged
    // directory (one asset, one grant on the role) per content type: a source per file would add a grant
    // per file, and the console's chunks would soon overflow the role's policy.
    const byType = new Map<string, string>();
    for (const asset of [...assets.byPath.values(), ...this.console.assets.values()]) {
      let dir = byType.get(asset.contentType);
      if (dir === undefined) {
        dir = mkdtempSync(join(tmpdir(), 'portal-assets-'));
        byType.set(asset.contentType, dir);
      }
      const file = join(dir, asset.path.replace(/^\//, ''));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, asset.body);
    }
    const deployments = [...byType.entries()].map(
      ([contentType, dir]) =>
        new s3deploy.BucketDeployment(this, `Assets${pascalType(contentType)}`, {
          sources: [s3deploy.Source.asset(dir)],
          destinationBucket: this.assetsBucket,
          contentType,
          cacheControl: ASSET_CACHE_CONTROL,
          prune: false,
          role,
          logGroup,
        }),
    );

    this.deploymentRole = role;
    this.deploymentLogs = logGroup;
    acknowledgeDeploymentRole(role, this.assetsBucket);
    for (const bucket of [this.assetsBucket, this.logsBucket]) {
      Validations.of(bucket).acknowledge(
        {
          id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
          reason:
            bucket === this.assetsBucket
              ? 'The assets bucket holds only the portal\'s public stylesheet and scripts, rebuilt from the repository by every deploy; a replica would protect nothing that a redeploy does not restore.'
              : 'The portal\'s logs bucket holds CloudFront and S3 access logs kept for logRetentionDays in a single-region deployment; a replica region is a data-residency decision, as for the data stack\'s buckets.',
        },
        {
          id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
          reason:
            bucket === this.assetsBucket
              ? 'SSE-S3: CloudFront origin access control reads SSE-KMS objects only if the key policy lets the distribution decrypt, and these are public stylesheets and scripts with nothing confidential in them.'
              : 'S3 server access log delivery and CloudFront standard logging cannot write to a bucket encrypted with a customer-managed KMS key; SSE-S3, as for the data stack\'s access-log bucket.',
        },
      );
    }

    // CloudFormation invokes a custom resource's function asynchronously: what fails after Lambda's retries is kept.
    const handler = this.node.children.find((c): c is lambda.Function => c instanceof lambda.Function && c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('The BucketDeployment function was not found in the portal stack');
    (handler.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: this.deploymentDeadLetters.queueArn };
    Validations.of(handler).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'CDK\'s BucketDeployment function only copies the portal\'s static files from the CDK asset bucket to the assets bucket through the S3 API over TLS with IAM; there is no VPC resource to reach, and a VPC would need S3 endpoints for the same calls.',
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          'CDK\'s BucketDeployment function runs only when CloudFormation deploys this stack, once per deployment of the static files; nothing else can invoke it, so there is no load to bound with reserved concurrency.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'CDK\'s BucketDeployment function is a CDK-managed singleton whose Python runtime aws-cdk-lib pins with its handler code and moves with each aws-cdk-lib upgrade; it runs only during deployments and touches only the CDK asset bucket and the assets bucket.',
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason:
          'CDK\'s BucketDeployment function is a CDK-managed singleton whose Python runtime aws-cdk-lib pins with its handler code and moves with each aws-cdk-lib upgrade; it runs only during deployments and touches only the CDK asset bucket and the assets bucket.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason:
          'CDK\'s BucketDeployment function copies files once per deployment, called by CloudFormation and calling only S3; its log group records each run and CloudFormation reports its outcome, and X-Ray traces of a deploy-time copy would show nothing to act on.',
      },
    );
    return deployments;
  }

  private deploymentRole?: iam.Role;
  private deploymentLogs?: logs.LogGroup;

  /**
   * The console's shell at `console/index.html`, `no-cache` (it names the current hashed files): the API
   * at `/api` of this origin, the Cognito domain and the console's app client from the Api stack.
   */
  private deployConsoleShell(api: ApiStack, config: AppConfig): s3deploy.BucketDeployment {
    if (!this.deploymentRole || !this.deploymentLogs) throw new Error('deployAssets must run before deployConsoleShell');
    const html = this.console.shell({
      apiUrl: CONSOLE_API_URL,
      bureauName: config.bureauName,
      auth: 'cognito',
      cognito: { domainUrl: api.userPoolDomain.baseUrl(), clientId: api.consoleClient.userPoolClientId },
    });
    return new s3deploy.BucketDeployment(this, 'ConsoleShell', {
      sources: [s3deploy.Source.data(CONSOLE_SHELL_KEY, html)],
      destinationBucket: this.assetsBucket,
      contentType: 'text/html; charset=utf-8',
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: false,
      role: this.deploymentRole,
      logGroup: this.deploymentLogs,
    });
  }

  private acknowledgeDistribution(defaultCertificate: boolean): void {
    const acks: { id: string; reason: string }[] = [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: public disclosure (D1-D5, D14) is for everyone, wherever they read it from (a business abroad checking a penalty, a citizen travelling); AWS WAF rate-limits and filters every request instead.',
      },
    ];
    if (defaultCertificate) {
      acks.push({
        id: 'AwsSolutions-CFR4',
        reason:
          'Until the bureau sets portalDomainName and portalCertificateArn, the distribution uses the default *.cloudfront.net certificate, with which CloudFront allows TLSv1 for old clients; with the bureau\'s own certificate the minimum is TLSv1.2_2021.',
      });
    }
    Validations.of(this.distribution).acknowledge(...acks);
  }
}

/**
 * The BucketDeployment's role: CDK's grants read the CDK asset bucket (`s3:GetObject*`, `s3:GetBucket*`,
 * `s3:List*` on it and its objects) and write the assets bucket (plus `s3:DeleteObject*`, `s3:Abort*`);
 * nothing else in the account.
 */
function acknowledgeDeploymentRole(role: iam.Role, assetsBucket: s3.IBucket): void {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error('The asset deployment role has no default policy');
  const scope =
    'the role of CDK\'s BucketDeployment function, used only during deployments: CDK\'s grants read the CDK asset bucket (the zip of the static files) and write the portal\'s assets bucket, nothing else in the account.';
  const bucketId = Stack.of(role).resolve((assetsBucket.node.defaultChild as s3.CfnBucket).logicalId) as string;
  Validations.of(policy).acknowledge(
    ...[
      ...['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', 'Action::s3:Abort*', 'Action::s3:DeleteObject*'].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: `The action group of aws-cdk-lib's S3 read and read-write grants, as CDK writes them, for ${scope}`,
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: `The objects of the CDK bootstrap asset bucket, whose key (the asset hash) is known only at deploy time, for ${scope}`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        reason: `The objects of the assets bucket, named by content hash, which the deployment writes, for ${scope}`,
      },
    ],
  );
}

/** CloudFront's security headers from the values the pages send, so the two cannot differ. */
export function portalSecurityHeaders(): cloudfront.ResponseSecurityHeadersBehavior {
  return securityHeadersBehaviour(SECURITY_HEADERS);
}

/** CloudFront's security headers from a set of header values (the portal's, or the console's with its CSP). */
export function securityHeadersBehaviour(headers: Readonly<Record<string, string>>): cloudfront.ResponseSecurityHeadersBehavior {
  const csp = headers['content-security-policy'];
  if (!csp) throw new Error('content-security-policy missing');
  const hsts = /^max-age=(\d+)(; includeSubDomains)?$/.exec(headers['strict-transport-security'] ?? '');
  if (!hsts) throw new Error(`Unexpected strict-transport-security header: ${headers['strict-transport-security']}`);
  const frame = headers['x-frame-options'] as string;
  const frameOption = ({ DENY: cloudfront.HeadersFrameOption.DENY, SAMEORIGIN: cloudfront.HeadersFrameOption.SAMEORIGIN } as Record<string, cloudfront.HeadersFrameOption>)[frame];
  if (!frameOption) throw new Error(`Unexpected x-frame-options header: ${frame}`);
  const referrer = headers['referrer-policy'] as string;
  const referrerPolicy = Object.values(cloudfront.HeadersReferrerPolicy).find((p) => p === referrer);
  if (!referrerPolicy) throw new Error(`Unexpected referrer-policy header: ${referrer}`);
  if (headers['x-content-type-options'] !== 'nosniff') throw new Error('x-content-type-options must be nosniff');
  return {
    contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
    strictTransportSecurity: { accessControlMaxAge: Duration.seconds(Number(hsts[1])), includeSubdomains: hsts[2] !== undefined, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption, override: true },
    referrerPolicy: { referrerPolicy, override: true },
  };
}

/** `text/css; charset=utf-8` → `Css` (construct ids). */
const pascalType = (contentType: string): string =>
  (contentType.split(';')[0] ?? contentType)
    .split(/[/+.-]/)
    .slice(1)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
