/**
 * The HTTP stack every function uses (D14, I1, I2): routing by API Gateway resource, group checks,
 * parsing at the edge with zh-CN messages, and one JSON error envelope. The handler is called
 * directly with hand-built API Gateway events: no network.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { context } from './support.ts';
import * as z from '../../shared/domain/z.ts';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../shared/domain/errors.ts';
import { HttpResult, MAX_BODY_BYTES, createHttpHandler, lazySchema, route } from '../../shared/http/router.ts';
import { pageQuery } from '../../shared/http/schemas.ts';

// The 500 tests log on purpose; keep the run quiet. The logger reads LOG_LEVEL when its module loads.
const previousLogLevel = vi.hoisted(() => {
  const previous = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'SILENT';
  return previous;
});

const HAN = /[\u4e00-\u9fa5]/;

interface Envelope {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}

const claims = (groups: string) => ({ sub: 'u-1', name: '王法规', 'cognito:groups': groups, 'custom:agencyId': 'sq-city' });

/** A minimal API Gateway REST proxy event. */
function event(over: {
  method?: string;
  resource: string;
  body?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string> | null;
  pathParameters?: Record<string, string> | null;
  claims?: Record<string, unknown>;
  isBase64Encoded?: boolean;
}): APIGatewayProxyEvent {
  return {
    httpMethod: over.method ?? 'GET',
    resource: over.resource,
    path: over.resource,
    body: over.body ?? null,
    isBase64Encoded: over.isBase64Encoded ?? false,
    headers: over.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: over.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: over.pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      requestId: 'req-42',
      ...(over.claims ? { authorizer: { claims: over.claims } } : {}),
    },
  } as unknown as APIGatewayProxyEvent;
}

const ADMIN = 'registry.manage' as const;
const ANY_USER = 'registry.read' as const;

const createBody = z.strictObject({ name: z.string().min(2), validUntil: z.string().optional() });
let lazyLoads = 0;
const seen: { body?: unknown; query?: unknown; params?: unknown; identity?: unknown; requestId?: string }[] = [];

const routes = [
  route({
    method: 'GET',
    path: '/public/officers',
    summary: 'list',
    auth: 'public',
    query: z.object(pageQuery),
    handle: async (req) => {
      seen.push({ query: req.query, identity: req.identity });
      return { items: [], nextCursor: null };
    },
  }),
  route({
    method: 'GET',
    path: '/public/officers/{id}',
    summary: 'one',
    auth: 'public',
    params: z.object({ id: z.string().regex(/^o-\d+$/) }),
    handle: async (req) => ({ id: req.params.id }),
  }),
  route({
    method: 'POST',
    path: '/officers',
    summary: 'create',
    auth: ADMIN,
    body: createBody,
    status: 201,
    handle: async (req) => {
      seen.push({ body: req.body, identity: req.identity, requestId: req.requestId });
      return { id: 'o-1', ...req.body };
    },
  }),
  route({
    method: 'POST',
    path: '/officers/lazy',
    summary: 'create, the schema loaded on first use',
    auth: ADMIN,
    body: lazySchema(async () => {
      lazyLoads++;
      return createBody;
    }),
    status: 201,
    handle: async (req) => ({ id: 'o-2', ...req.body }),
  }),
  route({
    method: 'GET',
    path: '/me',
    summary: 'anyone signed in',
    auth: ANY_USER,
    handle: async (req) => ({ sub: req.identity.sub, groups: req.identity.groups }),
  }),
  route({
    method: 'POST',
    path: '/uploads',
    summary: 'devices only',
    auth: 'device',
    handle: async (req) => ({ device: req.identity.deviceClientId }),
  }),
  route({
    method: 'POST',
    path: '/imports',
    summary: 'raw upload',
    auth: ADMIN,
    body: 'raw',
    handle: async (req) => ({ bytes: (req.body as unknown as Buffer).length }),
  }),
  route({
    method: 'POST',
    path: '/boom',
    summary: 'throws',
    auth: 'public',
    handle: async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:8000 table officers-secret');
    },
  }),
  route({
    method: 'GET',
    path: '/errors/{kind}',
    summary: 'domain errors',
    auth: 'public',
    params: z.object({ kind: z.string() }),
    handle: async (req) => {
      switch (req.params.kind) {
        case 'not-found':
          throw new NotFoundError('执法人员 o-9 不存在', 'OFFICER_NOT_FOUND');
        case 'forbidden':
          throw new ForbiddenError();
        case 'conflict':
          throw new ConflictError('DUPLICATE_CERTIFICATE', '证件编号已存在');
        case 'version':
          throw new VersionConflictError('执法人员', 2, 3);
        case 'rule':
          throw new BusinessRuleError('CERTIFICATE_NOT_VALID', '执法证件无效，不得执法', [{ path: 'body.officerIds', message: '证件已吊销' }]);
        case 'validation':
          throw new ValidationError('参数无效');
        case 'string':
          throw 'a thrown string';
        default:
          return new HttpResult(202, { accepted: true }, { location: '/jobs/1' });
      }
    },
  }),
];

const handler = createHttpHandler(routes);

async function call(e: APIGatewayProxyEvent): Promise<{ res: APIGatewayProxyResult; json: unknown }> {
  const res = await handler(e, context);
  return { res, json: res.body ? (JSON.parse(res.body) as unknown) : undefined };
}

async function callError(e: APIGatewayProxyEvent): Promise<{ status: number; error: Envelope['error']; res: APIGatewayProxyResult }> {
  const { res, json } = await call(e);
  expect(res.headers?.['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers?.['cache-control']).toBe('no-store');
  expect(json).toHaveProperty('error');
  return { status: res.statusCode, error: (json as Envelope).error, res };
}

const postOfficer = (body: string | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  event({ method: 'POST', resource: '/officers', body, headers, claims: claims('["admin"]') });

afterAll(() => {
  if (previousLogLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLogLevel;
});

describe('routing', () => {
  it('serves a public GET with JSON, security and cache headers', async () => {
    const { res, json } = await call(event({ resource: '/public/officers' }));

    expect(res.statusCode).toBe(200);
    expect(json).toEqual({ items: [], nextCursor: null });
    expect(res.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=60',
    });
  });

  it('answers an unknown resource with 404 NOT_FOUND in the error envelope', async () => {
    const { status, error } = await callError(event({ resource: '/public/nothing-here' }));

    expect(status).toBe(404);
    expect(error).toEqual({ code: 'NOT_FOUND', message: '接口不存在' });
  });

  it('answers a known resource with another method with 404', async () => {
    const { status, error } = await callError(event({ method: 'DELETE', resource: '/public/officers' }));

    expect(status).toBe(404);
    expect(error.code).toBe('NOT_FOUND');
  });

  it('refuses two routes with the same method and path', () => {
    expect(() => createHttpHandler([routes[0]!, routes[0]!])).toThrow('Duplicate route GET /public/officers');
  });

  it('uses the route status, no-store for signed-in routes, and HttpResult status/headers', async () => {
    const created = await call(postOfficer('{"name":"张三"}'));
    const accepted = await call(event({ resource: '/errors/{kind}', pathParameters: { kind: 'other' } }));

    expect(created.res.statusCode).toBe(201);
    expect(created.res.headers?.['cache-control']).toBe('no-store');
    expect(accepted.res.statusCode).toBe(202);
    expect(accepted.json).toEqual({ accepted: true });
    expect(accepted.res.headers).toMatchObject({ location: '/jobs/1', 'cache-control': 'public, max-age=60' });
  });
});

describe('authentication and groups', () => {
  it('refuses a signed-in route without claims with 401 UNAUTHORIZED', async () => {
    const { status, error } = await callError(event({ method: 'POST', resource: '/officers', body: '{"name":"张三"}' }));

    expect(status).toBe(401);
    expect(error).toEqual({ code: 'UNAUTHORIZED', message: '未登录或登录凭证无效' });
  });

  it('lets only a device token with the upload scope call a device route, and never a person', async () => {
    const device = { sub: 'c-1', client_id: 'c-1', token_use: 'access', scope: 'evidence/upload' };
    const ok = await call(event({ method: 'POST', resource: '/uploads', claims: device }));
    expect([ok.res.statusCode, ok.json]).toEqual([200, { device: 'c-1' }]);

    const noScope = await callError(event({ method: 'POST', resource: '/uploads', claims: { ...device, scope: 'other/x' } }));
    expect(noScope.status).toBe(403);
    const person = await callError(event({ method: 'POST', resource: '/uploads', claims: claims('admin') }));
    expect(person.status).toBe(403);
    const anonymous = await callError(event({ method: 'POST', resource: '/uploads' }));
    expect(anonymous.status).toBe(401);
    // And a device may not call the people's routes, not even those open to anyone signed in.
    const deviceOnUserRoute = await callError(event({ resource: '/me', claims: device }));
    expect(deviceOnUserRoute.status).toBe(403);
  });

  it('refuses claims without sub with 401', async () => {
    const { status } = await callError(event({ resource: '/me', claims: { name: '匿名', 'cognito:groups': 'admin' } }));

    expect(status).toBe(401);
  });

  it('refuses a caller in the wrong group with 403 FORBIDDEN naming the groups needed', async () => {
    const { status, error } = await callError(
      event({ method: 'POST', resource: '/officers', body: '{"name":"张三"}', headers: { 'content-type': 'application/json' }, claims: claims('[officer reviewer]') }),
    );

    expect(status).toBe(403);
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('admin');
  });

  it('checks groups before looking at the body', async () => {
    const { status } = await callError(event({ method: 'POST', resource: '/officers', body: '{not json', claims: claims('officer') }));

    expect(status).toBe(403);
  });

  it('lets any staff member call a route open to every role, whatever the group claim shape', async () => {
    const { res, json } = await call(event({ resource: '/me', claims: claims('officer,leader') }));

    expect(res.statusCode).toBe(200);
    expect(json).toEqual({ sub: 'u-1', groups: ['officer', 'leader'] });
  });

  it('fails closed: a token with no group, or a non-admin without an agency, gets 403 on every staff route', async () => {
    const noGroups = await callError(event({ resource: '/me', claims: { sub: 'u-9', 'custom:agencyId': 'sq-city' } }));
    const unknownGroup = await callError(event({ resource: '/me', claims: { sub: 'u-9', 'cognito:groups': 'superuser', 'custom:agencyId': 'sq-city' } }));
    const noAgency = await callError(event({ resource: '/me', claims: { sub: 'u-9', 'cognito:groups': 'officer' } }));
    const adminWithoutAgency = await call(event({ resource: '/me', claims: { sub: 'u-9', 'cognito:groups': 'admin' } }));

    expect([noGroups.status, noGroups.error.code]).toEqual([403, 'NO_ROLE']);
    expect([unknownGroup.status, unknownGroup.error.code]).toEqual([403, 'NO_ROLE']);
    expect([noAgency.status, noAgency.error.code]).toEqual([403, 'AGENCY_REQUIRED']);
    expect(noAgency.error.message).toContain('custom:agencyId');
    expect(adminWithoutAgency.res.statusCode).toBe(200);
  });

  it('passes the identity and request id to the handler', async () => {
    seen.length = 0;

    await call(postOfficer('{"name":"张三"}'));

    expect(seen[0]).toMatchObject({ identity: { sub: 'u-1', name: '王法规', groups: ['admin'], agencyId: 'sq-city' }, requestId: 'req-42' });
  });
});

describe('body parsing', () => {
  it('passes the parsed body to the handler', async () => {
    const { res, json } = await call(postOfficer(JSON.stringify({ name: '张三', validUntil: '2028-12-31' })));

    expect(res.statusCode).toBe(201);
    expect(json).toEqual({ id: 'o-1', name: '张三', validUntil: '2028-12-31' });
  });

  it('reads a base64-encoded JSON body and a capitalised Content-Type header', async () => {
    const body = Buffer.from(JSON.stringify({ name: '李四' }), 'utf8').toString('base64');

    const { res } = await call(
      event({ method: 'POST', resource: '/officers', body, isBase64Encoded: true, headers: { 'Content-Type': 'application/json; charset=utf-8' }, claims: claims('admin') }),
    );

    expect(res.statusCode).toBe(201);
  });

  it.each(['{"name":', '{name: "张三"}', "{'name':'张三'}", 'undefined'])('refuses malformed JSON %j with 400 INVALID_JSON', async (body) => {
    const { status, error } = await callError(postOfficer(body));

    expect(status).toBe(400);
    expect(error).toEqual({ code: 'INVALID_JSON', message: '请求体不是合法的 JSON' });
  });

  it('refuses an empty body on a JSON route with 400 INVALID_JSON', async () => {
    const { status, error } = await callError(postOfficer(null));

    expect(status).toBe(400);
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toMatch(HAN);
  });

  it('refuses a body over 1 MB with 400 PAYLOAD_TOO_LARGE, counting UTF-8 bytes', async () => {
    const padding = '张'.repeat(Math.ceil(MAX_BODY_BYTES / 3) + 1); // fewer than 1 M characters, more than 1 MB
    const big = JSON.stringify({ name: padding });

    const { status, error } = await callError(postOfficer(big));

    expect(big.length).toBeLessThan(MAX_BODY_BYTES);
    expect(status).toBe(400);
    expect(error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: '请求体超过 1 MB 上限' });
  });

  it('accepts a body of exactly 1 MB', async () => {
    const prefix = '{"name":"';
    const suffix = '"}';
    const body = prefix + 'a'.repeat(MAX_BODY_BYTES - prefix.length - suffix.length) + suffix;

    const { res } = await call(postOfficer(body));

    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    expect(res.statusCode).toBe(201);
  });

  it('refuses a raw upload over 1 MB and accepts one under it', async () => {
    const raw = (n: number) => event({ method: 'POST', resource: '/imports', body: Buffer.alloc(n, 1).toString('base64'), isBase64Encoded: true, claims: claims('admin') });

    const tooBig = await callError(raw(MAX_BODY_BYTES + 1));
    const ok = await call(raw(1000));

    expect(tooBig.status).toBe(400);
    expect(tooBig.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(ok.json).toEqual({ bytes: 1000 });
  });

  it('refuses an unknown body field with 400 VALIDATION_FAILED and a Chinese message naming it', async () => {
    const { status, error } = await callError(postOfficer(JSON.stringify({ name: '张三', salary: 10000 })));

    expect(status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toHaveLength(1);
    expect(error.details![0]!.path).toMatch(/^body/);
    expect(error.details![0]!.message).toContain('salary');
    expect(error.details![0]!.message).toMatch(HAN);
    expect(error.message).toMatch(/^请求内容无效：/);
  });

  it('a body schema loaded on first use (lazySchema) validates like any other, and only when the route is called', async () => {
    expect(lazyLoads).toBe(0);
    const post = (body: unknown) => event({ method: 'POST', resource: '/officers/lazy', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, claims: claims('["admin"]') });
    const bad = await callError(post({ name: '张三', salary: 10000 }));
    expect([bad.status, bad.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.error.details![0]!.message).toContain('salary');
    const ok = await call(post({ name: '张三' }));
    expect([ok.res.statusCode, ok.json]).toEqual([201, { id: 'o-2', name: '张三' }]);
    expect(lazyLoads).toBe(2);
  });

  it('reports each invalid field with its path under body and a Chinese message', async () => {
    const { status, error } = await callError(postOfficer(JSON.stringify({ name: 'x', validUntil: 20281231 })));

    expect(status).toBe(400);
    expect(error.details!.map((d) => d.path).sort()).toEqual(['body.name', 'body.validUntil']);
    for (const d of error.details!) expect(d.message).toMatch(HAN);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp'])(
    'refuses Content-Type %s on a JSON route with 415',
    async (type) => {
      const { status, error } = await callError(postOfficer('{"name":"张三"}', { 'content-type': type }));

      expect(status).toBe(415);
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toMatch(HAN);
    },
  );

  it('accepts application/*+json and a missing Content-Type', async () => {
    const merge = await call(postOfficer('{"name":"张三"}', { 'content-type': 'application/merge-patch+json' }));
    const none = await call(postOfficer('{"name":"张三"}', {}));

    expect(merge.res.statusCode).toBe(201);
    expect(none.res.statusCode).toBe(201);
  });
});

describe('query and path parameters', () => {
  it('defaults limit to 20 and coerces a numeric string', async () => {
    seen.length = 0;

    await call(event({ resource: '/public/officers' }));
    await call(event({ resource: '/public/officers', query: { limit: '100' } }));

    expect(seen.map((s) => s.query)).toEqual([{ limit: 20 }, { limit: 100 }]);
  });

  it.each(['0', '101', 'abc', '-1', '2.5'])('refuses limit=%s with 400 and the path query.limit', async (limit) => {
    const { status, error } = await callError(event({ resource: '/public/officers', query: { limit } }));

    expect(status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([{ path: 'query.limit', message: expect.stringMatching(HAN) }]);
    expect(error.message).toMatch(/^查询参数无效：/);
  });

  it('accepts every limit from 1 to 100 and refuses every integer outside (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1000, max: 1000 }), async (limit) => {
        const { res } = await call(event({ resource: '/public/officers', query: { limit: String(limit) } }));

        expect(res.statusCode).toBe(limit >= 1 && limit <= 100 ? 200 : 400);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses an invalid path parameter with 400 and the path path.id', async () => {
    const { status, error } = await callError(event({ resource: '/public/officers/{id}', pathParameters: { id: 'DROP TABLE' } }));

    expect(status).toBe(400);
    expect(error.details?.[0]?.path).toBe('path.id');
    expect(error.message).toMatch(/^路径参数无效：/);
  });
});

describe('error mapping', () => {
  it('turns a plain Error into 500 INTERNAL with a generic message that leaks nothing', async () => {
    const { status, error, res } = await callError(event({ method: 'POST', resource: '/boom' }));

    expect(status).toBe(500);
    expect(error).toEqual({ code: 'INTERNAL', message: '服务器内部错误，请稍后重试' });
    expect(res.body).not.toContain('ECONNREFUSED');
    expect(res.body).not.toContain('officers-secret');
    expect(res.body).not.toContain('stack');
  });

  it('turns a thrown non-Error into 500 INTERNAL', async () => {
    const { status, error } = await callError(event({ resource: '/errors/{kind}', pathParameters: { kind: 'string' } }));

    expect(status).toBe(500);
    expect(error.code).toBe('INTERNAL');
    expect(JSON.stringify(error)).not.toContain('a thrown string');
  });

  it.each([
    ['not-found', 404, 'OFFICER_NOT_FOUND', '执法人员 o-9 不存在'],
    ['forbidden', 403, 'FORBIDDEN', '无权执行此操作'],
    ['conflict', 409, 'DUPLICATE_CERTIFICATE', '证件编号已存在'],
    ['version', 409, 'VERSION_CONFLICT', '执法人员已被他人修改，请重新读取后再提交'],
    ['rule', 422, 'CERTIFICATE_NOT_VALID', '执法证件无效，不得执法'],
    ['validation', 400, 'VALIDATION_FAILED', '参数无效'],
  ])('maps a thrown %s error to %i %s', async (kind, statusCode, code, message) => {
    const { status, error } = await callError(event({ resource: '/errors/{kind}', pathParameters: { kind } }));

    expect(status).toBe(statusCode);
    expect(error).toMatchObject({ code, message });
  });

  it('includes domain error details, and omits details when there are none', async () => {
    const rule = await callError(event({ resource: '/errors/{kind}', pathParameters: { kind: 'rule' } }));
    const version = await callError(event({ resource: '/errors/{kind}', pathParameters: { kind: 'version' } }));
    const conflict = await callError(event({ resource: '/errors/{kind}', pathParameters: { kind: 'conflict' } }));

    expect(rule.error.details).toEqual([{ path: 'body.officerIds', message: '证件已吊销' }]);
    expect(version.error.details).toEqual([{ path: 'version', message: '当前版本为 3', expected: 2, current: 3 }]);
    expect(conflict.error).not.toHaveProperty('details');
  });
});
