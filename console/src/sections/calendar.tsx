/**
 * 节假日安排 (issue 16, point 5; D7, N4, issue 11): a year's statutory holidays and adjusted working
 * days as the working-day deadlines count them — where they come from (the package, the file shipped
 * with the code, an entry here), how an entry differs from the package, its versions — and the form
 * that enters a new version (GET/PUT /calendar/{year}, as `npm run calendar -- import` does). The
 * API's problems appear beside the rows they concern; a 409 offers to reload and keeps the form.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import { AdminCrumb, ErrorNote, Field, Loading, PageHeading } from '../components.tsx';
import { Confirm, FormAlert } from '../forms.tsx';
import { shanghaiDate } from '../lib/cases.ts';
import { draftKey } from '../lib/drafts.ts';
import type { ApiError } from '../lib/errors.ts';
import { useSessionDraft } from '../lib/use-draft.ts';
import { permits } from '../../../shared/domain/access.ts';
import {
  DEADLINE_EFFECT,
  SOURCE_LABELS,
  calendarChanges,
  calendarErrors,
  cleanFestivals,
  dayKindLabel,
  draftFromView,
  emptyFestival,
  offText,
  pickerYears,
  putBody,
  reasonRequired,
  totals,
  workText,
  type CalendarYearView,
  type FestivalDraft,
} from '../lib/calendar.ts';

const describedBy = (...ids: (string | false | undefined)[]): string | undefined => ids.filter(Boolean).join(' ') || undefined;
const formKey = (year: number) => draftKey('calendar', String(year));
const beijing = (iso: string | null): string => (iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '');

function YearView({ view }: { view: CalendarYearView }) {
  const uid = useId();
  const sum = totals(view.festivals);
  return (
    <>
      <section class="calendar-year" aria-labelledby={`${uid}-t`}>
        <h2 id={`${uid}-t`}>
          {view.year} 年安排<span class={`calendar-source source-${view.source.toLowerCase()}`}>{SOURCE_LABELS[view.source]}</span>
        </h2>
        <p class={view.source === 'NONE' ? 'notice' : 'muted'}>{view.note}</p>
        {view.notice ? (
          <p>
            依据：{view.notice.title}（{view.notice.documentNo}）
            {view.version > 0 ? (
              <>
                {' '}
                · 第 {view.version} 版，{beijing(view.enteredAt)} {view.enteredBy} 录入
              </>
            ) : null}
          </p>
        ) : null}
        {view.festivals.length > 0 ? (
          <>
            <table class="calendar-table">
              <caption class="visually-hidden">{view.year} 年各节日放假与调休上班日期</caption>
              <thead>
                <tr>
                  <th scope="col">节日</th>
                  <th scope="col">放假</th>
                  <th scope="col">调休上班</th>
                </tr>
              </thead>
              <tbody>
                {view.festivals.map((f) => (
                  <tr key={f.name}>
                    <th scope="row">{f.name}</th>
                    <td>{offText(f.off)}</td>
                    <td>{workText(f.work)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="muted">
              合计放假 {sum.off} 天，调休上班 {sum.work} 天。
            </p>
          </>
        ) : null}
      </section>
      {view.differences.length > 0 ? (
        <section class="calendar-differences" aria-labelledby={`${uid}-d`}>
          <h3 id={`${uid}-d`}>与程序包 {view.package.name} {view.package.version} 不同的日期</h3>
          <ul>
            {view.differences.map((d) => (
              <li key={d.date}>
                {d.date}：程序包为{dayKindLabel(d.package)}，现按录入的安排为{dayKindLabel(d.entered)}
                {d.entered.reason ? `（${d.entered.reason}）` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {view.history.length > 0 ? (
        <section class="calendar-history" aria-labelledby={`${uid}-h`}>
          <h3 id={`${uid}-h`}>录入历史</h3>
          <ol>
            {[...view.history].reverse().map((h) => (
              <li key={h.version}>
                第 {h.version} 版 · {beijing(h.enteredAt)} · {h.enteredBy} · {h.notice.documentNo}
                {h.reason ? `：${h.reason}` : ''}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}

function FestivalRow({ index, row, errs, uid, onChange, onRemove, removable }: { index: number; row: FestivalDraft; errs: (f: string) => string[] | undefined; uid: string; onChange: (patch: Partial<FestivalDraft>) => void; onRemove: () => void; removable: boolean }) {
  const id = (f: string) => `${uid}-f${index}-${f}`;
  const key = (f: string) => `festivals.${index}.${f}`;
  const aria = (f: string, hint = false) => ({ 'aria-invalid': errs(key(f)) ? true : undefined, 'aria-describedby': describedBy(hint && `${id(f)}-hint`, errs(key(f)) && `${id(f)}-error`) });
  // Both ends of the range share the row's `off` problems; they are shown once, under the end date.
  const offErrors = errs(key('off'));
  const offAria = { 'aria-invalid': offErrors ? true : undefined, 'aria-describedby': offErrors ? `${id('to')}-error` : undefined };
  const legend = `第 ${index + 1} 项${row.name.trim() ? `：${row.name.trim()}` : ''}`;
  return (
    <fieldset class={`festival-row${errs(key('name')) || offErrors || errs(key('work')) ? ' has-errors' : ''}`}>
      <legend>{legend}</legend>
      <div class="festival-fields">
        <Field id={id('name')} label="节日名称" errors={errs(key('name'))}>
          <input id={id('name')} type="text" maxLength={20} value={row.name} onInput={(e) => onChange({ name: e.currentTarget.value })} {...aria('name')} />
        </Field>
        <Field id={id('from')} label="放假起始日" errors={undefined}>
          <input id={id('from')} type="date" value={row.from} onInput={(e) => onChange({ from: e.currentTarget.value })} {...offAria} />
        </Field>
        <Field id={id('to')} label="放假结束日（含）" errors={offErrors}>
          <input id={id('to')} type="date" value={row.to} onInput={(e) => onChange({ to: e.currentTarget.value })} {...offAria} />
        </Field>
        <Field id={id('work')} label="调休上班日" errors={errs(key('work'))} hint="须为周六或周日；多个日期用逗号分隔，如 2027-02-06, 2027-02-20；没有则留空">
          <input id={id('work')} type="text" value={row.work} onInput={(e) => onChange({ work: e.currentTarget.value })} {...aria('work', true)} />
        </Field>
      </div>
      {removable ? (
        <button type="button" class="secondary small" onClick={onRemove}>
          删除{legend}
        </button>
      ) : null}
    </fieldset>
  );
}

function CalendarForm({ view, onSaved, onReload, onCancel }: { view: CalendarYearView; onSaved: (v: CalendarYearView) => void; onReload: () => Promise<CalendarYearView | undefined>; onCancel: () => void }) {
  const { api } = useApp();
  const uid = useId();
  const [confirming, setConfirming] = useState(false);
  const { draft, update, clear } = useSessionDraft(formKey(view.year), () => draftFromView(view), () => setConfirming(false));
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [reloading, setReloading] = useState(false);
  const [changes, setChanges] = useState<string[] | undefined>();
  const rows = cleanFestivals(draft.festivals);
  const setRow = (i: number, patch: Partial<FestivalDraft>) => update({ festivals: rows.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const go = async () => {
    setBusy(true);
    setError(undefined);
    const r = await result<CalendarYearView>(api.PUT('/calendar/{year}', { params: { path: { year: String(view.year) } }, body: putBody({ ...draft, festivals: rows }, view.version) }));
    setBusy(false);
    setConfirming(false);
    if (!r.ok) return r.error.status === 401 ? undefined : setError(r.error);
    clear();
    onSaved(r.data);
  };
  const reload = async () => {
    setReloading(true);
    const next = await onReload();
    setReloading(false);
    setError(undefined);
    if (next) setChanges(calendarChanges(view, next));
  };
  const errors = error ? calendarErrors(error) : undefined;
  const errs = (f: string) => errors?.byField[f];
  const needReason = reasonRequired(view);
  const text = (f: 'title' | 'documentNo', label: string, max: number, hint: string) => {
    const k = `notice.${f}`;
    return (
      <Field id={`${uid}-${f}`} label={label} errors={errs(k)} hint={hint}>
        <input id={`${uid}-${f}`} type="text" maxLength={max} value={draft[f]} onInput={(e) => update({ [f]: e.currentTarget.value })} aria-invalid={errs(k) ? true : undefined} aria-describedby={describedBy(`${uid}-${f}-hint`, errs(k) && `${uid}-${f}-error`)} />
      </Field>
    );
  };
  return (
    <section class="calendar-form" aria-labelledby={`${uid}-t`}>
      <h2 id={`${uid}-t`}>{view.version > 0 ? `修改 ${view.year} 年安排（将生成第 ${view.version + 1} 版）` : `录入 ${view.year} 年安排`}</h2>
      <p class="hint">按国务院办公厅当年的节假日安排通知逐项填写；保存后生成新版本，原有版本保留在录入历史中。</p>
      {error && errors ? <FormAlert error={error} errors={errors} title="未能保存" reloadLabel="重新加载该年安排" {...(error.code === 'VERSION_CONFLICT' ? { onReload: () => void reload() } : {})} reloading={reloading} /> : null}
      {changes ? (
        <div class="notice changes" role="status">
          <strong>已重新加载，您填写的内容仍保留。{changes.length > 0 ? '自您打开以来的变化：' : '该年安排没有变化，可以重新提交。'}</strong>
          {changes.length > 0 ? (
            <ul>
              {changes.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          setConfirming(true);
        }}
      >
        {text('title', '通知名称', 200, '如：国务院办公厅关于2027年部分节假日安排的通知')}
        {text('documentNo', '文号', 60, '如：国办发明电〔2026〕7号')}
        <h3>各节日</h3>
        {errs('festivals') ? (
          <p class="field-error" id={`${uid}-festivals-error`}>
            {errs('festivals')?.join('；')}
          </p>
        ) : null}
        {rows.map((row, i) => (
          <FestivalRow key={i} index={i} row={row} errs={errs} uid={uid} onChange={(p) => setRow(i, p)} onRemove={() => update({ festivals: rows.filter((_, k) => k !== i) })} removable={rows.length > 1} />
        ))}
        <div class="button-row">
          <button type="button" class="secondary" disabled={rows.length >= 20} onClick={() => update({ festivals: [...rows, emptyFestival()] })}>
            增加一项节日
          </button>
        </div>
        <Field id={`${uid}-reason`} label={needReason ? '修改原因（必填）' : '说明（可选）'} errors={errs('reason')} hint={needReason ? (view.source === 'ENTERED' ? '该年已录入，修改须说明原因' : '程序包或补充数据已有该年安排，另行录入须说明原因') : '首次录入可不填'}>
          <textarea id={`${uid}-reason`} rows={2} maxLength={500} value={draft.reason} onInput={(e) => update({ reason: e.currentTarget.value })} aria-invalid={errs('reason') ? true : undefined} aria-describedby={describedBy(`${uid}-reason-hint`, errs('reason') && `${uid}-reason-error`)} />
        </Field>
        {confirming ? (
          <Confirm title="确认保存节假日安排" text={`保存后 ${view.year} 年的工作日按新的安排计算；跨入该年的暂定期限将由定时任务重新计算，并记入各决定的时间线。`} busy={busy} confirmLabel="确认保存" onConfirm={() => void go()} onCancel={() => setConfirming(false)} />
        ) : (
          <div class="button-row">
            <button type="submit">保存安排</button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                // Cancelling drops what was typed: the next edit starts from the year in force.
                clear();
                onCancel();
              }}
            >
              取消
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

export default function Calendar() {
  const { api, session } = useApp();
  const uid = useId();
  const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [view, setView] = useState<CalendarYearView | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | undefined>();

  const load = async (y: number): Promise<CalendarYearView | undefined> => {
    const r = await result<CalendarYearView>(api.GET('/calendar/{year}', { params: { path: { year: String(y) } } }));
    if (!r.ok) {
      setError(r.error);
      return undefined;
    }
    setError(undefined);
    setView(r.data);
    return r.data;
  };

  useEffect(() => {
    setView(undefined);
    setSaved(undefined);
    // A draft left for this year (say, before signing in again) opens the form again.
    setEditing(sessionStorage.getItem(formKey(year)) !== null);
    void load(year);
  }, [api, year]);

  if (!session) return null;
  // Shown to those the API lets enter a year; the API remains the judge.
  const canEdit = permits(session, 'calendar.manage');

  return (
    <section class="calendar">
      <AdminCrumb page="calendar" />
      <PageHeading title="节假日安排">
        <p class="lead">{DEADLINE_EFFECT}</p>
      </PageHeading>
      <div class="field calendar-year-pick">
        <label for={`${uid}-year`}>年份</label>
        <select id={`${uid}-year`} value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value))}>
          {pickerYears(thisYear, year).map((y) => (
            <option key={y} value={String(y)}>
              {y} 年
            </option>
          ))}
        </select>
      </div>
      {error ? <ErrorNote error={error} title="无法加载节假日安排" /> : null}
      {!view && !error ? <Loading what={`${year} 年节假日安排`} /> : null}
      {saved ? (
        <p class="success" role="status">
          {saved}
        </p>
      ) : null}
      {view && view.year === year ? (
        <>
          <YearView view={view} />
          {canEdit && !editing ? (
            <div class="button-row">
              <button type="button" onClick={() => (setSaved(undefined), setEditing(true))}>
                {view.source === 'NONE' ? `录入 ${year} 年安排` : `修改 ${year} 年安排`}
              </button>
            </div>
          ) : null}
          {canEdit && editing ? (
            <CalendarForm
              key={year}
              view={view}
              onReload={() => load(year)}
              onCancel={() => setEditing(false)}
              onSaved={(v) => {
                setView(v);
                setEditing(false);
                setSaved(`已保存为第 ${v.version} 版。${v.recount ?? ''}`);
              }}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
