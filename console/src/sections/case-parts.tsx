/**
 * The pieces of a case file that more than one page shows (issue 16, points 2 and 3): the case page
 * and the review page load the same file and show the same facts, record, evidence and documents.
 */
import type { ComponentChildren } from 'preact';
import { result, type Api, type Result } from '../api/client.ts';
import type { CaseDetail, CaseDocument, DecisionSummary, EvidenceItem, EvidenceRecord, Page, RecordingGap, TimelineEntry } from '../api/types.ts';
import { ErrorNote } from '../components.tsx';
import { dueState, shanghaiDate } from '../lib/cases.ts';
import type { ApiError } from '../lib/errors.ts';
import { ACT_TYPE_LABELS, CASE_STATUS_LABELS, DECISION_STATUS_LABELS, PARTY_KIND_LABELS, REQUIREMENT_LABELS } from '../lib/labels.ts';
import { POWER_TYPE_LABELS } from '../../../shared/domain/power-types.ts';

export interface CaseFile {
  readonly case: CaseDetail;
  readonly decision: DecisionSummary | null;
  readonly timeline: TimelineEntry[] | ApiError;
  readonly gaps: RecordingGap[] | ApiError;
  readonly documents: CaseDocument[] | ApiError;
  readonly evidence: EvidenceRecord[] | ApiError;
}

export const isError = <T,>(v: T[] | ApiError): v is ApiError => !Array.isArray(v);

/** `2026-10-12T09:30:00+08:00` as Beijing time, `2026-10-12 09:30`. */
export const beijing = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
};

/** The case and the parts of its file; a part the API refuses carries its error, the case's own refusal is the whole answer. */
export async function loadCaseFile(api: Api, id: string): Promise<Result<CaseFile>> {
  const path = { params: { path: { id } } };
  const [c, timeline, gaps, documents, evidence] = await Promise.all([
    result<{ case: CaseDetail; decision: DecisionSummary | null }>(api.GET('/cases/{id}', path)),
    result<{ items: TimelineEntry[] }>(api.GET('/cases/{id}/timeline', path)),
    result<{ gaps: RecordingGap[] }>(api.GET('/cases/{id}/recording-gaps', path)),
    result<{ items: CaseDocument[] }>(api.GET('/cases/{id}/documents', path)),
    result<Page<EvidenceRecord>>(api.GET('/cases/{id}/evidence', { params: { path: { id }, query: { limit: 100 } } })),
  ]);
  if (!c.ok) return c;
  return {
    ok: true,
    data: {
      case: c.data.case,
      decision: c.data.decision,
      timeline: timeline.ok ? timeline.data.items : timeline.error,
      gaps: gaps.ok ? gaps.data.gaps : gaps.error,
      documents: documents.ok ? documents.data.items : documents.error,
      evidence: evidence.ok ? evidence.data.items : evidence.error,
    },
  };
}

/** A panel with an h2; the list it shows, or the API's error, or a sentence when there is nothing. */
export function Part<T>({ title, value, empty, children }: { title: string; value: T[] | ApiError; empty: string; children: (items: T[]) => ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={`part-${title}`}>
      <h2 id={`part-${title}`}>{title}</h2>
      {isError(value) ? <ErrorNote error={value} /> : value.length === 0 ? <p class="muted">{empty}</p> : children(value)}
    </section>
  );
}

export function CaseFacts({ c, decision }: { c: CaseDetail; decision: DecisionSummary | null }) {
  const due = dueState(c, shanghaiDate(new Date()));
  return (
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
          {decision ? (
            <>
              {DECISION_STATUS_LABELS[decision.status] ?? decision.status}
              {decision.decisionNo ? ` · ${decision.decisionNo}` : ''}
              {decision.conclusion ? <span class="muted">{decision.conclusion}</span> : null}
            </>
          ) : (
            '尚未起草'
          )}
        </dd>
      </dl>
    </section>
  );
}

export const caseStatusLabel = (status: string): string => CASE_STATUS_LABELS[status] ?? status;

export function Gaps({ value }: { value: RecordingGap[] | ApiError }) {
  return (
    <Part title="音像记录缺口" value={value} empty="每项执法行为都有须有的音像记录。">
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
  );
}

export function Timeline({ value }: { value: TimelineEntry[] | ApiError }) {
  return (
    <Part title="执法过程记录" value={value} empty="尚无执法行为记录。">
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
  );
}

export const MEDIA_TYPE_LABELS: Record<string, string> = { PHOTO: '照片', AUDIO: '录音', VIDEO: '录像', DOCUMENT: '文档' };
export const EVIDENCE_STATUS_LABELS: Record<string, string> = { UPLOADING: '上传中', VERIFYING: '核验中', SEALED: '已封存', REJECTED: '已拒收', ABORTED: '已中止', INTEGRITY_FAILED: '完整性校验失败' };

/** Each piece of evidence: what it is, what it proves, who collected it and when, and whether it is sealed. */
export function EvidenceList({ value }: { value: EvidenceItem[] | ApiError }) {
  return (
    <Part title="证据" value={value} empty="尚无证据。">
      {(items) => (
        <table class="evidence">
          <caption class="visually-hidden">案件证据</caption>
          <thead>
            <tr>
              <th scope="col">证据</th>
              <th scope="col">证明内容</th>
              <th scope="col">采集</th>
              <th scope="col">状态</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <th scope="row">
                  {MEDIA_TYPE_LABELS[e.mediaType] ?? e.mediaType}
                  <span class="muted">{e.fileName}</span>
                </th>
                <td>{e.proves}</td>
                <td>
                  {e.collectorName}
                  <span class="muted">{beijing(e.capturedAt)}</span>
                </td>
                <td>{EVIDENCE_STATUS_LABELS[e.status] ?? e.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Part>
  );
}

export function Documents({ value }: { value: CaseDocument[] | ApiError }) {
  return (
    <Part title="文书" value={value} empty="尚无文书。">
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
  );
}
