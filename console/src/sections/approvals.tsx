/**
 * 待审批 (issue 16, point 4; L5–L7, N8): the agency's legal reviews waiting for its leaders' collective
 * discussion or approval, longest waiting first, each with the case, the reviewer's opinion and
 * checklist, and the form its step needs. What the user may not do (access.ts) is not offered; the
 * API remains the judge and its refusals are shown. An override is sent only after a confirmation
 * that the leader's responsibility for it is recorded (L7). A 409 offers to reload and says what
 * changed; what was typed is kept in sessionStorage per review.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result, type Api } from '../api/client.ts';
import type { AgencyListed, CaseDetail, DecisionSummary, LeaderReview, Page } from '../api/types.ts';
import { AgencyPicker, ErrorNote, Field, Link, Loading, PageHeading } from '../components.tsx';
import { FormAlert } from '../forms.tsx';
import { shanghaiDate } from '../lib/cases.ts';
import { clearDraft, draftKey, loadDraft, saveDraft } from '../lib/drafts.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import type { ApiError } from '../lib/errors.ts';
import {
  APPROVAL_FIELDS,
  APPROVAL_LABELS,
  DISCUSSION_DECISION_LABELS,
  DISCUSSION_FIELDS,
  OPINION_OUTCOME_LABELS,
  OVERRIDE_RESPONSIBILITY,
  REVIEW_STATUS_LABELS,
  agencyChain,
  approvalBody,
  checklistResult,
  cleanParticipants,
  discussionBody,
  emptyApproval,
  emptyDiscussion,
  formErrors,
  leaderActions,
  leaderCount,
  needsConfirmation,
  reviewChanges,
  selectableAgencies,
  waitingText,
  type ApprovalDraft,
  type DiscussionDraft,
} from '../lib/leader.ts';
import type { Session } from '../lib/session.ts';
import { href } from '../lib/routes.ts';

const fmtTime = (iso: string): string => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });


const describedBy = (...ids: (string | false | undefined)[]): string | undefined => ids.filter(Boolean).join(' ') || undefined;

/** What the reload found, above the (kept) form. */
function Changes({ changes, stillYours }: { changes: string[]; stillYours: boolean }) {
  return (
    <div class="notice changes" role="status">
      <strong>
        已重新加载。{changes.length > 0 ? '自您打开以来的变化：' : '审核记录没有变化，可以重新提交。'}
      </strong>
      {changes.length > 0 ? (
        <ul>
          {changes.map((c, i) => (
            <li key={i}>{c}</li>
          ))}
        </ul>
      ) : null}
      {stillYours ? null : <p>此审核已不在等待您处理的步骤；您填写的内容仍保存在本浏览器中。</p>}
    </div>
  );
}

interface FormProps {
  readonly review: LeaderReview;
  readonly onSent: (review: LeaderReview, message: string) => void;
  /** The reload after a 409; the card shows what changed (the form may be gone: another step). */
  readonly onReload: () => Promise<void>;
  readonly onStart: () => void;
  readonly changes: string[] | undefined;
}

/** Shared by both forms: the reload after a 409. */
function useConflict({ onReload, onStart, changes }: Pick<FormProps, 'onReload' | 'onStart' | 'changes'>) {
  const [reloading, setReloading] = useState(false);
  const reload = async () => {
    setReloading(true);
    await onReload();
    setReloading(false);
  };
  return { reloading, changes, reload, reset: onStart };
}

function DiscussionForm({ review, onSent, ...conflictProps }: FormProps) {
  const { api } = useApp();
  const key = draftKey('collective-discussion', review.id);
  const [draft, setDraft] = useState<DiscussionDraft>(() => {
    const empty = emptyDiscussion(shanghaiDate(new Date()));
    const saved = loadDraft(sessionStorage, key, empty);
    const participants = cleanParticipants(saved.participants);
    return { ...saved, participants: participants.length > 0 ? participants : empty.participants };
  });
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const conflict = useConflict(conflictProps);
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;

  const update = (patch: Partial<DiscussionDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    saveDraft(sessionStorage, key, next);
  };
  const updateParticipant = (i: number, patch: Partial<DiscussionDraft['participants'][number]>) =>
    update({ participants: draft.participants.map((p, j) => (j === i ? { ...p, ...patch } : p)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    conflict.reset();
    const r = await result<LeaderReview>(api.POST('/reviews/{id}/collective-discussion', { params: { path: { id: review.id } }, body: discussionBody(draft, review.version) }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clearDraft(sessionStorage, key);
    onSent(r.data, `集体讨论记录已保存：${DISCUSSION_DECISION_LABELS[draft.decision as 'APPROVE' | 'REJECT'] ?? draft.decision}。`);
  };

  const errors = error ? formErrors(error, DISCUSSION_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const leaders = leaderCount(draft);

  return (
    <section class="leader-form" aria-labelledby={id('title')}>
      <h3 id={id('title')}>录入集体讨论记录</h3>
      {error && errors ? <FormAlert error={error} errors={errors} title="未能保存" onReload={() => void conflict.reload()} reloading={conflict.reloading} reloadLabel="重新加载此审核" changes={conflict.changes} /> : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="form-grid">
          <Field id={id('date')} label="讨论日期" errors={errs('date')}>
            <input id={id('date')} type="date" value={draft.date} onInput={(e) => update({ date: e.currentTarget.value })} aria-invalid={errs('date') ? true : undefined} aria-describedby={describedBy(errs('date') && `${id('date')}-error`)} />
          </Field>
          <Field id={id('chair')} label="主持人" errors={errs('chair')}>
            <input id={id('chair')} type="text" value={draft.chair} maxLength={30} onInput={(e) => update({ chair: e.currentTarget.value })} aria-invalid={errs('chair') ? true : undefined} aria-describedby={describedBy(errs('chair') && `${id('chair')}-error`)} />
          </Field>
        </div>
        <fieldset class={`field participants${errs('participants') ? ' group-invalid' : ''}`} aria-describedby={describedBy(`${id('participants')}-hint`, errs('participants') && `${id('participants')}-error`)}>
          <legend>参加人员及其意见</legend>
          <p class="hint" id={`${id('participants')}-hint`} aria-live="polite">
            须有至少 3 名负责人参加；目前填写负责人 {leaders} 名，共 {draft.participants.length} 人。
          </p>
          {errs('participants') ? (
            <p class="field-error" id={`${id('participants')}-error`}>
              {errs('participants')?.join('；')}
            </p>
          ) : null}
          <ol class="participant-list">
            {draft.participants.map((p, i) => {
              const pe = (f: string) => errs(`participants.${i}.${f}`);
              const pid = (f: string) => id(`p${i}-${f}`);
              return (
                <li key={i} class="participant">
                  <div class="participant-row">
                    <Field id={pid('name')} label={`第 ${i + 1} 人 姓名`} errors={pe('name')}>
                      <input id={pid('name')} type="text" value={p.name} maxLength={30} onInput={(e) => updateParticipant(i, { name: e.currentTarget.value })} aria-invalid={pe('name') ? true : undefined} aria-describedby={describedBy(pe('name') && `${pid('name')}-error`)} />
                    </Field>
                    <Field id={pid('role')} label={`第 ${i + 1} 人 身份`} errors={pe('role')}>
                      <select id={pid('role')} value={p.role} onChange={(e) => updateParticipant(i, { role: e.currentTarget.value === 'MEMBER' ? 'MEMBER' : 'LEADER' })}>
                        <option value="LEADER">负责人</option>
                        <option value="MEMBER">其他参加人员</option>
                      </select>
                    </Field>
                  </div>
                  <Field id={pid('view')} label={`第 ${i + 1} 人 意见`} errors={pe('view')}>
                    <textarea id={pid('view')} rows={2} value={p.view} maxLength={2000} onInput={(e) => updateParticipant(i, { view: e.currentTarget.value })} aria-invalid={pe('view') ? true : undefined} aria-describedby={describedBy(pe('view') && `${pid('view')}-error`)} />
                  </Field>
                  {draft.participants.length > 1 ? (
                    <button type="button" class="secondary small-button" onClick={() => update({ participants: draft.participants.filter((_, j) => j !== i) })}>
                      删除第 {i + 1} 人
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ol>
          {draft.participants.length < 30 ? (
            <button type="button" class="secondary" onClick={() => update({ participants: [...draft.participants, { name: '', role: 'LEADER', view: '' }] })}>
              添加参加人员
            </button>
          ) : null}
        </fieldset>
        <fieldset class={`field choices${errs('decision') ? ' invalid' : ''}`} aria-describedby={describedBy(errs('decision') && `${id('decision')}-error`)}>
          <legend>集体讨论决定</legend>
          {(['APPROVE', 'REJECT'] as const).map((v) => (
            <label key={v} class="check">
              <input type="radio" name={id('decision')} value={v} checked={draft.decision === v} onChange={() => update({ decision: v })} />
              {DISCUSSION_DECISION_LABELS[v]}
            </label>
          ))}
          {errs('decision') ? (
            <p class="field-error" id={`${id('decision')}-error`}>
              {errs('decision')?.join('；')}
            </p>
          ) : null}
        </fieldset>
        <Field id={id('summary')} label="讨论纪要" errors={errs('summary')}>
          <textarea id={id('summary')} rows={4} value={draft.summary} maxLength={8000} onInput={(e) => update({ summary: e.currentTarget.value })} aria-invalid={errs('summary') ? true : undefined} aria-describedby={describedBy(errs('summary') && `${id('summary')}-error`)} />
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? '正在保存…' : '保存集体讨论记录'}
        </button>
      </form>
    </section>
  );
}

function ApprovalForm({ review, onSent, leaderName, ...conflictProps }: FormProps & { leaderName: string }) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const { draft, update, clear } = useSessionDraft<ApprovalDraft>(draftKey('approval', review.id), emptyApproval, () => setConfirming(false));
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const conflict = useConflict(conflictProps);
  const confirmRef = useRef<HTMLDivElement>(null);
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const latestOutcome = review.opinions.at(-1)?.outcome;

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const send = async () => {
    setBusy(true);
    setError(undefined);
    conflict.reset();
    const r = await result<LeaderReview>(api.POST('/reviews/{id}/approval', { params: { path: { id: review.id } }, body: approvalBody(draft, review.version) }));
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clear();
    onSent(r.data, `审批已提交：${APPROVAL_LABELS[draft.decision as keyof typeof APPROVAL_LABELS] ?? draft.decision}。`);
  };

  const submit = (e: Event) => {
    e.preventDefault();
    // An override is the leader's own responsibility (L7): say so and ask once more before sending.
    if (needsConfirmation(draft) && !confirming) {
      // The earlier refusal was about the text before this edit; the confirmation says what will be sent.
      setError(undefined);
      return setConfirming(true);
    }
    void send();
  };

  const errors = error ? formErrors(error, APPROVAL_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const hints: Record<string, string> = {
    APPROVE: '同意法制审核意见，作出决定。',
    OVERRIDE: '不采纳审核意见而作出决定：须写明理由（不少于 10 字），由您承担相应责任。',
    REJECT: '不同意作出该决定。',
  };

  return (
    <section class="leader-form" aria-labelledby={id('title')}>
      <h3 id={id('title')}>负责人审批</h3>
      {error && errors ? <FormAlert error={error} errors={errors} title="未能提交审批" onReload={() => void conflict.reload()} reloading={conflict.reloading} reloadLabel="重新加载此审核" changes={conflict.changes} /> : null}
      {latestOutcome && latestOutcome !== 'APPROVE' ? (
        <p class="notice">
          审核意见为「{OPINION_OUTCOME_LABELS[latestOutcome] ?? latestOutcome}」：不采纳审核意见而作出决定的，请选择「{APPROVAL_LABELS.OVERRIDE}」并写明理由。
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <fieldset class={`field choices${errs('decision') ? ' invalid' : ''}`} aria-describedby={describedBy(errs('decision') && `${id('decision')}-error`)}>
          <legend>审批意见</legend>
          {(['APPROVE', 'OVERRIDE', 'REJECT'] as const).map((v) => (
            <label key={v} class="check">
              <input type="radio" name={id('decision')} value={v} checked={draft.decision === v} onChange={() => update({ decision: v })} />
              {APPROVAL_LABELS[v]}
              <span class="muted">{hints[v]}</span>
            </label>
          ))}
          {errs('decision') ? (
            <p class="field-error" id={`${id('decision')}-error`}>
              {errs('decision')?.join('；')}
            </p>
          ) : null}
        </fieldset>
        <Field id={id('reason')} label={draft.decision === 'OVERRIDE' ? '改变审核意见的理由（必填）' : '理由或说明（可选）'} errors={errs('reason')}>
          <textarea id={id('reason')} rows={3} value={draft.reason} maxLength={4000} onInput={(e) => update({ reason: e.currentTarget.value })} aria-invalid={errs('reason') ? true : undefined} aria-describedby={describedBy(errs('reason') && `${id('reason')}-error`)} />
        </Field>
        {confirming ? (
          <div class="confirm" role="group" aria-labelledby={id('confirm-title')} tabIndex={-1} ref={confirmRef}>
            <h4 id={id('confirm-title')}>确认改变审核意见</h4>
            <p>您将不采纳法制审核人员的审核意见而作出决定。提交后，本案的责任记录将记明：</p>
            <dl class="facts">
              <dt>审批人</dt>
              <dd>
                <strong>{leaderName}</strong>
              </dd>
              <dt>审批意见</dt>
              <dd>{APPROVAL_LABELS.OVERRIDE}</dd>
              <dt>责任</dt>
              <dd>
                <strong>{OVERRIDE_RESPONSIBILITY}</strong>
              </dd>
              <dt>理由</dt>
              <dd class="reason-text">{draft.reason.trim() || '（未填写理由：系统将拒绝提交）'}</dd>
            </dl>
            <p>以及审批时间；同时写入审计记录。</p>
            <div class="button-row">
              <button type="button" class="danger" disabled={busy} onClick={() => void send()}>
                {busy ? '正在提交…' : '确认改变审核意见，由我承担责任'}
              </button>
              <button type="button" class="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                返回修改
              </button>
            </div>
          </div>
        ) : (
          <button type="submit" disabled={busy}>
            {busy ? '正在提交…' : '提交审批'}
          </button>
        )}
      </form>
    </section>
  );
}

/** The case of a review, in a line: party, subject, the drafted decision. */
function CaseLine({ api, caseId }: { api: Api; caseId: string }) {
  const [c, setC] = useState<{ case: CaseDetail; decision: (DecisionSummary & { draft?: { conclusion?: string } }) | null } | undefined>();
  useEffect(() => {
    let live = true;
    void result<{ case: CaseDetail; decision: DecisionSummary | null }>(api.GET('/cases/{id}', { params: { path: { id: caseId } } })).then((r) => live && r.ok && setC(r.data));
    return () => {
      live = false;
    };
  }, [api, caseId]);
  if (!c) return null;
  const conclusion = c.decision?.draft?.conclusion ?? c.decision?.conclusion;
  return (
    <>
      <dt>当事人</dt>
      <dd>{c.case.party.name}</dd>
      <dt>案由</dt>
      <dd>{c.case.summary}</dd>
      {conclusion ? (
        <>
          <dt>拟作决定</dt>
          <dd>{conclusion}</dd>
        </>
      ) : null}
    </>
  );
}

function Opinion({ o, latest }: { o: LeaderReview['opinions'][number]; latest: boolean }) {
  const checklist = checklistResult(o.checklist);
  return (
    <div class={`opinion${latest ? '' : ' earlier'}`}>
      <p class="opinion-head">
        <strong>{latest ? '审核意见' : '此前的审核意见'}：{OPINION_OUTCOME_LABELS[o.outcome] ?? o.outcome}</strong>
        <span class="muted">
          {o.reviewerName} · {fmtTime(o.at)}
        </span>
      </p>
      <p class={checklist.failed.length === 0 ? 'check-ok' : 'check-failed'}>
        审核要点 {checklist.passed}/{checklist.total} 项通过；文书{o.documentsComplete ? '齐全' : '不齐全'}；{o.suspectedCrime ? '涉嫌犯罪，需移送' : '未发现涉嫌犯罪'}
      </p>
      {checklist.failed.length > 0 ? (
        <ul class="failed-points">
          {checklist.failed.map((f) => (
            <li key={f.point}>
              未通过：{f.label}
              {f.issue ? `——${f.issue}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="opinion-text">{o.opinion}</p>
    </div>
  );
}

function ReviewCard({ initial, chain, session, onGone }: { initial: LeaderReview; chain: string[]; session: Session; onGone: () => void }) {
  const { api } = useApp();
  const [review, setReview] = useState(initial);
  const [sent, setSent] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();
  const [changes, setChanges] = useState<string[] | undefined>();
  const uid = useId();
  const actions = leaderActions(session, review, chain);
  const latest = review.opinions.length - 1;

  const reload = async (): Promise<void> => {
    const r = await result<LeaderReview>(api.GET('/reviews/{id}', { params: { path: { id: review.id } } }));
    if (!r.ok) return setChanges([r.error.message]);
    setChanges(reviewChanges(review, r.data));
    setReview(r.data);
    if (r.data.status !== 'IN_PROGRESS') onGone();
  };

  // After a step: the workflow moves on within moments; follow it to the next step or the result.
  const follow = async (from: LeaderReview) => {
    for (let i = 0; i < 40; i++) {
      await new Promise((res) => setTimeout(res, 500));
      const r = await result<LeaderReview>(api.GET('/reviews/{id}', { params: { path: { id: from.id } } }));
      if (!r.ok) return;
      if (r.data.status !== 'IN_PROGRESS' || r.data.step !== from.step) {
        setReview(r.data);
        setOutcome(r.data.status !== 'IN_PROGRESS' ? `法制审核结果：${REVIEW_STATUS_LABELS[r.data.status] ?? r.data.status}。` : `审核已进入「${r.data.stepLabel}」。`);
        if (r.data.status !== 'IN_PROGRESS') onGone();
        return;
      }
    }
  };

  const onSent = (updated: LeaderReview, message: string) => {
    setReview(updated);
    setSent(message);
    setOutcome(undefined);
    setChanges(undefined);
    void follow(updated);
  };

  const waitingFor = review.step === 'AwaitCollectiveDiscussion' ? '集体讨论' : '负责人审批';
  return (
    <article class="panel review-card" aria-labelledby={`${uid}-h`}>
      <header class="review-card-head">
        <h2 id={`${uid}-h`}>
          案件 <Link href={href.case(review.caseId)}>{review.caseNo}</Link>
        </h2>
        <p>
          <span class={`status ${review.status === 'PASSED' ? 'status-open' : 'status-step'}`}>{review.status === 'IN_PROGRESS' ? review.stepLabel : (REVIEW_STATUS_LABELS[review.status] ?? review.status)}</span>
          {review.status === 'IN_PROGRESS' ? <span class="muted waiting">{waitingText(review.updatedAt, new Date())}</span> : null}
        </p>
      </header>
      <dl class="facts">
        <dt>决定书文号</dt>
        <dd>{review.decisionNo}</dd>
        <CaseLine api={api} caseId={review.caseId} />
        <dt>审核范围</dt>
        <dd>
          {review.scope.matched.map((m) => m.label).join('；') || '—'}
          {review.scope.collectiveDiscussion ? <span class="muted">须经集体讨论</span> : null}
        </dd>
        <dt>提交</dt>
        <dd>
          {review.submittedBy}
          <span class="muted">{fmtTime(review.submittedAt)}</span>
        </dd>
      </dl>
      {review.opinions.length > 0 ? (
        [...review.opinions].reverse().map((o, i) => <Opinion key={o.id} o={o} latest={i === 0 && latest >= 0} />)
      ) : (
        <p class="muted">尚无审核意见。</p>
      )}
      {review.coordination.map((c, i) => (
        <p key={i} class="coordination">
          <strong>承办机构{c.response === 'DISPUTE' ? '对审核意见有异议' : '接受审核意见'}</strong>（{c.by}）：{c.reason}
        </p>
      ))}
      {review.discussions.map((d, i) => (
        <p key={i} class="coordination">
          <strong>集体讨论</strong>（{d.date}，主持人 {d.chair}，{d.participants.filter((p) => p.role === 'LEADER').length} 名负责人参加）：{DISCUSSION_DECISION_LABELS[d.decision]}。{d.summary}
        </p>
      ))}
      {sent ? (
        <p class="success" role="status">
          {sent}
          {outcome ?? (review.status === 'IN_PROGRESS' ? '正在等待审核流程确认…' : '')}
        </p>
      ) : null}
      {changes ? <Changes changes={changes} stillYours={actions.discuss || actions.approve} /> : null}
      {actions.discuss ? <DiscussionForm key={`d-${review.id}`} review={review} onSent={onSent} onReload={reload} onStart={() => setChanges(undefined)} changes={changes} /> : null}
      {actions.approve ? (
        <ApprovalForm key={`a-${review.id}`} review={review} onSent={onSent} onReload={reload} onStart={() => setChanges(undefined)} changes={changes} leaderName={session.name} />
      ) : null}
      {!actions.discuss && !actions.approve && review.status === 'IN_PROGRESS' && !sent ? (
        <p class="notice">此审核等待{waitingFor}；{review.step === 'AwaitLeaderApproval' ? '负责人审批须由机关负责人本人办理' : '您没有录入集体讨论的权限'}。</p>
      ) : null}
    </article>
  );
}

export default function Approvals() {
  const { api, session } = useApp();
  const [agencies, setAgencies] = useState<AgencyListed[] | undefined>();
  const [agencyId, setAgencyId] = useState<string | undefined>(session?.agencyId);
  const [items, setItems] = useState<LeaderReview[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [finished, setFinished] = useState<ReadonlySet<string>>(new Set());
  const uid = useId();

  useEffect(() => {
    void result<Page<AgencyListed>>(api.GET('/agencies', { params: { query: { limit: 100 } } })).then((r) => {
      if (!r.ok || !session) return setAgencies([]);
      const mine = selectableAgencies(session, r.data.items);
      setAgencies(r.data.items);
      setAgencyId((cur) => cur ?? mine[0]?.id);
    });
  }, [api, session]);

  useEffect(() => {
    if (!agencyId) return;
    let live = true;
    setItems(undefined);
    setError(undefined);
    void result<{ items: LeaderReview[] }>(api.GET('/reviews/awaiting-leaders', { params: { query: { agencyId } } })).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setItems(r.data.items);
    });
    return () => {
      live = false;
    };
  }, [api, agencyId]);

  if (!session) return null;
  const selectable = agencies ? selectableAgencies(session, agencies) : [];
  const chain = agencyId && agencies ? agencyChain(agencyId, agencies) : agencyId ? [agencyId] : [];
  const waiting = items?.filter((r) => !finished.has(r.id)).length ?? 0;

  return (
    <section class="approvals">
      <PageHeading title="待审批">
        <p class="lead">等待负责人集体讨论或审批的重大执法决定法制审核，等待最久的在前。改变审核意见须写明理由，并由作出改变的负责人承担责任。</p>
      </PageHeading>
      <AgencyPicker id={`${uid}-agency`} agencies={selectable} value={agencyId} onChange={setAgencyId} />
      {!agencyId && agencies ? <p class="notice">当前用户未关联执法主体。</p> : null}
      {error ? <ErrorNote error={error} title="无法加载待审批事项" /> : null}
      {agencyId && !items && !error ? <Loading what="待审批事项" /> : null}
      {items ? (
        <>
          <p class="summary" role="status">
            {waiting > 0 ? `共 ${waiting} 件等待处理。` : finished.size > 0 ? '已全部处理。' : '目前没有等待负责人处理的法制审核。'}
          </p>
          {items.map((r) => (
            <ReviewCard key={r.id} initial={r} chain={chain} session={session} onGone={() => setFinished((f) => new Set([...f, r.id]))} />
          ))}
        </>
      ) : null}
    </section>
  );
}
