/**
 * What local mode needs for evidence beyond the embedded services: the manifest signing key (a P-256
 * key file standing in for the KMS key), the environment naming it and the device token endpoint, and
 * the subscription that makes s3rver deliver object-created events to this server, as S3 event
 * notifications invoke the seal function in AWS.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readOrCreate } from './files.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVICE_TOKEN_URL_ENV, LOCAL_DEVICE_SECRET_KEY_ENV } from '../shared/aws/device-clients.ts';
import { LOCAL_SIGNING_KEY_FILE_ENV } from '../shared/aws/signer.ts';
import { LOCAL_INBOX_FILE_ENV } from '../shared/aws/alerts.ts';

/** The signing key file, created (mode 0600) on first use; kept in the data dir so signatures survive restarts. */
export async function ensureSigningKey(dataDir: string | undefined): Promise<string> {
  const file = dataDir !== undefined ? join(dataDir, 'evidence-signing-key.pem') : join(tmpdir(), `three-systems-signing-${process.pid}.pem`);
  await readOrCreate(file, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  return file;
}

/** The local inbox where alert digests land (shared/aws/alerts.ts): in the data dir, or a temporary file. */
export const inboxFile = (dataDir: string | undefined): string => (dataDir !== undefined ? join(dataDir, 'inbox.jsonl') : join(tmpdir(), `three-systems-inbox-${process.pid}.jsonl`));

export function evidenceEnvironment(options: { signingKeyFile: string; deviceSecretKey: string; serverUrl: string; inboxFile: string }): Record<string, string> {
  return {
    [LOCAL_INBOX_FILE_ENV]: options.inboxFile,
    [LOCAL_SIGNING_KEY_FILE_ENV]: options.signingKeyFile,
    [LOCAL_DEVICE_SECRET_KEY_ENV]: options.deviceSecretKey,
    [DEVICE_TOKEN_URL_ENV]: `${options.serverUrl}/oauth2/token`,
  };
}

export const newEventToken = (): string => randomBytes(24).toString('base64url');

const SUBSCRIPTIONS = '/_local/event-subscriptions';

/** Asks s3rver (with the local extensions) to POST object-created events to `url`. */
export async function subscribeToS3Events(s3Endpoint: string, url: string, token: string): Promise<() => Promise<void>> {
  const res = await fetch(`${s3Endpoint}${SUBSCRIPTIONS}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, token }) });
  if (!res.ok) throw new Error(`s3rver refused the event subscription: HTTP ${res.status} ${await res.text()}`);
  return async () => {
    try {
      await fetch(`${s3Endpoint}${SUBSCRIPTIONS}`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
    } catch {
      // s3rver already stopped: nothing left to unsubscribe from.
    }
  };
}
