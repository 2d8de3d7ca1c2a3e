/**
 * The project's DynamoDB client (shared/aws/dynamodb.ts, sigv4.ts, dynamodb-codec.ts), held to what the
 * SDK does: signatures equal to AWS's published example and to @smithy/signature-v4's, marshalling equal
 * to @aws-sdk/util-dynamodb's with the options the project used, and the wire requests, errors and
 * retries DynamoDB's JSON protocol defines, answered by a fake transport (no network).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { marshall as sdkMarshall, unmarshall as sdkUnmarshall } from '@aws-sdk/util-dynamodb';
import { marshall, unmarshall } from '../../shared/aws/dynamodb-codec.ts';
import { signRequest, signingKey } from '../../shared/aws/sigv4.ts';
import {
  BatchGetCommand, ConditionalCheckFailedException, DocumentClient, DynamoDBServiceError, GetCommand, PutCommand, QueryCommand,
  TransactionCanceledException, TransactWriteCommand, UpdateCommand, dynamoEndpoint, setTransport, useCredentialProvider, type Transport,
} from '../../shared/aws/dynamodb.ts';
import { DAEMON_HEADER, setTraceSender } from '../../shared/aws/tracing.ts';

const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('SigV4 (sigv4.ts)', () => {
  it("matches AWS's published example (IAM ListUsers, 2015-08-30)", () => {
    expect(signingKey(EXAMPLE_SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    const headers = signRequest({
      method: 'GET',
      host: 'iam.amazonaws.com',
      path: '/',
      query: 'Action=ListUsers&Version=2010-05-08',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: '',
      service: 'iam',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: EXAMPLE_SECRET },
      date: new Date('2015-08-30T12:36:00Z'),
    });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('signs every DynamoDB request as @smithy/signature-v4 does (property)', async () => {
    const sha256 = class {
      private readonly h;
      constructor(secret?: unknown) {
        this.h = secret ? createHmac('sha256', secret as Uint8Array | string) : createHash('sha256');
      }
      update(data: Uint8Array | string) {
        this.h.update(data);
      }
      digest() {
        return Promise.resolve(new Uint8Array(this.h.digest()));
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body: fc.string({ unit: 'binary', maxLength: 300 }),
          operation: fc.constantFrom('GetItem', 'Query', 'TransactWriteItems'),
          region: fc.constantFrom('cn-north-1', 'cn-northwest-1', 'us-east-1'),
          token: fc.option(fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(...'abcXYZ0123+/=') }), { nil: undefined }),
          time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        }),
        async ({ body, operation, region, token, time }) => {
          const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/key+1', ...(token ? { sessionToken: token } : {}) };
          const host = `dynamodb.${region}.amazonaws.com`;
          const date = new Date(Math.floor(time / 1000) * 1000);
          const base = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` };
          const ours = signRequest({ method: 'POST', host, path: '/', headers: base, body, service: 'dynamodb', region, credentials, date });
          const signer = new SignatureV4({ credentials, region, service: 'dynamodb', sha256, applyChecksum: false });
          const theirs = await signer.sign(
            { method: 'POST', protocol: 'https:', hostname: host, path: '/', headers: { ...base, host }, body, query: {} },
            { signingDate: date },
          );
          expect(ours.authorization).toBe(theirs.headers.authorization);
        },
      ),
      { numRuns: 60 },
    );
  });
});

// JSON-like values as the store writes them, with the odd cases: undefined members, empty strings, nulls, deep nesting, sets.
const plainValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
    fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 3 }).map((a) => new Set(a)),
    fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 3 }).map((a) => new Set(a)),
  ),
})).value;
const item = fc.dictionary(fc.string({ maxLength: 8 }), plainValue, { maxKeys: 6 });

describe('marshalling (dynamodb-codec.ts)', () => {
  it("marshals and unmarshals exactly as util-dynamodb with the project's old options (property)", () => {
    fc.assert(
      fc.property(item, (value) => {
        const ours = marshall(value);
        expect(ours).toEqual(sdkMarshall(value, { removeUndefinedValues: true, convertEmptyValues: false }));
        expect(unmarshall(ours)).toEqual(sdkUnmarshall(ours as never));
      }),
      { numRuns: 300 },
    );
  });

  it('bytes travel as base64 and come back as bytes', () => {
    const stored = marshall({ b: new Uint8Array([0, 255, 7]) });
    expect(stored).toEqual({ b: { B: 'AP8H' } });
    expect(unmarshall(stored).b).toEqual(new Uint8Array([0, 255, 7]));
  });

  it('refuses what DynamoDB cannot hold instead of storing something else', () => {
    expect(() => marshall({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => marshall({ n: 2 ** 60 })).toThrow(/MAX_SAFE_INTEGER/);
    expect(() => sdkMarshall({ n: 2 ** 60 })).toThrow(/MAX_SAFE_INTEGER/);
    expect(() => marshall({ d: new Date(0) })).toThrow(/Unsupported type/);
    expect(() => marshall({ s: new Set() })).toThrow(/empty set/);
    expect(() => unmarshall({ n: { N: '12345678901234567890' } })).toThrow(/safe integer/);
  });
});

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const REQUEST_ID = 'Q1ZEXAMPLEREQUESTID0000000000000000000000000000000A';

describe('the document client (dynamodb.ts)', () => {
  let sent: Sent[];
  const env = { ...process.env };

  /** Answers in order (the last repeats); a string answer is a connection error with that code. */
  function answer(...answers: ({ status: number; body: unknown } | string)[]): void {
    setTransport((async (url, headers, body) => {
      sent.push({ url: url.toString(), headers, body: JSON.parse(body) as Record<string, unknown> });
      const a = answers[Math.min(sent.length - 1, answers.length - 1)];
      if (a === undefined) throw new Error('no answer given');
      if (typeof a === 'string') throw Object.assign(new Error('socket hang up'), { code: a });
      return { status: a.status, headers: { 'x-amzn-requestid': REQUEST_ID }, body: JSON.stringify(a.body) };
    }) satisfies Transport);
  }
  const fault = (status: number, type: string, fields: Record<string, unknown> = {}) => ({
    status,
    body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'The conditional request failed', ...fields },
  });

  beforeEach(() => {
    sent = [];
    process.env.AWS_REGION = 'cn-north-1';
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLAMBDA';
    process.env.AWS_SECRET_ACCESS_KEY = 'lambda-secret';
    process.env.AWS_SESSION_TOKEN = 'lambda-session-token';
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    delete process.env.AWS_ENDPOINT_URL;
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => {
    process.env = { ...env };
    setTransport();
    useCredentialProvider(undefined);
    setTraceSender();
    vi.restoreAllMocks();
  });

  it('sends a GetItem to the regional endpoint, signed with the session token, and unmarshals the item', async () => {
    answer({ status: 200, body: { Item: { pk: { S: 'CASE#1' }, n: { N: '3' }, tags: { L: [{ S: 'a' }] } } } });
    const out = await new DocumentClient().send(new GetCommand({ TableName: 'Cases', Key: { pk: 'CASE#1', sk: 'CASE' }, ConsistentRead: true }));
    expect(out.Item).toEqual({ pk: 'CASE#1', n: 3, tags: ['a'] });
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, requestId: REQUEST_ID, attempts: 1 });
    expect(sent[0]?.url).toBe('https://dynamodb.cn-north-1.amazonaws.com.cn/');
    expect(sent[0]?.body).toEqual({ TableName: 'Cases', Key: { pk: { S: 'CASE#1' }, sk: { S: 'CASE' } }, ConsistentRead: true });
    expect(sent[0]?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(sent[0]?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(sent[0]?.headers['x-amz-security-token']).toBe('lambda-session-token');
    expect(sent[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLAMBDA\/\d{8}\/cn-north-1\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it('uses the configured endpoint (local mode) and the global endpoint outside China', async () => {
    process.env.AWS_REGION = 'us-east-1';
    expect(dynamoEndpoint('us-east-1').toString()).toBe('https://dynamodb.us-east-1.amazonaws.com/');
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:8123';
    answer({ status: 200, body: {} });
    const out = await new DocumentClient().send(new GetCommand({ TableName: 'Cases', Key: { pk: 'x', sk: 'y' } }));
    expect(out.Item).toBeUndefined();
    expect(sent[0]?.url).toBe('http://127.0.0.1:8123/');
  });

  it('marshals every key, item and value of a query, a transaction and a batch, and unmarshals their answers', async () => {
    const client = new DocumentClient();
    answer({ status: 200, body: { Items: [{ a: { N: '1' } }], Count: 1, ScannedCount: 2, LastEvaluatedKey: { pk: { S: 'p' }, sk: { S: 's' } } } });
    const q = await client.send(
      new QueryCommand({ TableName: 'T', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'p', ':n': 2 }, ExclusiveStartKey: { pk: 'p', sk: 'r' } }),
    );
    expect(q).toMatchObject({ Items: [{ a: 1 }], Count: 1, ScannedCount: 2, LastEvaluatedKey: { pk: 'p', sk: 's' } });
    expect(sent[0]?.body).toMatchObject({ ExpressionAttributeValues: { ':pk': { S: 'p' }, ':n': { N: '2' } }, ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 'r' } } });

    answer({ status: 200, body: {} });
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'T', Item: { pk: 'a', skip: undefined, list: [1, undefined, 'x'] }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: 'T', Key: { pk: 'b' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { deep: true } } } },
          { ConditionCheck: { TableName: 'T', Key: { pk: 'c' }, ConditionExpression: 'attribute_exists(pk)' } },
          { Delete: { TableName: 'T', Key: { pk: 'd' } } },
        ],
      }),
    );
    expect(sent[1]?.headers['x-amz-target']).toBe('DynamoDB_20120810.TransactWriteItems');
    // An idempotency token, as the SDK adds: a retry after a lost answer is not applied twice.
    expect(sent[1]?.body.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]?.body).toEqual({
      ClientRequestToken: sent[1]?.body.ClientRequestToken,
      TransactItems: [
        { Put: { TableName: 'T', Item: { pk: { S: 'a' }, list: { L: [{ N: '1' }, { S: 'x' }] } }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: 'T', Key: { pk: { S: 'b' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { M: { deep: { BOOL: true } } } } } },
        { ConditionCheck: { TableName: 'T', Key: { pk: { S: 'c' } }, ConditionExpression: 'attribute_exists(pk)' } },
        { Delete: { TableName: 'T', Key: { pk: { S: 'd' } } } },
      ],
    });

    answer({ status: 200, body: { Responses: { T: [{ pk: { S: 'a' } }] }, UnprocessedKeys: { T: { Keys: [{ pk: { S: 'b' } }], ConsistentRead: true } } } });
    const b = await client.send(new BatchGetCommand({ RequestItems: { T: { Keys: [{ pk: 'a' }, { pk: 'b' }], ConsistentRead: true } } }));
    expect(sent[2]?.body).toEqual({ RequestItems: { T: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }], ConsistentRead: true } } });
    expect(b.Responses).toEqual({ T: [{ pk: 'a' }] });
    expect(b.UnprocessedKeys).toEqual({ T: { Keys: [{ pk: 'b' }], ConsistentRead: true } });
  });

  it('a failed condition is a ConditionalCheckFailedException carrying the stored item as DynamoDB sent it', async () => {
    answer(fault(400, 'ConditionalCheckFailedException', { Item: { state: { S: 'COMPLETED' } } }));
    const error = await new DocumentClient()
      .send(new PutCommand({ TableName: 'T', Item: { pk: 'a' }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', $fault: 'client', Item: { state: { S: 'COMPLETED' } } });
    expect((error as DynamoDBServiceError).$metadata).toMatchObject({ httpStatusCode: 400, requestId: REQUEST_ID, attempts: 1 });
    expect(sent).toHaveLength(1);
  });

  it("a cancelled transaction is a TransactionCanceledException with each member's reason", async () => {
    answer({
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }],
      },
    });
    const error = await new DocumentClient().send(new TransactWriteCommand({ TransactItems: [] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect((error as Error).message).toMatch(/^Transaction cancelled/);
  });

  it('retries throttling, 5xx and dropped connections up to three attempts, then answers', async () => {
    answer(fault(400, 'ProvisionedThroughputExceededException'), 'ECONNRESET', { status: 200, body: { Attributes: { v: { N: '2' } } } });
    const out = await new DocumentClient().send(new UpdateCommand({ TableName: 'T', Key: { pk: 'a' }, UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'ALL_NEW' }));
    expect(out.Attributes).toEqual({ v: 2 });
    expect(out.$metadata.attempts).toBe(3);
    expect(sent).toHaveLength(3);
    // Each attempt signed afresh, the same body.
    expect(new Set(sent.map((s) => JSON.stringify(s.body))).size).toBe(1);

    // A transaction's retry carries the first attempt's idempotency token.
    sent = [];
    answer('ECONNRESET', { status: 200, body: {} });
    await new DocumentClient().send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'T', Item: { pk: 'a' } } }] }));
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body.ClientRequestToken).toBe(sent[0]?.body.ClientRequestToken);

    sent = [];
    answer(fault(500, 'InternalServerError'));
    const error = await new DocumentClient().send(new GetCommand({ TableName: 'T', Key: { pk: 'a' } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 3 } });
    expect(sent).toHaveLength(3);
  });

  it('does not retry what a retry cannot fix: validation errors and conditions', async () => {
    answer(fault(400, 'ValidationException'));
    const error = await new DocumentClient().send(new GetCommand({ TableName: 'T', Key: { pk: 'a' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoDBServiceError);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { attempts: 1 } });
    expect(sent).toHaveLength(1);
  });

  it('without credentials it refuses, naming the variables; a provider (the CLI) supplies them instead', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    answer({ status: 200, body: {} });
    await expect(new DocumentClient().send(new GetCommand({ TableName: 'T', Key: { pk: 'a' } }))).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
    expect(sent).toHaveLength(0);
    useCredentialProvider(async () => ({ accessKeyId: 'AKIDPROFILE', secretAccessKey: 's' }));
    await new DocumentClient().send(new GetCommand({ TableName: 'T', Key: { pk: 'a' } }));
    expect(sent[0]?.headers.authorization).toContain('Credential=AKIDPROFILE/');
    expect(sent[0]?.headers['x-amz-security-token']).toBeUndefined();
  });

  it('an interceptor sees each call and may add to its input; each call is one X-Ray subsegment', async () => {
    const datagrams: string[] = [];
    setTraceSender((d) => datagrams.push(d));
    process.env.AWS_XRAY_DAEMON_ADDRESS = '169.254.79.129:2000';
    process.env._X_AMZN_TRACE_ID = 'Root=1-67a0b1c2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';
    const client = new DocumentClient();
    const seen: string[] = [];
    client.intercept('capacity', async ({ operation, input }, next) => {
      seen.push(operation);
      input.ReturnConsumedCapacity = 'TOTAL';
      return next();
    });
    answer({ status: 200, body: { Items: [], Count: 0, ScannedCount: 0 } });
    await client.send(new QueryCommand({ TableName: 'secret-table', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': '张三' } }));
    expect(seen).toEqual(['Query']);
    expect(sent[0]?.body.ReturnConsumedCapacity).toBe('TOTAL');
    expect(datagrams).toHaveLength(1);
    const [head, doc] = (datagrams[0] ?? '').split('\n');
    expect(head).toBe(DAEMON_HEADER);
    expect(JSON.parse(doc ?? '{}')).toMatchObject({ name: 'DynamoDB', namespace: 'aws', aws: { operation: 'Query', region: 'cn-north-1', request_id: REQUEST_ID, retries: 0 }, http: { response: { status: 200 } } });
    // Nothing of the request in the trace.
    expect(datagrams[0]).not.toMatch(/secret-table|张三/);
  });
});
