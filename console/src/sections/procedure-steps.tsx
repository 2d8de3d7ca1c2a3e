/**
 * 处罚程序 (issue 16 point 2; P1–P5, L1): the steps as the API offers them, each with its state, and
 * the form of the next one: make the notice (告知), record its service (送达), the party's statement or
 * written waiver (陈述申辩) and the answer to a statement, then submit the draft for legal review.
 * The hearing and payment are shown as they stand. A refusal by a procedure rule is shown as what to
 * do next (lib/procedure.ts nextStepAdvice).
 */
import { useId, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import { Field } from '../components.tsx';
import { Confirm, FormAlert } from '../forms.tsx';
import { shanghaiDate } from '../lib/cases.ts';
import { draftKey } from '../lib/drafts.ts';
import { fieldErrors, type ApiError } from '../lib/errors.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import {
  ADOPTION_LABELS,
  CHANNEL_LABELS,
  DEFAULT_MATERIALS,
  SERVICE_FIELDS,
  SERVICE_METHODS,
  STATEMENT_FIELDS,
  STATEMENT_KIND_LABELS,
  STEP_STATE_LABELS,
  WAIVER_TEXT,
  materialsOf,
  nextStepAdvice,
  serviceBody,
  statementBody,
  type NoticeInfo,
  type ServiceForm,
  type ServiceInfo,
  type StatementForm,
  type StatementInfo,
  type Step,
} from '../lib/procedure.ts';

const newKey = () => ({ header: { 'Idempotency-Key': crypto.randomUUID() } });

/** The API's refusal above a form: a procedure rule as what to do next, the rest as the API says it. */
function StepAlert({ error, fields, title, onReload }: { error: ApiError; fields: readonly string[]; title: string; onReload?: () => void }) {
  const advice = nextStepAdvice(error);
  const errors = fieldErrors(error, fields);
  return (
    <>
      <FormAlert error={error} errors={errors} title={title} {...(onReload ? { onReload } : {})} />
      {advice !== error.message ? (
        <p class="next-step" role="note">
          下一步：{advice}
        </p>
      ) : null}
    </>
  );
}

export function StepList({ steps }: { steps: readonly Step[] }) {
  return (
    <ol class="procedure-steps">
      {steps.map((s) => (
        <li key={s.key} class={`step step-${s.key} step-${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
          <span class="step-title">{s.title}</span>
          <span class="step-state">{STEP_STATE_LABELS[s.state]}</span>
          <span class="step-text">{s.text}</span>
        </li>
      ))}
    </ol>
  );
}

/** 告知: the notice made from the draft on record (POST /cases/{id}/notice with the case's version). */
export function NoticeStep({ caseId, caseVersion, onDone }: { caseId: string; caseVersion: number; onDone: () => void }) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const make = async () => {
    setBusy(true);
    setError(undefined);
    const r = await result(api.POST('/cases/{id}/notice', { params: { path: { id: caseId } }, body: { version: caseVersion } }));
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    onDone();
  };
  return (
    <div class="step-form">
      <h3>制作行政处罚告知书</h3>
      <p>告知书按已保存的决定草稿生成，载明拟作出的处罚、陈述申辩权，符合条件的告知听证权。此后加重处罚须重新告知。</p>
      {error ? <StepAlert error={error} fields={[]} title="未能制作告知书" onReload={onDone} /> : null}
      {confirming ? (
        <Confirm title="确认制作告知书" text="告知书将编号并列入案件文书，送达后当事人的陈述、申辩期限开始计算。" busy={busy} confirmLabel="确认制作告知书" onConfirm={() => void make()} onCancel={() => setConfirming(false)} />
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          制作告知书
        </button>
      )}
    </div>
  );
}

/** 送达: the notice's service, by the case's handling officers. */
export function ServiceStep({ caseId, notice, officerIds, recipient, place, onDone }: { caseId: string; notice: NoticeInfo; officerIds: readonly string[]; recipient: string; place: string; onDone: () => void }) {
  const { api } = useApp();
  const today = shanghaiDate(new Date());
  const { draft, update, clear } = useSessionDraft<ServiceForm>(draftKey('service', caseId), () => ({ documentId: notice.documentId, method: 'DIRECT', servedOn: today, recipient, place, receipt: '' }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const errors = error ? fieldErrors(error, SERVICE_FIELDS) : { byField: {}, general: [] };
  const err = (f: string) => errors.byField[f];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    // The notice of the case as it is now (a new notice replaces the old one).
    const body = serviceBody({ ...draft, documentId: notice.documentId }, officerIds);
    const r = await result(api.POST('/cases/{id}/services', { params: { path: { id: caseId }, ...newKey() }, body }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clear();
    onDone();
  };
  return (
    <form class="step-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${uid}-h`}>
      <h3 id={`${uid}-h`}>登记告知书 {notice.documentNo} 的送达</h3>
      {error ? <StepAlert error={error} fields={SERVICE_FIELDS} title="未能登记送达" /> : null}
      <div class="form-grid">
        <Field id={id('method')} label="送达方式" errors={err('method')}>
          <select id={id('method')} value={draft.method} onChange={(e) => update({ method: e.currentTarget.value })}>
            {Object.entries(SERVICE_METHODS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('servedOn')} label="送达日期" errors={err('servedOn')}>
          <input id={id('servedOn')} type="date" value={draft.servedOn} onInput={(e) => update({ servedOn: e.currentTarget.value })} />
        </Field>
        <Field id={id('recipient')} label="受送达人" errors={err('recipient')}>
          <input id={id('recipient')} type="text" value={draft.recipient} onInput={(e) => update({ recipient: e.currentTarget.value })} />
        </Field>
        <Field id={id('place')} label="送达地点" errors={err('place')} hint="直接送达和留置送达须填写">
          <input id={id('place')} type="text" value={draft.place} onInput={(e) => update({ place: e.currentTarget.value })} />
        </Field>
      </div>
      <Field id={id('receipt')} label="回执" errors={[...(err('receipt') ?? []), ...(err('officerIds') ?? [])].length ? [...(err('receipt') ?? []), ...(err('officerIds') ?? [])] : undefined} hint="签收情况、邮件单号、电子送达的到达记录或公告载体；送达人为本案承办人员">
        <textarea id={id('receipt')} rows={2} value={draft.receipt} onInput={(e) => update({ receipt: e.currentTarget.value })} />
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? '正在登记…' : '登记送达'}
      </button>
    </form>
  );
}

/** 陈述申辩: the party's statement, or their written waiver. */
export function StatementStep({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { api } = useApp();
  const today = shanghaiDate(new Date());
  const { draft, update, clear } = useSessionDraft<StatementForm>(draftKey('statement', caseId), () => ({ kind: 'STATEMENT', receivedOn: today, channel: 'WRITTEN', text: '' }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const errors = error ? fieldErrors(error, STATEMENT_FIELDS) : { byField: {}, general: [] };
  const err = (f: string) => errors.byField[f];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = await result(api.POST('/cases/{id}/statements', { params: { path: { id: caseId }, ...newKey() }, body: statementBody(draft) }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clear();
    onDone();
  };
  const pickKind = (kind: string) => update(kind === 'WAIVER' ? { kind, channel: draft.channel === 'ORAL' ? 'WRITTEN' : draft.channel, text: draft.text || WAIVER_TEXT } : { kind, text: draft.text === WAIVER_TEXT ? '' : draft.text });
  return (
    <form class="step-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${uid}-h`}>
      <h3 id={`${uid}-h`}>登记陈述、申辩或书面放弃</h3>
      {error ? <StepAlert error={error} fields={STATEMENT_FIELDS} title="未能登记" /> : null}
      <div class="form-grid">
        <Field id={id('kind')} label="类型" errors={err('kind')}>
          <select id={id('kind')} value={draft.kind} onChange={(e) => pickKind(e.currentTarget.value)}>
            {Object.entries(STATEMENT_KIND_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('receivedOn')} label="收到日期" errors={err('receivedOn')}>
          <input id={id('receivedOn')} type="date" value={draft.receivedOn} onInput={(e) => update({ receivedOn: e.currentTarget.value })} />
        </Field>
        <Field id={id('channel')} label="收到方式" errors={err('channel')} hint={draft.kind === 'WAIVER' ? '放弃须书面作出' : undefined}>
          <select id={id('channel')} value={draft.channel} onChange={(e) => update({ channel: e.currentTarget.value })}>
            {Object.entries(CHANNEL_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={id('text')} label={draft.kind === 'WAIVER' ? '放弃声明' : '陈述、申辩内容'} errors={err('text')}>
        <textarea id={id('text')} rows={3} value={draft.text} onInput={(e) => update({ text: e.currentTarget.value })} />
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? '正在登记…' : draft.kind === 'WAIVER' ? '登记书面放弃' : '登记陈述、申辩'}
      </button>
    </form>
  );
}

/** The written answer (复核意见) to one statement. */
function AnswerForm({ caseId, statement, onDone }: { caseId: string; statement: StatementInfo; onDone: () => void }) {
  const { api } = useApp();
  const { draft, update, clear } = useSessionDraft<{ adoption: string; response: string }>(draftKey('statement-answer', statement.id), () => ({ adoption: 'NOT_ADOPTED', response: '' }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();
  const errors = error ? fieldErrors(error, ['adoption', 'response']) : { byField: {}, general: [] };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = await result(
      api.POST('/cases/{id}/statements/{statementId}/response', { params: { path: { id: caseId, statementId: statement.id } }, body: { adoption: draft.adoption as 'ADOPTED', response: draft.response } }),
    );
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clear();
    onDone();
  };
  return (
    <form class="answer-form" onSubmit={(e) => void submit(e)} noValidate>
      {error ? <StepAlert error={error} fields={['adoption', 'response']} title="未能保存复核意见" /> : null}
      <div class="form-grid">
        <Field id={`${uid}-adoption`} label="采纳情况" errors={errors.byField.adoption}>
          <select id={`${uid}-adoption`} value={draft.adoption} onChange={(e) => update({ adoption: e.currentTarget.value })}>
            {Object.entries(ADOPTION_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={`${uid}-response`} label="书面复核意见" errors={errors.byField.response}>
        <textarea id={`${uid}-response`} rows={2} value={draft.response} onInput={(e) => update({ response: e.currentTarget.value })} />
      </Field>
      <button type="submit" class="secondary" disabled={busy}>
        {busy ? '正在保存…' : '保存复核意见'}
      </button>
    </form>
  );
}

export function Statements({ caseId, items, mayAct, onDone }: { caseId: string; items: readonly StatementInfo[]; mayAct: boolean; onDone: () => void }) {
  if (items.length === 0) return null;
  return (
    <ul class="statements">
      {items.map((s) => (
        <li key={s.id}>
          <strong>
            {STATEMENT_KIND_LABELS[s.kind] ?? s.kind}（{s.receivedOn}，{CHANNEL_LABELS[s.channel] ?? s.channel}）
          </strong>
          {s.late ? <span class="muted">逾期收到</span> : null}
          <p>{s.text}</p>
          {s.response ? (
            <p class="muted">
              复核意见：{ADOPTION_LABELS[s.response.adoption] ?? s.response.adoption}。{s.response.response}
            </p>
          ) : s.kind === 'STATEMENT' && mayAct ? (
            <AnswerForm caseId={caseId} statement={s} onDone={onDone} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function Services({ items }: { items: readonly ServiceInfo[] }) {
  if (items.length === 0) return null;
  return (
    <ul class="services">
      {items.map((s) => (
        <li key={s.id}>
          {s.documentTitle} {s.documentNo}：{SERVICE_METHODS[s.method] ?? s.method}，{s.servedOn} 送达 {s.recipient}
          {s.effectiveOn !== s.servedOn ? `（${s.effectiveOn} 生效）` : ''}
        </li>
      ))}
    </ul>
  );
}

/** 提交法制审核 (L1): the draft on record with the materials, through a confirmation. */
export function ReviewSubmit({ caseId, version, onDone }: { caseId: string; version: number; onDone: () => void }) {
  const { api } = useApp();
  const { draft, update, clear } = useSessionDraft<{ materials: string }>(draftKey('review-submit', caseId), () => ({ materials: DEFAULT_MATERIALS }), () => setConfirming(false));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const uid = useId();
  const errors = error ? fieldErrors(error, ['materials']) : { byField: {}, general: [] };
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    const r = await result<{ id: string; stepLabel?: string }>(
      api.POST('/cases/{id}/decision/review', { params: { path: { id: caseId }, ...newKey() }, body: { version, materials: materialsOf(draft.materials) } }),
    );
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clear();
    setDone(r.data.id);
    onDone();
  };
  if (done) {
    return (
      <p class="success" role="status">
        已提交法制审核，等待审核人员的意见。
      </p>
    );
  }
  return (
    <div class="step-form">
      <h3>提交法制审核</h3>
      {error ? <StepAlert error={error} fields={['materials']} title="未能提交法制审核" onReload={onDone} /> : null}
      <Field id={`${uid}-materials`} label="审核材料（每行一项）" errors={errors.byField.materials}>
        <textarea id={`${uid}-materials`} rows={3} value={draft.materials} onInput={(e) => update({ materials: e.currentTarget.value })} />
      </Field>
      {confirming ? (
        <Confirm
          title="确认提交法制审核"
          text="将以已保存的决定草稿提交法制审核。审核期间不能修改草稿；审核通过后修改草稿须重新审核。"
          busy={busy}
          confirmLabel="确认提交"
          onConfirm={() => void submit()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          提交法制审核
        </button>
      )}
    </div>
  );
}

const WITHDRAWAL_LABELS: Record<string, string> = { WRITTEN: '书面撤回', ORAL: '口头撤回（已记录）', ABSENT: '无正当理由拒不出席或中途退出，视为放弃' };

/**
 * 听证: the party's request (within the notice's period), or its withdrawal once requested. The
 * arrangement, postponement and record are made where the hearing is organised (not on this page yet).
 */
export function HearingStep({ caseId, caseVersion, requested, onDone }: { caseId: string; caseVersion: number; requested: boolean; onDone: () => void }) {
  const { api } = useApp();
  const today = shanghaiDate(new Date());
  const { draft, update, clear } = useSessionDraft<{ on: string; way: string }>(draftKey(requested ? 'hearing-withdrawal' : 'hearing-request', caseId), () => ({ on: today, way: 'WRITTEN' }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();
  const fields = requested ? ['withdrawnOn', 'how'] : ['receivedOn', 'channel'];
  const errors = error ? fieldErrors(error, fields) : { byField: {}, general: [] };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const path = { params: { path: { id: caseId } } };
    const r = requested
      ? await result(api.POST('/cases/{id}/hearing/withdrawal', { ...path, body: { version: caseVersion, withdrawnOn: draft.on, how: draft.way as 'WRITTEN' } }))
      : await result(api.POST('/cases/{id}/hearing', { ...path, body: { version: caseVersion, receivedOn: draft.on, channel: draft.way as 'WRITTEN' } }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clear();
    onDone();
  };
  return (
    <form class="step-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${uid}-h`}>
      <h3 id={`${uid}-h`}>{requested ? '登记撤回听证申请' : '登记当事人的听证申请'}</h3>
      {error ? <StepAlert error={error} fields={fields} title="未能登记" onReload={onDone} /> : null}
      <div class="form-grid">
        <Field id={`${uid}-on`} label={requested ? '撤回日期' : '收到申请日期'} errors={errors.byField[fields[0]!]}>
          <input id={`${uid}-on`} type="date" value={draft.on} onInput={(e) => update({ on: e.currentTarget.value })} />
        </Field>
        <Field id={`${uid}-way`} label={requested ? '撤回方式' : '申请方式'} errors={errors.byField[fields[1]!]}>
          <select id={`${uid}-way`} value={draft.way} onChange={(e) => update({ way: e.currentTarget.value })}>
            {Object.entries(requested ? WITHDRAWAL_LABELS : CHANNEL_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <button type="submit" class="secondary" disabled={busy}>
        {busy ? '正在登记…' : requested ? '登记撤回' : '登记听证申请'}
      </button>
    </form>
  );
}

const PAYMENT_SOURCE_LABELS: Record<string, string> = { BANK_RECONCILIATION: '银行对账', RECEIPT: '缴款凭证' };
const PAYMENT_FIELDS = ['amount', 'paidOn', 'source', 'reference', 'paymentReference'] as const;

/** 缴款 (P5, 罚缴分离): a payment the bank reports, quoting the 决定书's payment reference. */
export function PaymentStep({ caseId, paymentReference, outstanding, onDone }: { caseId: string; paymentReference: string; outstanding: string; onDone: () => void }) {
  const { api } = useApp();
  const today = shanghaiDate(new Date());
  const { draft, update, clear } = useSessionDraft(draftKey('payment', caseId), () => ({ amount: outstanding, paidOn: today, source: 'BANK_RECONCILIATION', reference: '', paymentReference }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const errors = error ? fieldErrors(error, PAYMENT_FIELDS) : { byField: {}, general: [] };
  const err = (f: string) => errors.byField[f];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = { ...draft, amount: draft.amount.replace(/[,，\s]/g, ''), reference: draft.reference.trim(), source: draft.source as 'RECEIPT' };
    const r = await result(api.POST('/cases/{id}/payments', { params: { path: { id: caseId }, ...newKey() }, body }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    clear();
    onDone();
  };
  return (
    <form class="step-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${uid}-h`}>
      <h3 id={`${uid}-h`}>登记罚款缴纳</h3>
      {error ? <StepAlert error={error} fields={PAYMENT_FIELDS} title="未能登记缴款" /> : null}
      <div class="form-grid">
        <Field id={id('amount')} label="缴款金额（元）" errors={err('amount')}>
          <input id={id('amount')} type="text" inputMode="decimal" value={draft.amount} onInput={(e) => update({ amount: e.currentTarget.value })} />
        </Field>
        <Field id={id('paidOn')} label="缴款日期" errors={err('paidOn')}>
          <input id={id('paidOn')} type="date" value={draft.paidOn} onInput={(e) => update({ paidOn: e.currentTarget.value })} />
        </Field>
        <Field id={id('source')} label="来源" errors={err('source')}>
          <select id={id('source')} value={draft.source} onChange={(e) => update({ source: e.currentTarget.value })}>
            {Object.entries(PAYMENT_SOURCE_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('reference')} label="银行流水号或票据号" errors={err('reference')}>
          <input id={id('reference')} type="text" value={draft.reference} onInput={(e) => update({ reference: e.currentTarget.value })} />
        </Field>
        <Field id={id('paymentReference')} label="缴款识别码" errors={err('paymentReference')} hint="须与决定书载明的一致">
          <input id={id('paymentReference')} type="text" inputMode="numeric" value={draft.paymentReference} onInput={(e) => update({ paymentReference: e.currentTarget.value })} />
        </Field>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? '正在登记…' : '登记缴款'}
      </button>
    </form>
  );
}
