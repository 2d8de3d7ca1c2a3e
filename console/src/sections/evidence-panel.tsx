/**
 * The case page's evidence (issue 16, point 2; R3–R7): each act's evidence with its sealed manifest,
 * the checks of its signature and file (re-hashed on request), a viewer on a short-lived link (each
 * link the API hands out goes on the chain of custody with the reason given) and, for those who may read
 * the audit trail (the legal division), the custody log itself.
 */
import { useEffect, useState } from 'preact/hooks';
import { result } from '../api/client.ts';
import type { AuditEventItem, EvidenceLink, EvidenceRecord, EvidenceWithVerification, Page } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { ErrorNote, Field } from '../components.tsx';
import type { ApiError } from '../lib/errors.ts';
import { allPassed, custodyEntries, expiryText, fileSize, gpsText, groupByAct, verificationChecks, viewerKind, type CustodyEntry } from '../lib/evidence.ts';
import { EVIDENCE_STATUS_LABELS, MEDIA_TYPE_LABELS, Part, beijing } from './case-parts.tsx';

const clock = (iso: string): string => beijing(iso).slice(11);

export function EvidencePanel({ value }: { value: EvidenceRecord[] | ApiError }) {
  return (
    <Part title="证据" value={value} empty="尚无证据。">
      {(items) => {
        const sealed = items.filter((e) => e.status === 'SEALED').length;
        const groups = groupByAct(items);
        return (
          <>
            <p>
              共 {items.length} 件，已封存 {sealed} 件。查看证据会生成短时有效的链接，每次查看都记入证据保管链。
            </p>
            {groups.map((g) => {
              // The timeline does not carry act ids: an act's evidence is named by when it was captured.
              const title = g.actId ? `执法行为的证据（${beijing(g.items[0]?.capturedAt ?? '')} 起采集）` : '未关联执法行为的证据';
              return (
                <section key={g.actId ?? 'none'} class="evidence-act" aria-label={title}>
                  <h3>{title}</h3>
                  {g.items.map((e) => (
                    <EvidenceCard key={e.id} e={e} />
                  ))}
                </section>
              );
            })}
          </>
        );
      }}
    </Part>
  );
}

function EvidenceCard({ e }: { e: EvidenceRecord }) {
  const id = `ev-${e.id}`;
  const media = MEDIA_TYPE_LABELS[e.mediaType] ?? e.mediaType;
  const gps = gpsText(e.capturePlace?.gps);
  return (
    <article class={`evidence-card evidence-${e.status.toLowerCase()}`} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>
        {media} · {e.fileName}
        <span class={`evidence-status status-${e.status.toLowerCase()}`}>{EVIDENCE_STATUS_LABELS[e.status] ?? e.status}</span>
      </h4>
      <dl class="facts evidence-facts">
        <dt>证明内容</dt>
        <dd>{e.proves}</dd>
        <dt>采集</dt>
        <dd>
          {beijing(e.capturedAt)} · {e.capturePlace?.text}
          {gps ? <span class="muted">{gps}</span> : null}
        </dd>
        <dt>采集人</dt>
        <dd>
          {e.collectorName}
          {e.deviceSerial ? <span class="muted">设备 {e.deviceSerial}</span> : null}
        </dd>
        <dt>文件</dt>
        <dd>
          {fileSize(e.sizeBytes)} · {e.contentType}
        </dd>
        {e.rejectReason ? (
          <>
            <dt>拒收原因</dt>
            <dd>{e.rejectReason}</dd>
          </>
        ) : null}
        {e.legalHold?.on ? (
          <>
            <dt>法律保全</dt>
            <dd>
              已设置（{e.legalHold.by}，{beijing(e.legalHold.at)}）：{e.legalHold.reason}
            </dd>
          </>
        ) : null}
      </dl>
      {e.manifest ? <Manifest e={e} /> : <p class="muted">{e.status === 'VERIFYING' ? '文件正在核验，核验通过后封存并签名。' : '无签名清单（证据未封存）。'}</p>}
      <Verification e={e} />
      <Viewer e={e} />
    </article>
  );
}

function Manifest({ e }: { e: EvidenceRecord }) {
  const m = e.manifest;
  if (!m) return null;
  const gps = gpsText(m.capturePlace.gps);
  return (
    <details class="manifest">
      <summary>封存清单（签名内容）</summary>
      <dl class="facts">
        <dt>证据编号</dt>
        <dd class="mono">{m.evidenceId}</dd>
        <dt>案件编号</dt>
        <dd>{m.caseNo}</dd>
        <dt>SHA-256</dt>
        <dd class="mono hash">{m.sha256}</dd>
        <dt>大小</dt>
        <dd>
          {m.sizeBytes} 字节（{fileSize(m.sizeBytes)}）
        </dd>
        <dt>类型</dt>
        <dd>{MEDIA_TYPE_LABELS[m.mediaType] ?? m.mediaType}</dd>
        <dt>采集时间</dt>
        <dd>{beijing(m.capturedAt)}</dd>
        <dt>采集地点</dt>
        <dd>
          {m.capturePlace.text}
          {gps ? <span class="muted">{gps}</span> : null}
        </dd>
        <dt>采集人编号</dt>
        <dd class="mono">{m.collectorOfficerId}</dd>
        <dt>证明内容</dt>
        <dd>{m.proves}</dd>
        <dt>封存时间</dt>
        <dd>{beijing(m.sealedAt)}</dd>
        {e.signature ? (
          <>
            <dt>签名</dt>
            <dd>
              {e.signature.algorithm} · 密钥 <span class="mono">{e.signature.keyId}</span>
            </dd>
          </>
        ) : null}
        {e.retainUntil ? (
          <>
            <dt>保存至</dt>
            <dd>{e.retainUntil.slice(0, 10)}</dd>
          </>
        ) : null}
      </dl>
    </details>
  );
}

function Verification({ e }: { e: EvidenceRecord }) {
  const { api } = useApp();
  const [answer, setAnswer] = useState<EvidenceWithVerification | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const verify = async (rehash: boolean) => {
    setBusy(true);
    setError(undefined);
    const r = await result<EvidenceWithVerification>(api.GET('/evidence/{id}', { params: { path: { id: e.id }, query: rehash ? { verifyHash: 'true' } : {} } }));
    setBusy(false);
    if (r.ok) setAnswer(r.data);
    else setError(r.error);
  };

  const checks = answer ? verificationChecks(answer.verification) : undefined;
  return (
    <div class="verification">
      <div class="actions">
        <button type="button" class="secondary" disabled={busy} onClick={() => void verify(false)}>
          核验签名与文件
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void verify(true)}>
          重新计算哈希
        </button>
      </div>
      <div aria-live="polite">
        {busy ? <p class="muted">正在核验…</p> : null}
        {error ? <ErrorNote error={error} title="核验失败" /> : null}
        {answer && checks ? (
          <>
            <p class={allPassed(checks) ? 'success' : 'field-error'}>
              {allPassed(checks) ? '核验通过' : '核验未通过'}（{beijing(answer.verification.checkedAt)} 核验；当前状态：{EVIDENCE_STATUS_LABELS[answer.status] ?? answer.status}）
            </p>
            <ul class="checks">
              {checks.map((c) => (
                <li key={c.key} class={`check-${c.state}`}>
                  <strong>{c.label}</strong>：{c.text}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}

function Viewer({ e }: { e: EvidenceRecord }) {
  const { api, session } = useApp();
  const [reason, setReason] = useState('办案查阅证据');
  const [link, setLink] = useState<EvidenceLink | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [custody, setCustody] = useState<CustodyEntry[] | ApiError | undefined>();
  const mayReadCustody = session?.groups.includes('admin') ?? false;
  const id = `ev-${e.id}`;
  // The expiry line counts down while a link is shown (and then says it has expired).
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!link) return undefined;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(timer);
  }, [link]);

  const loadCustody = async () => {
    const r = await result<Page<AuditEventItem>>(api.GET('/audit/events', { params: { query: { entityType: 'Evidence', entityId: e.id, limit: 100 } } }));
    setCustody(r.ok ? custodyEntries(r.data.items) : r.error);
  };

  const open = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = await result<EvidenceLink>(api.POST('/evidence/{id}/download-url', { params: { path: { id: e.id } }, body: { reason } }));
    setBusy(false);
    if (r.ok) setLink(r.data);
    else setError(r.error);
    if (mayReadCustody) await loadCustody();
  };

  if (e.status !== 'SEALED' && !(e.status === 'REJECTED' && mayReadCustody)) {
    return <p class="muted">{e.status === 'INTEGRITY_FAILED' ? '完整性校验失败的证据不能调取，已通知法制机构。' : '证据封存后才能查看。'}</p>;
  }
  const reasonErrors = error?.details.filter((d) => d.path === 'reason').map((d) => d.message);
  const kind = viewerKind(e.mediaType, e.contentType);
  return (
    <div class="viewer">
      <form class="view-form" onSubmit={(ev) => void open(ev)}>
        <Field id={`${id}-reason`} label="调取原因（记入证据保管链）" errors={reasonErrors && reasonErrors.length > 0 ? reasonErrors : undefined}>
          <input id={`${id}-reason`} value={reason} onInput={(ev) => setReason(ev.currentTarget.value)} required minLength={2} maxLength={500} />
        </Field>
        <button type="submit" disabled={busy}>
          查看证据
        </button>
      </form>
      {error && !(reasonErrors && reasonErrors.length > 0) ? <ErrorNote error={error} title="无法调取" /> : null}
      {link ? (
        <div class="evidence-view" aria-live="polite">
          <p class="muted">
            本次调取已记入证据保管链。{expiryText(link.expiresAt, now, clock)}。
          </p>
          {kind === 'image' ? <img src={link.url} alt={`${MEDIA_TYPE_LABELS[e.mediaType] ?? ''}证据：${e.proves}`} class="evidence-image" /> : null}
          {kind === 'audio' ? <audio controls src={link.url} preload="metadata" aria-label={`录音证据：${e.fileName}`} /> : null}
          {kind === 'video' ? (
            <>
              {/* Evidence is kept as recorded: there are no caption tracks to offer. */}
              <video controls src={link.url} preload="metadata" aria-label={`录像证据：${e.fileName}`} class="evidence-video" />
              <p class="muted">此录像为原始执法记录，无字幕；需要时请申请文字整理稿。</p>
            </>
          ) : null}
          {kind === 'audio' ? <p class="muted">此录音为原始执法记录，无文字稿；需要时请申请文字整理稿。</p> : null}
          <p>
            <a href={link.url} download={link.fileName} rel="noopener">
              下载 {link.fileName}
            </a>
          </p>
        </div>
      ) : null}
      {mayReadCustody ? (
        <section class="custody" aria-labelledby={`${id}-custody`}>
          <h5 id={`${id}-custody`}>证据保管链</h5>
          {custody === undefined ? (
            <button type="button" class="secondary" onClick={() => void loadCustody()}>
              显示保管链
            </button>
          ) : Array.isArray(custody) ? (
            custody.length === 0 ? (
              <p class="muted">尚无调取记录。</p>
            ) : (
              <ol class="custody-log">
                {custody.map((c, i) => (
                  <li key={i}>
                    <time dateTime={c.at}>{beijing(c.at)}</time> {c.who} {c.what}
                    {c.reason ? `（${c.reason}）` : ''}
                  </li>
                ))}
              </ol>
            )
          ) : (
            <ErrorNote error={custody} />
          )}
        </section>
      ) : (
        <p class="muted">保管链由法制机构查阅。</p>
      )}
    </div>
  );
}
