/**
 * The IAM actions behind `publishesAlerts` in shared/manifest.ts, and the variable the runtime reads the
 * alert topic's ARN from. Kept apart from the construct so that the mapping can be read on one screen.
 *
 * The variable name must match the runtime's (`ALERT_TOPIC_ENV` in shared/aws/alerts.ts); infra does not
 * import that module (it loads the AWS SDK), so test/infra/alerts.test.ts pins the name against it.
 */

/** ARN of the alert topic: `ALERT_TOPIC_ENV` in shared/aws/alerts.ts. */
export const ALERT_TOPIC_ENV = 'ALERT_TOPIC_ARN';

/** What shared/aws/alerts.ts calls (PublishCommand), on the alert topic only. */
export const PUBLISH_ACTIONS = ['sns:Publish'] as const;

/**
 * What a publisher needs on the key of an encrypted (SSE-KMS) topic for SNS to encrypt its message on its
 * behalf: a data key, and Decrypt for the data key SNS caches and reuses (up to 5 minutes). AWS documents
 * `kms:GenerateDataKey*`; SNS calls `GenerateDataKey` only (it needs the plaintext key), so the action is
 * named exactly. Granted only through SNS (`kms:ViaService`) and only for this topic's messages (the
 * encryption context SNS sends, `aws:sns:topicArn`).
 */
export const PUBLISHER_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/** The encryption context key SNS puts on every KMS call it makes for a topic: the topic's ARN. */
export const SNS_TOPIC_ENCRYPTION_CONTEXT = 'kms:EncryptionContext:aws:sns:topicArn';
