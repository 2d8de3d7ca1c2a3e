/**
 * 期限看板 (issue 16, point 4; D7, D11, N4, N5, N9, N11): the deadline check (`GET /compliance/deadlines`,
 * access.ts `deadlines.read`: leaders and the legal division) for the user's agency, overdue first,
 * then due soon, each grouped by kind with the days left, linking to the case page.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { AgencyListed, DeadlineBoard, Page } from '../api/types.ts';
import { AgencyPicker, ErrorNote, Link, Loading, PageHeading } from '../components.tsx';
import { daysLeftText } from '../lib/cases.ts';
import type { ApiError } from '../lib/errors.ts';
import { DEADLINE_KIND_LABELS } from '../lib/labels.ts';
import { deadlineCaseId, groupDeadlines, selectableAgencies } from '../lib/leader.ts';
import { href } from '../lib/routes.ts';

type Item = DeadlineBoard['items'][number];

function Subject({ item }: { item: Item }) {
  const caseId = deadlineCaseId(item);
  if (caseId) return <Link href={href.case(caseId)}>{item.caseNo ? `案件 ${item.caseNo}` : '查看案件'}</Link>;
  return <span>{item.caseNo ? `案件 ${item.caseNo}` : item.agencyId === '*' ? '全局事项' : (DEADLINE_KIND_LABELS[item.kind] ?? item.kind)}</span>;
}

export default function Deadlines() {
  const { api, session } = useApp();
  const [agencies, setAgencies] = useState<AgencyListed[] | undefined>();
  const [agencyId, setAgencyId] = useState<string | undefined>(session?.agencyId);
  const [board, setBoard] = useState<DeadlineBoard | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();

  useEffect(() => {
    void result<Page<AgencyListed>>(api.GET('/agencies', { params: { query: { limit: 100 } } })).then((r) => setAgencies(r.ok ? r.data.items : []));
  }, [api]);

  useEffect(() => {
    let live = true;
    setBoard(undefined);
    setError(undefined);
    // The legal division without a choice sees every agency's items (the API's own default).
    void result<DeadlineBoard>(api.GET('/compliance/deadlines', { params: { query: agencyId ? { agencyId } : {} } })).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setBoard(r.data);
    });
    return () => {
      live = false;
    };
  }, [api, agencyId]);

  if (!session) return null;
  const selectable = agencies ? selectableAgencies(session, agencies) : [];
  const names = new Map((agencies ?? []).map((a) => [a.id, a.name]));
  const groups = board ? groupDeadlines(board.items) : [];
  const allAgencies = !agencyId;

  return (
    <section class="deadlines">
      <PageHeading title="期限看板">
        <p class="lead">已逾期和即将到期的事项（办案期限、决定书送达、罚款缴纳、决定公示等），按类别列出剩余天数。</p>
      </PageHeading>
      <AgencyPicker id={`${uid}-agency`} agencies={selectable} value={agencyId} onChange={setAgencyId} all={session.groups.includes('admin')} />
      {error ? <ErrorNote error={error} title="无法加载期限提醒" /> : null}
      {!board && !error ? <Loading what="期限提醒" /> : null}
      {board ? (
        <>
          <p class="summary" role="status">
            按 {board.date} 计算：{groups.length === 0 ? '没有即将到期或已逾期的事项。' : groups.map((g) => `${g.label} ${g.count} 项`).join('，') + '。'}
          </p>
          {groups.map((g) => (
            <section key={g.state} class={`deadline-group state-${g.state.toLowerCase()}`} aria-labelledby={`${uid}-${g.state}`}>
              <h2 id={`${uid}-${g.state}`}>
                {g.label}
                <span class="count">{g.count} 项</span>
              </h2>
              {g.kinds.map((k) => (
                <table key={k.kind} class="deadline-table">
                  <caption>
                    {k.label}（{k.items.length} 项）
                  </caption>
                  <colgroup>
                    <col class="col-subject" />
                    {allAgencies ? <col class="col-agency" /> : null}
                    <col class="col-date" />
                    <col class="col-left" />
                    <col />
                  </colgroup>
                  <thead>
                    <tr>
                      <th scope="col">事项</th>
                      {allAgencies ? <th scope="col">执法主体</th> : null}
                      <th scope="col">到期日</th>
                      <th scope="col">剩余</th>
                      <th scope="col">说明</th>
                    </tr>
                  </thead>
                  <tbody>
                    {k.items.map((i) => (
                      <tr key={`${i.kind}-${i.subjectId}-${i.dueDate}`}>
                        <th scope="row" data-label="事项">
                          <Subject item={i} />
                        </th>
                        {allAgencies ? <td data-label="执法主体">{i.agencyId === '*' ? '全局' : (names.get(i.agencyId) ?? i.agencyId)}</td> : null}
                        <td data-label="到期日" class="nowrap">
                          {i.dueDate}
                          {i.provisional ? <span class="muted">暂按周一至周五计算</span> : null}
                        </td>
                        <td data-label="剩余" class="nowrap">
                          <span class={`due due-${i.daysLeft < 0 ? 'overdue' : 'soon'}`}>{daysLeftText(i.daysLeft)}</span>
                          {i.workingDaysLeft !== undefined ? <span class="muted">{i.workingDaysLeft < 0 ? `逾期 ${-i.workingDaysLeft} 个工作日` : `${i.workingDaysLeft} 个工作日`}</span> : null}
                        </td>
                        <td data-label="说明">{i.text}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ))}
            </section>
          ))}
        </>
      ) : null}
    </section>
  );
}
