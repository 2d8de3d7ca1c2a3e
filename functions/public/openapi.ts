/**
 * OpenAPI 3.1 for the public API, generated from the same zod schemas the routes parse with, so
 * the document cannot drift from the behaviour (D14).
 *
 * zod writes each schema with its named parts (`.meta({ id })`) under its own `$defs`, referenced as
 * `#/$defs/X`. Inside an OpenAPI document such a reference resolves against the document root, where
 * there is nothing: the named parts are hoisted into `components/schemas` and every `$ref` rewritten to
 * `#/components/schemas/X`, so linters and client generators resolve them (issue 13, point 7).
 */
import { isDeepStrictEqual } from 'node:util';
import * as z from '#domain/z.ts';
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

/** Named schemas of one document; the same name must always mean the same schema. */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  /** A route's schema as JSON Schema 2020-12, its named parts moved into the components. */
  schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
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

/** Staff routes (an internal document) would need a Cognito ID token, sent as a bearer token. */
const BEARER = 'cognitoIdToken';

export function buildOpenApi(routes: readonly Route[], serverUrl = '/'): JsonSchema {
  const components = new Components();
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: components.schemaOf(errorEnvelope, 'output') } } });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: operationIdOf(r),
      // Public routes need no credentials at all; others a user's or a device's bearer token.
      security: r.auth === 'public' ? [] : [{ [BEARER]: [] }],
      parameters: [...components.parametersOf(r.params, 'path'), ...components.parametersOf(r.query, 'query')],
      responses: {
        [String(r.status ?? 200)]: {
          description: '成功',
          content: { 'application/json': { schema: r.response ? components.schemaOf(r.response, 'output') : {} } },
        },
        '400': errorResponse('请求参数无效'),
        ...(r.params ? { '404': errorResponse('不存在') } : {}),
      },
    };
    paths[r.path] = { ...(paths[r.path] ?? {}), [r.method.toLowerCase()]: op };
  }
  const staff = routes.some((r) => r.auth !== 'public');
  return {
    openapi: '3.1.0',
    info: {
      title: '行政执法公示平台公开接口 (Public disclosure API)',
      version: '1.0.0',
      description:
        '行政执法三项制度·行政执法公示：执法主体、执法人员、证件核验、职权事项清单、双随机抽查事项清单、法定节假日安排（工作日期限据此计算）、已公示的执法决定及其在审计日志中的证明（GET /public/decisions/{id}/proof，可用 npm run verify-log 查验）。无需登录；不含任何个人信息。',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
      ...(staff ? { securitySchemes: { [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito 用户池 ID 令牌或设备访问令牌' } } } : {}),
    },
  };
}
