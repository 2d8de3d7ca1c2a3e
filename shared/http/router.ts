/**
 * The HTTP stack every function uses: middy with Powertools' logger, a route table keyed by the
 * API Gateway resource template (API Gateway has already matched the path), zod parsing of
 * path, query and body at the edge, group checks, and one mapping of errors to responses.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from '../domain/z.ts';
import { config } from '../domain/config.ts';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../domain/errors.ts';
import { identityFromClaims } from '../domain/identity.ts';
import type { Identity } from '../domain/identity.ts';
import { requireRole } from '../domain/access.ts';
import type { Permission } from '../domain/access.ts';
import { DEVICE_UPLOAD_SCOPE } from '../manifest.ts';
import type { HttpMethod, TableId } from '../manifest.ts';
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../domain/audit.ts';
import * as idempotency from '../store/idempotency.ts';
import { logger } from './logger.ts';
import { errorResponse, jsonResponse } from './responses.ts';
import { corsHeaders, headerValue, originOf } from './cors.ts';
import { parseJsonBody, parseWith } from './parse.ts';

export interface HttpRequest<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly identity: Identity | undefined;
  readonly requestId: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly event: APIGatewayProxyEvent;
}

export interface AuthedRequest<P, Q, B> extends HttpRequest<P, Q, B> {
  readonly identity: Identity;
}

/** A handler result with a status other than the route's default, or extra headers. */
export class HttpResult {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/**
 * A handler result that is not JSON: text (an SVG) or bytes (a PNG), with its own `content-type`.
 * Bytes go out base64-encoded with `isBase64Encoded`: API Gateway turns them back into bytes when the
 * request's first Accept type is one of BINARY_MEDIA_TYPES (shared/manifest.ts); the local server always.
 */
export class RawResult {
  constructor(
    readonly status: number,
    readonly body: string | Buffer,
    readonly headers: Record<string, string> & { readonly 'content-type': string },
  ) {}
}

/**
 * A body schema loaded with the route's first request (`await import()` of the module it lives in): keeps
 * the schemas of a function's rarely used routes, and the domain modules they sit in, out of its cold
 * start (issue 13). The module system keeps what was loaded.
 */
export interface LazySchema<B> {
  readonly load: () => Promise<z.ZodType<B>>;
}

export const lazySchema = <B>(load: () => Promise<z.ZodType<B>>): LazySchema<B> => ({ load });

const isLazySchema = (s: unknown): s is LazySchema<unknown> => typeof s === 'object' && s !== null && 'load' in s && typeof (s as { load: unknown }).load === 'function';

/** A route's JSON body schema (loaded if lazy), `raw`, or undefined when it takes no body. */
export async function bodySchemaOf(r: Pick<RouteBase<unknown, unknown, unknown>, 'body'>): Promise<z.ZodType | 'raw' | undefined> {
  const body: unknown = r.body;
  if (isLazySchema(body)) return body.load();
  return body as z.ZodType | 'raw' | undefined;
}

interface RouteBase<P, Q, B> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  /** JSON body schema (or one loaded on first use, `lazySchema`); or `raw` to receive the bytes as they came (spreadsheet uploads). */
  readonly body?: z.ZodType<B> | LazySchema<B> | 'raw';
  /** Response schema (documented in OpenAPI for public routes). */
  readonly response?: z.ZodType;
  /** Status of a successful answer. @default 200 */
  readonly status?: number;
  /**
   * For creating requests: the table (writable by this function) where answers to requests sent
   * with an `Idempotency-Key` header are kept, so a retried request gets the first answer again.
   */
  readonly idempotency?: TableId;
}

export interface PublicRoute<P = unknown, Q = unknown, B = unknown> extends RouteBase<P, Q, B> {
  readonly auth: 'public';
  readonly handle: (req: HttpRequest<P, Q, B>) => Promise<unknown>;
}

export interface UserRoute<P = unknown, Q = unknown, B = unknown> extends RouteBase<P, Q, B> {
  /**
   * The permission of shared/domain/access.ts (the one policy) that the route needs: the caller must
   * be a person with one of its groups and, unless admin, an agency. Agency scope is checked by the
   * service against the entity touched.
   */
  readonly auth: Permission;
  readonly handle: (req: AuthedRequest<P, Q, B>) => Promise<unknown>;
}

/** A route for field devices: a client-credentials access token with the `evidence/upload` scope. */
export interface DeviceRoute<P = unknown, Q = unknown, B = unknown> extends RouteBase<P, Q, B> {
  readonly auth: 'device';
  readonly handle: (req: AuthedRequest<P, Q, B>) => Promise<unknown>;
}

export type Route = DeviceRoute<any, any, any> | PublicRoute<any, any, any> | UserRoute<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Type-checked route definition: infers P, Q and B from the schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  def: PublicRoute<P, Q, B> | UserRoute<P, Q, B> | DeviceRoute<P, Q, B>,
): Route {
  return def as Route;
}

export const MAX_BODY_BYTES = 1024 * 1024;
const NO_QUERY = z.strictObject({});

function lowerHeaders(event: APIGatewayProxyEvent): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) out[k.toLowerCase()] = v ?? undefined;
  return out;
}

async function dispatch(routes: readonly Route[], event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const found = routes.find((r) => r.method === event.httpMethod && r.path === event.resource);
  if (!found) throw new NotFoundError('接口不存在');
  const headers = lowerHeaders(event);
  const identity = identityFromClaims(event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined);

  if (found.auth === 'device') {
    if (!identity) throw new UnauthorizedError();
    if (identity.deviceClientId === undefined || !identity.scopes?.includes(DEVICE_UPLOAD_SCOPE)) {
      throw new ForbiddenError(`此接口仅供执法记录设备调用（需要 ${DEVICE_UPLOAD_SCOPE} 授权范围的设备令牌）`);
    }
  } else if (found.auth !== 'public') {
    if (!identity) throw new UnauthorizedError();
    requireRole(identity, found.auth);
  }

  const params = found.params ? parseWith(found.params, event.pathParameters ?? {}, 'path') : {};
  // A route without query parameters refuses any, as those with a (strict) schema refuse unknown ones.
  const query = parseWith(found.query ?? NO_QUERY, event.queryStringParameters ?? {}, 'query');
  let body: unknown;
  if (found.body === 'raw') {
    const bytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
    if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
    body = bytes;
  } else if (found.body) {
    const schema = (await bodySchemaOf(found)) as z.ZodType;
    body = parseWith(schema, parseJsonBody(event, headers), 'body');
  } else if (event.body && event.body.length > 0 && found.method !== 'GET') {
    body = parseJsonBody(event, headers);
  }

  const req = { params, query, body, identity, requestId: event.requestContext?.requestId ?? 'unknown', headers, event };
  const idempotencyKey = headers['idempotency-key'];
  if (found.idempotency && idempotencyKey !== undefined && identity) {
    // The request as parsed (zod-normalised), so a retry that differs only in spelling is the same request.
    const request = `${event.httpMethod} ${event.path}\n${Buffer.isBuffer(body) ? createHash('sha256').update(body).digest('hex') : canonicalJson(body ?? null)}`;
    return idempotent(found.idempotency, identity.sub, idempotencyKey, request, () => run(found, req));
  }
  return run(found, req);
}

async function run(found: Route, req: HttpRequest<unknown, unknown, unknown>): Promise<APIGatewayProxyResult> {
  const result = await (found.handle as (r: typeof req) => Promise<unknown>)(req);
  const cache = found.auth === 'public' && found.method === 'GET' ? { 'cache-control': 'public, max-age=60' } : { 'cache-control': 'no-store' };
  if (result instanceof HttpResult) return jsonResponse(result.status, result.body, { ...cache, ...result.headers });
  if (result instanceof RawResult) {
    const binary = Buffer.isBuffer(result.body);
    return {
      ...jsonResponse(result.status, undefined, { ...cache, ...result.headers }),
      body: binary ? result.body.toString('base64') : (result.body as string),
      isBase64Encoded: binary,
    };
  }
  return jsonResponse(found.status ?? 200, result, cache);
}

/**
 * A creating request with an `Idempotency-Key`: the first claims the key and runs; a retry gets its
 * answer; one that arrives while the first still runs gets 409 IDEMPOTENCY_IN_PROGRESS; the same key
 * with another request gets 422 IDEMPOTENCY_KEY_REUSED. Only successes are kept: a refused request
 * releases the key so it may be corrected and sent again with it.
 */
async function idempotent(
  table: TableId,
  owner: string,
  key: string,
  request: string,
  execute: () => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
    throw new ValidationError('Idempotency-Key 应为 8–128 位字母、数字或 _.:- 字符', [{ path: 'header.idempotency-key', message: '格式无效' }]);
  }
  const fingerprint = sha256Hex(request);
  const held = await idempotency.claim(table, owner, key, fingerprint, randomUUID());
  if (held.outcome !== 'claimed') {
    if (held.fingerprint !== fingerprint) {
      throw new BusinessRuleError('IDEMPOTENCY_KEY_REUSED', '此 Idempotency-Key 已用于另一个不同的请求，请为新请求使用新的键');
    }
    if (held.outcome === 'in-progress') {
      throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', '使用此 Idempotency-Key 的相同请求正在处理中，请稍后重试以取得其结果');
    }
    if (held.response.body === idempotency.ANSWER_NOT_KEPT) {
      throw new ConflictError('IDEMPOTENCY_ANSWER_NOT_KEPT', '使用此 Idempotency-Key 的请求已成功处理，但应答过大未保存，请直接查询所创建的记录');
    }
    return jsonResponse(held.response.status, JSON.parse(held.response.body) as unknown, { 'cache-control': 'no-store', 'idempotent-replayed': 'true' });
  }
  let response: APIGatewayProxyResult;
  try {
    response = await execute();
  } catch (e) {
    await idempotency.release(table, owner, key, held.token);
    throw e;
  }
  if (response.statusCode < 300) await idempotency.complete(table, owner, key, held.token, { status: response.statusCode, body: response.body });
  else await idempotency.release(table, owner, key, held.token);
  return response;
}

export const tooLarge = () => new ValidationError('请求体超过 1 MB 上限', [], 'PAYLOAD_TOO_LARGE');

/** A Lambda handler serving `routes`, wrapped in the common middy stack. */
export function createHttpHandler(routes: readonly Route[]) {
  // At cold start: a bad configuration value fails the function's start-up, naming the variable.
  // The one browser origin allowed to read the answers (the staff console's), worked out once.
  const portalOrigin = originOf(config().PORTAL_URL);
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) throw new Error(`Duplicate route ${key}`);
    seen.add(key);
  }
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      // Every line of this invocation names the request and the route (resetKeys clears them after);
      // the resource template, not the path, so ids in the path stay out of the logs.
      logger.appendKeys({ requestId: event.requestContext?.requestId ?? 'unknown', route: `${event.httpMethod} ${event.resource}` });
      let result: APIGatewayProxyResult;
      try {
        result = await dispatch(routes, event);
      } catch (err: unknown) {
        result = errorResponse(err, logger);
      }
      // The staff console calls from the portal's origin (issue 16); no other origin is allowed.
      return { ...result, headers: { ...result.headers, ...corsHeaders(headerValue(event.headers, 'origin'), portalOrigin) } };
    });
  // The route table, for tests that walk every route's schemas (the fuzz test).
  return Object.assign(handler, { routes });
}
