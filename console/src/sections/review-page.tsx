/**
 * A legal review (issue 16, point 3; L1–L7, N8–N10): the step it is in, the decision draft under review,
 * the case file (case-parts.tsx, as on the case page), and — only while the review waits for the
 * signed-in reviewer's opinion — the 7-point checklist form, its outcome rule the API's own
 * (shared/domain/review-opinion.ts). What the reviewer types is kept in sessionStorage per review, so a
 * refused submission, a 409 or an expired session loses nothing; a 409 shows what changed and offers
 * to load the review as it is now.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { DecisionDetail, ReviewView } from '../api/types.ts';
import { ErrorNote, Link, Loading, PageHeading } from '../components.tsx';
import { saveDraft, clearDraft } from '../lib/drafts.ts';
import type { ApiError } from '../lib/errors.ts';
import { DECISION_STATUS_LABELS } from '../lib/labels.ts';
import {
  OUTCOME_HINTS,
  REVIEW_STATUS_LABELS,
  allowedOutcomes,
  loadOpinionDraft,
  opinionDraftKey,
  opinionErrors,
  outcomeHint,
  reviewChanges,
  toOpinionBody,
  waitingText,
  waitsForMe,
  type OpinionDraft,
  type OpinionField,
  type OpinionProblems,
} from '../lib/review.ts';
import { href, type Route } from '../lib/routes.ts';
import { CHECKLIST_LABELS, CHECKLIST_POINTS, OPINION_OUTCOMES, OUTCOME_LABELS, type ChecklistPoint } from '../../../shared/domain/review-opinion.ts';
import { PENALTY_TYPE_LABELS } from '../../../shared/domain/penalty-labels.ts';
import { CaseFacts, Documents, EvidenceList, Gaps, Timeline, beijing, loadCaseFile, type CaseFile } from './case-parts.tsx';

const PROCEDURE_LABELS: Record<string, string> = { SIMPLE: '简易程序', GENERAL: '普通程序' };
const DISCRETION_LABELS: Record<string, string> = { LIGHTER: '从轻处罚', GENERAL: '一般处罚', HEAVIER: '从重处罚', MITIGATED: '减轻处罚' };

function ReviewProcess({ review, officerId }: { review: ReviewView; officerId: string | undefined }) {
  return (
    <section class="panel" aria-labelledby="part-review">
      <h2 id="part-review">审核进程</h2>
      <p class={`review-step${waitsForMe(review, officerId) ? ' review-step-mine' : ''}`}>
        <span class={`status status-${review.status.toLowerCase().replace('_', '-')}`}>{REVIEW_STATUS_LABELS[review.status] ?? review.status}</span>{' '}
        <strong>{review.stepLabel}</strong>
        <span class="review-waiting">{waitingText(review, officerId)}</span>
      </p>
      <dl class="facts">
        <dt>审核人员</dt>
        <dd>{review.reviewerName ?? '尚未分配'}</dd>
        <dt>意见期限</dt>
        <dd>{review.opinionDueDate ?? '—'}</dd>
        <dt>提交</dt>
        <dd>
          {review.submittedBy}
          <span class="muted">{beijing(review.submittedAt)}</span>
        </dd>
        <dt>审核材料</dt>
        <dd>{review.materials.join('、') || '—'}</dd>
        {review.missing.length > 0 ? (
          <>
            <dt>缺少材料</dt>
            <dd class="danger-text">{review.missing.join('、')}</dd>
          </>
        ) : null}
      </dl>
      {review.opinions.length > 0 ? (
        <>
          <h3>审核意见记录</h3>
          <ol class="opinions">
            {review.opinions.map((o) => (
              <li key={o.id}>
                <strong>{OUTCOME_LABELS[o.outcome as keyof typeof OUTCOME_LABELS] ?? o.outcome}</strong> · {o.reviewerName} · {beijing(o.at)}
                <p>{o.opinion}</p>
                {o.requestedMaterials.length > 0 ? <p class="muted">须补充：{o.requestedMaterials.join('、')}</p> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function DecisionDraft({ decision }: { decision: DecisionDetail | ApiError | null }) {
  return (
    <section class="panel" aria-labelledby="part-decision">
      <h2 id="part-decision">决定草稿</h2>
      {decision === null ? (
        <p class="muted">尚未起草决定。</p>
      ) : 'draft' in decision ? (
        <dl class="facts">
          <dt>状态</dt>
          <dd>{DECISION_STATUS_LABELS[decision.status] ?? decision.status}</dd>
          <dt>程序</dt>
          <dd>{PROCEDURE_LABELS[decision.draft.procedure] ?? decision.draft.procedure}</dd>
          <dt>决定结论</dt>
          <dd>{decision.draft.conclusion}</dd>
          {decision.draft.penalties.length > 0 ? (
            <>
              <dt>处罚种类</dt>
              <dd>{decision.draft.penalties.map((p) => PENALTY_TYPE_LABELS[p as keyof typeof PENALTY_TYPE_LABELS] ?? p).join('、')}</dd>
            </>
          ) : null}
          {Number(decision.draft.fine) > 0 ? (
            <>
              <dt>罚款</dt>
              <dd>{decision.draft.fine} 元</dd>
            </>
          ) : null}
          {Number(decision.draft.confiscatedValue) > 0 ? (
            <>
              <dt>没收金额</dt>
              <dd>{decision.draft.confiscatedValue} 元</dd>
            </>
          ) : null}
          <dt>裁量</dt>
          <dd>{DISCRETION_LABELS[decision.draft.discretion] ?? decision.draft.discretion}</dd>
          {decision.draft.violationType ? (
            <>
              <dt>违法行为</dt>
              <dd>{decision.draft.violationType}</dd>
            </>
          ) : null}
          <dt>违法事实</dt>
          <dd class="pre">{decision.draft.facts}</dd>
          <dt>法律依据</dt>
          <dd class="pre">{decision.draft.legalBasis}</dd>
          <dt>听证</dt>
          <dd>{decision.draft.hearingHeld ? '已举行听证' : '未举行听证'}</dd>
          <dt>决定日期</dt>
          <dd>{decision.draft.decisionDate}</dd>
        </dl>
      ) : (
        <ErrorNote error={decision} />
      )}
    </section>
  );
}

/** A group of radio buttons with its legend, hint and message (the field's key names its ids). */
function Choice<T extends string>({
  name,
  legend,
  value,
  options,
  onChange,
  errors,
  hint,
  disabled,
  children,
}: {
  name: string;
  legend: string;
  value: T | '';
  options: readonly { value: T; label: string; note?: string }[];
  onChange: (v: T) => void;
  errors: string[] | undefined;
  hint?: string;
  disabled?: (v: T) => boolean;
  children?: ComponentChildren;
}) {
  const described = [hint ? `${name}-hint` : '', errors ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={`field choice${errors ? ' invalid' : ''}`} id={name} aria-describedby={described} tabIndex={-1}>
      <legend>{legend}</legend>
      {hint ? (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <div class="choice-options">
        {options.map((o) => (
          <label key={o.value} class={`check${disabled?.(o.value) ? ' unavailable' : ''}`}>
            <input type="radio" name={name} value={o.value} checked={value === o.value} disabled={disabled?.(o.value)} onChange={() => onChange(o.value)} />
            {o.label}
            {o.note ? <span class="muted">{o.note}</span> : null}
          </label>
        ))}
      </div>
      {children}
      {errors ? (
        <p class="field-error" id={`${name}-error`}>
          {errors.join('；')}
        </p>
      ) : null}
    </fieldset>
  );
}

const mergeProblems = (a: OpinionProblems, b: OpinionProblems): OpinionProblems => {
  const out: OpinionProblems = { ...a };
  for (const [k, v] of Object.entries(b) as [OpinionField, string[]][]) out[k] = [...(out[k] ?? []), ...v];
  return out;
};

interface Conflict {
  readonly error: ApiError;
  readonly fresh: ReviewView | undefined;
  readonly changes: string[];
}

function OpinionForm({ review, onDone, onReload }: { review: ReviewView; onDone: (r: ReviewView) => void; onReload: (r: ReviewView) => void }) {
  const { api } = useApp();
  const key = opinionDraftKey(review.id);
  const [draft, setDraft] = useState<OpinionDraft>(() => loadOpinionDraft(sessionStorage, review.id));
  const [checked, setChecked] = useState(false);
  const [apiError, setApiError] = useState<ApiError | undefined>();
  const [conflict, setConflict] = useState<Conflict | undefined>();
  const [busy, setBusy] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);

  const update = (next: OpinionDraft) => {
    setDraft(next);
    saveDraft(sessionStorage, key, next);
  };
  const setPoint = (p: ChecklistPoint, patch: Partial<OpinionDraft['checklist'][ChecklistPoint]>) =>
    update({ ...draft, checklist: { ...draft.checklist, [p]: { ...draft.checklist[p], ...patch } } });

  const local = toOpinionBody(draft, review.version);
  const allowed = allowedOutcomes(draft);
  // The form's own checks show after the first attempt, then follow every change; the API's stay until the next attempt.
  const apiErrors = apiError ? opinionErrors(apiError) : undefined;
  // An outcome the checklist no longer allows (a point marked failed after 同意) is said at once.
  const shown: OpinionProblems = local.ok ? {} : checked ? local.problems : draft.outcome && !allowed.includes(draft.outcome) ? { outcome: local.problems.outcome ?? [] } : {};
  const problems = mergeProblems(shown, apiErrors?.byField ?? {});
  const errs = (f: OpinionField) => problems[f];

  const focusAlert = () => requestAnimationFrame(() => alertRef.current?.focus());

  const submit = async (e: Event) => {
    e.preventDefault();
    setChecked(true);
    setApiError(undefined);
    setConflict(undefined);
    if (!local.ok) return focusAlert();
    setBusy(true);
    const r = await result<ReviewView>(api.POST('/reviews/{id}/opinion', { params: { path: { id: review.id } }, body: local.body }));
    if (r.ok) {
      setBusy(false);
      clearDraft(sessionStorage, key);
      return onDone(r.data);
    }
    // A 401 has already sent the user to sign in; the draft waits in sessionStorage.
    if (r.error.status === 401) return setBusy(false);
    if (r.error.status === 409) {
      const fresh = await result<ReviewView>(api.GET('/reviews/{id}', { params: { path: { id: review.id } } }));
      setConflict({ error: r.error, fresh: fresh.ok ? fresh.data : undefined, changes: fresh.ok ? reviewChanges(review, fresh.data) : [] });
    } else setApiError(r.error);
    setBusy(false);
    focusAlert();
  };

  const generalApi = apiErrors?.general ?? [];
  const problemCount = Object.values(problems).reduce((n, v) => n + v.length, 0);

  return (
    <section class="panel opinion-form" aria-labelledby="part-opinion" id="opinion">
      <h2 id="part-opinion">出具审核意见</h2>
      <p class="hint">逐项审核下列 7 个要点（N9），并写明书面审核意见（L5）。填写的内容会自动保存在本浏览器标签页中，提交前不会丢失。</p>
      {conflict ? (
        <div class="error-note conflict" role="alert" tabIndex={-1} ref={alertRef}>
          <strong>审核记录已变化，未能提交：</strong>
          {conflict.error.message}
          {conflict.changes.length > 0 ? (
            <ul>
              {conflict.changes.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          ) : null}
          <p>您填写的内容已保留。{conflict.fresh ? '请载入最新内容，核对后再提交。' : ''}</p>
          {conflict.fresh ? (
            <button type="button" class="secondary" onClick={() => conflict.fresh && onReload(conflict.fresh)}>
              载入最新内容
            </button>
          ) : null}
        </div>
      ) : checked && (problemCount > 0 || generalApi.length > 0 || apiError) ? (
        <div class="error-note" role="alert" tabIndex={-1} ref={alertRef}>
          <strong>未能提交：</strong>
          {apiError && !(apiError.code === 'VALIDATION_FAILED' && generalApi.length === 0) ? apiError.message : '请按各项下方的提示更正后再提交。'}
          {generalApi.length > 0 ? (
            <ul>
              {generalApi.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h3>审核要点</h3>
        <ol class="checklist">
          {CHECKLIST_POINTS.map((p, i) => {
            const e = draft.checklist[p];
            const name = `point-${p}`;
            return (
              <li key={p}>
                <Choice
                  name={name}
                  legend={`${i + 1}. ${CHECKLIST_LABELS[p]}`}
                  value={e.judgement}
                  options={[
                    { value: 'PASS', label: '通过' },
                    { value: 'FAIL', label: '未通过' },
                  ]}
                  onChange={(v) => setPoint(p, { judgement: v })}
                  errors={errs(`checklist.${p}`)}
                >
                  {e.judgement === 'FAIL' ? (
                    <div class="point-text">
                      <label for={`${name}-issue`}>发现的问题</label>
                      <textarea
                        id={`${name}-issue`}
                        rows={2}
                        maxLength={1000}
                        value={e.issue}
                        onInput={(ev) => setPoint(p, { issue: ev.currentTarget.value })}
                        aria-invalid={errs(`checklist.${p}`) ? true : undefined}
                        aria-describedby={errs(`checklist.${p}`) ? `${name}-error` : undefined}
                      />
                    </div>
                  ) : null}
                  {e.judgement !== '' ? (
                    <div class="point-text">
                      <label for={`${name}-comment`}>备注（可选）</label>
                      <input id={`${name}-comment`} type="text" maxLength={1000} value={e.comment} onInput={(ev) => setPoint(p, { comment: ev.currentTarget.value })} />
                    </div>
                  ) : null}
                </Choice>
              </li>
            );
          })}
        </ol>
        <div class="form-grid">
          <Choice
            name="documentsComplete"
            legend="文书是否齐全规范"
            value={draft.documentsComplete}
            options={[
              { value: 'YES', label: '齐全规范' },
              { value: 'NO', label: '不齐全或不规范' },
            ]}
            onChange={(v) => update({ ...draft, documentsComplete: v })}
            errors={errs('documentsComplete')}
          />
          <Choice
            name="suspectedCrime"
            legend="是否涉嫌犯罪（L4）"
            value={draft.suspectedCrime}
            options={[
              { value: 'NO', label: '不涉嫌犯罪' },
              { value: 'YES', label: '涉嫌犯罪，需移送司法机关' },
            ]}
            onChange={(v) => update({ ...draft, suspectedCrime: v })}
            errors={errs('suspectedCrime')}
          />
        </div>
        <Choice
          name="outcome"
          legend="审核结论"
          value={draft.outcome}
          hint={outcomeHint(draft)}
          options={OPINION_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o], note: OUTCOME_HINTS[o] }))}
          disabled={(o) => !allowed.includes(o)}
          onChange={(v) => update({ ...draft, outcome: v })}
          errors={errs('outcome')}
        />
        {draft.outcome === 'RETURN' ? (
          <div class={`field${errs('requestedMaterials') ? ' invalid' : ''}`}>
            <label for="requestedMaterials">须补充的材料（每行一项）</label>
            <textarea
              id="requestedMaterials"
              rows={3}
              value={draft.requestedMaterials}
              onInput={(ev) => update({ ...draft, requestedMaterials: ev.currentTarget.value })}
              aria-invalid={errs('requestedMaterials') ? true : undefined}
              aria-describedby={errs('requestedMaterials') ? 'requestedMaterials-error' : undefined}
            />
            {errs('requestedMaterials') ? (
              <p class="field-error" id="requestedMaterials-error">
                {errs('requestedMaterials')?.join('；')}
              </p>
            ) : null}
          </div>
        ) : null}
        <div class={`field${errs('opinion') ? ' invalid' : ''}`}>
          <label for="opinion-text">书面审核意见</label>
          <p class="hint" id="opinion-text-hint">
            写明审核结论及理由，不少于 10 字。
          </p>
          <textarea
            id="opinion-text"
            rows={5}
            maxLength={10000}
            value={draft.opinion}
            onInput={(ev) => update({ ...draft, opinion: ev.currentTarget.value })}
            aria-invalid={errs('opinion') ? true : undefined}
            aria-describedby={['opinion-text-hint', errs('opinion') ? 'opinion-text-error' : ''].filter(Boolean).join(' ')}
          />
          {errs('opinion') ? (
            <p class="field-error" id="opinion-text-error">
              {errs('opinion')?.join('；')}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? '正在提交…' : '提交审核意见'}
        </button>
      </form>
    </section>
  );
}

export default function ReviewPage({ route }: { route: Route }) {
  const { api, session } = useApp();
  const id = route.name === 'review' ? route.id : '';
  const [review, setReview] = useState<ReviewView | undefined>();
  const [file, setFile] = useState<CaseFile | ApiError | undefined>();
  const [decision, setDecision] = useState<DecisionDetail | ApiError | null | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<ReviewView | undefined>();
  const doneRef = useRef<HTMLParagraphElement>(null);

  const load = useCallback(async () => {
    const r = await result<ReviewView>(api.GET('/reviews/{id}', { params: { path: { id } } }));
    if (!r.ok) return setError(r.error);
    setReview(r.data);
    const caseId = r.data.caseId;
    const [f, d] = await Promise.all([loadCaseFile(api, caseId), result<DecisionDetail>(api.GET('/cases/{id}/decision', { params: { path: { id: caseId } } }))]);
    setFile(f.ok ? f.data : f.error);
    setDecision(d.ok ? d.data : d.error.status === 404 ? null : d.error);
  }, [api, id]);

  useEffect(() => {
    setReview(undefined);
    setFile(undefined);
    setDecision(undefined);
    setError(undefined);
    setDone(undefined);
    void load();
  }, [load]);

  if (error) {
    return (
      <section>
        <p class="breadcrumb">
          <Link href={href.reviews()}>审核任务</Link>
        </p>
        <PageHeading title={error.status === 403 ? '无权查看此审核' : error.status === 404 ? '审核不存在' : '无法打开审核'} />
        <ErrorNote error={error} />
        <p>
          <Link href={href.reviews()}>返回审核任务</Link>
        </p>
      </section>
    );
  }
  if (!review) return <Loading what="审核" />;

  const mine = waitsForMe(review, session?.officerId);
  const onDone = (r: ReviewView) => {
    setReview(r);
    setDone(r);
    requestAnimationFrame(() => doneRef.current?.focus());
    // The workflow takes the opinion on to its next step in a moment: show where it went.
    setTimeout(() => {
      void result<ReviewView>(api.GET('/reviews/{id}', { params: { path: { id: r.id } } })).then((next) => {
        if (next.ok) {
          setReview(next.data);
          setDone(next.data);
        }
      });
    }, 1500);
  };

  return (
    <article class="review">
      <p class="breadcrumb">
        <Link href={href.reviews()}>审核任务</Link> › {review.caseNo}
      </p>
      <PageHeading title={`法制审核 ${review.caseNo}`}>
        <p class="lead">
          {review.decisionNo} · <Link href={href.case(review.caseId)}>打开案件</Link>
          {mine ? (
            <>
              {' · '}
              <a href="#opinion">转到审核意见</a>
            </>
          ) : null}
        </p>
      </PageHeading>
      {done ? (
        <p class="success done-note" role="status" tabIndex={-1} ref={doneRef}>
          已出具审核意见（{OUTCOME_LABELS[done.opinions.at(-1)?.outcome as keyof typeof OUTCOME_LABELS] ?? '已提交'}）。{waitingText(done, session?.officerId)}
        </p>
      ) : null}
      {!mine && !done ? (
        <p class="notice" role="status">
          {waitingText(review, session?.officerId)}
        </p>
      ) : null}

      <ReviewProcess review={review} officerId={session?.officerId} />
      {decision === undefined ? <Loading what="决定草稿" /> : <DecisionDraft decision={decision} />}
      {file === undefined ? (
        <Loading what="案卷" />
      ) : 'case' in file ? (
        <>
          <CaseFacts c={file.case} decision={file.decision} />
          <Timeline value={file.timeline} />
          <EvidenceList value={file.evidence} />
          <Documents value={file.documents} />
          <Gaps value={file.gaps} />
        </>
      ) : (
        <section class="panel" aria-labelledby="part-file">
          <h2 id="part-file">案卷</h2>
          <ErrorNote error={file} />
        </section>
      )}
      {mine ? <OpinionForm key={`${review.id}-${review.version}`} review={review} onDone={onDone} onReload={setReview} /> : null}
    </article>
  );
}
