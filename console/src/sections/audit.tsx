/**
 * 审计记录 (issue 16, point 5; R7, I2): the legal division checks the hash chains (GET /audit/verify),
 * makes a signed checkpoint now (POST /audit/checkpoints, after a confirmation), and reads one record's
 * trail (GET /audit/events: by entity, a page at a time) as a table in Beijing time. The results are
 * said in words (lib/audit.ts); the API (access.ts `audit.read`, `audit.checkpoint`: admin) is the judge.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { Page } from '../api/types.ts';
import { AdminCrumb, ErrorNote, Field, Loading, PageHeading } from '../components.tsx';
import { Confirm, FormAlert } from '../forms.tsx';
import {
  CHECKPOINT_CONFIRM_TEXT,
  ENTITY_TYPES,
  actionLabel,
  actorRoles,
  chainRunText,
  chainStateText,
  changeSummary,
  checkpointSummary,
  coverageQuery,
  coverageText,
  emptyEventsDraft,
  entityTypeLabel,
  eventsQuery,
  headCovered,
  queryErrors,
  shanghaiTime,
  verifySummary,
  type AuditEventView,
  type CheckpointRun,
  type EventsDraft,
  type VerifyReport,
} from '../lib/audit.ts';
import { draftKey } from '../lib/drafts.ts';
import type { ApiError } from '../lib/errors.ts';
import { useSessionDraft } from '../lib/use-draft.ts';

function Summary({ summary }: { summary: { ok: boolean; headline: string; details: readonly string[] } }) {
  return (
    <div class={summary.ok ? 'audit-ok' : 'audit-broken'} role={summary.ok ? 'status' : 'alert'}>
      <p class="audit-headline">{summary.headline}</p>
      {summary.details.map((d, i) => (
        <p key={i}>{d}</p>
      ))}
    </div>
  );
}

/** Per chain, whether its head is covered by a signed checkpoint (the public route; null: not known). */
async function coverage(apiUrl: string, chains: readonly { chain: string; headSeq: number }[]): Promise<Map<string, boolean | null>> {
  const answers = await Promise.all(
    chains.map(async (c): Promise<[string, boolean | null]> => {
      if (c.headSeq === 0) return [c.chain, false];
      try {
        // No cached answer: a checkpoint made a minute ago must show.
        const res = await fetch(`${apiUrl}${coverageQuery(c.chain, c.headSeq)}`, { cache: 'no-store' });
        return [c.chain, res.ok ? headCovered(c.headSeq, (await res.json()) as { items: { treeSize: number }[] }) : null];
      } catch {
        return [c.chain, null];
      }
    }),
  );
  return new Map(answers);
}

function Verification() {
  const { api, config } = useApp();
  const uid = useId();
  const [report, setReport] = useState<VerifyReport | undefined>();
  const [run, setRun] = useState<CheckpointRun | undefined>();
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<ApiError | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<ApiError | undefined>();
  const [covered, setCovered] = useState<Map<string, boolean | null> | undefined>();

  const verify = async () => {
    setVerifying(true);
    setVerifyError(undefined);
    const r = await result<VerifyReport>(api.GET('/audit/verify'));
    setVerifying(false);
    if (!r.ok) return r.error.status !== 401 && setVerifyError(r.error);
    setReport(r.data);
    setRun(undefined);
    setCovered(undefined);
    setCovered(await coverage(config.apiUrl, r.data.chains));
  };
  const checkpoint = async () => {
    setRunning(true);
    setRunError(undefined);
    const r = await result<CheckpointRun>(api.POST('/audit/checkpoints'));
    setRunning(false);
    setConfirming(false);
    if (!r.ok) return r.error.status !== 401 && setRunError(r.error);
    setRun(r.data);
  };

  const runs = new Map((run?.chains ?? []).map((c) => [c.chain, c]));
  const chains = report ? report.chains.map((c) => c.chain) : (run?.chains.map((c) => c.chain) ?? []);
  const byChain = new Map((report?.chains ?? []).map((c) => [c.chain, c]));

  return (
    <section class="panel audit-verify" aria-labelledby={`${uid}-h`}>
      <h2 id={`${uid}-h`}>审计链校验与签名检查点</h2>
      <p class="hint">
        每项操作都记入审计链：每条事件带有前一条事件的哈希，任何事件被改动、删除或插入，链就会断裂。每小时为有新事件的审计链生成一次签名检查点（默克尔树根），锁定保存，供内外部核验。
      </p>
      <div class="button-row">
        <button type="button" disabled={verifying} onClick={() => void verify()}>
          {verifying ? '正在校验…' : report ? '重新校验审计链' : '校验审计链'}
        </button>
        {confirming ? null : (
          <button type="button" class="secondary" disabled={running} onClick={() => setConfirming(true)}>
            立即生成签名检查点
          </button>
        )}
      </div>
      {confirming ? <Confirm title="确认生成签名检查点" text={CHECKPOINT_CONFIRM_TEXT} busy={running} confirmLabel="确认生成" onConfirm={() => void checkpoint()} onCancel={() => setConfirming(false)} /> : null}
      {verifyError ? <ErrorNote error={verifyError} title="校验未能完成" /> : null}
      {runError ? <ErrorNote error={runError} title="未能生成检查点" /> : null}
      {report ? <Summary summary={verifySummary(report)} /> : null}
      {run ? <Summary summary={checkpointSummary(run)} /> : null}
      {chains.length > 0 ? (
        <table class="audit-chains">
          <caption>各审计链</caption>
          <thead>
            <tr>
              <th scope="col">审计链</th>
              {report ? <th scope="col">已校验 / 链头记录（条）</th> : null}
              {report ? <th scope="col">状态</th> : null}
              <th scope="col">签名检查点</th>
            </tr>
          </thead>
          <tbody>
            {chains.map((name) => {
              const c = byChain.get(name);
              const k = runs.get(name);
              return (
                <tr key={name} class={(c && !c.ok) || k?.status === 'BROKEN' ? 'chain-broken' : undefined}>
                  <th scope="row" class="mono">
                    {name}
                  </th>
                  {report ? <td data-label="已校验 / 链头记录">{c ? `${c.checked} / ${c.headSeq}` : '—'}</td> : null}
                  {report ? (
                    <td data-label="状态">
                      {c ? <span class={c.ok ? 'check-ok' : 'check-failed'}>{chainStateText(c)}</span> : '—'}
                      {c?.firstBreak ? <span class="muted">{c.firstBreak.message}</span> : null}
                    </td>
                  ) : null}
                  <td data-label="签名检查点">{k ? chainRunText(k) : c ? coverageText(c.headSeq, covered === undefined ? undefined : (covered.get(name) ?? null)) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

type Pick = (entityType: string, entityId: string) => void;

/** How many of the newest events 近期操作 shows. */
const RECENT_LIMIT = 20;

function EventRow({ e, onPick }: { e: AuditEventView; onPick?: Pick | undefined }) {
  const lines = changeSummary(e.change);
  return (
    <tr>
      <td data-label="时间（北京时间）" class="nowrap">
        {shanghaiTime(e.at)}
      </td>
      <td data-label="操作人">
        {e.actor.name}
        {e.actor.groups.length > 0 ? <span class="muted">{actorRoles(e.actor.groups)}</span> : null}
      </td>
      <td data-label="操作">
        {actionLabel(e.action)}
        {actionLabel(e.action) !== e.action ? <span class="muted mono">{e.action}</span> : null}
      </td>
      <td data-label="对象">
        {entityTypeLabel(e.entityType)}
        <span class="muted mono">{e.entityId}</span>
        {onPick && ENTITY_TYPES.some((t) => t.type === e.entityType) ? (
          <button type="button" class="link-button" onClick={() => onPick(e.entityType, e.entityId)}>
            该对象的全部记录<span class="visually-hidden">：{entityTypeLabel(e.entityType)} {e.entityId}</span>
          </button>
        ) : null}
      </td>
      <td data-label="变更内容">
        <ul class="change-lines">
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
        <details class="change-full">
          <summary>完整内容（审计链 {e.chain} 第 {e.seq} 号）</summary>
          <pre>{JSON.stringify(e.change, null, 2)}</pre>
        </details>
      </td>
    </tr>
  );
}

function EventsTable({ items, onPick }: { items: readonly AuditEventView[]; onPick?: Pick }) {
  return (
    <table class="audit-events">
      <caption class="visually-hidden">审计记录</caption>
      <thead>
        <tr>
          <th scope="col">时间（北京时间）</th>
          <th scope="col">操作人</th>
          <th scope="col">操作</th>
          <th scope="col">对象</th>
          <th scope="col">变更内容</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <EventRow key={`${e.chain}-${e.seq}`} e={e} onPick={onPick} />
        ))}
      </tbody>
    </table>
  );
}

/** 近期操作: the newest events of the whole trail (GET /audit/recent), each leading to its record's trail. */
function Recent({ onPick }: { onPick: Pick }) {
  const { api } = useApp();
  const uid = useId();
  const [items, setItems] = useState<AuditEventView[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    setError(undefined);
    const r = await result<{ items: AuditEventView[] }>(api.GET('/audit/recent', { params: { query: { limit: RECENT_LIMIT } } }));
    setBusy(false);
    if (r.ok) setItems(r.data.items);
    else if (r.error.status !== 401) setError(r.error);
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <section class="panel audit-recent" aria-labelledby={`${uid}-h`}>
      <h2 id={`${uid}-h`}>近期操作</h2>
      <p class="hint">全部审计链中最新的 {RECENT_LIMIT} 条操作，最新的在前。</p>
      {error ? <ErrorNote error={error} /> : null}
      {items === undefined && !error ? <Loading what="近期操作" /> : null}
      {items !== undefined ? items.length === 0 ? <p class="muted">尚无审计记录。</p> : <EventsTable items={items} onPick={onPick} /> : null}
      <button type="button" class="secondary" disabled={busy} onClick={() => void load()}>
        {busy ? '正在刷新…' : '刷新'}
      </button>
    </section>
  );
}

function Trail({ picked }: { picked: { entityType: string; entityId: string; n: number } | undefined }) {
  const { api } = useApp();
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const { draft, update } = useSessionDraft<EventsDraft>(draftKey('audit-events', 'query'), emptyEventsDraft);
  const [shown, setShown] = useState<{ query: EventsDraft; items: AuditEventView[]; nextCursor: string | null } | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const ref = useRef<HTMLElement>(null);

  const load = async (query: EventsDraft, cursor?: string) => {
    setBusy(true);
    setError(undefined);
    const r = await result<Page<AuditEventView>>(api.GET('/audit/events', { params: { query: eventsQuery(query, cursor) } }));
    setBusy(false);
    if (!r.ok) return r.error.status !== 401 && setError(r.error);
    setShown((prev) => ({ query, items: cursor && prev ? [...prev.items, ...r.data.items] : r.data.items, nextCursor: r.data.nextCursor }));
  };
  useEffect(() => {
    if (!picked) return;
    const query = { ...draft, entityType: picked.entityType, entityId: picked.entityId };
    update({ entityType: picked.entityType, entityId: picked.entityId });
    void load(query);
    ref.current?.scrollIntoView({ block: 'start' });
  }, [picked?.n]);
  const errors = error ? queryErrors(error) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const hint = ENTITY_TYPES.find((t) => t.type === draft.entityType)?.idHint;

  return (
    <section class="panel audit-trail" aria-labelledby={`${uid}-h`} ref={ref} tabIndex={-1}>
      <h2 id={`${uid}-h`}>查询操作记录</h2>
      <p class="hint">选择对象的类型并填写其编号，列出对该对象的全部操作（按时间先后）。</p>
      {error && errors ? <FormAlert error={error} errors={errors} title="未能查询" /> : null}
      <form
        class="audit-query"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void load({ ...draft });
        }}
      >
        <Field id={id('type')} label="对象类型" errors={errs('entityType')}>
          <select id={id('type')} value={draft.entityType} onChange={(e) => update({ entityType: e.currentTarget.value })} aria-invalid={errs('entityType') ? true : undefined} aria-describedby={errs('entityType') ? `${id('type')}-error` : undefined}>
            {ENTITY_TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('entity')} label="对象编号" errors={errs('entityId')} {...(hint ? { hint } : {})}>
          <input
            id={id('entity')}
            type="text"
            maxLength={64}
            value={draft.entityId}
            onInput={(e) => update({ entityId: e.currentTarget.value })}
            aria-invalid={errs('entityId') ? true : undefined}
            aria-describedby={[hint ? `${id('entity')}-hint` : '', errs('entityId') ? `${id('entity')}-error` : ''].filter(Boolean).join(' ') || undefined}
          />
        </Field>
        <div class="button-row">
          <button type="submit" disabled={busy}>
            {busy && !shown ? '正在查询…' : '查询'}
          </button>
        </div>
      </form>
      {shown ? (
        shown.items.length === 0 ? (
          <p class="notice" role="status">
            没有{entityTypeLabel(shown.query.entityType)}「{shown.query.entityId.trim()}」的审计记录：请核对编号（区分大小写）和对象类型。
          </p>
        ) : (
          <>
            <p class="summary" role="status">
              {entityTypeLabel(shown.query.entityType)}「{shown.query.entityId.trim()}」的操作记录：已显示 {shown.items.length} 条{shown.nextCursor ? '，还有更多' : '，已全部显示'}。
            </p>
            <EventsTable items={shown.items} />
            {shown.nextCursor ? (
              <button type="button" class="secondary" disabled={busy} onClick={() => void load(shown.query, shown.nextCursor ?? undefined)}>
                {busy ? '正在加载…' : '加载更多（更晚的记录）'}
              </button>
            ) : null}
          </>
        )
      ) : null}
    </section>
  );
}

export default function Audit() {
  const [picked, setPicked] = useState<{ entityType: string; entityId: string; n: number } | undefined>();
  return (
    <section class="audit">
      <AdminCrumb page="audit" />
      <PageHeading title="审计记录">
        <p class="lead">平台上的每项操作都记入防篡改的审计记录。在此浏览近期操作、查询某一对象的全部操作，校验审计链是否完整，生成签名检查点。</p>
      </PageHeading>
      <Recent onPick={(entityType, entityId) => setPicked((p) => ({ entityType, entityId, n: (p?.n ?? 0) + 1 }))} />
      <Trail picked={picked} />
      <Verification />
    </section>
  );
}
