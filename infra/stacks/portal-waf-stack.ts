/**
 * The portal's AWS WAF web ACL (issue 14). A web ACL for CloudFront (scope CLOUDFRONT) can only be
 * created in us-east-1 (cn-north-1 in the China partition), while the rest of the app is
 * environment-agnostic: so this stack alone is pinned to that region (`portalWafRegion`), and the portal
 * stack takes the web ACL's ARN as context (`portalWebAclArn`, this stack's `PortalWebAclArn` output).
 *
 * The rules are those of the API's firewall that apply to pages a browser asks for: a per-IP rate limit
 * (`wafRateLimitPer5Minutes`), Amazon's IP reputation list, the common rule set and the known-bad-inputs
 * rule set. Every request it evaluates is logged to a CloudWatch Logs group in this region (AWS WAF wants
 * `aws-waf-logs-` names), encrypted with this stack's own logs key and kept for `logRetentionDays`, as the
 * API's WAF logs are.
 */
import { ArnFormat, Aws, CfnOutput, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config.ts';
import { WAF_LOG_GROUP_PREFIX } from '../constructs/api-firewall.ts';
import { createLogsKey } from '../constructs/logs-key.ts';

export interface PortalWafStackProps extends StackProps {
  readonly config: AppConfig;
}

/** The rules of the portal's web ACL, by name (tests and the README name them). */
export const PORTAL_WAF_RULES = ['RateLimitPerIp', 'AWS-AWSManagedRulesAmazonIpReputationList', 'AWS-AWSManagedRulesCommonRuleSet', 'AWS-AWSManagedRulesKnownBadInputsRuleSet'] as const;

export class PortalWafStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;
  /** Where AWS WAF logs each request it evaluated. */
  readonly logGroup: logs.LogGroup;
  readonly logging: wafv2.CfnLoggingConfiguration;
  /** Encrypts the WAF log group. */
  readonly logsKey: kms.Key;

  constructor(scope: Construct, id: string, props: PortalWafStackProps) {
    super(scope, id, props);
    const { config } = props;
    const metricPrefix = `${config.stackPrefix}Portal`;
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${metricPrefix}${name}`,
    });
    const managed = (priority: number, name: string, scopeDownStatement?: wafv2.CfnWebACL.StatementProperty): wafv2.CfnWebACL.RuleProperty => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(scopeDownStatement ? { scopeDownStatement } : {}) } },
      visibilityConfig: visibility(name),
    });
    // The staff console's API calls (`/api/*`, forwarded to the API stage, issue 16) meet the API's own web
    // ACL there, whose common rule set lets spreadsheet imports past its 8 KB body limit; checked here too,
    // an import would be refused before it got there.
    const notTheApi: wafv2.CfnWebACL.StatementProperty = {
      notStatement: {
        statement: { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: '/api/', textTransformations: [{ priority: 0, type: 'NONE' }] } },
      },
    };

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Rate limit and managed rules for the three-systems public portal on CloudFront',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      customResponseBodies: {
        TooManyRequests: {
          contentType: 'TEXT_HTML',
          content:
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请求过于频繁</title><h1>请求过于频繁</h1><p>请稍后再试。</p></html>',
        },
      },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
          statement: { rateBasedStatement: { limit: config.wafRateLimitPer5Minutes, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        managed(1, 'AWSManagedRulesAmazonIpReputationList'),
        managed(2, 'AWSManagedRulesCommonRuleSet', notTheApi),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });

    this.logsKey = createLogsKey(this, 'LogsKey');
    (this.logsKey.node.defaultChild as kms.CfnKey).description = 'Encrypts the AWS WAF log group of the public portal (CloudFront web ACL)';

    // Kept when the stack goes (a security record); the stack's UUID ends the name, so that a retained
    // group never blocks re-creating the stack.
    this.logGroup = new logs.LogGroup(this, 'WafLogs', {
      logGroupName: Fn.join('', [`${WAF_LOG_GROUP_PREFIX}${this.stackName}-portal-`, Fn.select(2, Fn.split('/', Aws.STACK_ID))]),
      retention: config.logRetentionDays,
      encryptionKey: this.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logging = new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's ARN without the `:*` that CloudFormation's Arn attribute ends with.
      logDestinationConfigs: [this.formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      // The staff console's ID tokens (Authorization on `/api/*`) and any cookie are not ours to keep.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });

    new CfnOutput(this, 'PortalWebAclArn', {
      value: this.webAcl.attrArn,
      description: 'Pass to the portal stack: npx cdk deploy <prefix>-Portal -c portalWebAclArn=<this>',
    });
  }
}
