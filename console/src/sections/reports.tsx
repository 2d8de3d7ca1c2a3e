/**
 * 统计年报 (issue 16, point 5; D13, N13): a year's annual statistics report as the legal division moves
 * it on — 草稿 → 已报送 → 已公开 (GET/POST /reports/annual/{year}) — with each step behind a
 * confirmation, the correction after publication (a reason, a new version), the files, the figures in
 * total and per agency, and the versions published so far. The schedules do the same each January;
 * the API (access.ts `report.manage`: admin) is the judge of every step.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import { AdminCrumb, ErrorNote, Field, Loading, PageHeading } from '../components.tsx';
import { Confirm, FormAlert } from '../forms.tsx';
import { draftKey } from '../lib/drafts.ts';
import type { ApiError } from '../lib/errors.ts';
import { formErrors } from '../lib/leader.ts';
import {
  CORRECTION_CONFIRM_TEXT,
  CORRECTION_FIELDS,
  FIGURE_ROWS,
  MAIN_FIGURES,
  PENALTY_ROWS,
  STAGE_LABELS,
  actionBody,
  actionsFor,
  beijingTime,
  correctionProblem,
  defaultYear,
  doneText,
  emptyCorrection,
  formatFigure,
  portalReportPath,
  stageChange,
  stageSteps,
  yearOptions,
  type ActionOffer,
  type AnnualReportView,
  type CorrectionDraft,
  type ReportAction,
  type ReportFigures,
} from '../lib/reports.ts';
import { useSessionDraft } from '../lib/use-draft.ts';

type Current = NonNullable<AnnualReportView['current']>;

/** Sending one step: busy, the API's error, the confirmation shown. */
function useStep(year: number, onDone: (view: AnnualReportView, action: ReportAction) => void) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const send = async (action: ReportAction, correctionReason?: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    const r = await result<AnnualReportView>(api.POST('/reports/annual/{year}', { params: { path: { year } }, body: actionBody(action, correctionReason) }));
    setBusy(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return false;
    }
    onDone(r.data, action);
    return true;
  };
  return { busy, error, setError, send };
}

function Stepper({ current }: { current: AnnualReportView['current'] }) {
  return (
    <ol class="report-steps" aria-label="办理阶段">
      {stageSteps(current).map((s) => (
        <li key={s.stage} class={`step-${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
          <span class="step-label">{s.label}</span>
          <span class="step-at">{s.at ?? (s.state === 'todo' ? '未办理' : '')}</span>
        </li>
      ))}
    </ol>
  );
}

interface StepProps {
  readonly view: AnnualReportView;
  readonly onDone: (view: AnnualReportView, action: ReportAction) => void;
  readonly onReload: () => Promise<void>;
}

function NextSteps({ view, onDone, onReload }: StepProps) {
  const step = useStep(view.year, onDone);
  const [open, setOpen] = useState<ActionOffer | undefined>();
  const [reloading, setReloading] = useState(false);
  const offers = actionsFor(view);
  if (offers.length === 0) return null;
  const errors = step.error ? formErrors(step.error, []) : undefined;
  const reload = async () => {
    setReloading(true);
    await onReload();
    setReloading(false);
  };
  return (
    <div class="report-actions">
      {step.error && errors ? <FormAlert error={step.error} errors={errors} reloadLabel="重新加载统计年报" onReload={() => void reload()} reloading={reloading} /> : null}
      {open ? (
        <Confirm
          title={open.confirmTitle}
          text={open.confirmText}
          busy={step.busy}
          confirmLabel={open.confirmLabel}
          onConfirm={() => void step.send(open.action).then(() => setOpen(undefined))}
          onCancel={() => setOpen(undefined)}
        />
      ) : (
        <div class="button-row">
          {offers.map((o) => (
            <button
              key={o.action}
              type="button"
              class={o.primary ? '' : 'secondary'}
              onClick={() => {
                step.setError(undefined);
                setOpen(o);
              }}
            >
              {o.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function CorrectionForm({ view, onDone, onReload }: StepProps) {
  const uid = useId();
  const id = `${uid}-reason`;
  const current = view.current!;
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [reloading, setReloading] = useState(false);
  const { draft, update, clear } = useSessionDraft<CorrectionDraft>(draftKey('report-correction', String(view.year)), emptyCorrection, () => setConfirming(false));
  const step = useStep(view.year, (v, a) => {
    clear(emptyCorrection());
    onDone(v, a);
  });
  const errors = step.error ? formErrors(step.error, CORRECTION_FIELDS) : undefined;
  const fieldErrors = problem ? [problem] : errors?.byField.correctionReason;
  return (
    <section class="report-correction" aria-labelledby={`${uid}-h`}>
      <h3 id={`${uid}-h`}>更正已公开的统计年报</h3>
      <p class="hint">公开后发现数字有误的，说明原因后按当前数据重新生成，形成第 {current.version + 1} 版；新版本报送、公开后替换门户网站上的版本，历次公开记录保留。</p>
      {step.error && errors ? (
        <FormAlert
          error={step.error}
          errors={errors}
          reloadLabel="重新加载统计年报"
          onReload={() => {
            setReloading(true);
            void onReload().then(() => setReloading(false));
          }}
          reloading={reloading}
        />
      ) : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          step.setError(undefined);
          const p = correctionProblem(draft);
          setProblem(p);
          if (!p) setConfirming(true);
        }}
      >
        <Field id={id} label="更正原因（必填）" errors={fieldErrors} hint="至少 4 个字，说明哪些数字有误、为何有误。">
          <textarea
            id={id}
            rows={3}
            maxLength={500}
            value={draft.reason}
            onInput={(e) => {
              setProblem(undefined);
              update({ reason: e.currentTarget.value });
            }}
            aria-invalid={fieldErrors ? true : undefined}
            aria-describedby={[`${id}-hint`, fieldErrors ? `${id}-error` : ''].filter(Boolean).join(' ')}
          />
        </Field>
        {confirming ? (
          <Confirm
            title="确认生成更正版本"
            text={CORRECTION_CONFIRM_TEXT(view.year, current.version)}
            busy={step.busy}
            confirmLabel="确认生成更正版本"
            onConfirm={() => void step.send('draft', draft.reason).then(() => setConfirming(false))}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <div class="button-row">
            <button type="submit">生成更正版本</button>
          </div>
        )}
      </form>
    </section>
  );
}

function FiguresTable({ current }: { current: Current }) {
  const uid = useId();
  const [all, setAll] = useState(false);
  const rows = all ? FIGURE_ROWS : FIGURE_ROWS.filter((r) => MAIN_FIGURES.includes(r.key));
  const columns: { id: string; name: string; figures: ReportFigures }[] = [{ id: 'total', name: '合计', figures: current.total }, ...current.agencies.map((a) => ({ id: a.agencyId, name: a.agencyName, figures: a }))];
  return (
    <section class="panel report-figures" aria-labelledby={`${uid}-h`}>
      <h2 id={`${uid}-h`}>{all ? '全部统计数字' : '主要统计数字'}</h2>
      <div class="table-scroll" role="region" aria-labelledby={`${uid}-h`} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">项目</th>
              {columns.map((c) => (
                <th scope="col" key={c.id}>
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => [
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                {columns.map((c) => (
                  <td key={c.id} class="num">
                    {formatFigure(r.kind, r.value(c.figures))}
                  </td>
                ))}
              </tr>,
              // All figures: the penalties by type under their total, as in the files' second table.
              ...(all && r.key === 'penaltiesTotal'
                ? PENALTY_ROWS.map((p) => (
                    <tr key={p.type}>
                      <th scope="row">{p.label}</th>
                      {columns.map((c) => (
                        <td key={c.id} class="num">
                          {c.figures.penalties.byType[p.type] ?? 0}
                        </td>
                      ))}
                    </tr>
                  ))
                : []),
            ])}
          </tbody>
        </table>
      </div>
      <p>
        <button type="button" class="secondary" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? '只看主要统计数字' : `显示全部统计数字（${FIGURE_ROWS.length + PENALTY_ROWS.length} 项）`}
        </button>
      </p>
      {current.total.reviewers.belowMinimum ? <p class="notice">法制审核人员占执法人员的比例低于最低要求。</p> : null}
    </section>
  );
}

function History({ view }: { view: AnnualReportView }) {
  const uid = useId();
  const p = view.published;
  return (
    <section class="panel report-history" aria-labelledby={`${uid}-h`}>
      <h2 id={`${uid}-h`}>公开情况</h2>
      {!p ? (
        <p class="muted">{view.year} 年度统计年报尚未公开。</p>
      ) : (
        <>
          <p>
            门户网站上公开的是第 {p.version} 版{p.publishedAt ? `（${beijingTime(p.publishedAt)} 公开）` : ''}。<a href={portalReportPath(view.year)}>在门户网站查看</a>
          </p>
          <table>
            <caption class="visually-hidden">历次公开</caption>
            <thead>
              <tr>
                <th scope="col">版本</th>
                <th scope="col">公开时间（北京时间）</th>
                <th scope="col">更正说明</th>
              </tr>
            </thead>
            <tbody>
              {[...p.history].reverse().map((h) => (
                <tr key={h.version}>
                  <th scope="row">第 {h.version} 版</th>
                  <td>{beijingTime(h.publishedAt)}</td>
                  <td>{h.correction ? `更正第 ${h.correction.previousVersion} 版：${h.correction.reason}` : '首次公开'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ReportOfYear({ view, onDone, onReload }: StepProps) {
  const c = view.current;
  return (
    <>
      <section class="panel report-stage" aria-labelledby="report-stage-h">
        <h2 id="report-stage-h">{view.year} 年度统计年报{c ? `（第 ${c.version} 版 · ${STAGE_LABELS[c.stage]}）` : ''}</h2>
        <Stepper current={c} />
        {!c ? <p>尚未生成 {view.year} 年度统计年报。生成草稿后可审阅统计数字，再报送、公开。</p> : null}
        {c ? (
          <dl class="facts">
            <dt>生成时间</dt>
            <dd>{beijingTime(c.generatedAt)}</dd>
            {c.correction ? (
              <>
                <dt>更正</dt>
                <dd>
                  更正第 {c.correction.previousVersion} 版：{c.correction.reason}
                </dd>
              </>
            ) : null}
            <dt>文件</dt>
            <dd>
              <a href={c.files.pdf}>下载 PDF</a> · <a href={c.files.xlsx}>下载 Excel 表格（.xlsx）</a>
              <span class="muted">下载链接 5 分钟内有效，过期请刷新本页。</span>
            </dd>
          </dl>
        ) : null}
        <NextSteps key={`${c?.version ?? 0}-${c?.stage ?? ''}`} view={view} onDone={onDone} onReload={onReload} />
        {c?.stage === 'PUBLISHED' ? <CorrectionForm key={c.version} view={view} onDone={onDone} onReload={onReload} /> : null}
      </section>
      {c ? <FiguresTable current={c} /> : null}
      <History view={view} />
    </>
  );
}

export default function Reports() {
  const { api } = useApp();
  const uid = useId();
  const [year, setYear] = useState(() => defaultYear(new Date()));
  const [view, setView] = useState<AnnualReportView | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [message, setMessage] = useState<string | undefined>();

  const load = async (y: number): Promise<AnnualReportView | undefined> => {
    const r = await result<AnnualReportView>(api.GET('/reports/annual/{year}', { params: { path: { year: y } } }));
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return undefined;
    }
    setError(undefined);
    return r.data;
  };

  useEffect(() => {
    let live = true;
    setView(undefined);
    setMessage(undefined);
    void load(year).then((v) => live && v && setView(v));
    return () => {
      live = false;
    };
  }, [api, year]);

  const reload = async () => {
    const before = view;
    const v = await load(year);
    if (!v) return;
    setView(v);
    if (before) setMessage(stageChange(before, v));
  };

  return (
    <section class="reports">
      <AdminCrumb page="reports" />
      <PageHeading title="统计年报">
        <p class="lead">每年 1 月办理上一年度的行政执法统计年报：5 日前生成草稿，15 日前报送司法行政部门和上级主管部门，31 日前向社会公开。系统按期自动办理，也可在此办理。公开后如需更正，须说明原因，形成新的版本。</p>
      </PageHeading>
      <div class="field report-year">
        <label for={`${uid}-year`}>年度</label>
        <select id={`${uid}-year`} value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value))}>
          {yearOptions(new Date()).map((y) => (
            <option key={y} value={String(y)}>
              {y} 年度
            </option>
          ))}
        </select>
      </div>
      {message ? (
        <p class="report-done" role="status">
          {message}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} title="无法加载统计年报" /> : null}
      {!view && !error ? <Loading what="统计年报" /> : null}
      {view ? (
        <ReportOfYear
          view={view}
          onReload={reload}
          onDone={(v, action) => {
            setView(v);
            setMessage(doneText(action, v));
          }}
        />
      ) : null}
    </section>
  );
}
