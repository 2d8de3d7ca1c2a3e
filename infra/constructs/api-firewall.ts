/**
 * AWS WAF in front of the REST API stage: a per-IP rate limit (the public disclosure routes are
 * anonymous), Amazon's IP reputation list, and the common and known-bad-inputs rule sets. Every request
 * it sees is logged to a CloudWatch Logs group (WAF requires the name to start with `aws-waf-logs-`),
 * with the Authorization and Cookie headers redacted, kept for the configured retention.
 */
import { ArnFormat, Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The prefix AWS WAF requires of a log group it delivers to. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

export interface ApiFirewallProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Requests one IP may make in any 5-minute window before it is blocked for a while. */
  readonly rateLimitPer5Minutes: number;
  /** Prefix of the CloudWatch metric names. */
  readonly metricPrefix: string;
  /** Retention of the WAF log group. */
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the WAF log group (the stack's logs key). */
  readonly logKey: kms.IKey;
}

export class ApiFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  /** Where AWS WAF logs each request it evaluated. */
  readonly logGroup: logs.LogGroup;
  readonly logging: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}${name}`,
    });
    const managed = (priority: number, name: string, scopeDownStatement?: wafv2.CfnWebACL.StatementProperty) => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(scopeDownStatement ? { scopeDownStatement } : {}),
        },
      },
      visibilityConfig: visibility(name),
    });

    // Spreadsheet imports (POST .../import) are binary bodies larger than the common rule set's 8 KB
    // body limit, and their bytes look like anything to its XSS patterns; they are authenticated
    // admin routes, parsed and validated by the function.
    const notAnImport: wafv2.CfnWebACL.StatementProperty = {
      notStatement: {
        statement: {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: 'ENDS_WITH',
            searchString: '/import',
            textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
          },
        },
      },
    };

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'Rate limit and managed rules for the three-systems API',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      customResponseBodies: {
        TooManyRequests: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ error: { code: 'TOO_MANY_REQUESTS', message: '请求过于频繁，请稍后再试' } }),
        },
      },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPer5Minutes,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        managed(1, 'AWSManagedRulesAmazonIpReputationList'),
        managed(2, 'AWSManagedRulesCommonRuleSet', notAnImport),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // Kept when the stack goes (a security record); the stack's UUID ends the name, so that a retained
    // group never blocks re-creating the stack.
    const stack = Stack.of(this);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: Fn.join('', [`${WAF_LOG_GROUP_PREFIX}${stack.stackName}-api-`, Fn.select(2, Fn.split('/', Aws.STACK_ID))]),
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the `:*` that CloudFormation's Arn attribute ends with.
      logDestinationConfigs: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      // Staff ID tokens and device access tokens travel in Authorization: never into a log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
  }
}
