/**
 * 记录执法行为 (R1): what was done, when, where, by whom. Every API error is shown next to the field its
 * `details[].path` names (issue 16, "Bad input"); what the user typed is kept in sessionStorage on every
 * change, so neither an error nor an expired session (sign in, come back) loses it.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { Field } from '../components.tsx';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import type { ActBody, OfficerSummary, Page } from '../api/types.ts';
import { draftKey } from '../lib/drafts.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import { fieldErrors, type ApiError } from '../lib/errors.ts';
import { shanghaiDate, shanghaiDateTimeLocal } from '../lib/cases.ts';
import { ACT_TYPE_LABELS, SERVICE_METHOD_LABELS } from '../lib/labels.ts';

const FIELDS = ['type', 'at', 'place', 'officerIds', 'notes', 'serviceMethod', 'documentName'] as const;

interface ActDraft {
  type: string;
  /** `datetime-local` value, Beijing time. */
  at: string;
  place: string;
  officerIds: string[];
  notes: string;
  serviceMethod: string;
  documentName: string;
}

/** A new act: done now, by the signed-in officer (the usual case: recording on the spot). */
const emptyDraft = (officerId: string | undefined): ActDraft => ({ type: 'INSPECTION', at: shanghaiDateTimeLocal(new Date()), place: '', officerIds: officerId ? [officerId] : [], notes: '', serviceMethod: '', documentName: '' });

/** The draft as the API's body: Beijing time with its offset, optional fields left out when empty. */
const toBody = (d: ActDraft): ActBody => ({
  // The choices come from the API's own lists; a stale draft's value is the API's to refuse.
  type: d.type as ActBody['type'],
  at: d.at ? `${d.at.length === 16 ? `${d.at}:00` : d.at}+08:00` : '',
  place: d.place,
  officerIds: d.officerIds,
  notes: d.notes,
  ...(d.type === 'SERVICE' && d.serviceMethod ? { serviceMethod: d.serviceMethod as ActBody['serviceMethod'] } : {}),
  ...(d.documentName ? { documentName: d.documentName } : {}),
});

export function ActForm({ caseId, agencyId, onRecorded }: { caseId: string; agencyId: string; onRecorded: () => void }) {
  const { api, session } = useApp();
  const [officers, setOfficers] = useState<OfficerSummary[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const { draft, update, clear } = useSessionDraft<ActDraft>(draftKey('act', caseId), () => emptyDraft(session?.officerId), () => setDone(false));
  const alertRef = useRef<HTMLDivElement>(null);
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;

  useEffect(() => {
    const today = shanghaiDate(new Date());
    void result<Page<OfficerSummary>>(api.GET('/officers', { params: { query: { agencyId, limit: 100 } } })).then((r) => {
      // Only officers who may act today are offered; the API checks the category too (S2).
      if (r.ok) setOfficers(r.data.items.filter((o) => o.certificateStatus === 'VALID' && o.validUntil >= today));
    });
  }, [api, agencyId]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = await result(
      api.POST('/cases/{id}/acts', { params: { path: { id: caseId }, header: { 'Idempotency-Key': crypto.randomUUID() } }, body: toBody(draft) }),
    );
    setBusy(false);
    if (!r.ok) {
      // A 401 has already sent the user to sign in; the draft is in sessionStorage for their return.
      if (r.error.status !== 401) {
        setError(r.error);
        // The summary first, for keyboard and screen-reader users; each field carries its own message.
        requestAnimationFrame(() => alertRef.current?.focus());
      }
      return;
    }
    clear(emptyDraft(session?.officerId));
    setDone(true);
    onRecorded();
  };

  const errors = error ? fieldErrors(error, FIELDS) : undefined;
  const errs = (f: (typeof FIELDS)[number]) => errors?.byField[f];
  const described = (f: (typeof FIELDS)[number], hint = false) =>
    [hint ? `${id(f)}-hint` : '', errs(f) ? `${id(f)}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <section class="panel" aria-labelledby={id('title')}>
      <h2 id={id('title')}>记录执法行为</h2>
      {done ? (
        <p class="success" role="status">
          已记录。
        </p>
      ) : null}
      {error ? (
        <div class="error-note" role="alert" tabIndex={-1} ref={alertRef}>
          <strong>未能记录：</strong>
          {/* A validation message repeats every field's path; when each has its place below, say so instead. */}
          {error.code === 'VALIDATION_FAILED' && error.details.length > 0 && errors?.general.length === 0 ? '请按各栏下方的提示更正后再提交。' : error.message}
          {errors && errors.general.length > 0 ? (
            <ul>
              {errors.general.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="form-grid">
          <Field id={id('type')} label="执法行为" errors={errs('type')}>
            <select id={id('type')} value={draft.type} onChange={(e) => update({ type: e.currentTarget.value })} aria-invalid={errs('type') ? true : undefined} aria-describedby={described('type')}>
              {Object.entries(ACT_TYPE_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('at')} label="实施时间（北京时间）" errors={errs('at')}>
            <input id={id('at')} type="datetime-local" value={draft.at} onInput={(e) => update({ at: e.currentTarget.value })} aria-invalid={errs('at') ? true : undefined} aria-describedby={described('at')} />
          </Field>
          <Field id={id('place')} label="地点" errors={errs('place')}>
            <input id={id('place')} type="text" value={draft.place} maxLength={200} onInput={(e) => update({ place: e.currentTarget.value })} aria-invalid={errs('place') ? true : undefined} aria-describedby={described('place')} />
          </Field>
          {draft.type === 'SERVICE' ? (
            <Field id={id('serviceMethod')} label="送达方式" errors={errs('serviceMethod')}>
              <select id={id('serviceMethod')} value={draft.serviceMethod} onChange={(e) => update({ serviceMethod: e.currentTarget.value })} aria-invalid={errs('serviceMethod') ? true : undefined} aria-describedby={described('serviceMethod')}>
                <option value="">请选择</option>
                {Object.entries(SERVICE_METHOD_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
        </div>
        <fieldset class={`field officers${errs('officerIds') ? ' invalid' : ''}`} aria-describedby={described('officerIds', true)}>
          <legend>实施的执法人员</legend>
          <p class="hint" id={`${id('officerIds')}-hint`}>
            调查取证（现场检查、询问、抽样等）须有 2 名以上持有效证件的执法人员。
          </p>
          <div class="officer-options">
            {officers.map((o) => (
              <label key={o.id} class="check">
                <input
                  type="checkbox"
                  checked={draft.officerIds.includes(o.id)}
                  onChange={(e) => update({ officerIds: e.currentTarget.checked ? [...draft.officerIds, o.id] : draft.officerIds.filter((x) => x !== o.id) })}
                />
                {o.name}
                <span class="muted">{o.certificateNo}</span>
              </label>
            ))}
          </div>
          {errs('officerIds') ? (
            <p class="field-error" id={`${id('officerIds')}-error`}>
              {errs('officerIds')?.join('；')}
            </p>
          ) : null}
        </fieldset>
        <Field id={id('documentName')} label="出示或送达的文书名称（可选）" errors={errs('documentName')}>
          <input id={id('documentName')} type="text" value={draft.documentName} maxLength={100} onInput={(e) => update({ documentName: e.currentTarget.value })} aria-invalid={errs('documentName') ? true : undefined} aria-describedby={described('documentName')} />
        </Field>
        <Field id={id('notes')} label="情况记录" errors={errs('notes')}>
          <textarea id={id('notes')} rows={4} value={draft.notes} maxLength={4000} onInput={(e) => update({ notes: e.currentTarget.value })} aria-invalid={errs('notes') ? true : undefined} aria-describedby={described('notes')} />
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? '正在提交…' : '记录执法行为'}
        </button>
      </form>
    </section>
  );
}
