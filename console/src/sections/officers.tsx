/**
 * 执法人员 (issue 16, point 5; D4, D5, S1, S2): the legal division's list of officers (per agency, paged
 * as the API pages) with each certificate's state and the year's training hours; and one officer's page:
 * details, the certificate and its QR for the portal's check, status changes with a reason through a
 * confirmation, training records. Drafts stay in sessionStorage per officer; a 409 offers to reload and
 * says what changed. The API (access.ts `registry.manage`: the legal division) remains the judge.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { AgencyListed, Page } from '../api/types.ts';
import { AdminCrumb, AgencyPicker, ErrorNote, Field, Link, Loading, PageHeading } from '../components.tsx';
import { Confirm, FormAlert } from '../forms.tsx';
import { shanghaiDate } from '../lib/cases.ts';
import { draftKey, loadDraft, saveDraft } from '../lib/drafts.ts';
import { formErrors, selectableAgencies } from '../lib/leader.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import type { ApiError } from '../lib/errors.ts';
import {
  CERTIFICATE_STATUS_LABELS,
  SETTABLE_STATUSES,
  STATUS_FIELDS,
  TRAINING_FIELDS,
  appendPage,
  byCertificateNo,
  certificateState,
  emptyStatus,
  emptyTraining,
  officerChanges,
  statusBody,
  statusConfirmText,
  trainingBody,
  trainingNewestFirst,
  trainingOfYear,
  OFFICER_FIELDS,
  createBody,
  editBody,
  officerDraft,
  rebaseDraft,
  type OfficerView,
} from '../lib/officers.ts';
import type { paths } from '../api/schema.d.ts';
import { href, type Route } from '../lib/routes.ts';
import { permits } from '../../../shared/domain/access.ts';

const PAGE_SIZE = 50;
type PatchBody = paths['/officers/{id}']['patch']['requestBody']['content']['application/json'];
const describedBy = (...ids: (string | false | undefined)[]): string | undefined => ids.filter(Boolean).join(' ') || undefined;
const today = (): string => shanghaiDate(new Date());

function useAgencies(): AgencyListed[] | undefined {
  const { api } = useApp();
  const [agencies, setAgencies] = useState<AgencyListed[] | undefined>();
  useEffect(() => {
    void result<Page<AgencyListed>>(api.GET('/agencies', { params: { query: { limit: 100 } } })).then((r) => setAgencies(r.ok ? r.data.items : []));
  }, [api]);
  return agencies;
}

function CertificateBadge({ o }: { o: Pick<OfficerView, 'certificateStatus' | 'validUntil'> }) {
  const s = certificateState(o, today());
  return <span class={`status cert-${s.tone}`}>{s.label}</span>;
}

// ---------------------------------------------------------------- registering and editing

/**
 * 登记执法人员 (no officer) or 修改基本信息 (an officer): one form, kept as a draft. A new officer is sent
 * with the draft's Idempotency-Key; an edit sends only what changed, with the version (409 → reload).
 */
function OfficerForm({ officer, agencies, defaultAgency, onDone, onReload, onCancel }: {
  officer?: OfficerView;
  agencies: readonly { id: string; name: string }[];
  defaultAgency?: string;
  onDone: (o: OfficerView, message: string) => void;
  onReload?: () => Promise<void>;
  onCancel: () => void;
}) {
  const { api } = useApp();
  const s = useSend(onReload ?? (async () => undefined));
  const [note, setNote] = useState<string | undefined>();
  const key = officer ? draftKey('officer-edit', officer.id) : draftKey('officer-new', 'form');
  const empty = () => officerDraft(officer, { ...(defaultAgency ? { agencyId: defaultAgency } : {}), key: officer ? '' : crypto.randomUUID() });
  const { draft, update, clear } = useSessionDraft(key, empty, () => setNote(undefined));
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const go = async () => {
    if (officer) {
      const body = editBody(draft, officer);
      if (!body) return setNote('没有修改的内容。');
      const o = await s.send(() => api.PATCH('/officers/{id}', { params: { path: { id: officer.id } }, body: body as PatchBody }));
      if (!o) return;
      clear();
      onDone(o, '基本信息已保存。');
    } else {
      const key = draft.idempotencyKey || crypto.randomUUID();
      const o = await s.send(() => api.POST('/officers', { params: { header: { 'Idempotency-Key': key } }, body: createBody(draft) }));
      if (!o) return;
      clear();
      onDone(o, `已登记执法人员 ${o.name}。`);
    }
  };
  const errors = s.error ? formErrors(s.error, OFFICER_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const aria = (f: string, hint = false) => ({ 'aria-invalid': errs(f) ? true : undefined, 'aria-describedby': describedBy(hint && `${id(f)}-hint`, errs(f) && `${id(f)}-error`) });
  const text = (f: 'name' | 'certificateNo' | 'categories' | 'region' | 'division' | 'phone' | 'idNumber', label: string, max: number, hint?: string) => (
    <Field id={id(f)} label={label} errors={errs(f)} {...(hint ? { hint } : {})}>
      <input id={id(f)} type="text" maxLength={max} value={draft[f]} onInput={(e) => update({ [f]: e.currentTarget.value })} {...aria(f, Boolean(hint))} />
    </Field>
  );
  return (
    <section class="officer-form officer-edit" aria-labelledby={id('t')}>
      <h3 id={id('t')}>{officer ? '修改基本信息' : '登记执法人员'}</h3>
      {s.error && errors ? <FormAlert error={s.error} errors={errors} reloadLabel="重新加载此执法人员" {...(onReload ? { onReload: () => void s.reload() } : {})} reloading={s.reloading} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void go();
        }}
      >
        <div class="officer-edit-fields">
          {text('name', '姓名', 30)}
          <Field id={id('agencyId')} label="所属执法主体" errors={errs('agencyId')}>
            <select id={id('agencyId')} value={draft.agencyId} onChange={(e) => update({ agencyId: e.currentTarget.value })} {...aria('agencyId')}>
              <option value="">请选择</option>
              {agencies.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </Field>
          {text('certificateNo', '执法证件编号', 24)}
          {officer ? null : (
            <Field id={id('validUntil')} label="证件有效期至" errors={errs('validUntil')}>
              <input id={id('validUntil')} type="date" value={draft.validUntil} onInput={(e) => update({ validUntil: e.currentTarget.value })} {...aria('validUntil')} />
            </Field>
          )}
          {text('categories', '执法类别', 200, '多个类别用顿号分隔，如：食品安全、综合执法')}
          {text('region', '执法区域', 60)}
          {text('division', '所在处室（可选）', 40)}
          {text('phone', '联系电话（可选，不公开）', 20)}
          {text('idNumber', '身份证号码（可选，不公开）', 18)}
        </div>
        <div class="field">
          <label class="check">
            <input type="checkbox" checked={draft.legalQualification} onChange={(e) => update({ legalQualification: e.currentTarget.checked })} />
            具有法律职业资格
          </label>
          <label class="check">
            <input type="checkbox" checked={draft.reviewer} onChange={(e) => update({ reviewer: e.currentTarget.checked })} />
            法制审核人员
          </label>
        </div>
        {note ? (
          <p class="notice" role="status">
            {note}
          </p>
        ) : null}
        <div class="button-row">
          <button type="submit" disabled={s.busy}>
            {s.busy ? '正在提交…' : officer ? '保存修改' : '登记'}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              clear(empty());
              onCancel();
            }}
          >
            取消
          </button>
        </div>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- the list

function OfficerList() {
  const { api, session, navigate } = useApp();
  const agencies = useAgencies();
  const [creating, setCreating] = useState(false);
  const [agencyId, setAgencyId] = useState<string | undefined>(session?.groups.includes('admin') ? undefined : session?.agencyId);
  const [nameInput, setNameInput] = useState('');
  const [name, setName] = useState('');
  const [items, setItems] = useState<OfficerView[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const uid = useId();
  const year = Number(today().slice(0, 4));

  const fetchPage = (after: string | undefined) =>
    result<Page<OfficerView>>(api.GET('/officers', { params: { query: { limit: PAGE_SIZE, ...(agencyId ? { agencyId } : {}), ...(name ? { name } : {}), ...(after ? { cursor: after } : {}) } } }));

  useEffect(() => {
    let live = true;
    setItems(undefined);
    setError(undefined);
    void fetchPage(undefined).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setItems(r.data.items);
      setCursor(r.data.nextCursor);
    });
    return () => {
      live = false;
    };
  }, [api, agencyId, name]);

  const loadMore = async () => {
    if (!cursor) return;
    setMore(true);
    const r = await fetchPage(cursor);
    setMore(false);
    if (!r.ok) return setError(r.error);
    setItems((cur) => appendPage(cur ?? [], r.data.items));
    setCursor(r.data.nextCursor);
  };

  if (!session) return null;
  const selectable = agencies ? selectableAgencies(session, agencies) : [];
  const agencyName = (id: string) => agencies?.find((a) => a.id === id)?.name ?? id;

  return (
    <section class="officers">
      <AdminCrumb page="officers" />
      <PageHeading title="执法人员">
        <p class="lead">执法证件状态变更须说明原因；暂扣、吊销或过期的证件不能办理案件。执法人员每年应完成规定的培训学时。</p>
      </PageHeading>
      <div class="officer-filters">
        <AgencyPicker id={`${uid}-agency`} agencies={selectable} value={agencyId} onChange={setAgencyId} all />
        <form
          class="officer-search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setName(nameInput.trim());
          }}
        >
          <div class="field">
            <label for={`${uid}-name`}>姓名</label>
            <input id={`${uid}-name`} type="search" maxLength={30} value={nameInput} onInput={(e) => setNameInput(e.currentTarget.value)} />
          </div>
          <button type="submit" class="secondary">
            查找
          </button>
        </form>
      </div>
      {permits(session, 'registry.manage') ? (
        creating ? (
          <div class="panel">
            <OfficerForm agencies={selectable} {...(agencyId ?? session.agencyId ? { defaultAgency: agencyId ?? session.agencyId } : {})} onCancel={() => setCreating(false)} onDone={(o) => navigate(href.officer(o.id))} />
          </div>
        ) : (
          <p>
            <button type="button" class="secondary" onClick={() => setCreating(true)}>
              登记执法人员
            </button>
          </p>
        )
      ) : null}
      {error ? <ErrorNote error={error} title="无法加载执法人员" /> : null}
      {!items && !error ? <Loading what="执法人员" /> : null}
      {items ? (
        items.length === 0 ? (
          <p class="muted">没有符合条件的执法人员。</p>
        ) : (
          <>
            <table class="cases officer-table">
              <caption class="muted">
                {name ? `姓名含“${name}”的` : ''}执法人员 {items.length} 名{cursor ? '（还有更多）' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">姓名</th>
                  <th scope="col">执法主体</th>
                  <th scope="col">证件编号</th>
                  <th scope="col">执法类别</th>
                  <th scope="col">证件状态</th>
                  <th scope="col">有效期</th>
                  <th scope="col">{year} 年培训</th>
                </tr>
              </thead>
              <tbody>
                {byCertificateNo(items).map((o) => {
                  const s = certificateState(o, today());
                  const t = trainingOfYear(o, year);
                  return (
                    <tr key={o.id}>
                      <th scope="row" data-label="姓名">
                        <Link href={href.officer(o.id)}>{o.name}</Link>
                      </th>
                      <td data-label="执法主体">{agencyName(o.agencyId)}</td>
                      <td data-label="证件编号">{o.certificateNo}</td>
                      <td data-label="执法类别">{o.categories.join('、')}</td>
                      <td data-label="证件状态">
                        <CertificateBadge o={o} />
                      </td>
                      <td data-label="有效期" class={s.tone === 'expired' ? 'due-overdue' : s.tone === 'expiring' ? 'due-soon' : undefined}>
                        {s.validity.replace('有效期至 ', '')}
                      </td>
                      <td data-label={`${year} 年培训`} class={t.met ? undefined : 'due-soon'}>
                        {t.hours} 学时{t.met ? '' : '（未达标）'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {cursor ? (
              <button type="button" class="secondary" disabled={more} onClick={() => void loadMore()}>
                {more ? '正在加载…' : '加载更多'}
              </button>
            ) : null}
          </>
        )
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------- one officer

interface FormProps {
  readonly officer: OfficerView;
  readonly onDone: (o: OfficerView, message: string) => void;
  readonly onReload: () => Promise<void>;
}

/** Sending one form: busy, the API's error, the reload after a 409. */
function useSend(onReload: () => Promise<void>) {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [reloading, setReloading] = useState(false);
  const send = async (call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<OfficerView | undefined> => {
    setBusy(true);
    setError(undefined);
    const r = await result<OfficerView>(call());
    setBusy(false);
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
  return { error, setError, busy, send, reload, reloading };
}

function StatusForm({ officer, onDone, onReload }: FormProps) {
  const { api } = useApp();
  const s = useSend(onReload);
  const [confirming, setConfirming] = useState(false);
  const { draft, update, clear } = useSessionDraft(draftKey('certificate-status', officer.id), emptyStatus, () => setConfirming(false));
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const go = async () => {
    const o = await s.send(() => api.POST('/officers/{id}/certificate-status', { params: { path: { id: officer.id } }, body: statusBody(draft, officer.version) }));
    setConfirming(false);
    if (!o) return;
    clear(emptyStatus());
    onDone(o, `证件状态已变更为“${CERTIFICATE_STATUS_LABELS[o.certificateStatus] ?? o.certificateStatus}”。`);
  };
  const errors = s.error ? formErrors(s.error, STATUS_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const aria = (f: string, hint = false) => ({ 'aria-invalid': errs(f) ? true : undefined, 'aria-describedby': describedBy(hint && `${id(f)}-hint`, errs(f) && `${id(f)}-error`) });
  return (
    <section class="officer-form" aria-labelledby={id('t')}>
      <h3 id={id('t')}>变更证件状态</h3>
      {s.error && errors ? <FormAlert error={s.error} errors={errors} reloadLabel="重新加载此执法人员" onReload={() => void s.reload()} reloading={s.reloading} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          s.setError(undefined);
          setConfirming(true);
        }}
      >
        <Field id={id('status')} label="变更为" errors={errs('status')}>
          <select id={id('status')} value={draft.status} onChange={(e) => update({ status: e.currentTarget.value })} {...aria('status')}>
            <option value="">请选择</option>
            {SETTABLE_STATUSES.map((v) => (
              <option key={v} value={v}>
                {CERTIFICATE_STATUS_LABELS[v]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('reason')} label="变更原因（必填）" errors={errs('reason')}>
          <textarea id={id('reason')} rows={2} maxLength={200} value={draft.reason} onInput={(e) => update({ reason: e.currentTarget.value })} {...aria('reason')} />
        </Field>
        <Field id={id('validUntil')} label="新的有效期至（换证或延期时填写）" errors={errs('validUntil')} hint={`当前有效期至 ${officer.validUntil}`}>
          <input id={id('validUntil')} type="date" value={draft.validUntil} onInput={(e) => update({ validUntil: e.currentTarget.value })} {...aria('validUntil', true)} />
        </Field>
        {confirming ? (
          <Confirm title="确认变更证件状态" text={statusConfirmText(officer, draft)} busy={s.busy} confirmLabel="确认变更" onConfirm={() => void go()} onCancel={() => setConfirming(false)} />
        ) : (
          <div class="button-row">
            <button type="submit">变更状态</button>
          </div>
        )}
      </form>
    </section>
  );
}

function TrainingForm({ officer, onDone, onReload }: FormProps) {
  const { api } = useApp();
  const s = useSend(onReload);
  const { draft, update, clear } = useSessionDraft(draftKey('training', officer.id), () => emptyTraining(today()));
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const go = async () => {
    const o = await s.send(() => api.POST('/officers/{id}/training', { params: { path: { id: officer.id }, header: { 'Idempotency-Key': crypto.randomUUID() } }, body: trainingBody(draft, officer.version) }));
    if (!o) return;
    clear(emptyTraining(today()));
    onDone(o, `已登记培训：${draft.course.trim()}（${draft.hours.trim()} 学时）。`);
  };
  const errors = s.error ? formErrors(s.error, TRAINING_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const aria = (f: string, hint = false) => ({ 'aria-invalid': errs(f) ? true : undefined, 'aria-describedby': describedBy(hint && `${id(f)}-hint`, errs(f) && `${id(f)}-error`) });
  return (
    <section class="officer-form" aria-labelledby={id('t')}>
      <h3 id={id('t')}>登记培训记录</h3>
      {s.error && errors ? <FormAlert error={s.error} errors={errors} reloadLabel="重新加载此执法人员" onReload={() => void s.reload()} reloading={s.reloading} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void go();
        }}
      >
        <div class="officer-training-fields">
          <Field id={id('course')} label="培训课程" errors={errs('course')}>
            <input id={id('course')} type="text" maxLength={100} value={draft.course} onInput={(e) => update({ course: e.currentTarget.value })} {...aria('course')} />
          </Field>
          <Field id={id('hours')} label="学时" errors={errs('hours')} hint="以 0.5 学时为单位">
            <input id={id('hours')} type="text" inputMode="decimal" value={draft.hours} onInput={(e) => update({ hours: e.currentTarget.value })} {...aria('hours', true)} />
          </Field>
          <Field id={id('year')} label="计入年度" errors={errs('year')}>
            <input id={id('year')} type="text" inputMode="numeric" maxLength={4} value={draft.year} onInput={(e) => update({ year: e.currentTarget.value })} {...aria('year')} />
          </Field>
          <Field id={id('completedOn')} label="完成日期" errors={errs('completedOn')}>
            <input id={id('completedOn')} type="date" value={draft.completedOn} onInput={(e) => update({ completedOn: e.currentTarget.value })} {...aria('completedOn')} />
          </Field>
        </div>
        <div class="button-row">
          <button type="submit" disabled={s.busy}>
            {s.busy ? '正在提交…' : '登记培训'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The certificate's QR (the portal's check address), fetched with the user's token and shown as a data: image (the CSP allows data:). */
function CertificateQr({ officer }: { officer: OfficerView }) {
  const { api } = useApp();
  const [src, setSrc] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    let live = true;
    void result<string>(api.GET('/officers/{id}/certificate-qr.svg', { params: { path: { id: officer.id } }, parseAs: 'text' })).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.data)}`);
    });
    return () => {
      live = false;
    };
  }, [api, officer.id, officer.certificateNo]);
  if (error) return <ErrorNote error={error} title="无法生成核验二维码" />;
  if (!src) return <Loading what="核验二维码" />;
  return (
    <figure class="officer-qr">
      <img src={src} width={160} height={160} alt={`执法证件 ${officer.certificateNo} 的核验二维码`} />
      <figcaption>
        扫码在门户网站核验证件。
        <a href={src} download={`${officer.certificateNo}.svg`}>
          下载二维码（SVG）
        </a>
      </figcaption>
    </figure>
  );
}

function OfficerPage({ id }: { id: string }) {
  const { api, session } = useApp();
  const agencies = useAgencies();
  const [officer, setOfficer] = useState<OfficerView | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [changes, setChanges] = useState<string[] | undefined>();
  const [editing, setEditing] = useState(false);
  const uid = useId();

  useEffect(() => {
    let live = true;
    setOfficer(undefined);
    setError(undefined);
    void result<OfficerView>(api.GET('/officers/{id}', { params: { path: { id } } })).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setOfficer(r.data);
    });
    return () => {
      live = false;
    };
  }, [api, id]);

  const reload = async () => {
    const r = await result<OfficerView>(api.GET('/officers/{id}', { params: { path: { id } } }));
    if (!r.ok) return setChanges([r.error.message]);
    if (officer) {
      setChanges(officerChanges(officer, r.data));
      // The edit form's draft follows the new record where the user typed nothing.
      const key = draftKey('officer-edit', id);
      if (sessionStorage.getItem(key) !== null) saveDraft(sessionStorage, key, rebaseDraft(loadDraft(sessionStorage, key, officerDraft(officer)), officer, r.data));
    }
    setOfficer(r.data);
  };

  if (!session) return null;
  if (error)
    return (
      <section class="officer">
        <AdminCrumb page="officers" item="执法人员" />
        <PageHeading title="执法人员" />
        <ErrorNote error={error} title="无法打开执法人员" />
      </section>
    );
  if (!officer) return <Loading what="执法人员" />;

  const o = officer;
  const s = certificateState(o, today());
  const manage = permits(session, 'registry.manage');
  const agencyName = agencies?.find((a) => a.id === o.agencyId)?.name ?? o.agencyId;
  const onDone = (next: OfficerView, message: string) => {
    setOfficer(next);
    setDone(message);
    setChanges(undefined);
  };
  const year = Number(today().slice(0, 4));

  return (
    <section class="officer">
      <AdminCrumb page="officers" item={o.name} />
      <PageHeading title={`执法人员 ${o.name}`} />
      {done ? (
        <p class="success" role="status">
          {done}
        </p>
      ) : null}
      {changes ? (
        <div class="notice changes" role="status">
          <strong>已重新加载。{changes.length > 0 ? '自您打开以来的变化：' : '信息没有变化，可以重新提交。'}</strong>
          {changes.length > 0 ? (
            <ul>
              {changes.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div class="officer-grid">
        <section class="panel" aria-labelledby={`${uid}-basic`}>
          <h2 id={`${uid}-basic`}>基本信息</h2>
          <dl class="facts">
            <dt>姓名</dt>
            <dd>{o.name}</dd>
            <dt>执法主体</dt>
            <dd>{agencyName}</dd>
            {o.division ? (
              <>
                <dt>所在处室</dt>
                <dd>{o.division}</dd>
              </>
            ) : null}
            <dt>执法区域</dt>
            <dd>{o.region}</dd>
            <dt>执法类别</dt>
            <dd>{o.categories.join('、')}</dd>
            <dt>法律职业资格</dt>
            <dd>{o.legalQualification ? '具有' : '不具有'}</dd>
            <dt>法制审核人员</dt>
            <dd>{o.reviewer ? '是' : '否'}</dd>
            {o.phone ? (
              <>
                <dt>联系电话</dt>
                <dd>{o.phone}</dd>
              </>
            ) : null}
            {o.idNumber ? (
              <>
                <dt>身份证号码</dt>
                <dd>{o.idNumber}</dd>
              </>
            ) : null}
          </dl>
          {!manage ? null : editing ? (
            <OfficerForm
              key={`e-${o.version}`}
              officer={o}
              agencies={agencies ?? [{ id: o.agencyId, name: agencyName }]}
              onReload={reload}
              onCancel={() => setEditing(false)}
              onDone={(next, message) => {
                onDone(next, message);
                setEditing(false);
              }}
            />
          ) : (
            <div class="button-row officer-edit-open">
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setEditing(true);
                  setDone(undefined);
                }}
              >
                修改基本信息
              </button>
            </div>
          )}
        </section>
        <section class="panel" aria-labelledby={`${uid}-cert`}>
          <h2 id={`${uid}-cert`}>执法证件</h2>
          <div class="officer-cert">
            <dl class="facts">
              <dt>证件编号</dt>
              <dd>{o.certificateNo}</dd>
              <dt>证件状态</dt>
              <dd>
                <CertificateBadge o={o} />
              </dd>
              <dt>有效期</dt>
              <dd class={s.tone === 'expired' ? 'due-overdue' : s.tone === 'expiring' ? 'due-soon' : undefined}>{s.validity}</dd>
            </dl>
            <CertificateQr officer={o} />
          </div>
          {o.certificateHistory.length > 0 ? (
            <>
              <h3>证件变更记录</h3>
              <ul class="officer-history">
                {[...o.certificateHistory].reverse().map((c, i) => (
                  <li key={i}>
                    <span class="muted">
                      {c.at.slice(0, 10)} · {c.by}
                    </span>
                    {CERTIFICATE_STATUS_LABELS[c.from] ?? c.from} → {CERTIFICATE_STATUS_LABELS[c.to] ?? c.to}：{c.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {manage ? <StatusForm key={`s-${o.version}`} officer={o} onDone={onDone} onReload={reload} /> : <p class="muted">证件状态由法规处变更。</p>}
        </section>
      </div>
      <section class="panel" aria-labelledby={`${uid}-training`}>
        <h2 id={`${uid}-training`}>培训记录</h2>
        {o.trainingHoursByYear.length > 0 ? (
          <p>
            {o.trainingHoursByYear.map((t) => (
              <span key={t.year} class={`officer-year ${t.meetsRequirement ? 'due-ok' : 'due-soon'}`}>
                {t.year} 年 {t.hours} 学时{t.meetsRequirement ? '（达标）' : '（未达标）'}
              </span>
            ))}
            {o.trainingHoursByYear.some((t) => t.year === year) ? null : <span class="officer-year due-soon">{year} 年尚无培训记录</span>}
          </p>
        ) : null}
        {o.training.length === 0 ? (
          <p class="muted">尚无培训记录。</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label="培训记录表">
            <table class="officer-training">
              <thead>
                <tr>
                  <th scope="col">完成日期</th>
                  <th scope="col">培训课程</th>
                  <th scope="col">学时</th>
                  <th scope="col">计入年度</th>
                </tr>
              </thead>
              <tbody>
                {trainingNewestFirst(o.training).map((t, i) => (
                  <tr key={i}>
                    <td>{t.completedOn}</td>
                    <td>{t.course}</td>
                    <td>{t.hours}</td>
                    <td>{t.year}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {manage ? <TrainingForm key={`t-${o.version}`} officer={o} onDone={onDone} onReload={reload} /> : null}
      </section>
    </section>
  );
}

export default function Officers({ route }: { route: Route }) {
  return route.name === 'officer' ? <OfficerPage id={route.id} /> : <OfficerList />;
}
