/**
 * Local mode's API Gateway: a node:http server that dispatches by the manifest's routes, turns each
 * request into the REST API proxy event the deployed Lambda would receive, checks the bearer token the
 * way the Cognito authorizer does, and calls the same handler code in-process.
 *
 * Besides the manifest's routes it serves, in local mode only:
 * - `GET /health`: 200 once every embedded service is ready, 503 before;
 * - `POST /local/token`: the local token issuer (there is no Cognito locally);
 * - `GET /local/inbox`: the alert digests that SNS would carry in AWS;
 * - `POST /oauth2/token`: the client-credentials grant for field devices, as Cognito's domain serves it;
 * - `POST /local/s3-events`: object-created events from s3rver, handed to the function S3 events drive.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  BINARY_MEDIA_TYPES,
  functions as functionSpecs,
  routes as manifestRoutes,
  type FunctionId,
  type FunctionSpec,
  type RouteSpec,
} from '../shared/manifest.ts';
import { GROUPS } from '../shared/domain/identity.ts';
import { DEVICE_UPLOAD_SCOPE } from '../shared/manifest.ts';
import { DEVICE_TOKEN_TTL_MINUTES, localClientSecretMatches } from '../shared/aws/device-clients.ts';
import * as z from '../shared/domain/z.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, type AuthorizerClaims, type TokenIssuer } from './auth.ts';
import { createRouter } from './routing.ts';
import { localPortalUrl, type Log } from './services.ts';
import { corsHeaders, originOf, preflightHeaders } from '../shared/http/cors.ts';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
export type HandlerLoader = (fn: FunctionId) => Promise<LambdaHandler>;

/** Same as the deployed API's limit for JSON and spreadsheet bodies (imports are split client-side). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Loads a function's `handler` from its manifest entry file, on first use: handlers that are not written
 * yet only fail the requests that need them. A failed import is not cached, so fixing the file and
 * sending the request again works without a restart.
 */
export function manifestHandlerLoader(specs: readonly FunctionSpec[] = functionSpecs): HandlerLoader {
  const cache = new Map<FunctionId, Promise<LambdaHandler>>();
  return (fn) => {
    let loading = cache.get(fn);
    if (!loading) {
      loading = (async () => {
        const spec = specs.find((s) => s.id === fn);
        if (!spec) throw new Error(`No function ${fn} in the manifest`);
        const mod = (await import(pathToFileURL(join(REPO_ROOT, spec.entry)).href)) as { handler?: unknown };
        if (typeof mod.handler !== 'function') throw new Error(`${spec.entry} does not export a handler function`);
        return mod.handler as LambdaHandler;
      })();
      cache.set(fn, loading);
      loading.catch(() => cache.delete(fn));
    }
    return loading;
  };
}

export type HealthState = 'ready' | 'starting' | 'unhealthy';

export interface LocalServerOptions {
  readonly tokens: TokenIssuer;
  /** Shared with s3rver's event subscription: events without it are refused. */
  readonly s3EventToken?: string;
  readonly health: () => HealthState;
  readonly loadHandler?: HandlerLoader;
  readonly routes?: readonly RouteSpec[];
  readonly functions?: readonly FunctionSpec[];
  readonly log?: Log;
  readonly bodyLimitBytes?: number;
}

const TokenRequestBody = z.strictObject({
  sub: z.string().trim().min(1),
  name: z.string().trim().min(1),
  groups: z.array(z.enum(GROUPS)).max(GROUPS.length),
  agencyId: z.string().trim().min(1).optional(),
  officerId: z.string().trim().min(1).max(64).optional(),
  /** Shorter-lived tokens, to try expiry by hand; never longer than the default. */
  expiresInSeconds: z.int().min(1).max(DEFAULT_TOKEN_TTL_SECONDS).optional(),
});

const json = (value: unknown): string => JSON.stringify(value);
const errorBody = (code: string, message: string, details?: unknown[]): string =>
  json({ error: { code, message, ...(details ? { details } : {}) } });

/** Longest request URL served, as API Gateway's limit on the request line (10 KiB with headers). */
const MAX_URL_BYTES = 8192;

/** The portal's origin, from PORTAL_URL as local mode sets it once the services are up (the default before). */
const allowedOrigin = (): string => originOf(process.env.PORTAL_URL?.trim() || localPortalUrl());

/**
 * A page served from this machine (`localhost`, `127.0.0.1`, `[::1]`, any port): the local portal's
 * console wherever `npm start` put it, whatever PORTAL_URL says (an operator may set that to the real
 * portal for QR codes). Local mode listens on loopback and its token issuer mints any identity, so
 * this opens nothing a local page could not do already.
 */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname, protocol } = new URL(origin);
    return protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]');
  } catch {
    return false;
  }
}

export function createLocalServer(options: LocalServerOptions): Server {
  const router = createRouter(options.routes ?? manifestRoutes);
  const specs = options.functions ?? functionSpecs;
  const loadHandler = options.loadHandler ?? manifestHandlerLoader(specs);
  const log = options.log ?? ((line: string) => console.log(line));
  const limit = options.bodyLimitBytes ?? BODY_LIMIT_BYTES;

  const server = createServer((req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    // The staff console on the portal's origin (issue 16): as API Gateway and the handlers answer it.
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const portalOrigin = origin !== undefined && isLoopbackOrigin(origin) ? origin : allowedOrigin();
    for (const [name, value] of Object.entries(corsHeaders(origin, portalOrigin))) res.setHeader(name, value);
    if (method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      // A preflight, answered as API Gateway's CORS mock integration does (204, no body).
      for (const [name, value] of Object.entries(preflightHeaders(origin, portalOrigin) ?? {})) res.setHeader(name, value);
      res.statusCode = 204;
      res.end();
      return;
    }
    // One line per request: no query string, bodies or headers, which may carry personal data or tokens.
    res.once('close', () => {
      const ms = Math.round(performance.now() - started);
      log(`${method} ${rawPath} ${res.writableFinished ? res.statusCode : 'aborted'} ${ms}ms`);
    });

    // API Gateway refuses request lines this long before any function runs; answer as it would, in our envelope.
    if (rawUrl.length > MAX_URL_BYTES) {
      send(res, 414, errorBody('URI_TOO_LONG', `请求地址过长（上限 ${MAX_URL_BYTES} 字节）`));
      return;
    }
    handle({ req, res, method, rawPath, rawQuery, requestId }).catch((error: unknown) => {
      log(`ERROR ${method} ${rawPath}: ${describeError(error)}`);
      if (!res.headersSent) send(res, 500, errorBody('INTERNAL', '服务器内部错误'));
      else res.destroy();
    });
  });

  // Requests Node's parser refuses (headers too large, malformed): still the error envelope, never a bare status.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'HEADERS_TOO_LARGE', '请求头或地址过长'] : [400, 'BAD_REQUEST', '请求格式错误'];
    const body = errorBody(code, message);
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  interface RequestInfo {
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    readonly method: string;
    readonly rawPath: string;
    readonly rawQuery: string;
    readonly requestId: string;
  }

  async function handle(info: RequestInfo): Promise<void> {
    const { req, res, method, rawPath } = info;

    if (rawPath === '/health') {
      if (method !== 'GET') return refuse(req, res, 405, errorBody('METHOD_NOT_ALLOWED', '不支持该请求方法'), 'GET');
      const state = options.health();
      return send(res, state === 'ready' ? 200 : 503, json({ status: state === 'ready' ? 'ok' : state }));
    }

    // Until the tables exist and the environment is set, a route would fail with a 500: say it is starting.
    if (options.health() === 'starting') {
      res.setHeader('retry-after', '2');
      return send(res, 503, errorBody('STARTING', '本地系统正在启动，请稍候几秒再试'));
    }

    if (rawPath === '/local/token') {
      if (method !== 'POST') return refuse(req, res, 405, errorBody('METHOD_NOT_ALLOWED', '不支持该请求方法'), 'POST');
      return issueToken(info);
    }

    // The demo bureau's people for the console's local sign-in page (issue 16), from the registry as stored.
    if (rawPath === '/local/people') {
      if (method !== 'GET') return refuse(req, res, 405, errorBody('METHOD_NOT_ALLOWED', '不支持该请求方法'), 'GET');
      const { demoPeople } = await import('./demo-people.ts');
      return send(res, 200, json({ items: await demoPeople() }));
    }

    if (rawPath === '/local/inbox') {
      if (method !== 'GET') return refuse(req, res, 405, errorBody('METHOD_NOT_ALLOWED', '不支持该请求方法'), 'GET');
      return showInbox(info);
    }

    if (rawPath === '/oauth2/token') {
      if (method !== 'POST') return refuse(req, res, 405, errorBody('METHOD_NOT_ALLOWED', '不支持该请求方法'), 'POST');
      return issueDeviceToken(info);
    }

    if (rawPath === '/local/s3-events') {
      if (method !== 'POST') return refuse(req, res, 405, errorBody('METHOD_NOT_ALLOWED', '不支持该请求方法'), 'POST');
      return deliverS3Event(info);
    }

    const match = router.match(method, rawPath);
    if (match.kind === 'bad-path') {
      return refuse(req, res, 400, errorBody('BAD_REQUEST', '请求路径编码无效'));
    }
    if (match.kind === 'not-found') {
      return refuse(req, res, 404, errorBody('NOT_FOUND', '请求的资源不存在'));
    }
    if (match.kind === 'method-not-allowed') {
      return refuse(req, res, 405, errorBody('METHOD_NOT_ALLOWED', '不支持该请求方法'), match.allowed.join(', '));
    }

    const { route, pathParameters } = match;
    let claims: AuthorizerClaims | undefined;
    if (route.auth === 'user' || route.auth === 'device') {
      const checked = await authenticate(req, route.auth === 'device' ? 'access' : 'id');
      if (!checked.ok) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return refuse(req, res, 401, errorBody('UNAUTHORIZED', checked.message));
      }
      claims = checked.claims;
    }

    const body = await readBody(req, res, limit);
    if (body.kind === 'too-large') return tooLarge(req, res);
    if (body.kind === 'aborted') return;

    const spec = specs.find((s) => s.id === route.fn);
    if (!spec) throw new Error(`Route ${route.method} ${route.path} names unknown function ${route.fn}`);
    const handler = await loadHandler(route.fn);
    const event = buildEvent(info, route, pathParameters, body.body, claims);
    const result: unknown = await handler(event, buildContext(spec));
    writeResult(res, result);
  }

  async function authenticate(
    req: IncomingMessage,
    kind: 'id' | 'access',
  ): Promise<{ ok: true; claims: AuthorizerClaims } | { ok: false; message: string }> {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') {
      return {
        ok: false,
        message: '缺少登录凭证：请在 Authorization 请求头中提供 Bearer 令牌（本地模式可通过 POST /local/token 获取）',
      };
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!bearer?.[1]) return { ok: false, message: '登录凭证格式无效：应为 “Bearer <令牌>”' };
    const verified = await options.tokens.verify(bearer[1], kind);
    if (verified.ok) {
      // Like API Gateway with authorization scopes on the method: the token must carry one of them.
      if (kind === 'access' && !(verified.claims.scope ?? '').split(' ').includes(DEVICE_UPLOAD_SCOPE)) {
        return { ok: false, message: `设备令牌缺少 ${DEVICE_UPLOAD_SCOPE} 授权范围` };
      }
      return verified;
    }
    if (kind === 'access') return { ok: false, message: verified.reason === 'expired' ? '设备令牌已过期，请重新获取' : '设备令牌无效：请用设备凭证在 /oauth2/token 获取' };
    return { ok: false, message: verified.reason === 'expired' ? '登录凭证已过期，请重新登录' : '登录凭证无效' };
  }

  async function issueToken({ req, res }: RequestInfo): Promise<void> {
    const body = await readBody(req, res, limit);
    if (body.kind === 'too-large') return tooLarge(req, res);
    if (body.kind === 'aborted') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.body.toString('utf8'));
    } catch {
      return send(res, 400, errorBody('VALIDATION_FAILED', '请求体不是有效的 JSON'));
    }
    const result = TokenRequestBody.safeParse(parsed);
    if (!result.success) {
      const details = result.error.issues.map((issue) => ({
        path: ['body', ...issue.path.map(String)].join('.'),
        message: issue.message,
      }));
      return send(res, 400, errorBody('VALIDATION_FAILED', '令牌请求无效：需要 sub、name 和 groups（officer/reviewer/leader/admin）', details));
    }
    const { expiresInSeconds, ...request } = result.data;
    const expiresIn = expiresInSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    const token = await options.tokens.issue(request, { expiresInSeconds: expiresIn });
    send(res, 200, json({ token, tokenType: 'Bearer', expiresIn }));
  }

  /**
   * The OAuth 2.0 client-credentials grant as Cognito's domain serves it: form-encoded body, the client
   * id and secret in HTTP Basic auth (or in the body), answers `{access_token, token_type, expires_in}`.
   */
  async function issueDeviceToken({ req, res }: RequestInfo): Promise<void> {
    const body = await readBody(req, res, 64 * 1024);
    if (body.kind === 'too-large') return tooLarge(req, res);
    if (body.kind === 'aborted') return;
    const oauthError = (status: number, error: string, description: string): void =>
      send(res, status, json({ error, error_description: description }));
    const form = new URLSearchParams(body.body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', '仅支持 client_credentials');
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (!clientId || !clientSecret || !localClientSecretMatches(options.tokens.deviceSecretKey, clientId, clientSecret)) {
      return oauthError(401, 'invalid_client', '设备凭证无效');
    }
    // As in AWS, where revoking deletes the device's app client: no new tokens for a revoked device.
    const { getDeviceByClient } = await import('../shared/store/registry.ts');
    const device = await getDeviceByClient(clientId);
    if (device?.status !== 'ACTIVE') return oauthError(401, 'invalid_client', '设备未登记或已停用');
    const requested = (form.get('scope') ?? DEVICE_UPLOAD_SCOPE).split(/\s+/).filter((x) => x !== '');
    if (requested.some((x) => x !== DEVICE_UPLOAD_SCOPE)) return oauthError(400, 'invalid_scope', `仅支持 ${DEVICE_UPLOAD_SCOPE}`);
    const expiresIn = DEVICE_TOKEN_TTL_MINUTES * 60;
    const token = await options.tokens.issueAccess(clientId, [DEVICE_UPLOAD_SCOPE], { expiresInSeconds: expiresIn });
    send(res, 200, json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn }));
  }

  /**
   * The alerts that would have gone to the SNS topic (digests, holiday-data warnings), newest first.
   * Like `/local/token`, local mode only; `?agencyId=` filters, `?limit=` (default 50, at most 500).
   */
  async function showInbox({ rawQuery, res }: RequestInfo): Promise<void> {
    const params = new URLSearchParams(rawQuery);
    const limitText = params.get('limit') ?? '50';
    const limitValue = Number(limitText);
    if (!/^\d+$/.test(limitText) || limitValue < 1 || limitValue > 500) return send(res, 400, errorBody('VALIDATION_FAILED', 'limit 应为 1–500 的整数'));
    const agency = params.get('agencyId');
    const file = process.env.LOCAL_INBOX_FILE;
    let lines: string[] = [];
    try {
      lines = file ? (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '') : [];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const alerts = lines
      .map((l) => JSON.parse(l) as { agencyId?: string })
      .filter((a) => agency === null || a.agencyId === agency || a.agencyId === '*')
      .reverse()
      .slice(0, limitValue);
    send(res, 200, json({ items: alerts }));
  }

  /** s3rver's object-created events: the same function S3 event notifications invoke in AWS. */
  async function deliverS3Event({ req, res }: RequestInfo): Promise<void> {
    const expected = options.s3EventToken;
    if (expected === undefined || req.headers['x-local-event-token'] !== expected) {
      return refuse(req, res, 403, errorBody('FORBIDDEN', '事件来源无效'));
    }
    const body = await readBody(req, res, limit);
    if (body.kind === 'too-large') return tooLarge(req, res);
    if (body.kind === 'aborted') return;
    const spec = specs.find((s) => s.invokedBy === 's3');
    if (!spec) return send(res, 404, errorBody('NOT_FOUND', '没有处理存储事件的函数'));
    // Answer at once, like S3's asynchronous invocation; hashing a large object takes a while.
    send(res, 202, json({ accepted: true }));
    const event = JSON.parse(body.body.toString('utf8')) as unknown;
    const handler = (await loadHandler(spec.id)) as unknown as (e: unknown, c: Context) => Promise<unknown>;
    try {
      await handler(event, buildContext(spec));
    } catch (error) {
      log(`ERROR s3 event ${spec.id}: ${describeError(error)}`);
    }
  }

  // Without this listener Node answers `Expect: 100-continue` itself, inviting the body before we know
  // whether we want it. With it, a refused request (401, 404, too large) is answered before the client
  // sends its body; readBody sends the 100 when the body is actually wanted.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => server.emit('request', req, res));

  return server;
}

// ---------------------------------------------------------------------------------------------
// Request body

/** Requests told `100 Continue`: their body is on its way. */
const continued = new WeakSet<IncomingMessage>();

type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/** Reads the body, but never keeps more than `limit` bytes: a larger body stops the reading. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  if (/100-continue/i.test(req.headers.expect ?? '')) {
    res.writeContinue();
    continued.add(req);
  }
  return new Promise((resolveBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolveBody(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: 'too-large' });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => finish({ kind: 'ok', body: Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onAbort);
    req.once('close', onClose);
  });
}

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  refuse(req, res, 400, errorBody('PAYLOAD_TOO_LARGE', '请求体超过 1 MB 上限'));
}

/**
 * Answers without (or before finishing) reading the body. The rest of the body is discarded as it
 * arrives — never buffered — so that the client, which may still be sending, gets to read the answer;
 * the connection is closed afterwards, and cut if the client keeps sending for long.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: string, allow?: string): void {
  if (allow !== undefined) res.setHeader('Allow', allow);
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  // A client waiting for `100 Continue` has sent nothing: the connection stays clean.
  const bodyWithheld = /100-continue/i.test(req.headers.expect ?? '') && !continued.has(req);
  if (hasBody && !bodyWithheld && !req.complete) {
    res.setHeader('Connection', 'close');
    req.removeAllListeners('data');
    req.resume();
    const cut = setTimeout(() => req.socket.destroy(), 5000);
    cut.unref();
    req.once('end', () => clearTimeout(cut));
    req.once('close', () => clearTimeout(cut));
  }
  send(res, status, body);
}

function send(res: ServerResponse, status: number, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

// ---------------------------------------------------------------------------------------------
// API Gateway proxy event and Lambda context

function buildEvent(
  info: { req: IncomingMessage; method: string; rawPath: string; rawQuery: string; requestId: string },
  route: RouteSpec,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: AuthorizerClaims | undefined,
): APIGatewayProxyEvent {
  const { req } = info;
  // Header names keep the client's spelling, as API Gateway passes them; `headers` holds the last value.
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    const value = req.rawHeaders[i + 1] ?? '';
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }

  const params = new URLSearchParams(info.rawQuery);
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of params) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }

  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const binary = (BINARY_MEDIA_TYPES as readonly string[]).includes(contentType);
  const hasBody = body.length > 0;
  const now = Date.now();

  return {
    resource: route.path,
    path: info.rawPath,
    httpMethod: info.method,
    headers,
    multiValueHeaders,
    // API Gateway sends null, not {}, when there are none.
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body: hasBody ? body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: hasBody && binary,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: claims ? { claims } : undefined,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: info.method,
      path: `/local${info.rawPath}`,
      stage: 'local',
      requestId: info.requestId,
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: route.path,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

/** The Lambda context a handler gets (also used by the local scheduler). */
export function buildContext(spec: FunctionSpec): Context {
  const functionName = `three-systems-local-${spec.id}`;
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const unsupported = (): never => {
    throw new Error('Callback-style Lambda context methods are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${process.pid}`,
    // Reported, not enforced: DynamoDB Local on a cold JVM is slower than the real service, and a
    // spurious timeout would mislead more than it protects.
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

function writeResult(res: ServerResponse, result: unknown): void {
  const r = result as Partial<APIGatewayProxyResult> | null | undefined;
  if (!r || typeof r !== 'object' || !Number.isInteger(r.statusCode) || (r.statusCode ?? 0) < 100 || (r.statusCode ?? 0) > 599) {
    // API Gateway answers a malformed proxy result with 502; here it is the same class of bug.
    throw new Error('Malformed Lambda proxy result (no valid statusCode)');
  }
  if (r.body !== undefined && typeof r.body !== 'string') throw new Error('Malformed Lambda proxy result (body is not a string)');
  res.statusCode = r.statusCode ?? 500;
  for (const [name, value] of Object.entries(r.headers ?? {})) res.setHeader(name, String(value));
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) res.setHeader(name, values.map(String));
  if (!res.hasHeader('content-type')) res.setHeader('Content-Type', 'application/json');
  const bytes = Buffer.from(r.body ?? '', r.isBase64Encoded ? 'base64' : 'utf8');
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/**
 * For the log: the error's class, message and stack. Handlers map their own errors, so what reaches
 * this point is a bug; the message helps fixing it and does not contain request bodies or tokens.
 */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
