/**
 * A case (issue 16, point 2): the case itself, its acts and the other steps on record (the timeline),
 * the acts that still lack the recording they need (R3, R5, N7), its evidence and documents; officers
 * record an act here. A case of another agency answers 403 with the API's reason, shown as is.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { CaseDetail, CaseDocument, DecisionSummary, EvidenceSummary, Page, RecordingGap, TimelineEntry } from '../api/types.ts';
import { ErrorNote, Link, Loading, PageHeading } from '../components.tsx';
import { dueState, shanghaiDate } from '../lib/cases.ts';
import type { ApiError } from '../lib/errors.ts';
import { ACT_TYPE_LABELS, CASE_STATUS_LABELS, DECISION_STATUS_LABELS, PARTY_KIND_LABELS, REQUIREMENT_LABELS } from '../lib/labels.ts';
import { href, type Route } from '../lib/routes.ts';
import { POWER_TYPE_LABELS } from '../../../shared/domain/power-types.ts';
import { ActForm } from './act-form.tsx';

interface CaseFile {
  readonly case: CaseDetail;
  readonly decision: DecisionSummary | null;
  readonly timeline: TimelineEntry[] | ApiError;
  readonly gaps: RecordingGap[] | ApiError;
  readonly documents: CaseDocument[] | ApiError;
  readonly evidence: EvidenceSummary[] | ApiError;
}

const isError = <T,>(v: T[] | ApiError): v is ApiError => !Array.isArray(v);

/** `2026-10-12T09:30:00+08:00` as Beijing time, `2026-10-12 09:30`. */
const beijing = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
};

function Part<T>({ title, value, empty, children }: { title: string; value: T[] | ApiError; empty: string; children: (items: T[]) => ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={`part-${title}`}>
      <h2 id={`part-${title}`}>{title}</h2>
      {isError(value) ? <ErrorNote error={value} /> : value.length === 0 ? <p class="muted">{empty}</p> : children(value)}
    </section>
  );
}

export default function CasePage({ route }: { route: Route }) {
  const { api, session } = useApp();
  const id = route.name === 'case' ? route.id : '';
  const [file, setFile] = useState<CaseFile | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  const load = useCallback(async () => {
    const path = { params: { path: { id } } };
    const [c, timeline, gaps, documents, evidence] = await Promise.all([
      result<{ case: CaseDetail; decision: DecisionSummary | null }>(api.GET('/cases/{id}', path)),
      result<{ items: TimelineEntry[] }>(api.GET('/cases/{id}/timeline', path)),
      result<{ gaps: RecordingGap[] }>(api.GET('/cases/{id}/recording-gaps', path)),
      result<{ items: CaseDocument[] }>(api.GET('/cases/{id}/documents', path)),
      result<Page<EvidenceSummary>>(api.GET('/cases/{id}/evidence', { params: { path: { id }, query: { limit: 100 } } })),
    ]);
    if (!c.ok) return setError(c.error);
    setFile({
      case: c.data.case,
      decision: c.data.decision,
      timeline: timeline.ok ? timeline.data.items : timeline.error,
      gaps: gaps.ok ? gaps.data.gaps : gaps.error,
      documents: documents.ok ? documents.data.items : documents.error,
      evidence: evidence.ok ? evidence.data.items : evidence.error,
    });
  }, [api, id]);

  useEffect(() => {
    setFile(undefined);
    setError(undefined);
    void load();
  }, [load]);

  if (error) {
    return (
      <section>
        <PageHeading title={error.status === 403 ? '无权查看此案件' : error.status === 404 ? '案件不存在' : '无法打开案件'} />
        <ErrorNote error={error} />
        <p>
          <Link href={href.myCases()}>返回我的案件</Link>
        </p>
      </section>
    );
  }
  if (!file) return <Loading what="案件" />;

  const c = file.case;
  const due = dueState(c, shanghaiDate(new Date()));
  const mayRecord = c.status !== 'CLOSED' && (session?.groups.some((g) => g === 'officer' || g === 'leader' || g === 'admin') ?? false);
  const sealedByAct = new Map<string, number>();
  if (!isError(file.evidence)) for (const e of file.evidence) if (e.actId && e.status === 'SEALED') sealedByAct.set(e.actId, (sealedByAct.get(e.actId) ?? 0) + 1);

  return (
    <article class="case">
      <p class="breadcrumb">
        <Link href={href.myCases()}>我的案件</Link> › {c.caseNo}
      </p>
      <PageHeading title={`案件 ${c.caseNo}`}>
        <p class="lead">
          <span class={`status status-${c.status.toLowerCase()}`}>{CASE_STATUS_LABELS[c.status] ?? c.status}</span> {c.summary}
        </p>
      </PageHeading>

      <section class="panel" aria-labelledby="part-facts">
        <h2 id="part-facts">案件信息</h2>
        <dl class="facts">
          <dt>当事人</dt>
          <dd>
            {c.party.name}（{PARTY_KIND_LABELS[c.party.kind] ?? c.party.kind}）
            {c.party.creditCode ? <span class="muted">统一社会信用代码 {c.party.creditCode}</span> : null}
            {c.party.address ? <span class="muted">{c.party.address}</span> : null}
          </dd>
          <dt>职权事项</dt>
          <dd>
            {POWER_TYPE_LABELS[c.enforcementType as keyof typeof POWER_TYPE_LABELS] ?? c.enforcementType} · {c.powerName}
            <span class="muted">{c.powerCode}</span>
          </dd>
          <dt>立案日期</dt>
          <dd>{c.filingDate}</dd>
          <dt>办案期限</dt>
          <dd>
            {c.decisionDueDate}
            {c.status === 'OPEN' ? <span class={`due due-${due.tone}`}>{due.text}</span> : null}
          </dd>
          <dt>决定</dt>
          <dd>
            {file.decision ? (
              <>
                {DECISION_STATUS_LABELS[file.decision.status] ?? file.decision.status}
                {file.decision.decisionNo ? ` · ${file.decision.decisionNo}` : ''}
                {file.decision.conclusion ? <span class="muted">{file.decision.conclusion}</span> : null}
              </>
            ) : (
              '尚未起草'
            )}
          </dd>
        </dl>
      </section>

      <Part title="音像记录缺口" value={file.gaps} empty="每项执法行为都有须有的音像记录。">
        {(gaps) => (
          <ul class="gaps">
            {gaps.map((g) => (
              <li key={g.actId}>
                <strong>
                  {ACT_TYPE_LABELS[g.actType] ?? g.actType}（{beijing(g.at)}）
                </strong>
                ：须有{REQUIREMENT_LABELS[g.requires] ?? g.requires}。{g.message}
              </li>
            ))}
          </ul>
        )}
      </Part>

      <Part title="执法过程记录" value={file.timeline} empty="尚无执法行为记录。">
        {(items) => (
          <ol class="timeline">
            {items.map((t, i) => (
              <li key={i} class={`kind-${t.kind}`}>
                <time dateTime={t.at}>{beijing(t.at)}</time>
                <span class="timeline-label">{t.label}</span>
                {t.by ? <span class="muted">{t.by}</span> : null}
                {t.kind === 'act' && typeof t.details?.place === 'string' ? <span class="muted">地点：{t.details.place}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </Part>

      <Part title="证据" value={file.evidence} empty="尚无证据。">
        {(items) => (
          <p>
            共 {items.length} 件，已封存 {items.filter((e) => e.status === 'SEALED').length} 件；有封存音像记录的执法行为 {sealedByAct.size} 项。
          </p>
        )}
      </Part>

      <Part title="文书" value={file.documents} empty="尚无文书。">
        {(docs) => (
          <table class="documents">
            <caption class="visually-hidden">案件文书</caption>
            <thead>
              <tr>
                <th scope="col">文书</th>
                <th scope="col">文书编号</th>
                <th scope="col">日期</th>
                <th scope="col">送达</th>
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.title}</th>
                  <td>{d.documentNo}</td>
                  <td>{d.date}</td>
                  <td>{d.servedOn ? `${d.servedOn} 已送达` : d.serviceDueDate ? `应于 ${d.serviceDueDate} 前送达` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Part>

      {mayRecord ? <ActForm caseId={c.id} agencyId={c.agencyId} onRecorded={() => void load()} /> : null}
    </article>
  );
}
