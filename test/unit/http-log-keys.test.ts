/**
 * Log lines of the HTTP stack carry the API Gateway request id and the route template, never the
 * body, and the keys do not leak into the next invocation. Handlers are called directly: no network.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { context } from './support.ts';
import * as z from '../../shared/domain/z.ts';
import { createHttpHandler, route } from '../../shared/http/router.ts';
import { logger } from '../../shared/http/logger.ts';

// The logger reads LOG_LEVEL when its module loads; this file needs INFO lines.
const previousLogLevel = vi.hoisted(() => {
  const previous = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'INFO';
  return previous;
});

afterAll(() => {
  if (previousLogLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLogLevel;
});

function event(method: string, resource: string, path: string, requestId: string, body: string | null = null): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    resource,
    path,
    body,
    isBase64Encoded: false,
    headers: body ? { 'content-type': 'application/json' } : {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId },
  } as unknown as APIGatewayProxyEvent;
}

const handler = createHttpHandler([
  route({
    method: 'POST',
    path: '/public/notes',
    summary: 'logs one line',
    auth: 'public',
    body: z.strictObject({ secret: z.string() }),
    handle: async () => {
      logger.info('note received');
      return { ok: true };
    },
  }),
  route({
    method: 'GET',
    path: '/public/ping',
    summary: 'logs one line',
    auth: 'public',
    handle: async () => {
      logger.info('ping');
      return { ok: true };
    },
  }),
  route({
    method: 'GET',
    path: '/public/boom',
    summary: 'fails',
    auth: 'public',
    handle: async () => {
      throw new Error('unexpected');
    },
  }),
]) as unknown as (e: APIGatewayProxyEvent, c: Context) => Promise<APIGatewayProxyResult>;

/** Runs `fn` with stdout and stderr captured; returns the JSON log lines printed meanwhile. */
async function captureLogs(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const out: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  };
  // Powertools prints ERROR and WARN lines to stderr, the rest to stdout.
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(keep), vi.spyOn(process.stderr, 'write').mockImplementation(keep)];
  try {
    await fn();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return out
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('log keys per request', () => {
  it('a line logged by a handler has the request id and the route, and no body', async () => {
    const lines = await captureLogs(() =>
      handler(event('POST', '/public/notes', '/public/notes', 'req-77', JSON.stringify({ secret: 'do-not-log' })), context),
    );
    const line = lines.find((l) => l.message === 'note received');
    expect(line).toMatchObject({ requestId: 'req-77', route: 'POST /public/notes', level: 'INFO' });
    expect(line).not.toHaveProperty('body');
    expect(JSON.stringify(lines)).not.toContain('do-not-log');
  });

  it('the keys are those of the current invocation only', async () => {
    await captureLogs(() => handler(event('POST', '/public/notes', '/public/notes', 'req-1', JSON.stringify({ secret: 's' })), context));
    const lines = await captureLogs(() => handler(event('GET', '/public/ping', '/public/ping', 'req-2'), context));
    const line = lines.find((l) => l.message === 'ping');
    expect(line).toMatchObject({ requestId: 'req-2', route: 'GET /public/ping' });
    const after = await captureLogs(async () => logger.info('between invocations'));
    expect(after[0]).not.toHaveProperty('requestId');
    expect(after[0]).not.toHaveProperty('route');
  });

  it('the error line of a failed request carries them too', async () => {
    const lines = await captureLogs(() => handler(event('GET', '/public/boom', '/public/boom', 'req-3'), context));
    const errors = lines.filter((l) => l.level === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    for (const l of errors) expect(l).toMatchObject({ requestId: 'req-3', route: 'GET /public/boom' });
  });
});
