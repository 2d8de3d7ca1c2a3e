/**
 * The secret that signs pagination cursors (shared/domain/cursor.ts), loaded once per process, lazily,
 * the first time a cursor is read or handed out (a function that never pages never fetches it):
 * - in AWS: the Secrets Manager secret named by CURSOR_SECRET_ENV (its ARN; the CDK stack generates the
 *   value and grants `secretsmanager:GetSecretValue` on it only to the functions that serve paged routes);
 * - locally: the file named by LOCAL_CURSOR_SECRET_FILE_ENV, created once in the data directory by
 *   local/services.ts (the integration tests' global setup gets one the same way).
 *
 * GetSecretValue is one JSON POST per cold start, so it is sent with fetch and Signature Version 4
 * (node:crypto) rather than through @aws-sdk/client-secrets-manager, which the project does not depend
 * on. Credentials and region are those the process's DynamoDB client resolved (the SDK's default chain:
 * the execution role in Lambda, the operator's profile for command-line tools).
 */
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { cursorCodec, type CursorCodec } from '../domain/cursor.ts';
import { documentClient } from './clients.ts';
import { requireEnv } from './env.ts';

/** ARN (or name) of the Secrets Manager secret. Pinned against infra/constructs/cursor-access.ts by test/infra. */
export const CURSOR_SECRET_ENV = 'CURSOR_SECRET_ARN';
export const LOCAL_CURSOR_SECRET_FILE_ENV = 'LOCAL_CURSOR_SECRET_FILE';
/** The SDK's variable for a service endpoint, honoured here as the SDK clients do (tests, VPC endpoints). */
export const SECRETS_MANAGER_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_SECRETS_MANAGER';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SignedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * A POST to the root path of an AWS JSON-protocol endpoint, signed with Signature Version 4
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
export function signJsonPost(options: {
  readonly endpoint: string;
  readonly region: string;
  readonly service: string;
  readonly target: string;
  readonly body: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
}): SignedRequest {
  const url = new URL(options.endpoint);
  const amzDate = options.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': options.target,
    ...(options.credentials.sessionToken ? { 'x-amz-security-token': options.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', url.pathname || '/', '', ...names.map((n) => `${n}:${headers[n]}`), '', signedHeaders, sha256Hex(options.body)].join('\n');
  const scope = `${date}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, date), options.region), options.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return {
    url: url.toString(),
    headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}` },
    body: options.body,
  };
}

/** Secrets Manager's regional endpoint (China regions are under amazonaws.com.cn). */
export function secretsManagerEndpoint(region: string): string {
  return process.env[SECRETS_MANAGER_ENDPOINT_ENV] ?? `https://secretsmanager.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

async function fetchSecretString(secretId: string): Promise<string> {
  const config = documentClient().config;
  const [region, credentials] = await Promise.all([config.region(), config.credentials()]);
  const request = signJsonPost({
    endpoint: secretsManagerEndpoint(region),
    region,
    service: 'secretsmanager',
    target: 'secretsmanager.GetSecretValue',
    body: JSON.stringify({ SecretId: secretId }),
    credentials,
    now: new Date(),
  });
  const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (!res.ok) {
    // The error type only (e.g. AccessDeniedException), never the body's other fields.
    let type = '';
    try {
      type = String((JSON.parse(text) as { __type?: unknown }).__type ?? '');
    } catch {
      // not JSON
    }
    throw new Error(`Secrets Manager GetSecretValue failed: HTTP ${res.status} ${type}`.trim());
  }
  const secret = (JSON.parse(text) as { SecretString?: unknown }).SecretString;
  if (typeof secret !== 'string') throw new Error('Secrets Manager returned no SecretString for the cursor secret');
  return secret;
}

async function loadSecret(): Promise<string> {
  const localFile = process.env[LOCAL_CURSOR_SECRET_FILE_ENV];
  if (localFile) return (await readFile(localFile, 'utf8')).trim();
  return fetchSecretString(requireEnv(CURSOR_SECRET_ENV));
}

let codec: Promise<CursorCodec> | undefined;

/** The process's cursor codec; the secret is fetched on the first call and kept (a failed fetch is retried on the next). */
export function cursors(): Promise<CursorCodec> {
  if (!codec) {
    const loading = loadSecret().then(cursorCodec);
    codec = loading;
    loading.catch(() => {
      if (codec === loading) codec = undefined;
    });
  }
  return codec;
}

/** Forgets the loaded secret (tests). */
export function resetCursorSecret(): void {
  codec = undefined;
}
