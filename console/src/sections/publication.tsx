/**
 * 公示管理 (issue 16, point 5; D7–D11, N1–N5): the agency's issued decisions waiting for publication
 * (the deadline check's PUBLICATION items first, overdue before due soon), each with 公示 or 不予公开;
 * and its published decisions, each with 更正 and 撤下. Every action is sent only after a confirmation
 * that says what happens to the public record. Errors appear beside their fields, drafts stay in
 * sessionStorage per decision, a 409 offers to reload and says what changed. The API (access.ts
 * `disclosure.manage`: the legal division and leaders) remains the judge.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result, type Api } from '../api/client.ts';
import type { AgencyListed, DeadlineBoard, Page, PublicationDecisionView } from '../api/types.ts';
import type { CaseSummary } from '../lib/cases.ts';
import { AgencyPicker, ErrorNote, Field, Link, Loading, PageHeading } from '../components.tsx';
import { Confirm, FormAlert } from '../forms.tsx';
import { daysLeftText, shanghaiDate } from '../lib/cases.ts';
import { draftKey } from '../lib/drafts.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import type { ApiError } from '../lib/errors.ts';
import { formErrors, selectableAgencies } from '../lib/leader.ts';
import {
  CORRECT_FIELDS,
  DECISION_STATUS_TEXT,
  EXEMPTION_LABELS,
  EXEMPT_FIELDS,
  WITHDRAWAL_LABELS,
  WITHDRAW_FIELDS,
  confirmationText,
  correctBody,
  decisionChanges,
  emptyCorrect,
  emptyExempt,
  emptyWithdraw,
  exemptBody,
  pathlessField,
  portalDecisionPath,
  waitingForPublication,
  withdrawBody,
  type Waiting,
} from '../lib/publication.ts';
import { href } from '../lib/routes.ts';
import { PENALTY_TYPE_LABELS } from '../../../shared/domain/penalty-labels.ts';

type Decision = PublicationDecisionView;
type Action = 'publish' | 'exempt' | 'correct' | 'withdraw';

const ACTION_LABELS: Record<Action, string> = { publish: '公示', exempt: '不予公开', correct: '更正', withdraw: '撤下公示' };
const describedBy = (...ids: (string | false | undefined)[]): string | undefined => ids.filter(Boolean).join(' ') || undefined;
const decisionNo = (d: Decision): string | undefined => d.document?.documentNo ?? d.draft.decisionNo;

interface ActionProps {
  readonly decision: Decision;
  readonly onDone: (d: Decision, message: string) => void;
  readonly onReload: () => Promise<void>;
  readonly onCancel: () => void;
}

/** Sending one action: busy, the API's error, the confirmation step, the reload after a 409. */
function useAction(onReload: () => Promise<void>) {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reloading, setReloading] = useState(false);
  const send = async (call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Decision | undefined> => {
    setBusy(true);
    setError(undefined);
    const r = await result<Decision>(call());
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return undefined;
    }
    return r.data;
  };
  const reload = async () => {
    setReloading(true);
    await onReload();
    setReloading(false);
    setError(undefined);
  };
  return { error, busy, confirming, setConfirming, send, reload, reloading, setError };
}

function PublishPanel({ decision, onDone, onReload, onCancel }: ActionProps) {
  const { api } = useApp();
  const a = useAction(onReload);
  const errors = a.error ? formErrors(a.error, []) : undefined;
  const go = async () => {
    const d = await a.send(() => api.POST('/cases/{id}/decision/publish', { params: { path: { id: decision.caseId } }, body: { version: decision.version } }));
    if (d) onDone(d, '已公示：决定已在门户网站公开（个人信息已隐去）。');
  };
  return (
    <section class="publication-form">
      {a.error && errors ? <FormAlert error={a.error} errors={errors} reloadLabel="重新加载此决定" onReload={() => void a.reload()} reloading={a.reloading} /> : null}
      <Confirm title="确认公示" text={confirmationText('publish', { decisionNo: decisionNo(decision) })} busy={a.busy} confirmLabel="确认公示" onConfirm={() => void go()} onCancel={onCancel} />
    </section>
  );
}

function ExemptForm({ decision, onDone, onReload, onCancel }: ActionProps) {
  const { api } = useApp();
  const a = useAction(onReload);
  const { draft, update, clear } = useSessionDraft(draftKey('exempt', decision.caseId), () => emptyExempt(), () => a.setConfirming(false));
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const go = async () => {
    const d = await a.send(() => api.POST('/cases/{id}/decision/exempt', { params: { path: { id: decision.caseId } }, body: exemptBody(draft, decision.version) }));
    if (!d) return;
    clear();
    onDone(d, `已决定不予公开：${EXEMPTION_LABELS[draft.ground] ?? draft.ground}。`);
  };
  const errors = a.error ? formErrors(a.error, EXEMPT_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  return (
    <section class="publication-form" aria-labelledby={id('t')}>
      <h3 id={id('t')}>不予公开</h3>
      {a.error && errors ? <FormAlert error={a.error} errors={errors} reloadLabel="重新加载此决定" onReload={() => void a.reload()} reloading={a.reloading} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          a.setError(undefined);
          a.setConfirming(true);
        }}
      >
        <Field id={id('ground')} label="不予公开的理由" errors={errs('ground')}>
          <select id={id('ground')} value={draft.ground} onChange={(e) => update({ ground: e.currentTarget.value })} aria-invalid={errs('ground') ? true : undefined} aria-describedby={describedBy(errs('ground') && `${id('ground')}-error`)}>
            <option value="">请选择</option>
            {Object.entries(EXEMPTION_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('approver')} label="批准人（负责人姓名）" errors={errs('approver')}>
          <input id={id('approver')} type="text" maxLength={30} value={draft.approver} onInput={(e) => update({ approver: e.currentTarget.value })} aria-invalid={errs('approver') ? true : undefined} aria-describedby={describedBy(errs('approver') && `${id('approver')}-error`)} />
        </Field>
        <Field id={id('note')} label="说明（可选）" errors={errs('note')}>
          <textarea id={id('note')} rows={2} maxLength={1000} value={draft.note} onInput={(e) => update({ note: e.currentTarget.value })} aria-invalid={errs('note') ? true : undefined} aria-describedby={describedBy(errs('note') && `${id('note')}-error`)} />
        </Field>
        {a.confirming ? (
          <Confirm title="确认不予公开" text={confirmationText('exempt', { decisionNo: decisionNo(decision), ground: draft.ground })} busy={a.busy} confirmLabel="确认不予公开" onConfirm={() => void go()} onCancel={() => a.setConfirming(false)} />
        ) : (
          <div class="button-row">
            <button type="submit">提交不予公开</button>
            <button type="button" class="secondary" onClick={onCancel}>
              取消
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function CorrectForm({ decision, onDone, onReload, onCancel }: ActionProps) {
  const { api } = useApp();
  const a = useAction(onReload);
  const { draft, update, clear } = useSessionDraft(draftKey('correct-publication', decision.caseId), () => emptyCorrect(), () => a.setConfirming(false));
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const go = async () => {
    const d = await a.send(() => api.POST('/cases/{id}/decision/correct', { params: { path: { id: decision.caseId } }, body: correctBody(draft, decision.version) }));
    if (!d) return;
    clear();
    onDone(d, `已更正公示信息（第 ${d.publicVersion ?? ''} 版）。`);
  };
  const errors = a.error ? formErrors(a.error, CORRECT_FIELDS) : undefined;
  const pathless = a.error ? pathlessField(a.error) : undefined;
  const errs = (f: string) => errors?.byField[f] ?? (pathless === f && a.error ? [a.error.message] : undefined);
  const text = (f: (typeof CORRECT_FIELDS)[number], label: string, rows: number, max: number, hint?: string) => (
    <Field id={id(f)} label={label} errors={errs(f)} {...(hint ? { hint } : {})}>
      <textarea id={id(f)} rows={rows} maxLength={max} value={draft[f]} onInput={(e) => update({ [f]: e.currentTarget.value })} aria-invalid={errs(f) ? true : undefined} aria-describedby={describedBy(hint && `${id(f)}-hint`, errs(f) && `${id(f)}-error`)} />
    </Field>
  );
  return (
    <section class="publication-form" aria-labelledby={id('t')}>
      <h3 id={id('t')}>更正公示信息</h3>
      {a.error && errors ? <FormAlert error={a.error} errors={errors} reloadLabel="重新加载此决定" onReload={() => void a.reload()} reloading={a.reloading} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          a.setError(undefined);
          a.setConfirming(true);
        }}
      >
        <p class="hint">只填写需要更正的内容，未填写的保持公示时的内容。</p>
        {text('conclusion', '处理结果（更正为）', 2, 200, `决定原文：${decision.draft.conclusion}`)}
        {text('violationType', '违法行为类型（更正为）', 1, 200)}
        {text('legalBasis', '法律依据（更正为）', 2, 2000)}
        {text('documentText', '决定书全文（更正为）', 4, 20000)}
        {text('reason', '更正原因（必填）', 2, 500)}
        {a.confirming ? (
          <Confirm title="确认更正" text={confirmationText('correct', { decisionNo: decisionNo(decision) })} busy={a.busy} confirmLabel="确认更正" onConfirm={() => void go()} onCancel={() => a.setConfirming(false)} />
        ) : (
          <div class="button-row">
            <button type="submit">提交更正</button>
            <button type="button" class="secondary" onClick={onCancel}>
              取消
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function WithdrawForm({ decision, onDone, onReload, onCancel }: ActionProps) {
  const { api } = useApp();
  const a = useAction(onReload);
  const { draft, update, clear } = useSessionDraft(draftKey('withdraw-publication', decision.caseId), () => emptyWithdraw(shanghaiDate(new Date())), () => a.setConfirming(false));
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const go = async () => {
    const d = await a.send(() => api.POST('/cases/{id}/decision/withdraw', { params: { path: { id: decision.caseId } }, body: withdrawBody(draft, decision.version) }));
    if (!d) return;
    clear();
    onDone(d, `已撤下公示：${WITHDRAWAL_LABELS[draft.ground] ?? draft.ground}。门户网站不再显示该决定。`);
  };
  const errors = a.error ? formErrors(a.error, WITHDRAW_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  return (
    <section class="publication-form" aria-labelledby={id('t')}>
      <h3 id={id('t')}>撤下公示</h3>
      {a.error && errors ? <FormAlert error={a.error} errors={errors} reloadLabel="重新加载此决定" onReload={() => void a.reload()} reloading={a.reloading} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          a.setError(undefined);
          a.setConfirming(true);
        }}
      >
        <Field id={id('ground')} label="撤下的理由" errors={errs('ground')}>
          <select id={id('ground')} value={draft.ground} onChange={(e) => update({ ground: e.currentTarget.value })} aria-invalid={errs('ground') ? true : undefined} aria-describedby={describedBy(errs('ground') && `${id('ground')}-error`)}>
            <option value="">请选择</option>
            {Object.entries(WITHDRAWAL_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                决定{l}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('changedOn')} label="决定被变更、撤销或确认违法的日期" errors={errs('changedOn')}>
          <input id={id('changedOn')} type="date" value={draft.changedOn} onInput={(e) => update({ changedOn: e.currentTarget.value })} aria-invalid={errs('changedOn') ? true : undefined} aria-describedby={describedBy(errs('changedOn') && `${id('changedOn')}-error`)} />
        </Field>
        <Field id={id('reason')} label="说明（必填）" errors={errs('reason')}>
          <textarea id={id('reason')} rows={2} maxLength={500} value={draft.reason} onInput={(e) => update({ reason: e.currentTarget.value })} aria-invalid={errs('reason') ? true : undefined} aria-describedby={describedBy(errs('reason') && `${id('reason')}-error`)} />
        </Field>
        {a.confirming ? (
          <Confirm title="确认撤下公示" text={confirmationText('withdraw', { decisionNo: decisionNo(decision), ground: draft.ground })} busy={a.busy} confirmLabel="确认撤下" onConfirm={() => void go()} onCancel={() => a.setConfirming(false)} />
        ) : (
          <div class="button-row">
            <button type="submit">提交撤下</button>
            <button type="button" class="secondary" onClick={onCancel}>
              取消
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

const FORMS: Record<Action, (p: ActionProps) => preact.JSX.Element> = { publish: PublishPanel, exempt: ExemptForm, correct: CorrectForm, withdraw: WithdrawForm };

function DecisionCard({ initial, c, due }: { initial: Decision; c: CaseSummary | undefined; due?: Omit<Waiting<Decision>, 'decision'> }) {
  const { api } = useApp();
  const [decision, setDecision] = useState(initial);
  const [open, setOpen] = useState<Action | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [changes, setChanges] = useState<string[] | undefined>();
  const uid = useId();
  const d = decision;
  const no = decisionNo(d);

  const reload = async () => {
    const r = await result<Decision>(api.GET('/cases/{id}/decision', { params: { path: { id: d.caseId } } }));
    if (!r.ok) return setChanges([r.error.message]);
    setChanges(decisionChanges(d, r.data));
    setDecision(r.data);
  };
  const actions: Action[] = d.status === 'ISSUED' ? ['publish', 'exempt'] : d.status === 'PUBLISHED' ? ['correct', 'withdraw'] : [];
  const Form = open && actions.includes(open) ? FORMS[open] : undefined;

  return (
    <article class="panel publication-card" aria-labelledby={`${uid}-h`}>
      <header class="review-card-head">
        <h3 id={`${uid}-h`}>{no ? `决定书 ${no}` : '决定（未编号）'}</h3>
        <p>
          <span class={`status ${d.status === 'PUBLISHED' ? 'status-open' : 'status-step'}`}>{DECISION_STATUS_TEXT[d.status] ?? d.status}</span>
          {due?.dueDate && d.status === 'ISSUED' ? (
            <span class={`due due-${due.overdue ? 'overdue' : 'soon'}`}>
              应于 {due.dueDate} 前公示{due.daysLeft !== undefined ? `（${daysLeftText(due.daysLeft)}）` : ''}
            </span>
          ) : null}
        </p>
      </header>
      <dl class="facts">
        <dt>案件</dt>
        <dd>{c ? <Link href={href.case(d.caseId)}>{c.caseNo}</Link> : <Link href={href.case(d.caseId)}>查看案件</Link>}</dd>
        {c ? (
          <>
            <dt>当事人</dt>
            <dd>
              {c.party.name}
              {c.party.kind === 'PERSON' ? <span class="muted">公示时隐去姓名等个人信息</span> : null}
            </dd>
          </>
        ) : null}
        <dt>处理结果</dt>
        <dd>{d.draft.conclusion}</dd>
        {d.draft.penalties.length > 0 ? (
          <>
            <dt>处罚种类</dt>
            <dd>
              {d.draft.penalties.map((p) => PENALTY_TYPE_LABELS[p as keyof typeof PENALTY_TYPE_LABELS] ?? p).join('、')}
              {d.draft.penalties.includes('FINE') ? `（罚款 ${d.draft.fine} 元）` : ''}
            </dd>
          </>
        ) : null}
        <dt>决定日期</dt>
        <dd>{d.draft.decisionDate}</dd>
        {d.publicationDate ? (
          <>
            <dt>公示</dt>
            <dd>
              {d.publicationDate} 起{d.disclosure ? `，至 ${d.disclosure.endsOn}（${d.disclosure.reason}）` : ''}
              {d.publicVersion && d.publicVersion > 1 ? <span class="muted">第 {d.publicVersion} 版</span> : null}
            </dd>
          </>
        ) : null}
        {d.pendingWithdrawal ? (
          <>
            <dt>待撤下</dt>
            <dd>
              决定{WITHDRAWAL_LABELS[d.pendingWithdrawal.ground] ?? d.pendingWithdrawal.ground}，应于 {d.pendingWithdrawal.dueDate} 前撤下
            </dd>
          </>
        ) : null}
      </dl>
      {d.corrections.length > 0 ? (
        <ul class="corrections">
          {d.corrections.map((k) => (
            <li key={k.publicVersion}>
              第 {k.publicVersion} 版更正（{k.by}）：{k.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {d.status === 'PUBLISHED' ? (
        <p>
          <a href={portalDecisionPath(d.publicId)}>在门户网站查看公示内容</a>
        </p>
      ) : null}
      {done ? (
        <p class="success" role="status">
          {done}
        </p>
      ) : null}
      {changes ? (
        <div class="notice changes" role="status">
          <strong>已重新加载。{changes.length > 0 ? '自您打开以来的变化：' : '决定没有变化，可以重新提交。'}</strong>
          {changes.length > 0 ? (
            <ul>
              {changes.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {Form ? (
        <Form
          key={`${open}-${d.version}`}
          decision={d}
          onReload={reload}
          onCancel={() => setOpen(undefined)}
          onDone={(next, message) => {
            setDecision(next);
            setDone(message);
            setChanges(undefined);
            setOpen(undefined);
          }}
        />
      ) : actions.length > 0 ? (
        <div class="button-row">
          {actions.map((x) => (
            <button
              key={x}
              type="button"
              class={x === 'publish' || x === 'correct' ? '' : 'secondary'}
              onClick={() => {
                setOpen(x);
                setDone(undefined);
              }}
            >
              {ACTION_LABELS[x]}
            </button>
          ))}
        </div>
      ) : null}
    </article>
  );
}

interface Loaded {
  readonly waiting: Waiting<Decision>[];
  readonly published: Decision[];
  readonly cases: Map<string, CaseSummary>;
}

/** The agency's decided cases and their decisions; the deadline check for the due dates. */
async function load(api: Api, agencyId: string): Promise<{ ok: true; data: Loaded } | { ok: false; error: ApiError }> {
  const cases: CaseSummary[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const r = await result<Page<CaseSummary>>(api.GET('/cases', { params: { query: { agencyId, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    if (!r.ok) return r;
    cases.push(...r.data.items);
    if (!r.data.nextCursor) break;
    cursor = r.data.nextCursor;
  }
  // A closed case is read-only (P8); its decision's publication is done or exempt.
  const decided = cases.filter((c) => c.status === 'DECIDED');
  const [board, ...decisions] = await Promise.all([
    result<DeadlineBoard>(api.GET('/compliance/deadlines', { params: { query: { agencyId } } })),
    ...decided.map((c) => result<Decision>(api.GET('/cases/{id}/decision', { params: { path: { id: c.id } } }))),
  ]);
  const found = decisions.flatMap((r) => (r?.ok ? [r.data] : []));
  return {
    ok: true,
    data: {
      waiting: waitingForPublication(found, board?.ok ? board.data.items : []),
      published: found.filter((d) => d.status === 'PUBLISHED').sort((a, b) => (b.publicationDate ?? '').localeCompare(a.publicationDate ?? '')),
      cases: new Map(cases.map((c) => [c.id, c])),
    },
  };
}

export default function Publication() {
  const { api, session } = useApp();
  const [agencies, setAgencies] = useState<AgencyListed[] | undefined>();
  const [agencyId, setAgencyId] = useState<string | undefined>(session?.agencyId);
  const [data, setData] = useState<Loaded | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();

  useEffect(() => {
    void result<Page<AgencyListed>>(api.GET('/agencies', { params: { query: { limit: 100 } } })).then((r) => {
      if (!r.ok || !session) return setAgencies([]);
      setAgencies(r.data.items);
      setAgencyId((cur) => cur ?? selectableAgencies(session, r.data.items)[0]?.id);
    });
  }, [api, session]);

  useEffect(() => {
    if (!agencyId) return;
    let live = true;
    setData(undefined);
    setError(undefined);
    void load(api, agencyId).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setData(r.data);
    });
    return () => {
      live = false;
    };
  }, [api, agencyId]);

  if (!session) return null;
  const selectable = agencies ? selectableAgencies(session, agencies) : [];

  return (
    <section class="publication">
      <PageHeading title="公示管理">
        <p class="lead">行政执法决定作出后 7 个工作日内公示（个人信息隐去）；不予公开须有法定理由和批准人；已公示的决定可更正，被变更、撤销或确认违法的应撤下。</p>
      </PageHeading>
      <AgencyPicker id={`${uid}-agency`} agencies={selectable} value={agencyId} onChange={setAgencyId} />
      {!agencyId && agencies ? <p class="notice">当前用户未关联执法主体。</p> : null}
      {error ? <ErrorNote error={error} title="无法加载决定" /> : null}
      {agencyId && !data && !error ? <Loading what="待公示和已公示的决定" /> : null}
      {data ? (
        <>
          <section class="publication-group" aria-labelledby={`${uid}-waiting`}>
            <h2 id={`${uid}-waiting`}>
              待公示<span class="count">{data.waiting.length} 件</span>
            </h2>
            {data.waiting.length === 0 ? <p class="muted">没有等待公示的决定。</p> : null}
            {data.waiting.map(({ decision, ...due }) => (
              <DecisionCard key={decision.caseId} initial={decision} c={data.cases.get(decision.caseId)} due={due} />
            ))}
          </section>
          <section class="publication-group" aria-labelledby={`${uid}-published`}>
            <h2 id={`${uid}-published`}>
              已公示<span class="count">{data.published.length} 件</span>
            </h2>
            {data.published.length === 0 ? <p class="muted">没有正在公示的决定。</p> : null}
            {data.published.map((d) => (
              <DecisionCard key={d.caseId} initial={d} c={data.cases.get(d.caseId)} />
            ))}
          </section>
        </>
      ) : null}
    </section>
  );
}
