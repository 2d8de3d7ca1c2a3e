/**
 * OpenAPI 3.1 generated from the same zod schemas the routes parse with, so the document cannot drift
 * from the behaviour (D14): the public API's document (served by GET /public/openapi.json) and the
 * internal one for staff (shared/openapi/internal.ts, served by GET /openapi.json, issue 16).
 *
 * zod writes each schema with its named parts (`.meta({ id })`) under its own `$defs`, referenced as
 * `#/$defs/X`. Inside an OpenAPI document such a reference resolves against the document root, where
 * there is nothing: the named parts are hoisted into `components/schemas` and every `$ref` rewritten to
 * `#/components/schemas/X`, so linters and client generators resolve them (issue 13, point 7).
 */
import { isDeepStrictEqual } from 'node:util';
import * as z from '#domain/z.ts';
import { POLICY } from '#domain/access.ts';
import { DEVICE_UPLOAD_SCOPE } from '../../shared/manifest.ts';
import type { Route } from '#http/router.ts';
import { errorEnvelope } from '#http/schemas.ts';

type JsonSchema = Record<string, unknown>;

const DEFS_PREFIX = '#/$defs/';
const COMPONENTS_PREFIX = '#/components/schemas/';

/** `#/$defs/X` → `#/components/schemas/X`, everywhere in a schema; any other reference is a bug here. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      if (!v.startsWith(DEFS_PREFIX)) throw new Error(`OpenAPI: unexpected $ref ${v} (name the schema with .meta({ id }))`);
      out[k] = COMPONENTS_PREFIX + v.slice(DEFS_PREFIX.length);
    } else {
      out[k] = rewriteRefs(v);
    }
  }
  return out;
}

/**
 * zod writes a record keyed by an enum (every key required) as `propertyNames` + `required` with no
 * `properties`: valid, but linters flag required names that are not properties, and client generators
 * type it as an open map. The same constraint with each key spelled out as a property.
 */
function exhaustiveRecords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(exhaustiveRecords);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, exhaustiveRecords(v)]));
  const keys = (out.propertyNames as JsonSchema | undefined)?.enum;
  const required = out.required as unknown[] | undefined;
  const value = out.additionalProperties;
  if (out.type === 'object' && out.properties === undefined && Array.isArray(keys) && typeof value === 'object' && isDeepStrictEqual([...(required ?? [])].sort(), [...keys].sort())) {
    delete out.propertyNames;
    out.properties = Object.fromEntries(keys.map((k) => [String(k), value]));
    out.additionalProperties = false;
  }
  return out;
}

/** Named schemas of one document; the same name must always mean the same schema. */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  /** A route's schema as JSON Schema 2020-12, its named parts moved into the components. */
  schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = exhaustiveRecords(z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' })) as JsonSchema;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    for (const [id, def] of Object.entries(defs)) {
      const hoisted = rewriteRefs(def) as JsonSchema;
      const known = this.schemas[id];
      // Two schemas with one id (or one schema differing as input and output) would make one `$ref` lie.
      if (known !== undefined && !isDeepStrictEqual(known, hoisted)) throw new Error(`OpenAPI: two different schemas are named ${id}`);
      this.schemas[id] = hoisted;
    }
    return rewriteRefs(json) as JsonSchema;
  }

  parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
    if (!schema) return [];
    const json = this.schemaOf(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    return Object.entries(properties).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      schema: s,
    }));
  }
}

/** The operation id: `GET /public/officers/verify/{certificateNo}` → `getPublicOfficersVerifyCertificateNo`. */
export const operationIdOf = (r: Pick<Route, 'method' | 'path'>): string =>
  `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_m, c: string) => c.toUpperCase())}`;

/** Staff routes need a Cognito ID token, device routes a device's access token; both sent as bearer tokens. */
const BEARER = 'cognitoIdToken';
const DEVICE_BEARER = 'deviceAccessToken';

/** `METHOD /path`, the key of the tables below. */
export const routeKey = (r: Pick<Route, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export interface OpenApiOptions {
  readonly serverUrl?: string;
  readonly info?: { readonly title: string; readonly version: string; readonly description: string };
  /**
   * Each route's body schema resolved (`bodySchemaOf`: a `lazySchema` loaded), by route. Required for a
   * route with a lazy body: the generator is synchronous and will not guess.
   */
  readonly bodies?: ReadonlyMap<Route, z.ZodType | 'raw'>;
  /** The media types a `raw` body accepts, by `METHOD /path`; a raw route without an entry is an error. */
  readonly rawBodies?: Readonly<Record<string, readonly string[]>>;
  /**
   * Answers that are not JSON (a RawResult: PDF, image, zip), by `METHOD /path`: their media types, and
   * a redirect status where a large answer is sent as a link instead.
   */
  readonly rawResponses?: Readonly<Record<string, { readonly mediaTypes: readonly string[]; readonly redirect?: number }>>;
  /** Success statuses a handler answers with (an HttpResult) besides the route's own, by `METHOD /path`. */
  readonly otherSuccess?: Readonly<Record<string, readonly number[]>>;
  /** Error statuses a route answers with beyond the rules below (a read that meets a conflict), by `METHOD /path`. */
  readonly otherErrors?: Readonly<Record<string, readonly (409 | 422)[]>>;
}

const PUBLIC_INFO = {
  title: '行政执法公示平台公开接口 (Public disclosure API)',
  version: '1.0.0',
  description:
    '行政执法三项制度·行政执法公示：执法主体、执法人员、证件核验、职权事项清单、双随机抽查事项清单、法定节假日安排（工作日期限据此计算）、已公示的执法决定及其在审计日志中的证明（GET /public/decisions/{id}/proof，可用 npm run verify-log 查验）。无需登录；不含任何个人信息。',
};

const SUCCESS: Readonly<Record<string, string>> = { '200': '成功', '201': '已创建', '202': '已受理，尚在处理中' };

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Who may call the route, in words: the permission of shared/domain/access.ts and its groups. */
function whoMayCall(r: Route): string | undefined {
  if (r.auth === 'public') return undefined;
  if (r.auth === 'device') return `仅限执法记录设备：需要 ${DEVICE_UPLOAD_SCOPE} 授权范围的设备访问令牌。`;
  return `权限 ${r.auth}（${POLICY[r.auth].what}）：${POLICY[r.auth].groups.join('、')}。`;
}

export function buildOpenApi(routes: readonly Route[], options: OpenApiOptions = {}): JsonSchema {
  const components = new Components();
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: components.schemaOf(errorEnvelope, 'output') } } });
  const paths: Record<string, Record<string, unknown>> = {};
  const schemes = new Set<string>();
  for (const r of routes) {
    const key = routeKey(r);
    const lazy = typeof r.body === 'object' && 'load' in r.body;
    const body = options.bodies?.get(r) ?? (lazy ? undefined : (r.body as z.ZodType | 'raw' | undefined));
    if (lazy && body === undefined) throw new Error(`OpenAPI: ${key} has a lazy body schema; resolve it (bodySchemaOf) and pass it in options.bodies`);
    const scheme = r.auth === 'public' ? undefined : r.auth === 'device' ? DEVICE_BEARER : BEARER;
    if (scheme) schemes.add(scheme);
    const raw = options.rawResponses?.[key];
    const statuses = [...new Set([r.status ?? 200, ...(options.otherSuccess?.[key] ?? [])])].sort().map(String);
    const content = raw
      ? Object.fromEntries(raw.mediaTypes.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]))
      : { 'application/json': { schema: r.response ? components.schemaOf(r.response, 'output') : {} } };
    const success = {
      ...Object.fromEntries(statuses.map((s) => [s, { description: SUCCESS[s] ?? '成功', content }])),
      ...(raw?.redirect ? { [String(raw.redirect)]: { description: '文件较大：按 Location 头的短时链接下载', headers: { Location: { description: '短时下载链接', schema: { type: 'string', format: 'uri' } } } } } : {}),
    };
    const who = whoMayCall(r);
    const op: Record<string, unknown> = {
      summary: r.summary,
      ...(who ? { description: who } : {}),
      operationId: operationIdOf(r),
      // Public routes need no credentials at all; others a user's or a device's bearer token.
      security: scheme ? [{ [scheme]: [] }] : [],
      parameters: [
        ...components.parametersOf(r.params, 'path'),
        ...components.parametersOf(r.query, 'query'),
        ...(r.idempotency
          ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: '重试同一创建请求时使用同一个键（8–128 位字母、数字或 _.:-），得到第一次的应答', schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' } }]
          : []),
      ],
      ...(body === undefined ? {} : { requestBody: requestBodyOf(key, body, components, options) }),
      responses: {
        ...success,
        '400': errorResponse('请求参数无效（details[].path 指明字段）'),
        ...(scheme ? { '401': errorResponse('未登录或令牌无效、已过期'), '403': errorResponse('无权调用此接口或访问此对象') } : {}),
        ...(r.params ? { '404': errorResponse('不存在') } : {}),
        // Writes meet the state they change: a version or state conflict (409), a rule of the procedure (422).
        ...(WRITES.has(r.method) || options.otherErrors?.[key]?.includes(409) ? { '409': errorResponse('与当前状态冲突（如版本已变化），请重新读取后再试') } : {}),
        ...(WRITES.has(r.method) || options.otherErrors?.[key]?.includes(422) ? { '422': errorResponse('不符合业务规则') } : {}),
      },
    };
    paths[r.path] = { ...(paths[r.path] ?? {}), [r.method.toLowerCase()]: op };
  }
  const securitySchemes = {
    ...(schemes.has(BEARER) ? { [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito 用户池 ID 令牌（工作人员登录后取得）' } } : {}),
    ...(schemes.has(DEVICE_BEARER)
      ? { [DEVICE_BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `执法记录设备的访问令牌（客户端凭证授权，${DEVICE_UPLOAD_SCOPE} 授权范围）` } }
      : {}),
  };
  return {
    openapi: '3.1.0',
    info: options.info ?? PUBLIC_INFO,
    servers: [{ url: options.serverUrl ?? '/' }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
      ...(schemes.size > 0 ? { securitySchemes } : {}),
    },
  };
}

/** A JSON body from its schema as the client sends it (io 'input': defaults optional); a raw body as its bytes. */
function requestBodyOf(key: string, body: z.ZodType | 'raw', components: Components, options: OpenApiOptions) {
  if (body !== 'raw') return { required: true, content: { 'application/json': { schema: components.schemaOf(body, 'input') } } };
  const types = options.rawBodies?.[key];
  if (!types?.length) throw new Error(`OpenAPI: ${key} takes a raw body; name its media types in options.rawBodies`);
  return { required: true, content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }])) };
}
