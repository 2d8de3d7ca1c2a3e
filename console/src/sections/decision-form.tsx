/**
 * 决定草稿 (issue 16 point 2; N12, L3): the officer drafts the decision from the template, prefilled
 * from the case and its power-list item, with the discretion level. A general-procedure penalty's
 * 决定书 is generated at issue, so its number and text are not asked for. Saved with the version read
 * (a 409 offers a reload and keeps what was typed); each API error beside its field.
 */
import { useId, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import { Field } from '../components.tsx';
import { FormAlert } from '../forms.tsx';
import { draftKey } from '../lib/drafts.ts';
import { fieldErrors, type ApiError } from '../lib/errors.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import {
  DISCRETION_CODES,
  DISCRETION_HINTS,
  DISCRETION_LABELS,
  DRAFT_FIELDS,
  PENALTY_CODES,
  PENALTY_LABELS,
  PROCEDURE_LABELS,
  documentGenerated,
  draftBody,
  scopeText,
  togglePenalty,
  type DecisionRecord,
  type DraftForm,
} from '../lib/decision-draft.ts';

export function DecisionForm({ caseId, decision, initial, onSaved }: { caseId: string; decision: DecisionRecord | undefined; initial: () => DraftForm; onSaved: (d: DecisionRecord) => void }) {
  const { api } = useApp();
  const { draft, update, clear } = useSessionDraft<DraftForm>(draftKey('decision', caseId), initial, () => setSaved(false));
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [version, setVersion] = useState(decision?.version ?? 0);
  const [reloading, setReloading] = useState(false);
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const errors = error ? fieldErrors(error, DRAFT_FIELDS) : { byField: {}, general: [] };
  const err = (f: string) => errors.byField[f];
  const penalty = draft.kind === 'PENALTY';
  const generated = documentGenerated(draft);
  const flagErrors = [...(err('majorPublicInterest') ?? []), ...(err('complex') ?? []), ...(err('hearingHeld') ?? [])];

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = await result<DecisionRecord>(api.PUT('/cases/{id}/decision', { params: { path: { id: caseId } }, body: draftBody(draft, version) }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    setVersion(r.data.version);
    setSaved(true);
    // The saved draft is the API's now: the session copy goes, the form keeps showing it.
    clear();
    onSaved(r.data);
  };

  // A 409: the draft changed meanwhile. The new version is read; what was typed stays in the form.
  const reload = async () => {
    setReloading(true);
    const r = await result<DecisionRecord>(api.GET('/cases/{id}/decision', { params: { path: { id: caseId } } }));
    setReloading(false);
    if (r.ok) {
      setVersion(r.data.version);
      setError(undefined);
    }
  };

  return (
    <form class="decision-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby={`${uid}-h`}>
      <h3 id={`${uid}-h`}>决定草稿</h3>
      {decision ? <p class={`scope ${decision.scope.inScope ? 'in-scope' : ''}`}>{scopeText(decision.scope, decision.status)}</p> : <p class="muted">尚未起草。以下内容已按案件和职权事项预填，请核对后保存。</p>}
      {error ? <FormAlert error={error} errors={errors} title="未能保存决定草稿" onReload={() => void reload()} reloading={reloading} /> : null}

      <div class="form-grid">
        <Field id={id('procedure')} label="程序" errors={err('procedure')} hint={penalty ? (generated ? '一般程序：作出决定前须告知当事人，决定书在作出决定时生成并编号' : '简易程序：当场作出，须填写决定书文号和全文') : undefined}>
          <select id={id('procedure')} value={draft.procedure} onChange={(e) => update({ procedure: e.currentTarget.value })}>
            {Object.entries(PROCEDURE_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('decisionDate')} label="决定日期" errors={err('decisionDate')} hint="不早于立案日期；一般程序须在陈述、申辩期限之后">
          <input id={id('decisionDate')} type="date" value={draft.decisionDate} onInput={(e) => update({ decisionDate: e.currentTarget.value })} />
        </Field>
      </div>

      <Field id={id('conclusion')} label="决定结论" errors={err('conclusion')} hint="处罚内容概要，如：警告，并处罚款人民币 5000 元">
        <input id={id('conclusion')} type="text" value={draft.conclusion} onInput={(e) => update({ conclusion: e.currentTarget.value })} />
      </Field>

      {penalty ? (
        <>
          <fieldset class={`penalties${err('penalties') ? ' invalid' : ''}`} aria-describedby={err('penalties') ? `${id('penalties')}-error` : undefined}>
            <legend>处罚种类</legend>
            <div class="checks">
              {PENALTY_CODES.map((p) => (
                <label key={p} class="check">
                  <input type="checkbox" checked={draft.penalties.includes(p)} onChange={(e) => update({ penalties: togglePenalty(draft.penalties, p, e.currentTarget.checked) })} />
                  {PENALTY_LABELS[p]}
                </label>
              ))}
            </div>
            {err('penalties') ? (
              <p class="field-error" id={`${id('penalties')}-error`}>
                {err('penalties')!.join('；')}
              </p>
            ) : null}
          </fieldset>
          <div class="form-grid">
            <Field id={id('fine')} label="罚款金额（元）" errors={err('fine')}>
              <input id={id('fine')} type="text" inputMode="decimal" value={draft.fine} onInput={(e) => update({ fine: e.currentTarget.value })} />
            </Field>
            <Field id={id('confiscatedValue')} label="没收金额（元）" errors={err('confiscatedValue')} hint="没收违法所得及非法财物的价值">
              <input id={id('confiscatedValue')} type="text" inputMode="decimal" value={draft.confiscatedValue} onInput={(e) => update({ confiscatedValue: e.currentTarget.value })} />
            </Field>
          </div>
          <fieldset class={`discretion${err('discretion') ? ' invalid' : ''}`}>
            <legend>裁量等级</legend>
            {DISCRETION_CODES.map((d) => (
              <label key={d} class="radio">
                <input type="radio" name={id('discretion')} value={d} checked={draft.discretion === d} onChange={() => update({ discretion: d })} />
                <span>
                  <strong>{DISCRETION_LABELS[d]}</strong>
                  <span class="muted">{DISCRETION_HINTS[d]}</span>
                </span>
              </label>
            ))}
            {err('discretion') ? <p class="field-error">{err('discretion')!.join('；')}</p> : null}
          </fieldset>
          <Field id={id('violationType')} label="违法行为类型" errors={err('violationType')}>
            <input id={id('violationType')} type="text" value={draft.violationType} onInput={(e) => update({ violationType: e.currentTarget.value })} />
          </Field>
        </>
      ) : null}

      <Field id={id('facts')} label="违法事实及证据" errors={err('facts')}>
        <textarea id={id('facts')} rows={4} value={draft.facts} onInput={(e) => update({ facts: e.currentTarget.value })} />
      </Field>
      <Field id={id('legalBasis')} label="法律依据" errors={err('legalBasis')}>
        <textarea id={id('legalBasis')} rows={3} value={draft.legalBasis} onInput={(e) => update({ legalBasis: e.currentTarget.value })} />
      </Field>

      {!generated ? (
        <>
          <Field id={id('decisionNo')} label="决定书文号" errors={err('decisionNo')} hint="如 宿市监处罚〔2026〕15号">
            <input id={id('decisionNo')} type="text" value={draft.decisionNo} onInput={(e) => update({ decisionNo: e.currentTarget.value })} />
          </Field>
          <Field id={id('documentText')} label="决定书全文" errors={err('documentText')}>
            <textarea id={id('documentText')} rows={6} value={draft.documentText} onInput={(e) => update({ documentText: e.currentTarget.value })} />
          </Field>
        </>
      ) : null}

      <fieldset class="flags">
        <legend>审核范围的情形</legend>
        <label class="check">
          <input type="checkbox" checked={draft.majorPublicInterest} onChange={(e) => update({ majorPublicInterest: e.currentTarget.checked })} />
          涉及重大公共利益
        </label>
        <label class="check">
          <input type="checkbox" checked={draft.complex} onChange={(e) => update({ complex: e.currentTarget.checked })} />
          案件情况疑难复杂、涉及多个法律关系
        </label>
        <label class="check">
          <input type="checkbox" checked={draft.hearingHeld} onChange={(e) => update({ hearingHeld: e.currentTarget.checked })} />
          经过听证程序
        </label>
        {flagErrors.length ? <p class="field-error">{flagErrors.join('；')}</p> : null}
      </fieldset>

      <div class="button-row">
        <button type="submit" disabled={busy}>
          {busy ? '正在保存…' : '保存决定草稿'}
        </button>
        {saved ? (
          <span class="success" role="status">
            决定草稿已保存。
          </span>
        ) : null}
      </div>
    </form>
  );
}
