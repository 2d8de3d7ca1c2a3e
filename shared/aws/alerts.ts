/**
 * Where alert digests go. In AWS: the alert topic (SNS, `ALERT_TOPIC_ARN`), one message per agency
 * digest, with the agency as a message attribute so a subscription can filter on it. In local mode and
 * the tests: the local inbox (`LOCAL_INBOX_FILE`, one JSON line per digest), which `GET /local/inbox`
 * shows; the same digests either way.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SNSClient } from '@aws-sdk/client-sns';
import { digestText } from '../domain/deadlines.ts';
import type { Digest } from '../domain/deadlines.ts';
import { requireEnv } from './env.ts';
import { traceClient } from './tracing.ts';

export const ALERT_TOPIC_ENV = 'ALERT_TOPIC_ARN';
export const LOCAL_INBOX_FILE_ENV = 'LOCAL_INBOX_FILE';

export interface Alert {
  /** ASCII subject (SNS refuses other characters there); the Chinese text is in the body. */
  readonly subject: string;
  readonly text: string;
  readonly agencyId: string;
  /** `report-delivery` goes to the report's recipients too (subscriptions filter on it). */
  readonly kind: 'deadline-digest' | 'holiday-data' | 'report-draft' | 'report-delivery' | 'evidence-integrity' | 'audit-integrity';
  readonly digest?: Digest;
}

// The SNS SDK is loaded with the first alert sent: most invocations send none (issue 13).
let sns: Promise<{ client: SNSClient; sdk: typeof import('@aws-sdk/client-sns') }> | undefined;

/** SNS refuses a whole message over 256 KiB (body and attributes); this leaves room for the attributes. */
export const MAX_MESSAGE_BYTES = 256 * 1024 - 1024;
const TRUNCATED_NOTE = '\n\n（内容过长，已截断；完整内容见系统）';

/**
 * The subject SNS accepts: printable ASCII only, no line breaks, fewer than 100 characters. Anything else
 * would make SNS refuse the whole alert, so line breaks become spaces and other characters `?`.
 */
export function snsSubject(subject: string): string {
  return subject
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim()
    .slice(0, 99);
}

/** The text cut at a character boundary to fit {@link MAX_MESSAGE_BYTES}, saying that it was cut. */
export function snsMessage(text: string): string {
  if (Buffer.byteLength(text, 'utf8') <= MAX_MESSAGE_BYTES) return text;
  let budget = MAX_MESSAGE_BYTES - Buffer.byteLength(TRUNCATED_NOTE, 'utf8');
  let cut = '';
  for (const ch of text) {
    budget -= Buffer.byteLength(ch, 'utf8');
    if (budget < 0) break;
    cut += ch;
  }
  return cut + TRUNCATED_NOTE;
}

export async function sendAlert(alert: Alert): Promise<void> {
  const inbox = process.env[LOCAL_INBOX_FILE_ENV];
  if (inbox) {
    await mkdir(dirname(inbox), { recursive: true });
    await appendFile(inbox, JSON.stringify({ at: new Date().toISOString(), ...alert }) + '\n', { mode: 0o600 });
    return;
  }
  sns ??= import('@aws-sdk/client-sns').then((sdk) => ({ client: traceClient(new sdk.SNSClient({ maxAttempts: 3 })), sdk }));
  const { client, sdk } = await sns;
  await client.send(
    new sdk.PublishCommand({
      TopicArn: requireEnv(ALERT_TOPIC_ENV),
      Subject: snsSubject(alert.subject),
      Message: snsMessage(alert.text),
      MessageAttributes: {
        agencyId: { DataType: 'String', StringValue: alert.agencyId },
        kind: { DataType: 'String', StringValue: alert.kind },
      },
    }),
  );
}

export const digestAlert = (d: Digest): Alert => ({
  subject: `Enforcement deadlines ${d.date} (${d.agencyId === '*' ? 'bureau' : d.agencyId}): ${d.items.length} item(s)`,
  text: digestText(d),
  agencyId: d.agencyId,
  kind: 'deadline-digest',
  digest: d,
});
