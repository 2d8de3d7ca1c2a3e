/**
 * The customer-managed key that encrypts every CloudWatch Logs group of the API stack (functions, API
 * access logs, workflow executions, WAF): log lines carry officer ids, case ids and request metadata, and
 * a key policy is a second gate beside IAM, as for the tables and buckets. CloudWatch Logs uses the key
 * only for log groups of this account and region (`kms:EncryptionContext:aws:logs:arn`); the vended
 * deliveries (Step Functions, WAF) write through CloudWatch Logs, which does the encrypting.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** What CloudWatch Logs needs on a log group's key (AWS's documented key policy for log-group encryption). */
export const LOGS_KEY_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'] as const;

export function createLogsKey(scope: Construct, id: string): kms.Key {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, id, {
    description: 'Encrypts the CloudWatch Logs groups of the API stack (functions, API access, workflows, WAF)',
    enableKeyRotation: true,
    // Retained log groups (workflows, WAF) stay readable after the stack is gone.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
      actions: [...LOGS_KEY_ACTIONS],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }),
  );
  return key;
}
