/**
 * AWS Signature Version 4 for the project's own DynamoDB client (dynamodb.ts): the signing the SDK does,
 * in ~60 lines of node:crypto instead of the SDK's signer and its dependency tree, which every function
 * would load at cold start (issue 13). Header signing only, for JSON-protocol services whose path is `/`.
 * Checked against AWS's published example and, for random requests, against @smithy/signature-v4.
 */
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignInput {
  readonly method: string;
  readonly host: string;
  /** Already URI-encoded; `/` for DynamoDB. */
  readonly path: string;
  /** The canonical query string (names and values encoded, sorted); empty for DynamoDB. */
  readonly query?: string;
  /** Header names in any case; `host` and `x-amz-date` are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly service: string;
  readonly region: string;
  readonly credentials: Credentials;
  readonly date: Date;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20150830T123600Z` */
export const amzDate = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

// One derived key per day, region and service (the SDK caches it the same way).
let cachedKey: { id: string; key: Buffer } | undefined;

export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  const id = `${secretAccessKey}\n${day}\n${region}\n${service}`;
  if (cachedKey?.id !== id) {
    cachedKey = { id, key: hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request') };
  }
  return cachedKey.key;
}

/** The request's headers with `host`, `x-amz-date`, the session token and `authorization` added (names lower-case). */
export function signRequest(input: SignInput): Record<string, string> {
  const stamp = amzDate(input.date);
  const day = stamp.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value.trim().replace(/\s+/g, ' ');
  headers.host = input.host;
  headers['x-amz-date'] = stamp;
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [input.method, input.path, input.query ?? '', ...names.map((n) => `${n}:${headers[n]}`), '', signedHeaders, sha256Hex(input.body)].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonical)].join('\n');
  const signature = createHmac('sha256', signingKey(input.credentials.secretAccessKey, day, input.region, input.service)).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
