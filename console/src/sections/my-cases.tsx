/**
 * 我的案件 (issue 16, point 2): the cases of the user's agency, their own first (they are among its
 * handling officers), each with how near its decision limit is (N11). Leaders and the legal division
 * may read the deadline check (`GET /compliance/deadlines`, access.ts `deadlines.read`): for them each
 * case also shows the check's reminders; officers see the limits the cases themselves carry.
 */
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { CaseDetail, DeadlineItem, Page } from '../api/types.ts';
import { ErrorNote, Link, Loading, PageHeading } from '../components.tsx';
import { daysLeftText, dueState, remindersFor, shanghaiDate, splitMine, type CaseSummary } from '../lib/cases.ts';
import type { ApiError } from '../lib/errors.ts';
import { CASE_STATUS_LABELS, DEADLINE_KIND_LABELS, PARTY_KIND_LABELS } from '../lib/labels.ts';
import { href } from '../lib/routes.ts';
import { POWER_TYPE_LABELS } from '../../../shared/domain/power-types.ts';

const PAGE_SIZE = 100;

interface Loaded {
  readonly cases: CaseDetail[];
  /** The officer's own cases, whichever page of the agency's list they are on (`GET /cases?handler=me`). */
  readonly mine: CaseDetail[] | undefined;
  readonly nextCursor: string | null;
  readonly deadlines: DeadlineItem[] | undefined;
}

function CaseTable({ cases, caption, today, deadlines }: { cases: readonly CaseSummary[]; caption: string; today: string; deadlines: DeadlineItem[] | undefined }) {
  return (
    <table class="cases">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">案件编号</th>
          <th scope="col">当事人</th>
          <th scope="col">案由</th>
          <th scope="col">立案日期</th>
          <th scope="col">办案期限</th>
          <th scope="col">状态</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => {
          const due = dueState(c, today);
          const reminders = deadlines ? remindersFor(c, deadlines) : [];
          return (
            <tr key={c.id}>
              <th scope="row" data-label="案件编号">
                <Link href={href.case(c.id)}>{c.caseNo}</Link>
              </th>
              <td data-label="当事人">
                {c.party.name}
                <span class="muted">{PARTY_KIND_LABELS[c.party.kind] ?? c.party.kind}</span>
              </td>
              <td data-label="案由">
                {c.summary}
                <span class="muted">{POWER_TYPE_LABELS[c.enforcementType as keyof typeof POWER_TYPE_LABELS] ?? c.enforcementType} · {c.powerName}</span>
              </td>
              <td data-label="立案日期" class="nowrap">
                {c.filingDate}
              </td>
              <td data-label="办案期限">
                {c.status === 'OPEN' ? (
                  <>
                    <span class="nowrap">{c.decisionDueDate}</span>
                    <span class={`due due-${due.tone}`}>{due.text}</span>
                  </>
                ) : (
                  '—'
                )}
                {reminders.map((d, i) => (
                  <span key={i} class={`due due-${d.state === 'OVERDUE' ? 'overdue' : 'soon'}`} title={d.text}>
                    {DEADLINE_KIND_LABELS[d.kind] ?? d.kind} {d.dueDate} {daysLeftText(d.daysLeft)}
                  </span>
                ))}
              </td>
              <td data-label="状态" class="nowrap">
                {CASE_STATUS_LABELS[c.status] ?? c.status}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default function MyCases() {
  const { api, session } = useApp();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [more, setMore] = useState(false);
  const agencyId = session?.agencyId;
  const officerId = session?.officerId;
  const mayReadDeadlines = session?.groups.some((g) => g === 'leader' || g === 'admin') ?? false;

  useEffect(() => {
    if (!agencyId) return;
    let live = true;
    void Promise.all([
      result<Page<CaseDetail>>(api.GET('/cases', { params: { query: { agencyId, limit: PAGE_SIZE } } })),
      mayReadDeadlines ? result<{ items: DeadlineItem[] }>(api.GET('/compliance/deadlines', { params: { query: { agencyId } } })) : Promise.resolve(undefined),
      officerId ? result<Page<CaseDetail>>(api.GET('/cases', { params: { query: { handler: 'me', limit: PAGE_SIZE } } })) : Promise.resolve(undefined),
    ]).then(([cases, deadlines, mine]) => {
      if (!live) return;
      if (!cases.ok) return setError(cases.error);
      if (mine && !mine.ok) return setError(mine.error);
      setLoaded({ cases: cases.data.items, mine: mine?.data.items, nextCursor: cases.data.nextCursor, deadlines: deadlines?.ok ? deadlines.data.items : undefined });
    });
    return () => {
      live = false;
    };
  }, [api, agencyId, officerId, mayReadDeadlines]);

  const loadMore = async () => {
    if (!loaded?.nextCursor || !agencyId) return;
    setMore(true);
    const r = await result<Page<CaseDetail>>(api.GET('/cases', { params: { query: { agencyId, limit: PAGE_SIZE, cursor: loaded.nextCursor } } }));
    setMore(false);
    if (!r.ok) return setError(r.error);
    setLoaded({ ...loaded, cases: [...loaded.cases, ...r.data.items], nextCursor: r.data.nextCursor });
  };

  const today = shanghaiDate(new Date());
  const split = loaded ? splitMine(loaded.mine ? [...loaded.mine, ...loaded.cases.filter((c) => !loaded.mine?.some((m) => m.id === c.id))] : loaded.cases, officerId) : undefined;

  return (
    <section>
      <PageHeading title="我的案件">
        <p class="lead">本机构的案件，本人承办的在前；办理中的案件按办案期限（立案之日起 90 日）由近及远排列。</p>
        {session?.groups.some((g) => g === 'officer' || g === 'leader' || g === 'admin') ? (
          <p>
            <Link href={href.newCase()} class="button">
              立案
            </Link>
          </p>
        ) : null}
      </PageHeading>
      {!agencyId ? <p class="notice">当前用户未关联执法主体，没有本机构案件可显示。</p> : null}
      {error ? <ErrorNote error={error} title="无法加载案件" /> : null}
      {agencyId && !loaded && !error ? <Loading what="案件" /> : null}
      {loaded && split ? (
        <>
          <p class="summary" role="status">
            共 {loaded.cases.length} 件{loaded.nextCursor ? '（还有更多）' : ''}
            {session?.officerId ? `；本人承办 ${split.mine.length} 件` : ''}；办理中 {loaded.cases.filter((c) => c.status === 'OPEN').length} 件。
          </p>
          {!mayReadDeadlines ? <p class="muted small">期限提醒汇总由负责人和法制机构查看；此处显示各案件的办案期限。</p> : null}
          {split.mine.length > 0 ? <CaseTable cases={split.mine} caption="本人承办的案件" today={today} deadlines={loaded.deadlines} /> : null}
          {split.others.length > 0 ? (
            <CaseTable cases={split.others} caption={split.mine.length > 0 ? '本机构其他案件' : '本机构案件'} today={today} deadlines={loaded.deadlines} />
          ) : null}
          {loaded.cases.length === 0 ? <p>本机构暂无案件。</p> : null}
          {loaded.nextCursor ? (
            <button type="button" class="secondary" disabled={more} onClick={() => void loadMore()}>
              {more ? '正在加载…' : '加载更多案件'}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
