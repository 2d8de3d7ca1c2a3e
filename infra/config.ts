/**
 * Deployment settings, read from CDK context: defaults in cdk.json, overridable with `-c key=value`.
 * Values given on the command line arrive as strings, so numbers are parsed here, and an invalid
 * value stops the synth with a message naming the key rather than deploying something surprising.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { configFrom } from '../shared/domain/config.ts';

export interface AppConfig {
  /** Name of the bureau that runs the system (shown in documents and notifications). */
  readonly bureauName: string;
  /**
   * Default Object Lock retention of evidence, in years, in COMPLIANCE mode. Nobody, not even the
   * account root, can delete or shorten it once an object is written: choose with the legal archive rules.
   */
  readonly evidenceRetentionYears: number;
  /**
   * Default Object Lock retention of the audit checkpoints' locked copies, in years, in COMPLIANCE mode
   * (issue 12): as long as anyone may need to check the audit trail they sign.
   */
  readonly checkpointRetentionYears: number;
  /** E-mail address subscribed to the alert topic; undefined for no subscription. */
  readonly alertEmail: string | undefined;
  /** Prefix of the stack names (`<prefix>-Data`, `<prefix>-Api`). */
  readonly stackPrefix: string;
  /** Steady-state requests per second for the whole API stage. */
  readonly apiThrottleRateLimit: number;
  /** Burst capacity of the stage's token bucket. */
  readonly apiThrottleBurstLimit: number;
  /** Requests one client IP may make in any 5-minute window before AWS WAF blocks it. */
  readonly wafRateLimitPer5Minutes: number;
  /** Retention of function logs, API access logs and AWS WAF logs. */
  readonly logRetentionDays: RetentionDays;
  /**
   * Reserved concurrency of the function behind the anonymous public routes: at most this many run at
   * once, and they are taken out of the account's pool, so a flood of public reads is throttled there
   * instead of starving the staff functions. Lambda keeps 100 of the account's concurrency unreserved:
   * the account's limit must be at least this plus 100.
   */
  readonly publicReservedConcurrency: number;
  /**
   * Prefix of the user pool's Cognito domain, `https://<prefix>.auth.<region>.amazoncognito.com`, where
   * field devices get their access tokens (`/oauth2/token`). Unique per region across all AWS accounts.
   */
  readonly authDomainPrefix: string;
  /**
   * Who receives the annual report when it is delivered (D13: the justice bureau and the superior
   * bureau): e-mail subscriptions to the alert topic that take only `kind = report-delivery` messages.
   */
  readonly reportRecipients: readonly string[];
  /**
   * The public portal's URL (issue 14), without a trailing slash: certificates' QR codes open
   * `<portalUrl>/verify/<certificateNo>`. Until the portal's CloudFront distribution sets it, the
   * placeholder DEFAULT_PORTAL_URL (an `.invalid` host: a QR code printed with it cannot be mistaken
   * for a working one).
   */
  readonly portalUrl: string;
  /**
   * Region of the portal's web ACL stack (`<prefix>-PortalWaf`): a CloudFront web ACL (scope CLOUDFRONT)
   * can only be created in us-east-1 (cn-north-1 in the China partition).
   */
  readonly portalWafRegion: string;
  /**
   * ARN of the CloudFront web ACL (the PortalWaf stack's `PortalWebAclArn` output). The portal stack
   * (`<prefix>-Portal`) is in the app only when it is set: the second phase of the deploy.
   */
  readonly portalWebAclArn: string | undefined;
  /**
   * The portal's own domain name and its ACM certificate (in the CloudFront region), both or neither;
   * undefined: the distribution's `*.cloudfront.net` name and certificate.
   */
  readonly portalDomain: { readonly domainName: string; readonly certificateArn: string } | undefined;
}

/** The placeholder portal URL of a deployment that has not set `portalUrl`. */
export const DEFAULT_PORTAL_URL = 'https://portal.example.invalid';

/** Context keys read here; their defaults live in one place, the `context` of cdk.json. */
type ContextKey =
  | 'bureauName'
  | 'evidenceRetentionYears'
  | 'checkpointRetentionYears'
  | 'alertEmail'
  | 'stackPrefix'
  | 'apiThrottleRateLimit'
  | 'apiThrottleBurstLimit'
  | 'wafRateLimitPer5Minutes'
  | 'logRetentionDays'
  | 'publicReservedConcurrency'
  | 'portalWafRegion';

/**
 * Optional context keys: absent or empty means the default derived here (it depends on other keys, so
 * it cannot be written in cdk.json).
 */
type OptionalContextKey = 'authDomainPrefix' | 'reportRecipients' | 'portalUrl' | 'portalWebAclArn' | 'portalDomainName' | 'portalCertificateArn';

/** A CloudFront web ACL's ARN: `arn:aws:wafv2:us-east-1:123456789012:global/webacl/<name>/<id>`. */
const WEB_ACL_ARN = /^arn:aws[-a-z]*:wafv2:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:global\/webacl\/[\w-]{1,128}\/[\w-]{1,128}$/;
/** An ACM certificate's ARN in a region CloudFront takes certificates from. */
const CLOUDFRONT_CERTIFICATE_ARN = /^arn:aws[-a-z]*:acm:(?:us-east-1|cn-north-1):\d{12}:certificate\/[\w-]{1,128}$/;
/** A DNS name of at least two labels, lower case (CloudFront alternate domain names). */
const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function readConfig(scope: Construct): AppConfig {
  const get = (key: ContextKey): unknown => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined) throw new ConfigError(`Context ${key} is not set (its default belongs in cdk.json)`);
    return value;
  };

  const bureauName = str(get('bureauName'), 'bureauName');
  if (bureauName === '') throw new ConfigError('Context bureauName must not be empty');

  const alertEmail = str(get('alertEmail'), 'alertEmail');
  if (alertEmail !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alertEmail)) {
    throw new ConfigError(`Context alertEmail is not an e-mail address: ${alertEmail}`);
  }

  const stackPrefix = str(get('stackPrefix'), 'stackPrefix');
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(stackPrefix)) {
    throw new ConfigError(`Context stackPrefix must be letters, digits and hyphens: ${stackPrefix}`);
  }

  const logRetentionDays = int(get('logRetentionDays'), 'logRetentionDays', 1, 3653);
  if (!(Object.values(RetentionDays) as unknown[]).includes(logRetentionDays)) {
    throw new ConfigError(`Context logRetentionDays must be a CloudWatch Logs retention value, got ${logRetentionDays}`);
  }

  const authDomainPrefix = readAuthDomainPrefix(scope.node.tryGetContext('authDomainPrefix' satisfies OptionalContextKey), stackPrefix);

  // Comma-separated e-mail addresses; absent or empty: none.
  const recipientsRaw = scope.node.tryGetContext('reportRecipients' satisfies OptionalContextKey) as unknown;
  const reportRecipients = typeof recipientsRaw === 'string' && recipientsRaw.trim() !== '' ? recipientsRaw.split(',').map((e) => e.trim()) : [];
  for (const e of reportRecipients) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) throw new ConfigError(`Context reportRecipients has an entry that is not an e-mail address: ${e}`);
  }

  // Absent or empty: the placeholder. Checked by the rule the functions apply to PORTAL_URL at start-up.
  const portalRaw = scope.node.tryGetContext('portalUrl' satisfies OptionalContextKey) as unknown;
  const portalUrl = portalRaw === undefined || (typeof portalRaw === 'string' && portalRaw.trim() === '') ? DEFAULT_PORTAL_URL : str(portalRaw, 'portalUrl');
  try {
    configFrom({ PORTAL_URL: portalUrl });
  } catch {
    throw new ConfigError(`Context portalUrl must be an http(s) URL without a trailing slash, query or fragment: ${portalUrl}`);
  }

  const portalWafRegion = str(get('portalWafRegion'), 'portalWafRegion');
  if (!/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(portalWafRegion)) {
    throw new ConfigError(`Context portalWafRegion must be an AWS region (us-east-1, or cn-north-1 in the China partition): ${portalWafRegion}`);
  }
  const optional = (key: OptionalContextKey): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined) return undefined;
    const s = str(value, key);
    return s === '' ? undefined : s;
  };
  const portalWebAclArn = optional('portalWebAclArn');
  if (portalWebAclArn !== undefined && !WEB_ACL_ARN.test(portalWebAclArn)) {
    throw new ConfigError(
      `Context portalWebAclArn must be a CloudFront web ACL ARN, arn:aws:wafv2:<region>:<account>:global/webacl/<name>/<id> (the PortalWebAclArn output of the PortalWaf stack): ${portalWebAclArn}`,
    );
  }
  const portalDomainName = optional('portalDomainName');
  const portalCertificateArn = optional('portalCertificateArn');
  if ((portalDomainName === undefined) !== (portalCertificateArn === undefined)) {
    throw new ConfigError('Context portalDomainName and portalCertificateArn go together: set both (the domain and its ACM certificate in us-east-1) or neither');
  }
  if (portalDomainName !== undefined && !DOMAIN_NAME.test(portalDomainName)) {
    throw new ConfigError(`Context portalDomainName must be a lower-case DNS name such as gongshi.example.gov.cn: ${portalDomainName}`);
  }
  if (portalCertificateArn !== undefined && !CLOUDFRONT_CERTIFICATE_ARN.test(portalCertificateArn)) {
    throw new ConfigError(`Context portalCertificateArn must be an ACM certificate ARN in us-east-1 (cn-north-1 in China), where CloudFront takes certificates from: ${portalCertificateArn}`);
  }

  const apiThrottleRateLimit = int(get('apiThrottleRateLimit'), 'apiThrottleRateLimit', 1, 10_000);
  const apiThrottleBurstLimit = int(get('apiThrottleBurstLimit'), 'apiThrottleBurstLimit', 1, 5_000);
  if (apiThrottleBurstLimit < apiThrottleRateLimit) {
    throw new ConfigError('Context apiThrottleBurstLimit must be at least apiThrottleRateLimit');
  }

  return {
    bureauName,
    // S3 Object Lock accepts up to 100 years.
    evidenceRetentionYears: int(get('evidenceRetentionYears'), 'evidenceRetentionYears', 1, 100),
    checkpointRetentionYears: int(get('checkpointRetentionYears'), 'checkpointRetentionYears', 1, 100),
    alertEmail: alertEmail === '' ? undefined : alertEmail,
    stackPrefix,
    apiThrottleRateLimit,
    apiThrottleBurstLimit,
    // AWS WAF rate-based rules accept 10 to 2,000,000,000.
    wafRateLimitPer5Minutes: int(get('wafRateLimitPer5Minutes'), 'wafRateLimitPer5Minutes', 10, 2_000_000_000),
    logRetentionDays: logRetentionDays as RetentionDays,
    // 0 would stop the function altogether; Lambda's default account limit is 1,000, 100 of it never reservable.
    publicReservedConcurrency: int(get('publicReservedConcurrency'), 'publicReservedConcurrency', 1, 900),
    authDomainPrefix,
    reportRecipients,
    portalUrl,
    portalWafRegion,
    portalWebAclArn,
    portalDomain: portalDomainName !== undefined && portalCertificateArn !== undefined ? { domainName: portalDomainName, certificateArn: portalCertificateArn } : undefined,
  };
}

/** The default Cognito domain prefix: the stack prefix in lower case, then `-auth` (`threesystems-auth`). */
export const defaultAuthDomainPrefix = (stackPrefix: string): string => `${stackPrefix.toLowerCase()}-auth`;

/**
 * Cognito's rules for a prefix domain: lower-case letters, digits and hyphens, 1 to 63 characters, not
 * starting or ending with a hyphen, and none of the reserved words `aws`, `amazon`, `cognito`.
 */
function readAuthDomainPrefix(value: unknown, stackPrefix: string): string {
  const given = value === undefined ? '' : str(value, 'authDomainPrefix');
  const prefix = given === '' ? defaultAuthDomainPrefix(stackPrefix) : given;
  const source = given === '' ? `the default derived from stackPrefix (${prefix}); set -c authDomainPrefix=...` : prefix;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new ConfigError(`Context authDomainPrefix must be 1-63 lower-case letters, digits and inner hyphens: ${source}`);
  }
  const reserved = ['aws', 'amazon', 'cognito'].find((word) => prefix.includes(word));
  if (reserved) throw new ConfigError(`Context authDomainPrefix must not contain "${reserved}" (reserved by Cognito): ${source}`);
  return prefix;
}

function str(value: unknown, key: string): string {
  if (typeof value !== 'string') throw new ConfigError(`Context ${key} must be a string`);
  return value.trim();
}

function int(value: unknown, key: string, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`Context ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}
