/**
 * The project's DynamoDB document client: the eight operations the store uses, over DynamoDB's JSON
 * protocol, signed with SigV4 (sigv4.ts), marshalled as lib-dynamodb does (dynamodb-codec.ts).
 *
 * Why not the SDK: the SDK v3 DynamoDB client and lib-dynamodb are ~200 KB minified and ~45 ms of import
 * in every function's cold start, more than all of the project's own code in most of them (issue 13).
 * This file is ~10 KB. Commands, inputs and outputs keep lib-dynamodb's names and types (imported as
 * types only), so the store reads the same; errors keep the SDK's names, `$metadata` and raw (marshalled)
 * fields such as `Item` and `CancellationReasons`; retries follow the SDK's standard mode (3 attempts,
 * full-jitter backoff from 100 ms, 500 ms for throttling, on throttling, 5xx and connection errors).
 * Each call is one X-Ray subsegment (tracing.ts). The SDK itself still serves local table creation.
 *
 * Configuration, read at the first call: the region from AWS_REGION (or AWS_DEFAULT_REGION); the endpoint
 * from AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL (local mode, tests), else the regional endpoint;
 * credentials from the environment, as Lambda provides them, unless a provider is installed with
 * {@link useCredentialProvider} (the command-line tools, with the operator's profile).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type {
  BatchGetCommandInput, BatchGetCommandOutput, BatchWriteCommandInput, BatchWriteCommandOutput, DeleteCommandInput,
  DeleteCommandOutput, GetCommandInput, GetCommandOutput, PutCommandInput, PutCommandOutput, QueryCommandInput,
  QueryCommandOutput, TransactWriteCommandInput, TransactWriteCommandOutput, UpdateCommandInput, UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type AttributeMap } from './dynamodb-codec.ts';
import { signRequest, type Credentials } from './sigv4.ts';
import { traceCall } from './tracing.ts';

// ---- commands -------------------------------------------------------------------------------------------

export type Operation = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'BatchGetItem' | 'BatchWriteItem' | 'TransactWriteItems';

abstract class Command<In, Out> {
  abstract readonly operation: Operation;
  declare readonly output: Out;
  constructor(readonly input: In) {}
}

export class GetCommand extends Command<GetCommandInput, GetCommandOutput> {
  readonly operation = 'GetItem';
}
export class PutCommand extends Command<PutCommandInput, PutCommandOutput> {
  readonly operation = 'PutItem';
}
export class UpdateCommand extends Command<UpdateCommandInput, UpdateCommandOutput> {
  readonly operation = 'UpdateItem';
}
export class DeleteCommand extends Command<DeleteCommandInput, DeleteCommandOutput> {
  readonly operation = 'DeleteItem';
}
export class QueryCommand extends Command<QueryCommandInput, QueryCommandOutput> {
  readonly operation = 'Query';
}
export class BatchGetCommand extends Command<BatchGetCommandInput, BatchGetCommandOutput> {
  readonly operation = 'BatchGetItem';
}
export class BatchWriteCommand extends Command<BatchWriteCommandInput, BatchWriteCommandOutput> {
  readonly operation = 'BatchWriteItem';
}
export class TransactWriteCommand extends Command<TransactWriteCommandInput, TransactWriteCommandOutput> {
  readonly operation = 'TransactWriteItems';
}

export type { BatchGetCommandOutput, TransactWriteCommandInput };

// ---- errors -----------------------------------------------------------------------------------------------

export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

/** An error DynamoDB answered (or the connection's), named as the SDK names it. */
export class DynamoDBServiceError extends Error {
  readonly $fault: 'client' | 'server';
  $metadata: ResponseMetadata;
  constructor(name: string, message: string, fault: 'client' | 'server', metadata: ResponseMetadata, fields: Record<string, unknown> = {}) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.$fault = fault;
    this.$metadata = metadata;
  }
}

export class ConditionalCheckFailedException extends DynamoDBServiceError {
  /** With ReturnValuesOnConditionCheckFailure: the item as stored, marshalled (as the SDK leaves it). */
  declare readonly Item?: AttributeMap;
}

export interface CancellationReason {
  Code?: string;
  Message?: string;
  Item?: AttributeMap;
}

export class TransactionCanceledException extends DynamoDBServiceError {
  declare readonly CancellationReasons?: CancellationReason[];
}

const ERROR_CLASSES: Record<string, typeof DynamoDBServiceError> = { ConditionalCheckFailedException, TransactionCanceledException };

// ---- marshalling per operation (the keys lib-dynamodb marshals) ------------------------------------------
// Done once per send: the retries of a call send the same body.

type Plain = Record<string, unknown>;
const mapOf = (v: unknown): AttributeMap | undefined => (v === undefined ? undefined : marshall(v as Plain));
const plainOf = (v: unknown): Plain | undefined => (v === undefined ? undefined : unmarshall(v as AttributeMap));

/** Key, Item, ExclusiveStartKey and ExpressionAttributeValues of one request (or transaction member). */
function marshallRequest(input: Plain): Plain {
  const out: Plain = { ...input };
  for (const field of ['Key', 'Item', 'ExclusiveStartKey', 'ExpressionAttributeValues'] as const) {
    if (input[field] !== undefined) out[field] = mapOf(input[field]);
  }
  return out;
}

function marshallInput(operation: Operation, input: Plain): Plain {
  switch (operation) {
    case 'BatchGetItem': {
      const requests = input.RequestItems as Record<string, Plain & { Keys: Plain[] }>;
      return { ...input, RequestItems: Object.fromEntries(Object.entries(requests).map(([t, r]) => [t, { ...r, Keys: r.Keys.map((k) => marshall(k)) }])) };
    }
    case 'BatchWriteItem': {
      const requests = input.RequestItems as Record<string, { PutRequest?: { Item: Plain }; DeleteRequest?: { Key: Plain } }[]>;
      return {
        ...input,
        RequestItems: Object.fromEntries(
          Object.entries(requests).map(([t, list]) => [
            t,
            list.map((w) => (w.PutRequest ? { PutRequest: { Item: marshall(w.PutRequest.Item) } } : { DeleteRequest: { Key: marshall(w.DeleteRequest?.Key ?? {}) } })),
          ]),
        ),
      };
    }
    case 'TransactWriteItems': {
      const items = input.TransactItems as Record<string, Plain | undefined>[];
      return {
        // As the SDK does (an idempotency token): a retry after a lost answer does not apply the writes twice.
        ClientRequestToken: randomUUID(),
        ...input,
        TransactItems: items.map((member) => Object.fromEntries(Object.entries(member).map(([kind, req]) => [kind, req === undefined ? req : marshallRequest(req)]))),
      };
    }
    default:
      return marshallRequest(input);
  }
}

function unmarshallOutput(operation: Operation, raw: Plain): Plain {
  const out: Plain = { ...raw };
  if (raw.Item !== undefined) out.Item = plainOf(raw.Item);
  if (raw.Attributes !== undefined) out.Attributes = plainOf(raw.Attributes);
  if (raw.LastEvaluatedKey !== undefined) out.LastEvaluatedKey = plainOf(raw.LastEvaluatedKey);
  if (Array.isArray(raw.Items)) out.Items = (raw.Items as AttributeMap[]).map((i) => unmarshall(i));
  if (operation === 'BatchGetItem') {
    const responses = (raw.Responses ?? {}) as Record<string, AttributeMap[]>;
    out.Responses = Object.fromEntries(Object.entries(responses).map(([t, list]) => [t, list.map((i) => unmarshall(i))]));
    const unprocessed = raw.UnprocessedKeys as Record<string, Plain & { Keys: AttributeMap[] }> | undefined;
    if (unprocessed) out.UnprocessedKeys = Object.fromEntries(Object.entries(unprocessed).map(([t, r]) => [t, { ...r, Keys: r.Keys.map((k) => unmarshall(k)) }]));
  }
  if (operation === 'BatchWriteItem' && raw.UnprocessedItems) {
    const unprocessed = raw.UnprocessedItems as Record<string, { PutRequest?: { Item: AttributeMap }; DeleteRequest?: { Key: AttributeMap } }[]>;
    out.UnprocessedItems = Object.fromEntries(
      Object.entries(unprocessed).map(([t, list]) => [
        t,
        list.map((w) => (w.PutRequest ? { PutRequest: { Item: unmarshall(w.PutRequest.Item) } } : { DeleteRequest: { Key: unmarshall(w.DeleteRequest?.Key ?? {}) } })),
      ]),
    );
  }
  return out;
}

// ---- configuration ----------------------------------------------------------------------------------------

export type CredentialProvider = () => Promise<Credentials & { expiration?: Date }>;

let provider: CredentialProvider | undefined;
let cached: (Credentials & { expiration?: Date }) | undefined;

/** Credentials from elsewhere than the environment (the command-line tools' profile chain); undefined restores the default. */
export function useCredentialProvider(p: CredentialProvider | undefined): void {
  provider = p;
  cached = undefined;
}

async function credentials(): Promise<Credentials> {
  if (!provider) {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new Error('DynamoDB: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
    const sessionToken = process.env.AWS_SESSION_TOKEN;
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  // Refreshed five minutes before they expire, as the SDK does.
  if (!cached || (cached.expiration && cached.expiration.getTime() - Date.now() < 300_000)) cached = await provider();
  return cached;
}

export function dynamoRegion(): string {
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('DynamoDB: AWS_REGION is not set');
  return region;
}

export function dynamoEndpoint(region: string): URL {
  const configured = process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env.AWS_ENDPOINT_URL;
  return new URL(configured || `https://dynamodb.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`);
}

// ---- transport -----------------------------------------------------------------------------------------------

interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

export type Transport = (url: URL, headers: Record<string, string>, body: string) => Promise<RawResponse>;

/**
 * node:http and node:https, taken at the first request and not imported: an ESM import of node:http
 * evaluates all its exports, one of which loads undici (~15 ms of every cold start, measured).
 * Keep-alive agents, as the SDK's handler: a cold start pays the TLS handshake once.
 */
let nodeHttp: { http: typeof import('node:http'); https: typeof import('node:https'); agents: { http: import('node:http').Agent; https: import('node:https').Agent } } | undefined;

function httpModules(): NonNullable<typeof nodeHttp> {
  if (!nodeHttp) {
    const http = process.getBuiltinModule('node:http');
    const https = process.getBuiltinModule('node:https');
    nodeHttp = { http, https, agents: { http: new http.Agent({ keepAlive: true, maxSockets: 50 }), https: new https.Agent({ keepAlive: true, maxSockets: 50 }) } };
  }
  return nodeHttp;
}

const nodeTransport: Transport = (url, headers, body) =>
  new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const { http, https, agents } = httpModules();
    const req = (secure ? https.request : http.request)(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: secure ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('DynamoDB request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });

let transport: Transport = nodeTransport;

/** Replaces the HTTP transport (unit tests); without an argument, restores it. */
export function setTransport(t?: Transport): void {
  transport = t ?? nodeTransport;
}

// ---- retries (the SDK's standard mode) -------------------------------------------------------------------------

const MAX_ATTEMPTS = 3;
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'ThrottlingException', 'Throttling', 'TooManyRequestsException',
  'TransactionInProgressException', 'RequestThrottled', 'RequestThrottledException', 'LimitExceededException',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

function errorFrom(response: RawResponse, attempts: number, totalRetryDelay: number): DynamoDBServiceError {
  let body: Plain = {};
  try {
    body = JSON.parse(response.body) as Plain;
  } catch {
    // a proxy's HTML, an empty 5xx: named by the status below
  }
  const type = String(body.__type ?? response.headers['x-amzn-errortype'] ?? '');
  const name = type.slice(type.lastIndexOf('#') + 1).split(':')[0] || (response.status >= 500 ? 'InternalServerError' : 'UnknownError');
  const { __type: _type, message, Message, ...fields } = body;
  const text = typeof message === 'string' ? message : typeof Message === 'string' ? Message : name;
  const metadata: ResponseMetadata = { httpStatusCode: response.status, requestId: header(response, 'x-amzn-requestid'), attempts, totalRetryDelay };
  const Class = ERROR_CLASSES[name] ?? DynamoDBServiceError;
  return new Class(name, text, response.status >= 500 ? 'server' : 'client', metadata, fields);
}

function header(response: RawResponse, name: string): string | undefined {
  const v = response.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function call(operation: Operation, body: Plain): Promise<{ output: Plain; metadata: ResponseMetadata }> {
  const region = dynamoRegion();
  const url = dynamoEndpoint(region);
  const payload = JSON.stringify(body);
  let totalRetryDelay = 0;
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    let retryable = false;
    let throttled = false;
    try {
      const headers = signRequest({
        method: 'POST',
        host: url.host,
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
        body: payload,
        service: 'dynamodb',
        region,
        credentials: await credentials(),
        date: new Date(),
      });
      const response = await transport(url, headers, payload);
      if (response.status === 200) {
        return { output: JSON.parse(response.body) as Plain, metadata: { httpStatusCode: 200, requestId: header(response, 'x-amzn-requestid'), attempts: attempt, totalRetryDelay } };
      }
      const error = errorFrom(response, attempt, totalRetryDelay);
      throttled = THROTTLING.has(error.name) || response.status === 429;
      retryable = throttled || TRANSIENT_STATUS.has(response.status);
      failure = error;
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      retryable = typeof code === 'string' && TRANSIENT_CODES.has(code);
      failure = e;
    }
    if (!retryable || attempt >= MAX_ATTEMPTS) {
      if (failure instanceof DynamoDBServiceError) failure.$metadata = { ...failure.$metadata, attempts: attempt, totalRetryDelay };
      throw failure;
    }
    const wait = Math.floor(Math.random() * Math.min(20_000, (throttled ? 500 : 100) * 2 ** (attempt - 1)));
    totalRetryDelay += wait;
    await delay(wait);
  }
}

// ---- the client ----------------------------------------------------------------------------------------------------

export interface CallContext {
  readonly operation: Operation;
  /** The command's input before marshalling; an interceptor may add to it (ReturnConsumedCapacity). */
  readonly input: Plain;
}
export type Interceptor = (context: CallContext, next: () => Promise<Plain>) => Promise<Plain>;

export class DocumentClient {
  private readonly interceptors = new Map<string, Interceptor>();

  /** Runs `fn` around every call from now on (benches, tests); the same name replaces. */
  intercept(name: string, fn: Interceptor): void {
    this.interceptors.set(name, fn);
  }

  async send<In extends object, Out extends object>(command: Command<In, Out>): Promise<Out> {
    const context: CallContext = { operation: command.operation, input: { ...(command.input as Plain) } };
    const run = async (): Promise<Plain> => {
      const { output, metadata } = await call(context.operation, marshallInput(context.operation, context.input));
      return { ...unmarshallOutput(context.operation, output), $metadata: metadata };
    };
    const chain = [...this.interceptors.values()].reduceRight<() => Promise<Plain>>((next, fn) => () => fn(context, next), run);
    return (await traceCall('DynamoDB', context.operation, dynamoRegion, chain)) as Out;
  }
}
