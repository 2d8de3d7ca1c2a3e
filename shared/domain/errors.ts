/**
 * Domain errors. Each carries a stable upper-snake-case code and a zh-CN message; the HTTP layer
 * maps the class to a status in one place (shared/http/errors.ts).
 */
export interface ErrorDetail {
  /** Where the problem is: a field path (`body.validUntil`), a row (`row 7`), ... */
  readonly path?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request itself is malformed. */
export class ValidationError extends AppError {
  readonly status = 400;
  constructor(message: string, details: readonly ErrorDetail[] = [], code = 'VALIDATION_FAILED') {
    super(code, message, details);
  }
}

/** 401: no identity, or one that cannot be trusted. */
export class UnauthorizedError extends AppError {
  readonly status = 401;
  constructor(message = '未登录或登录凭证无效') {
    super('UNAUTHORIZED', message);
  }
}

/** 403: a known identity without the right. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  constructor(message = '无权执行此操作', code = 'FORBIDDEN') {
    super(code, message);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(message: string, code = 'NOT_FOUND') {
    super(code, message);
  }
}

/** 409: the request conflicts with the current state (stale version, duplicate, wrong step). */
export class ConflictError extends AppError {
  readonly status = 409;
  constructor(code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, details);
  }
}

export class VersionConflictError extends ConflictError {
  constructor(entity: string, expected?: number, current?: number) {
    super(
      'VERSION_CONFLICT',
      `${entity}已被他人修改，请重新读取后再提交`,
      current === undefined ? [] : [{ path: 'version', message: `当前版本为 ${current}`, expected, current }],
    );
  }
}

/**
 * 413: the request is well-formed, but what it would store exceeds a storage limit (a DynamoDB item
 * above 400 KB). Nothing is written; the message names the entity and the limit.
 */
export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  constructor(message: string, details: readonly ErrorDetail[] = [], code = 'ITEM_TOO_LARGE') {
    super(code, message, details);
  }
}

/** 422: well-formed, but a business rule refuses it (e.g. an invalid certificate). */
export class BusinessRuleError extends AppError {
  readonly status = 422;
  constructor(code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, details);
  }
}
