/**
 * 立案 (issue 16, point 2): the party, checked as the officer types (GB 32100 credit code, GB 11643 ID
 * number: the API's own checks), the power-list item in force on the filing date, and the handling
 * officers whose certificates are valid that day and cover the item's category (the others listed with
 * the reason). `POST /cases` with one Idempotency-Key per draft, so a retry after a lost answer does not
 * open a second case. Every API error stands beside its field; the draft lives in sessionStorage, so
 * neither an error nor an expired session loses it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result, type Api } from '../api/client.ts';
import type { CreateCaseBody, CreatedCase, OfficerSummary, Page } from '../api/types.ts';
import { Link, PageHeading } from '../components.tsx';
import { shanghaiDate } from '../lib/cases.ts';
import { clearDraft, draftKey, loadDraft, saveDraft } from '../lib/drafts.ts';
import type { ApiError } from '../lib/errors.ts';
import { PARTY_KIND_LABELS } from '../lib/labels.ts';
import {
  PARTY_KINDS,
  creditCodeProblem,
  draftProblems,
  emptyDraft,
  idNumberProblem,
  isInvestigation,
  newCaseErrors,
  partyFieldLabel,
  partyFieldsOf,
  searchPowers,
  splitOfficers,
  toBody,
  type FormField,
  type NewCaseDraft,
  type PartyField,
  type PowerItem,
} from '../lib/new-case.ts';
import { href } from '../lib/routes.ts';
import { POWER_TYPES, POWER_TYPE_LABELS } from '../../../shared/domain/power-types.ts';

/** Shown at once; the search narrows the rest. */
const SHOWN_POWERS = 12;
const MAX_PAGES = 10;

/** Every page of a list (the API gives 100 at most per page); a failure stops at the first. */
async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<{ ok: true; data: Page<T> } | { ok: false; error: ApiError }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await fetchPage(cursor);
    if (!r.ok) return r;
    items.push(...r.data.items);
    if (!r.data.nextCursor) break;
    cursor = r.data.nextCursor;
  }
  return { ok: true as const, data: items };
}

const powersOn = (api: Api, agencyId: string, asOf: string) =>
  allPages<PowerItem>((cursor) => result<Page<PowerItem>>(api.GET('/powers', { params: { query: { agencyId, asOf, limit: 100, ...(cursor ? { cursor } : {}) } } })));

const officersOf = (api: Api, agencyId: string) =>
  allPages<OfficerSummary>((cursor) => result<Page<OfficerSummary>>(api.GET('/officers', { params: { query: { agencyId, limit: 100, ...(cursor ? { cursor } : {}) } } })));

const fieldId = (f: string) => `nc-${f}`;

function Messages({ field, errors, ok }: { field: string; errors: readonly string[] | undefined; ok?: string | undefined }) {
  return (
    // Announced as they change: the check runs while the officer types.
    <div aria-live="polite" id={`${fieldId(field)}-status`}>
      {errors && errors.length > 0 ? (
        <p class="field-error" id={`${fieldId(field)}-error`}>
          {errors.join('；')}
        </p>
      ) : ok ? (
        <p class="field-ok">{ok}</p>
      ) : null}
    </div>
  );
}

function Field({ field, label, errors, hint, ok, children }: { field: string; label: string; errors: readonly string[] | undefined; hint?: string; ok?: string | undefined; children: ComponentChildren }) {
  return (
    <div class={`field${errors?.length ? ' invalid' : ''}`}>
      <label for={fieldId(field)}>{label}</label>
      {children}
      {hint ? (
        <p class="hint" id={`${fieldId(field)}-hint`}>
          {hint}
        </p>
      ) : null}
      <Messages field={field} errors={errors} ok={ok} />
    </div>
  );
}

export default function NewCase() {
  const { api, session, navigate } = useApp();
  const agencyId = session?.agencyId;
  const key = draftKey('new-case', agencyId ?? 'none');
  const today = shanghaiDate(new Date());
  const [draft, setDraft] = useState<NewCaseDraft>(() => loadDraft(sessionStorage, key, emptyDraft(today, session?.officerId, crypto.randomUUID())));
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const [apiError, setApiError] = useState<ApiError | undefined>();
  // Fields changed since the API's answer: its message about them no longer describes what is there.
  const [retired, setRetired] = useState<ReadonlySet<FormField>>(() => new Set());
  const [busy, setBusy] = useState(false);
  const [powers, setPowers] = useState<{ asOf: string; items: PowerItem[] } | undefined>();
  const [powersError, setPowersError] = useState<ApiError | undefined>();
  const [officers, setOfficers] = useState<OfficerSummary[] | undefined>();
  const [officersError, setOfficersError] = useState<ApiError | undefined>();
  const [query, setQuery] = useState('');
  const summaryRef = useRef<HTMLDivElement>(null);

  // The power list as in force on the filing date: the API files against the version of that day.
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(draft.filingDate) && draft.filingDate <= today ? draft.filingDate : today;
  useEffect(() => {
    if (!agencyId) return;
    let live = true;
    void powersOn(api, agencyId, asOf).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPowers({ asOf, items: r.data });
        setPowersError(undefined);
      } else setPowersError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, agencyId, asOf]);

  useEffect(() => {
    if (!agencyId) return;
    let live = true;
    void officersOf(api, agencyId).then((r) => {
      if (!live) return;
      if (r.ok) setOfficers(r.data);
      else setOfficersError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, agencyId]);

  const update = (patch: Partial<NewCaseDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    saveDraft(sessionStorage, key, next);
  };
  const touch = (f: string) => !touched.has(f) && setTouched(new Set([...touched, f]));

  const power = powers?.items.find((p) => p.code === draft.powerCode);
  const category = power?.content.category;
  const split = useMemo(() => splitOfficers(officers ?? [], draft.filingDate, category), [officers, draft.filingDate, category]);
  // Only officers offered are sent: what the officer sees ticked is what the API receives.
  const selected = draft.handlingOfficerIds.filter((id) => split.eligible.some((o) => o.id === id));
  const effective: NewCaseDraft = { ...draft, handlingOfficerIds: selected };
  const problems = draftProblems(effective);
  const fromApi = apiError ? newCaseErrors(apiError) : undefined;

  /** A field's messages: the API's (until the field changes), else the live check once it was left or a submit tried. */
  const errs = (f: FormField): string[] | undefined => {
    const api_ = retired.has(f) ? undefined : fromApi?.byField[f];
    if (api_?.length) return api_;
    const p = problems[f];
    if (!p) return undefined;
    // The identifiers are checked as soon as they are complete, the rest once the field is left.
    const full = (f === 'creditCode' || f === 'idNumber') && draft[f].trim().length >= 18;
    return attempted || touched.has(f) || full ? [p] : undefined;
  };
  const describedBy = (f: string, hint = false) => [hint ? `${fieldId(f)}-hint` : '', `${fieldId(f)}-status`].filter(Boolean).join(' ');

  /** A change to a field clears the API's message about it: it no longer describes what is there. */
  const change = (f: FormField, patch: Partial<NewCaseDraft>) => {
    if (fromApi?.byField[f] && !retired.has(f)) setRetired(new Set([...retired, f]));
    update(patch);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setAttempted(true);
    setApiError(undefined);
    setRetired(new Set());
    if (!agencyId) return;
    if (Object.keys(problems).length > 0) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    const r = await result<CreatedCase>(
      api.POST('/cases', {
        params: { header: { 'Idempotency-Key': draft.idempotencyKey } },
        // The choices come from the API's own lists; a stale draft's value is the API's to refuse.
        body: toBody(effective, agencyId, selected) as CreateCaseBody,
      }),
    );
    setBusy(false);
    if (!r.ok) {
      // A 401 has sent the officer to sign in; the draft (and its key) wait in sessionStorage.
      if (r.error.status !== 401) {
        setApiError(r.error);
        requestAnimationFrame(() => summaryRef.current?.focus());
      }
      return;
    }
    clearDraft(sessionStorage, key);
    navigate(href.case(r.data.id));
  };

  if (!agencyId) {
    return (
      <section>
        <PageHeading title="立案" />
        <p class="notice">当前用户未关联执法主体，不能立案。</p>
      </section>
    );
  }

  const listed = powers ? searchPowers(powers.items, query, draft.enforcementType) : [];
  const shown = listed.slice(0, SHOWN_POWERS);
  // The chosen item stays visible whatever the search shows.
  if (power && !shown.includes(power) && listed.includes(power)) shown.unshift(power);
  const clientList = attempted && !apiError ? Object.entries(problems) : [];
  const investigation = isInvestigation(draft.enforcementType);

  const partyInput = (f: PartyField) => {
    const isCode = f === 'creditCode' || f === 'idNumber';
    const value = draft[f];
    const checkedOk = isCode && value.trim() !== '' && !(f === 'creditCode' ? creditCodeProblem(value) : idNumberProblem(value)) ? '校验位正确' : undefined;
    return (
      <Field key={f} field={f} label={partyFieldLabel(draft.partyKind, f)} errors={errs(f)} ok={checkedOk} hint={f === 'creditCode' ? '18 位，GB 32100；输入时即核对校验位' : f === 'idNumber' ? '18 位，GB 11643；输入时即核对校验位' : undefined}>
        <input
          id={fieldId(f)}
          type="text"
          inputMode={f === 'phone' ? 'tel' : undefined}
          value={value}
          maxLength={f === 'address' ? 200 : f === 'name' ? 100 : isCode ? 20 : 40}
          autoComplete="off"
          spellcheck={false}
          class={isCode ? 'code-input' : undefined}
          onInput={(e) => change(f, { [f]: e.currentTarget.value })}
          onBlur={() => void touch(f)}
          aria-invalid={errs(f) ? true : undefined}
          aria-required={f === 'name' || isCode ? true : undefined}
          aria-describedby={describedBy(f, isCode)}
        />
      </Field>
    );
  };

  return (
    <section class="new-case">
      <PageHeading title="立案">
        <p class="breadcrumb">
          <Link href={href.myCases()}>我的案件</Link> › 立案
        </p>
        <p class="lead">填写当事人、选择权责清单中的职权事项和承办人员。统一社会信用代码和身份证号码在输入时即核对；提交后由系统再次核对全部规则。</p>
      </PageHeading>

      {apiError ? (
        <div class="error-note" role="alert" tabIndex={-1} ref={summaryRef}>
          <strong>未能立案：</strong>
          {apiError.code === 'VALIDATION_FAILED' && apiError.details.length > 0 && fromApi?.general.length === 0 ? '请按各栏下方的提示更正后再提交。' : apiError.message}
          {fromApi && fromApi.general.length > 0 ? (
            <ul>
              {fromApi.general.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          ) : null}
          {apiError.code === 'IDEMPOTENCY_KEY_REUSED' ? (
            // This draft was filed before (its answer may have been lost), then changed: not silently a second case.
            <div class="conflict-actions">
              <p>此草稿此前已提交成功，案件可能已经立案，请先在“我的案件”中核对。确需另立一个新案件的，再点“作为新案件提交”。</p>
              <Link href={href.myCases()}>查看我的案件</Link>
              <button type="button" class="secondary" onClick={() => {
                  update({ idempotencyKey: crypto.randomUUID() });
                  setApiError(undefined);
                }}>
                作为新案件提交
              </button>
            </div>
          ) : null}
        </div>
      ) : clientList.length > 0 ? (
        <div class="error-note" role="alert" tabIndex={-1} ref={summaryRef}>
          <strong>尚未提交，请先更正：</strong>
          <ul>
            {clientList.map(([f, m]) => (
              <li key={f}>
                <a href={`#${fieldId(f)}`}>{m}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset class="panel">
          <legend>当事人</legend>
          <fieldset class={`field party-kind${errs('partyKind') ? ' invalid' : ''}`} id={fieldId('partyKind')}>
            <legend>当事人类型</legend>
            <div class="choice-options">
              {PARTY_KINDS.map((k) => (
                <label key={k} class="check">
                  <input type="radio" name="partyKind" value={k} checked={draft.partyKind === k} onChange={() => change('partyKind', { partyKind: k })} />
                  {PARTY_KIND_LABELS[k]}
                </label>
              ))}
            </div>
            <Messages field="partyKind" errors={errs('partyKind')} />
          </fieldset>
          <div class="form-grid">{partyFieldsOf(draft.partyKind).map(partyInput)}</div>
        </fieldset>

        <fieldset class="panel">
          <legend>职权事项</legend>
          <div class="form-grid">
            <Field field="enforcementType" label="执法类型" errors={errs('enforcementType')}>
              <select
                id={fieldId('enforcementType')}
                value={draft.enforcementType}
                onChange={(e) => {
                  const t = e.currentTarget.value;
                  // An item of another type cannot be filed under this one (the API refuses the mismatch).
                  change('enforcementType', { enforcementType: t, ...(power && power.content.type !== t ? { powerCode: '' } : {}) });
                }}
                aria-describedby={describedBy('enforcementType')}
              >
                {POWER_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {POWER_TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
            </Field>
            <div class="field">
              <label for={fieldId('power-search')}>检索职权事项（编码或名称）</label>
              <input id={fieldId('power-search')} type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-controls={fieldId('powerCode')} autoComplete="off" />
            </div>
          </div>
          <fieldset class={`field power-picker${errs('powerCode') ? ' invalid' : ''}`} id={fieldId('powerCode')} aria-describedby={describedBy('powerCode', true)} tabIndex={-1}>
            <legend>
              本机构权责清单中的{POWER_TYPE_LABELS[draft.enforcementType as keyof typeof POWER_TYPE_LABELS] ?? ''}事项
            </legend>
            <p class="hint" id={`${fieldId('powerCode')}-hint`} role="status">
              {powersError
                ? `无法加载权责清单：${powersError.message}`
                : !powers
                  ? '正在加载权责清单…'
                  : `${powers.asOf} 有效的事项中，符合条件的 ${listed.length} 项${listed.length > shown.length ? `，显示前 ${shown.length} 项，请输入更多字词缩小范围` : ''}。`}
            </p>
            {power ? null : draft.powerCode ? <p class="field-error">所选事项 {draft.powerCode} 在 {asOf} 不在有效期内或不属于所选执法类型，请重新选择。</p> : null}
            <ul class="power-options">
              {shown.map((p) => (
                <li key={p.code}>
                  <label class="check">
                    <input type="radio" name="powerCode" value={p.code} checked={draft.powerCode === p.code} onChange={() => change('powerCode', { powerCode: p.code, enforcementType: p.content.type })} />
                    <span class="power-code">{p.code}</span>
                    <span class="power-name">{p.content.name}</span>
                    <span class="muted">
                      {POWER_TYPE_LABELS[p.content.type as keyof typeof POWER_TYPE_LABELS] ?? p.content.type} · 执法类别：{p.content.category ?? '未标明'}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            <Messages field="powerCode" errors={errs('powerCode')} />
          </fieldset>
        </fieldset>

        <fieldset class="panel">
          <legend>承办人员</legend>
          <fieldset class={`field officers${errs('handlingOfficerIds') ? ' invalid' : ''}`} id={fieldId('handlingOfficerIds')} aria-describedby={describedBy('handlingOfficerIds', true)} tabIndex={-1}>
            <legend>承办的执法人员</legend>
            <p class="hint" id={`${fieldId('handlingOfficerIds')}-hint`}>
              只列出在立案日（{draft.filingDate || '—'}）持有效执法证件{category ? `且证件涵盖执法类别「${category}」（或综合执法）` : ''}的人员
              {power ? '' : '；选择职权事项后按其执法类别筛选'}。
              {investigation ? '调查取证须有 2 名以上执法人员。' : ''}
            </p>
            {officersError ? <p class="field-error">无法加载执法人员：{officersError.message}</p> : null}
            {!officers && !officersError ? <p class="loading">正在加载执法人员…</p> : null}
            <div class="officer-options">
              {split.eligible.map((o) => (
                <label key={o.id} class="check">
                  <input
                    type="checkbox"
                    checked={selected.includes(o.id)}
                    onChange={(e) =>
                      change('handlingOfficerIds', {
                        handlingOfficerIds: e.currentTarget.checked ? [...selected, o.id] : selected.filter((x) => x !== o.id),
                      })
                    }
                  />
                  {o.name}
                  <span class="muted">{o.certificateNo}</span>
                </label>
              ))}
            </div>
            {officers && split.eligible.length === 0 ? <p class="notice">没有符合条件的执法人员。</p> : null}
            <p class="selected-count" aria-live="polite">
              已选 {selected.length} 名{investigation && selected.length === 1 ? '（调查取证须 2 名以上）' : ''}
            </p>
            <Messages field="handlingOfficerIds" errors={errs('handlingOfficerIds')} />
            {split.others.length > 0 ? (
              <details class="not-offered">
                <summary>不可选的执法人员（{split.others.length} 名）及原因</summary>
                <ul>
                  {split.others.map(({ officer, reason }) => (
                    <li key={officer.id}>
                      {officer.name}
                      <span class="muted">{reason}</span>
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </fieldset>
        </fieldset>

        <fieldset class="panel">
          <legend>立案信息</legend>
          <div class="form-grid">
            <Field field="filingDate" label="立案日期" errors={errs('filingDate')} hint="不能晚于今天（北京时间）">
              <input
                id={fieldId('filingDate')}
                type="date"
                value={draft.filingDate}
                max={today}
                onInput={(e) => change('filingDate', { filingDate: e.currentTarget.value })}
                onBlur={() => touch('filingDate')}
                aria-invalid={errs('filingDate') ? true : undefined}
                aria-describedby={describedBy('filingDate', true)}
              />
            </Field>
          </div>
          <Field field="summary" label="案由" errors={errs('summary')}>
            <textarea
              id={fieldId('summary')}
              rows={3}
              maxLength={500}
              value={draft.summary}
              onInput={(e) => change('summary', { summary: e.currentTarget.value })}
              onBlur={() => touch('summary')}
              aria-invalid={errs('summary') ? true : undefined}
              aria-describedby={describedBy('summary')}
            />
          </Field>
        </fieldset>

        <div class="button-row">
          <button type="submit" disabled={busy}>
            {busy ? '正在提交…' : '立案'}
          </button>
        </div>
      </form>
    </section>
  );
}
