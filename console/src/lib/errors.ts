/**
 * The API's error envelope ({error: {code, message, details: [{path, message}]}}) turned into what a
 * form shows: each detail next to the field its `path` names, the rest above the form (issue 16, "Bad
 * input"). Paths look like `body.place`, `body.officerIds.1`, `query.agencyId`, `act <id>`.
 */
export interface ApiErrorDetail {
  readonly path?: string;
  readonly message: string;
}

/** Messages by form field (`date`, `participants.1.view`…), and the ones no field owns (never dropped). */
export interface FormErrors {
  readonly byField: Record<string, string[]>;
  readonly general: string[];
}

export interface ApiError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details: readonly ApiErrorDetail[];
}

/** Any answer body as an ApiError (a proxy's HTML page or an empty body still gives a message). */
export function toApiError(status: number, body: unknown): ApiError {
  const error = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown; details?: unknown };
    const details = Array.isArray(e.details)
      ? e.details.flatMap((d: unknown): ApiErrorDetail[] => {
          if (typeof d !== 'object' || d === null) return [];
          const { path, message } = d as { path?: unknown; message?: unknown };
          return typeof message === 'string' ? [{ ...(typeof path === 'string' ? { path } : {}), message }] : [];
        })
      : [];
    return { status, code: typeof e.code === 'string' ? e.code : 'ERROR', message: typeof e.message === 'string' ? e.message : fallbackMessage(status), details };
  }
  return { status, code: status === 0 ? 'NETWORK' : 'ERROR', message: fallbackMessage(status), details: [] };
}

export function fallbackMessage(status: number): string {
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  if (status === 401) return '登录已过期，请重新登录';
  if (status === 403) return '无权执行此操作';
  if (status === 404) return '请求的内容不存在';
  if (status === 503) return '系统正在启动或维护，请稍后再试';
  return `服务器返回错误（${status}），请稍后再试`;
}

/**
 * The form field a detail's path names: `body.officerIds.1` and `officerIds` are the field
 * `officerIds`; the API's officer problems (`officer <id>`) belong to the officer picker.
 */
export function fieldOf(path: string | undefined, fields: readonly string[]): string | undefined {
  if (!path) return undefined;
  if (/^officer\s/.test(path)) return fields.includes('officerIds') ? 'officerIds' : undefined;
  const parts = path.split('.');
  const head = parts[0] === 'body' ? parts[1] : parts[0];
  return head !== undefined && fields.includes(head) ? head : undefined;
}

/** Messages by form field; a path the form has no field for stays in `general`, so no message is lost. */
export function fieldErrors(error: ApiError, fields: readonly string[]): { byField: Record<string, string[]>; general: string[] } {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const d of error.details) {
    const field = fieldOf(d.path, fields);
    if (field !== undefined) (byField[field] ??= []).push(d.message);
    else general.push(d.message);
  }
  return { byField, general };
}
