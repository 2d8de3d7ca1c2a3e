/**
 * Alerts in AWS: one SNS Publish per alert on the alert topic, with the rules SNS enforces on what it
 * receives (subject printable ASCII, no line breaks, fewer than 100 characters; whole message at most
 * 256 KiB) and the attributes subscriptions filter on. No network: the SNS client is mocked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { ALERT_TOPIC_ENV, digestAlert, LOCAL_INBOX_FILE_ENV, MAX_MESSAGE_BYTES, sendAlert } from '../../shared/aws/alerts.ts';
import type { Alert } from '../../shared/aws/alerts.ts';

const TOPIC = 'arn:aws-cn:sns:cn-north-1:123456789012:EnforcementAlerts';
const sns = mockClient(SNSClient);
const saved = { ...process.env };

beforeAll(() => {
  delete process.env[LOCAL_INBOX_FILE_ENV];
  Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', [ALERT_TOPIC_ENV]: TOPIC });
});
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterAll(() => {
  sns.restore();
  process.env = saved;
});

const alert = (over: Partial<Alert> = {}): Alert => ({
  subject: 'Evidence integrity failure (a-city): e-1',
  text: '执法证据完整性校验失败：e-1',
  agencyId: 'a-city',
  kind: 'evidence-integrity',
  ...over,
});

/** The one Publish input SNS received. */
function published(): PublishCommandInput {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input;
}

/** What SNS itself checks on a subject (InvalidParameter otherwise). */
const snsAcceptsSubject = (s: string): boolean => s.length > 0 && s.length < 100 && /^[\x20-\x7e]+$/.test(s) && /^[A-Za-z0-9\p{P}]/u.test(s);

describe('sendAlert in AWS: SNS Publish', () => {
  it('publishes to the alert topic with the agency and kind as String attributes for subscription filters', async () => {
    await sendAlert(alert());

    expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: 'Evidence integrity failure (a-city): e-1',
      Message: '执法证据完整性校验失败：e-1',
      MessageAttributes: {
        agencyId: { DataType: 'String', StringValue: 'a-city' },
        kind: { DataType: 'String', StringValue: 'evidence-integrity' },
      },
    });
  });

  it('sends a subject SNS accepts whatever it was given: no line breaks, ASCII only, fewer than 100 characters', async () => {
    await sendAlert(alert({ subject: `Audit chain integrity:\r\nCHAIN#执法局\t${'x'.repeat(200)}` }));

    const { Subject } = published();
    expect(Subject).toBeDefined();
    expect(snsAcceptsSubject(Subject!)).toBe(true);
    expect(Subject!.startsWith('Audit chain integrity: CHAIN#??? x')).toBe(true);
    expect(Subject).toHaveLength(99);
  });

  it('the deadline digest subject is accepted by SNS and the Chinese text goes in the body', async () => {
    const d = digestAlert({
      date: '2026-03-02',
      agencyId: '*',
      agencyName: '市司法局',
      counts: { PUBLICATION: 1 },
      items: [{ kind: 'PUBLICATION', state: 'OVERDUE', agencyId: '*', subjectId: 'c-1', dueDate: '2026-02-27', daysLeft: -3, text: '案件 c-1 的行政处罚决定应于 2026-02-27 前公示' }],
    });

    await sendAlert(d);

    const input = published();
    expect(input.Subject).toBe('Enforcement deadlines 2026-03-02 (bureau): 1 item(s)');
    expect(snsAcceptsSubject(input.Subject!)).toBe(true);
    expect(input.Message).toContain('案件 c-1 的行政处罚决定应于 2026-02-27 前公示');
    expect(input.MessageAttributes?.kind?.StringValue).toBe('deadline-digest');
    expect(input.MessageAttributes?.agencyId?.StringValue).toBe('*');
  });

  it('a text within the limit is sent unchanged', async () => {
    const text = '提'.repeat(Math.floor(MAX_MESSAGE_BYTES / 3));

    await sendAlert(alert({ text }));

    expect(published().Message).toBe(text);
  });

  it('a text over the 256 KiB limit is cut at a character boundary, says so, and still fits with its attributes', async () => {
    // 3 bytes per character in UTF-8: about 600 KB, more than twice what SNS takes.
    const text = '逾'.repeat(200_000);

    await sendAlert(alert({ text }));

    const input = published();
    const bytes = Buffer.byteLength(input.Message!, 'utf8');
    const attributeBytes = Object.entries(input.MessageAttributes ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.DataType ?? '') + Buffer.byteLength(v.StringValue ?? ''), 0);
    expect(bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(bytes + attributeBytes).toBeLessThanOrEqual(256 * 1024);
    expect(input.Message).toMatch(/^逾+\n\n（内容过长，已截断；完整内容见系统）$/);
    // No broken character: the text decodes to itself.
    expect(Buffer.from(input.Message!, 'utf8').toString('utf8')).toBe(input.Message);
  });

  it('lets SNS errors reach the caller (the job fails and is retried, the alert is not lost silently)', async () => {
    sns.on(PublishCommand).rejects(new AuthorizationErrorException({ message: 'not authorized to publish', $metadata: { httpStatusCode: 403 } }));

    await expect(sendAlert(alert())).rejects.toBeInstanceOf(AuthorizationErrorException);
  });

  it('names the missing topic variable instead of publishing nowhere', async () => {
    delete process.env[ALERT_TOPIC_ENV];
    try {
      await expect(sendAlert(alert())).rejects.toThrow(`Environment variable ${ALERT_TOPIC_ENV} is not set`);
      expect(sns).not.toHaveReceivedCommand(PublishCommand);
    } finally {
      process.env[ALERT_TOPIC_ENV] = TOPIC;
    }
  });
});
