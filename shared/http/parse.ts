/** Parsing at the edge: JSON bodies and zod schemas, turned into 400s with zh-CN messages. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from '../domain/z.ts';
import { AppError, ValidationError } from '../domain/errors.ts';
import { MAX_BODY_BYTES } from './router.ts';

export function parseWith<T>(schema: z.ZodType<T>, input: unknown, where: 'path' | 'query' | 'body'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.flatMap((issue) => {
    const path = [where, ...issue.path.map(String)];
    // zod reports unknown keys once, at the object; name each of them where it is.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: `不允许的字段「${key}」` }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
  const label = where === 'body' ? '请求内容' : where === 'query' ? '查询参数' : '路径参数';
  throw new ValidationError(`${label}无效：${details.map((d) => `${d.path} ${d.message}`).join('；')}`, details);
}

export function parseJsonBody(event: APIGatewayProxyEvent, headers: Readonly<Record<string, string | undefined>>): unknown {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new ValidationError('请求体超过 1 MB 上限', [], 'PAYLOAD_TOO_LARGE');
  }
  const type = headers['content-type'];
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaTypeError();
  }
  if (raw.trim() === '') throw new ValidationError('请求体不能为空，应为 JSON 对象', [], 'INVALID_JSON');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ValidationError('请求体不是合法的 JSON', [], 'INVALID_JSON');
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', '请求体应为 JSON（Content-Type: application/json）');
  }
}
