/**
 * 审核任务 (issue 16, point 3; L1, N8–N10): the reviews assigned to the signed-in reviewer, those
 * waiting for their opinion first, overdue first, then by the opinion's due date; each opens the
 * review page. The status filter is the API's (`GET /reviews?assignee=me&status=`).
 */
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { Page, ReviewView } from '../api/types.ts';
import { ErrorNote, Link, Loading, PageHeading } from '../components.tsx';
import { shanghaiDate } from '../lib/cases.ts';
import type { ApiError } from '../lib/errors.ts';
import { REVIEW_STATUS_LABELS, byOpinionDue, opinionDue, waitsForMe } from '../lib/review.ts';
import { href } from '../lib/routes.ts';
import { beijing } from './case-parts.tsx';

const PAGE_SIZE = 50;
const STATUSES = ['IN_PROGRESS', 'PASSED', 'REJECTED', 'WITHDRAWN', 'FAILED'] as const;
type Filter = '' | (typeof STATUSES)[number];

const query = (filter: Filter, cursor?: string) => ({ assignee: 'me', limit: PAGE_SIZE, ...(filter ? { status: filter } : {}), ...(cursor ? { cursor } : {}) });

export default function ReviewQueue() {
  const { api, session } = useApp();
  const [filter, setFilter] = useState<Filter>('IN_PROGRESS');
  const [items, setItems] = useState<ReviewView[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [more, setMore] = useState(false);

  const officerId = session?.officerId;

  useEffect(() => {
    // Reviews are assigned to officer records: without one (the legal division's administrator) there is no queue to ask for.
    if (!officerId) return;
    let live = true;
    setItems(undefined);
    setError(undefined);
    void result<Page<ReviewView>>(api.GET('/reviews', { params: { query: query(filter) } })).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setItems(r.data.items);
      setCursor(r.data.nextCursor);
    });
    return () => {
      live = false;
    };
  }, [api, filter, officerId]);

  const loadMore = async () => {
    if (!cursor || !items) return;
    setMore(true);
    const r = await result<Page<ReviewView>>(api.GET('/reviews', { params: { query: query(filter, cursor) } }));
    setMore(false);
    if (!r.ok) return setError(r.error);
    setItems([...items, ...r.data.items]);
    setCursor(r.data.nextCursor);
  };

  const today = shanghaiDate(new Date());
  const sorted = items ? [...items].sort(byOpinionDue) : undefined;
  const mine = sorted?.filter((r) => waitsForMe(r, officerId)) ?? [];
  const overdue = mine.filter((r) => opinionDue(r, today).tone === 'overdue').length;

  return (
    <section>
      <PageHeading title="审核任务">
        <p class="lead">分配给本人的重大执法决定法制审核；待出具意见的在前，已超期的最先，其余按意见期限由近及远排列。</p>
      </PageHeading>
      {officerId ? (
        <div class="filters">
          <label for="review-status">审核状态</label>
          <select id="review-status" value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {REVIEW_STATUS_LABELS[s]}
              </option>
            ))}
            <option value="">全部</option>
          </select>
        </div>
      ) : null}
      {!officerId ? <p class="notice">当前账号未关联执法人员，没有分配给本人的审核任务；审核任务分配给持证的法制审核人员。</p> : null}
      {error ? <ErrorNote error={error} title="无法加载审核任务" /> : null}
      {officerId && !items && !error ? <Loading what="审核任务" /> : null}
      {sorted ? (
        <>
          <p class="summary" role="status">
            共 {sorted.length} 件{cursor ? '（还有更多）' : ''}；待本人出具意见 {mine.length} 件{overdue > 0 ? `，其中已超期 ${overdue} 件` : ''}。
          </p>
          {sorted.length === 0 ? (
            <p>{filter === 'IN_PROGRESS' ? '目前没有分配给您的进行中的审核。' : '没有符合条件的审核。'}</p>
          ) : (
            <table class="cases reviews">
              <caption>分配给本人的审核</caption>
              <thead>
                <tr>
                  <th scope="col">案件编号</th>
                  <th scope="col">决定文号</th>
                  <th scope="col">当前步骤</th>
                  <th scope="col">意见期限</th>
                  <th scope="col">提交</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => {
                  const due = opinionDue(r, today);
                  return (
                    <tr key={r.id}>
                      <th scope="row" data-label="案件编号">
                        <Link href={href.review(r.id)}>{r.caseNo}</Link>
                        {waitsForMe(r, officerId) ? <span class="waiting-mark">待本人出具意见</span> : null}
                      </th>
                      <td data-label="决定文号">{r.decisionNo}</td>
                      <td data-label="当前步骤">
                        {r.stepLabel}
                        {r.status !== 'IN_PROGRESS' ? <span class="muted">{REVIEW_STATUS_LABELS[r.status] ?? r.status}</span> : null}
                      </td>
                      <td data-label="意见期限">
                        {r.opinionDueDate ? <span class="nowrap">{r.opinionDueDate}</span> : '—'}
                        {due.tone !== 'done' ? <span class={`due due-${due.tone}`}>{due.text}</span> : null}
                      </td>
                      <td data-label="提交">
                        {r.submittedBy}
                        <span class="muted">{beijing(r.submittedAt)}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {cursor ? (
            <button type="button" class="secondary" disabled={more} onClick={() => void loadMore()}>
              {more ? '正在加载…' : '加载更多'}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
