/** A fake public API for the portal's page tests: answers by path (a value, a function of the query, or an error to throw), and records every call. */
import type { ApiResult, PublicApi } from '../../functions/portal/api.ts';
import type { Site } from '../../functions/portal/layout.ts';
import { renderPortal } from '../../functions/portal/router.ts';

export type Answer = ApiResult<unknown> | Error | ((query: Record<string, string | undefined>) => ApiResult<unknown>);
export type FakeApi = PublicApi & { calls: { path: string; query: Record<string, string | undefined> }[] };

export const ok = (body: unknown): ApiResult<unknown> => ({ ok: true, status: 200, body });
export const notFoundAnswer: ApiResult<unknown> = { ok: false, status: 404, error: { code: 'NOT_FOUND', message: '未找到' } };

export function fakeApi(answers: Record<string, Answer>): FakeApi {
  const calls: FakeApi['calls'] = [];
  return {
    calls,
    get: async <T>(path: string, query: Readonly<Record<string, string | undefined>> = {}): Promise<ApiResult<T>> => {
      calls.push({ path, query: { ...query } });
      const answer = answers[path] ?? notFoundAnswer;
      if (answer instanceof Error) throw answer;
      return (typeof answer === 'function' ? answer({ ...query }) : answer) as ApiResult<T>;
    },
  };
}

export const site: Site = { bureauName: '宿迁市市场监督管理局', stylesheet: '/assets/portal-abc.css', apiUrl: 'https://api.example.cn' };

export const render = (api: PublicApi, path: string, query = '', method = 'GET') => renderPortal(site, api, { method, path, query });
