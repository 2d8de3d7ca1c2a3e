/**
 * 执法记录设备 (issue 16, point 5; R3, R4): an agency's field devices for the legal division — register
 * one, issue it new credentials when its secret is lost or exposed, revoke it (lost, broken, retired).
 * The client secret the API answers with is shown once, on this page only: it lives in this component's
 * state, never in a draft or storage, and is gone when the page is left. Rotation and revocation go
 * through a confirmation with their reason; the API (access.ts `registry.manage`) remains the judge.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { AgencyListed, OfficerSummary, Page } from '../api/types.ts';
import { AdminCrumb, AgencyPicker, ErrorNote, Field, Loading, PageHeading } from '../components.tsx';
import { Confirm, FormAlert } from '../forms.tsx';
import { draftKey } from '../lib/drafts.ts';
import type { ApiError } from '../lib/errors.ts';
import { selectableAgencies } from '../lib/leader.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import { permits } from '../../../shared/domain/access.ts';
import {
  DEVICE_KINDS,
  DEVICE_KIND_LABELS,
  DEVICE_STATUS_LABELS,
  REASON_FIELDS,
  REGISTER_FIELDS,
  confirmationText,
  credentialsText,
  deviceChanges,
  deviceFormErrors,
  emptyReason,
  emptyRegister,
  kindLabel,
  reasonBody,
  registerBody,
  shanghaiTime,
  sortDevices,
  withFieldPath,
  type DeviceAction,
  type DeviceView,
  type DeviceWithCredentials,
} from '../lib/devices.ts';

const describedBy = (...ids: (string | false | undefined)[]): string | undefined => ids.filter(Boolean).join(' ') || undefined;

/** The credentials just issued, shown once: copy them to the device, then close. */
function IssuedCredentials({ issued, onClose }: { issued: { device: DeviceWithCredentials; action: 'register' | 'rotate' }; onClose: () => void }) {
  const uid = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const text = credentialsText(issued.device.credentials);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [issued]);
  const copy = () => {
    if (!navigator.clipboard) return setCopied('failed');
    navigator.clipboard.writeText(text).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <section class="device-secret" aria-labelledby={`${uid}-t`} tabIndex={-1} ref={ref}>
      <h2 id={`${uid}-t`}>设备 {issued.device.serial} 的凭证（仅显示这一次）</h2>
      <p class="warning">
        {issued.action === 'register' ? '设备已登记。' : '已重新签发凭证，旧凭证已作废。'}
        密钥（DEVICE_CLIENT_SECRET）只在此处显示这一次，系统不保存；离开或关闭本页后无法再次查看，遗失只能重新签发。请立即配置到设备上。
      </p>
      <pre tabIndex={0} aria-label="设备凭证" class="device-credentials">
        {text}
      </pre>
      <p class="hint">设备以这两项换取访问令牌后直接上传证据（与 npm run device -- upload 读取的环境变量相同）。</p>
      <div class="button-row">
        <button type="button" onClick={copy}>
          复制凭证
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          已配置到设备，关闭
        </button>
      </div>
      <p role="status" class="copy-state">
        {copied === 'yes' ? '已复制到剪贴板。' : copied === 'failed' ? '无法访问剪贴板，请选中上方文字手动复制。' : ''}
      </p>
    </section>
  );
}

function RegisterForm({ agencyId, officers, onDone }: { agencyId: string; officers: readonly OfficerSummary[]; onDone: (d: DeviceWithCredentials) => void }) {
  const { api } = useApp();
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const { draft, update, clear } = useSessionDraft(draftKey('device-register', agencyId), emptyRegister);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = await result<DeviceWithCredentials>(api.POST('/devices', { body: registerBody(draft, agencyId) }));
    setBusy(false);
    if (!r.ok) return r.error.status === 401 ? undefined : setError(withFieldPath(r.error));
    clear(emptyRegister());
    onDone(r.data);
  };
  const errors = error ? deviceFormErrors(error, REGISTER_FIELDS) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const aria = (f: string, hint = false) => ({ 'aria-invalid': errs(f) ? true : undefined, 'aria-describedby': describedBy(hint && `${id(f)}-hint`, errs(f) && `${id(f)}-error`) });
  return (
    <section class="device-register" aria-labelledby={id('t')}>
      <h2 id={id('t')}>登记设备</h2>
      {error && errors ? <FormAlert error={error} errors={errors} title="未能登记" /> : null}
      <form noValidate onSubmit={(e) => void submit(e)}>
        <div class="device-register-fields">
          <Field id={id('serial')} label="设备序列号" errors={errs('serial')} hint="4–64 位字母、数字或连字符，登记后不可更改">
            <input id={id('serial')} type="text" maxLength={64} autoComplete="off" value={draft.serial} onInput={(e) => update({ serial: e.currentTarget.value })} {...aria('serial', true)} />
          </Field>
          <Field id={id('model')} label="型号" errors={errs('model')}>
            <input id={id('model')} type="text" maxLength={60} value={draft.model} onInput={(e) => update({ model: e.currentTarget.value })} {...aria('model')} />
          </Field>
          <Field id={id('kind')} label="设备类别" errors={errs('kind')}>
            <select id={id('kind')} value={draft.kind} onChange={(e) => update({ kind: e.currentTarget.value })} {...aria('kind')}>
              {DEVICE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {DEVICE_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('assignedOfficerId')} label="配发给（可选）" errors={errs('assignedOfficerId')}>
            <select id={id('assignedOfficerId')} value={draft.assignedOfficerId} onChange={(e) => update({ assignedOfficerId: e.currentTarget.value })} {...aria('assignedOfficerId')}>
              <option value="">不配发给个人</option>
              {officers.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}（{o.certificateNo}）
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="button-row">
          <button type="submit" disabled={busy}>
            {busy ? '正在登记…' : '登记并签发凭证'}
          </button>
        </div>
      </form>
    </section>
  );
}

const ACTION_TITLES: Record<DeviceAction, { open: string; confirm: string; reason: string; hint: string }> = {
  rotate: { open: '重新签发凭证', confirm: '确认重新签发', reason: '重新签发的原因', hint: '如：密钥遗失、疑似泄露' },
  revoke: { open: '停用', confirm: '确认停用', reason: '停用原因', hint: '如：设备遗失、损坏、报废' },
};

/** The reason for a rotation or a revocation, then the confirmation; a 409 offers to reload the device. */
function ReasonForm({ device, action, onDone, onReload, onCancel }: { device: DeviceView; action: DeviceAction; onDone: (d: DeviceView | DeviceWithCredentials) => void; onReload: () => Promise<void>; onCancel: () => void }) {
  const { api } = useApp();
  const uid = useId();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [reloading, setReloading] = useState(false);
  const { draft, update, clear } = useSessionDraft(draftKey(`device-${action}`, device.id), emptyReason, () => setConfirming(false));
  const t = ACTION_TITLES[action];
  const go = async () => {
    setBusy(true);
    setError(undefined);
    const path = { params: { path: { id: device.id } }, body: reasonBody(draft, device.version) };
    const r = await result<DeviceView | DeviceWithCredentials>(action === 'revoke' ? api.POST('/devices/{id}/revoke', path) : api.POST('/devices/{id}/credentials', path));
    setBusy(false);
    setConfirming(false);
    if (!r.ok) return r.error.status === 401 ? undefined : setError(r.error);
    clear();
    onDone(r.data);
  };
  const reload = async () => {
    setReloading(true);
    await onReload();
    setReloading(false);
    setError(undefined);
  };
  const errors = error ? deviceFormErrors(error, REASON_FIELDS) : undefined;
  const errs = errors?.byField.reason;
  return (
    <div class="device-action">
      {error && errors ? <FormAlert error={error} errors={errors} reloadLabel="重新加载设备" onReload={() => void reload()} reloading={reloading} /> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          setConfirming(true);
        }}
      >
        <Field id={`${uid}-reason`} label={t.reason} errors={errs} hint={t.hint}>
          <textarea id={`${uid}-reason`} rows={2} maxLength={500} value={draft.reason} onInput={(e) => update({ reason: e.currentTarget.value })} aria-invalid={errs ? true : undefined} aria-describedby={describedBy(`${uid}-reason-hint`, errs && `${uid}-reason-error`)} />
        </Field>
        {confirming ? (
          <Confirm title={t.confirm} text={confirmationText(action, device.serial)} busy={busy} confirmLabel={t.confirm} onConfirm={() => void go()} onCancel={() => setConfirming(false)} />
        ) : (
          <div class="button-row">
            <button type="submit" class={action === 'revoke' ? 'danger' : undefined}>
              {t.open}
            </button>
            <button type="button" class="secondary" onClick={onCancel}>
              取消
            </button>
          </div>
        )}
      </form>
    </div>
  );
}

function DeviceCard({ initial, officerName, manage, onIssued }: { initial: DeviceView; officerName: string | undefined; manage: boolean; onIssued: (d: DeviceWithCredentials) => void }) {
  const { api } = useApp();
  const [device, setDevice] = useState(initial);
  const [open, setOpen] = useState<DeviceAction | undefined>();
  const [done, setDone] = useState<string | undefined>();
  useEffect(() => setDevice(initial), [initial]);
  const reload = async () => {
    const r = await result<DeviceView>(api.GET('/devices/{id}', { params: { path: { id: device.id } } }));
    if (!r.ok) return setDone(r.error.message);
    const changes = deviceChanges(device, r.data);
    setDevice(r.data);
    setDone(changes.length > 0 ? `已重新加载：${changes.join('；')}。` : '已重新加载，设备没有变化，可以重新提交。');
  };
  const finish = (d: DeviceView | DeviceWithCredentials) => {
    const { credentials, ...rest } = d as DeviceWithCredentials;
    setDevice(rest);
    setOpen(undefined);
    if (credentials) onIssued(d as DeviceWithCredentials);
    setDone(credentials ? '已重新签发凭证，旧凭证已作废。' : '已停用，此后该设备的上传一律拒绝。');
  };
  const active = device.status === 'ACTIVE';
  return (
    <article class={`device-card${active ? '' : ' revoked'}`} aria-label={`设备 ${device.serial}`}>
      <header>
        <h3>{device.serial}</h3>
        <span class={`badge ${active ? 'ok' : 'muted'}`}>{DEVICE_STATUS_LABELS[device.status] ?? device.status}</span>
      </header>
      <dl class="device-facts">
        <dt>类别</dt>
        <dd>{kindLabel(device.kind)}</dd>
        <dt>型号</dt>
        <dd>{device.model}</dd>
        <dt>配发给</dt>
        <dd>{device.assignedOfficerId ? (officerName ?? device.assignedOfficerId) : '未配发给个人'}</dd>
        <dt>登记</dt>
        <dd>
          {shanghaiTime(device.createdAt)} {device.registeredBy}
        </dd>
        {active ? null : (
          <>
            <dt>停用</dt>
            <dd>
              {shanghaiTime(device.revokedAt)}：{device.revokeReason}
            </dd>
          </>
        )}
      </dl>
      {done ? (
        <p class="success" role="status">
          {done}
        </p>
      ) : null}
      {manage && active && open === undefined ? (
        <div class="button-row">
          <button type="button" class="secondary" onClick={() => (setDone(undefined), setOpen('rotate'))}>
            重新签发凭证
          </button>
          <button type="button" class="secondary" onClick={() => (setDone(undefined), setOpen('revoke'))}>
            停用
          </button>
        </div>
      ) : null}
      {manage && active && open ? <ReasonForm device={device} action={open} onDone={finish} onReload={reload} onCancel={() => setOpen(undefined)} /> : null}
    </article>
  );
}

export default function Devices() {
  const { api, session } = useApp();
  const uid = useId();
  const [agencies, setAgencies] = useState<AgencyListed[] | undefined>();
  const [agencyId, setAgencyId] = useState<string | undefined>(session?.agencyId);
  const [devices, setDevices] = useState<DeviceView[] | undefined>();
  const [officers, setOfficers] = useState<OfficerSummary[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [issued, setIssued] = useState<{ device: DeviceWithCredentials; action: 'register' | 'rotate' } | undefined>();
  const [tick, setTick] = useState(0);

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
    setError(undefined);
    void result<Page<DeviceView>>(api.GET('/devices', { params: { query: { agencyId, limit: 100 } } })).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setDevices(sortDevices(r.data.items));
    });
    void result<Page<OfficerSummary>>(api.GET('/officers', { params: { query: { agencyId, limit: 100 } } })).then((r) => live && setOfficers(r.ok ? r.data.items : []));
    return () => {
      live = false;
    };
  }, [api, agencyId, tick]);

  const changeAgency = (a: string | undefined) => {
    // The secret is the page's alone: another agency's list does not keep it on screen.
    setIssued(undefined);
    setDevices(undefined);
    setAgencyId(a);
  };

  if (!session) return null;
  const selectable = agencies ? selectableAgencies(session, agencies) : [];
  const officerName = (id: string | undefined) => officers.find((o) => o.id === id)?.name;
  // Registering, rotating and revoking are offered to those the API lets do them; it remains the judge.
  const manage = permits(session, 'registry.manage');

  return (
    <section class="devices">
      <AdminCrumb page="devices" />
      <PageHeading title="执法记录设备">
        <p class="lead">登记的设备以自己的凭证直接上传证据（R3、R4）。密钥只在登记或重新签发时显示一次；设备遗失、损坏或报废时停用，其后的上传一律拒绝。</p>
      </PageHeading>
      <AgencyPicker id={`${uid}-agency`} agencies={selectable} value={agencyId} onChange={changeAgency} />
      {!agencyId && agencies ? <p class="notice">当前用户未关联执法主体。</p> : null}
      {issued ? <IssuedCredentials issued={issued} onClose={() => setIssued(undefined)} /> : null}
      {agencyId && manage ? (
        <RegisterForm
          key={agencyId}
          agencyId={agencyId}
          officers={officers}
          onDone={(d) => {
            setIssued({ device: d, action: 'register' });
            setTick((t) => t + 1);
          }}
        />
      ) : null}
      {error ? <ErrorNote error={error} title="无法加载设备" /> : null}
      {agencyId && !devices && !error ? <Loading what="设备" /> : null}
      {devices ? (
        <section class="device-list" aria-labelledby={`${uid}-list`}>
          <h2 id={`${uid}-list`}>
            已登记的设备<span class="count">{devices.length} 台</span>
          </h2>
          {devices.length === 0 ? <p class="muted">尚未登记设备。</p> : null}
          {devices.map((d) => (
            <DeviceCard key={d.id} initial={d} officerName={officerName(d.assignedOfficerId)} manage={manage} onIssued={(x) => setIssued({ device: x, action: 'rotate' })} />
          ))}
        </section>
      ) : null}
    </section>
  );
}
