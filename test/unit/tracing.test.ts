/**
 * X-Ray subsegments for AWS calls (shared/aws/tracing.ts): REAL SDK clients, with their whole middleware
 * stack (serialisation, signing, retries, deserialisation), answered by a fake request handler, and the
 * daemon datagrams captured by an injected sender. No network, no socket.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpResponse } from '@smithy/core/protocols';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DAEMON_HEADER, parseDaemonAddress, parseTraceHeader, setTraceSender, traceClient, traced } from '../../shared/aws/tracing.ts';

const ROOT = '1-67a0b1c2-0123456789abcdef01234567';
const PARENT = '53995c3f42cd8ad8';
const HEADER = `Root=${ROOT};Parent=${PARENT};Sampled=1;Lineage=a87bd80c:0`;
const DAEMON = '169.254.79.129:2000';
const REQUEST_ID = 'RQ1D0000000000000000000000000000000000000000000000AB';

// Parameter values that must never leave the function.
const TABLE = 'secret-table-name-7f3a';
const CASE_ID = 'CASE#personal-4711-张三';
const BUCKET = 'evidence-bucket-9c1e';
const OBJECT_KEY = 'evidence/personal-4711/张三-recording.mp4';

interface Answer {
  status: number;
  body?: unknown;
  /** Instead of DynamoDB's (`x-amzn-requestid`, JSON). */
  headers?: Record<string, string>;
}

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
let handled = 0;

/** A request handler that answers `answers` in order (the last one repeats); `'no-response'` throws like a dropped connection. */
function fakeHandler(...answers: (Answer | 'no-response')[]) {
  return {
    handle: async () => {
      const answer = answers[Math.min(handled++, answers.length - 1)];
      if (answer === 'no-response' || !answer) throw Object.assign(new Error('socket hang up at 10.0.0.1'), { name: 'TimeoutError', code: 'ECONNRESET' });
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      return {
        response: new HttpResponse({
          statusCode: answer.status,
          headers: answer.headers ?? { 'x-amzn-requestid': REQUEST_ID, 'content-type': 'application/x-amz-json-1.0' },
          body: Buffer.from(body),
        }),
      };
    },
  };
}

const dynamo = (...answers: (Answer | 'no-response')[]) =>
  traceClient(new DynamoDBClient({ region: 'cn-north-1', credentials, maxAttempts: 1, requestHandler: fakeHandler(...answers) }));

const dynamoError = (status: number, type: string): Answer => ({
  status,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `Requested resource ${TABLE} ${CASE_ID} not found` },
});

const query = () =>
  new QueryCommand({
    TableName: TABLE,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: CASE_ID } },
  });

let sent: string[] = [];
const saved = { ...process.env };

beforeEach(() => {
  sent = [];
  handled = 0;
  setTraceSender((datagram) => sent.push(datagram));
  process.env._X_AMZN_TRACE_ID = HEADER;
  process.env.AWS_XRAY_DAEMON_ADDRESS = DAEMON;
});
afterEach(() => {
  process.env = { ...saved };
});
afterAll(() => {
  setTraceSender();
});

/** A sent document, as parsed. */
interface Doc {
  [field: string]: unknown;
  id: string;
  start_time: number;
  end_time: number;
}

/** The one document sent, after checking the daemon's header line. */
function onlyDocument(): Doc {
  expect(sent).toHaveLength(1);
  const [header, body, ...rest] = sent[0]!.split('\n');
  expect(header).toBe(DAEMON_HEADER);
  expect(rest).toEqual([]);
  return JSON.parse(body!) as Doc;
}

function expectNoParameterValues(): void {
  for (const text of sent) {
    for (const value of [TABLE, CASE_ID, 'personal-4711', '张三', BUCKET, OBJECT_KEY, '10.0.0.1', 'not found']) expect(text).not.toContain(value);
  }
}

describe('traceClient: one subsegment per AWS call', () => {
  it('sends a DynamoDB Query subsegment under the function segment: ids, times, operation, region, request id, status', async () => {
    const before = Date.now() / 1000;
    await dynamo({ status: 200, body: { Items: [{ pk: { S: CASE_ID } }], Count: 1 } }).send(query());
    const after = Date.now() / 1000;

    const doc = onlyDocument();
    expect(doc).toMatchObject({
      name: 'DynamoDB',
      trace_id: ROOT,
      parent_id: PARENT,
      type: 'subsegment',
      namespace: 'aws',
      aws: { operation: 'Query', region: 'cn-north-1', request_id: REQUEST_ID, retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(doc.id).toMatch(/^[0-9a-f]{16}$/);
    expect(doc.start_time).toBeGreaterThanOrEqual(before - 0.001);
    expect(doc.end_time).toBeGreaterThanOrEqual(doc.start_time);
    expect(doc.end_time).toBeLessThanOrEqual(after + 0.001);
    expect(doc).not.toHaveProperty('error');
    expect(doc).not.toHaveProperty('fault');
    expect(doc).not.toHaveProperty('throttle');
    expect(doc).not.toHaveProperty('cause');
    expectNoParameterValues();
  });

  it('a 4xx answer is an error, with the exception name only as the cause', async () => {
    await expect(dynamo(dynamoError(400, 'ResourceNotFoundException')).send(query())).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const doc = onlyDocument();
    expect(doc).toMatchObject({ error: true, http: { response: { status: 400 } }, aws: { operation: 'Query', request_id: REQUEST_ID } });
    expect(doc).not.toHaveProperty('fault');
    expect(doc).not.toHaveProperty('throttle');
    expect(doc.cause).toEqual({ exceptions: [{ id: expect.stringMatching(/^[0-9a-f]{16}$/), type: 'ResourceNotFoundException' }] });
    expectNoParameterValues();
  });

  it('a ThrottlingException (400) and a 429 are throttles', async () => {
    await expect(dynamo(dynamoError(400, 'ThrottlingException')).send(query())).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(onlyDocument()).toMatchObject({ error: true, throttle: true, cause: { exceptions: [{ type: 'ThrottlingException' }] } });

    sent = [];
    await expect(dynamo({ status: 429, body: { __type: 'TooManyRequests' } }).send(query())).rejects.toThrow();
    expect(onlyDocument()).toMatchObject({ error: true, throttle: true, http: { response: { status: 429 } } });
    expectNoParameterValues();
  });

  it('a 5xx answer is a fault', async () => {
    await expect(dynamo(dynamoError(500, 'InternalServerError')).send(query())).rejects.toMatchObject({ name: 'InternalServerError' });

    const doc = onlyDocument();
    expect(doc).toMatchObject({ fault: true, http: { response: { status: 500 } }, cause: { exceptions: [{ type: 'InternalServerError' }] } });
    expect(doc).not.toHaveProperty('error');
    expect(doc).not.toHaveProperty('throttle');
    expectNoParameterValues();
  });

  it('no answer at all is a fault without an HTTP status, named by the error and nothing of its message', async () => {
    await expect(dynamo('no-response').send(query())).rejects.toMatchObject({ name: 'TimeoutError' });

    const doc = onlyDocument();
    expect(doc).toMatchObject({ fault: true, cause: { exceptions: [{ type: 'TimeoutError' }] } });
    expect(doc).not.toHaveProperty('http');
    expectNoParameterValues();
  });

  it('one subsegment covers the whole call, retries included', async () => {
    const client = traceClient(
      new DynamoDBClient({ region: 'cn-north-1', credentials, maxAttempts: 2, requestHandler: fakeHandler(dynamoError(500, 'InternalServerError'), { status: 200, body: { Items: [] } }) }),
    );
    await client.send(query());

    expect(handled).toBe(2);
    const doc = onlyDocument();
    expect(doc).toMatchObject({ aws: { operation: 'Query', retries: 1 }, http: { response: { status: 200 } } });
    expect(doc).not.toHaveProperty('fault');
  });

  it('the document client over a traced DynamoDBClient is traced (as shared/aws/clients.ts builds it)', async () => {
    const doc = DynamoDBDocumentClient.from(dynamo({ status: 200, body: { Item: { pk: { S: CASE_ID } } } }));
    const res = await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: CASE_ID } }));

    expect(res.Item).toEqual({ pk: CASE_ID });
    expect(onlyDocument()).toMatchObject({ name: 'DynamoDB', namespace: 'aws', aws: { operation: 'GetItem' } });
    expectNoParameterValues();
  });

  it('S3: service name, operation and the x-amz-request-id; no bucket or object key in the document', async () => {
    const s3 = traceClient(
      new S3Client({
        region: 'cn-north-1',
        credentials,
        maxAttempts: 1,
        requestHandler: fakeHandler({ status: 404, headers: { 'x-amz-request-id': 'S3REQ0000001', 'content-type': 'application/xml' } }),
      }),
    );
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: OBJECT_KEY }))).rejects.toMatchObject({ name: 'NotFound' });

    expect(onlyDocument()).toMatchObject({
      name: 'S3',
      namespace: 'aws',
      aws: { operation: 'HeadObject', region: 'cn-north-1', request_id: 'S3REQ0000001' },
      http: { response: { status: 404 } },
      error: true,
      cause: { exceptions: [{ type: 'NotFound' }] },
    });
    expectNoParameterValues();
  });

  it('adding the middleware twice sends one document', async () => {
    const client = traceClient(dynamo({ status: 200, body: { Items: [] } }));
    await client.send(query());
    expect(sent).toHaveLength(1);
  });

  it('prefers the invocation\'s trace id from the runtime\'s invoke store (concurrent invocations) over the variable', async () => {
    const otherRoot = '1-67a0b1c2-fedcba9876543210fedcba98';
    const g = globalThis as { awslambda?: { InvokeStore?: unknown } };
    const before = g.awslambda?.InvokeStore;
    g.awslambda ??= {};
    g.awslambda.InvokeStore = { getXRayTraceId: () => `Root=${otherRoot};Parent=00000000000000aa;Sampled=1` };
    try {
      await dynamo({ status: 200, body: { Items: [] } }).send(query());
    } finally {
      g.awslambda.InvokeStore = before;
    }
    expect(onlyDocument()).toMatchObject({ trace_id: otherRoot, parent_id: '00000000000000aa' });
  });
});

describe('nothing is sent without a sampled trace or a daemon', () => {
  it.each([
    ['not sampled', { _X_AMZN_TRACE_ID: `Root=${ROOT};Parent=${PARENT};Sampled=0` }],
    ['no trace header', { _X_AMZN_TRACE_ID: undefined }],
    ['no daemon address (local mode, tests)', { AWS_XRAY_DAEMON_ADDRESS: undefined }],
  ])('%s', async (_label, env: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await dynamo({ status: 200, body: { Items: [] } }).send(query());
    await expect(dynamo(dynamoError(500, 'InternalServerError')).send(query())).rejects.toThrow();
    expect(sent).toEqual([]);
  });

  it('a sender that throws does not fail the call', async () => {
    setTraceSender(() => {
      throw new Error('daemon gone');
    });
    const res = await dynamo({ status: 200, body: { Items: [], Count: 0 } }).send(query());
    expect(res.Count).toBe(0);
  });
});

describe('traced: a named subsegment around a piece of work', () => {
  it('is the parent of the AWS calls made inside it, without a namespace', async () => {
    const client = dynamo({ status: 200, body: { Items: [] } });
    const result = await traced('job:deadline-check', async () => {
      await client.send(query());
      return 42;
    });

    expect(result).toBe(42);
    expect(sent).toHaveLength(2);
    const [call, work] = sent.map((s) => JSON.parse(s.split('\n')[1]!) as Doc);
    expect(work).toMatchObject({ name: 'job:deadline-check', trace_id: ROOT, parent_id: PARENT, type: 'subsegment' });
    expect(work).not.toHaveProperty('namespace');
    expect(call).toMatchObject({ name: 'DynamoDB', trace_id: ROOT, parent_id: work!.id });
  });

  it('records a thrown error by name and rethrows it; runs the work untraced when there is no trace', async () => {
    class ConflictError extends Error {
      override name = 'ConflictError';
      readonly status = 409;
    }
    await expect(traced('job:x', () => Promise.reject(new ConflictError(`case ${CASE_ID} changed`)))).rejects.toBeInstanceOf(ConflictError);
    expect(onlyDocument()).toMatchObject({ name: 'job:x', error: true, cause: { exceptions: [{ type: 'ConflictError' }] } });
    expectNoParameterValues();

    sent = [];
    delete process.env._X_AMZN_TRACE_ID;
    expect(await traced('job:y', () => Promise.resolve('ok'))).toBe('ok');
    expect(sent).toEqual([]);
  });
});

describe('parsing', () => {
  it('reads Root and Parent of a sampled header only', () => {
    expect(parseTraceHeader(HEADER)).toEqual({ traceId: ROOT, parentId: PARENT });
    expect(parseTraceHeader(`Root=${ROOT};Parent=${PARENT}`)).toBeUndefined();
    expect(parseTraceHeader(`Root=${ROOT};Sampled=1`)).toBeUndefined();
    expect(parseTraceHeader(`Root=not-a-root;Parent=${PARENT};Sampled=1`)).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
  });

  it('reads the daemon address in both of its forms', () => {
    expect(parseDaemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(parseDaemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).toEqual({ host: '127.0.0.2', port: 2001 });
    expect(parseDaemonAddress('nonsense')).toBeUndefined();
    expect(parseDaemonAddress('')).toBeUndefined();
  });
});
