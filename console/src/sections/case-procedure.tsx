/**
 * 决定与处罚程序 on the case page (issue 16 point 2; N12, P1–P5, L1): the officer drafts the decision
 * from the template with the discretion level (decision-form.tsx), follows the penalty procedure's
 * steps (procedure-steps.tsx) and submits the draft for legal review. Whether the draft needs review,
 * and why, is the API's answer (the decision's review scope).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import { ErrorNote, Loading } from '../components.tsx';
import { shanghaiDate } from '../lib/cases.ts';
import type { ApiError } from '../lib/errors.ts';
import { EDITABLE_STATUSES, documentGenerated, draftFromCase, draftFromSaved, scopeText, type DecisionRecord } from '../lib/decision-draft.ts';
import { procedureSteps, type ProcedureCase, type ServiceInfo, type StatementInfo } from '../lib/procedure.ts';
import { DecisionForm } from './decision-form.tsx';
import { HearingStep, NoticeStep, PaymentStep, ReviewSubmit, ServiceStep, Services, StatementStep, Statements, StepList } from './procedure-steps.tsx';
import type { CaseFile } from './case-parts.tsx';

interface PaymentAccount {
  readonly status: string;
  readonly statusLabel: string;
  readonly fine: string;
  readonly outstanding: string;
  readonly surcharge: string;
  readonly dueDate: string | null;
}

interface Loaded {
  /** Undefined: no draft yet (the API's 404). */
  readonly decision: DecisionRecord | undefined;
  readonly statements: readonly StatementInfo[];
  readonly services: readonly ServiceInfo[];
  readonly legalBasis: string | undefined;
  readonly payment: PaymentAccount | undefined;
}

const ISSUED = new Set(['ISSUED', 'PUBLISHED', 'EXEMPTED', 'CORRECTED', 'WITHDRAWN']);

export function CaseProcedure({ file, onChanged }: { file: CaseFile; onChanged: () => void }) {
  const { api, session } = useApp();
  const c = file.case;
  const pc = c as typeof c & ProcedureCase;
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  // The form mounts anew on a reload, so that a saved draft is what it shows.
  const [formKey, setFormKey] = useState(0);
  const mayRecordPayment = session?.groups.some((g) => g === 'officer' || g === 'leader' || g === 'admin') ?? false;
  const mayAct = c.status === 'OPEN' && (session?.groups.some((g) => g === 'officer' || g === 'leader' || g === 'admin') ?? false);

  const load = useCallback(async () => {
    const path = { params: { path: { id: c.id } } };
    const [d, st, sv] = await Promise.all([
      // No decision yet (the case says so): not asked for, so a new case's page logs no 404.
      file.decision === null ? Promise.resolve(undefined) : result<DecisionRecord>(api.GET('/cases/{id}/decision', path)),
      result<{ items: StatementInfo[] }>(api.GET('/cases/{id}/statements', path)),
      result<{ items: ServiceInfo[] }>(api.GET('/cases/{id}/services', path)),
    ]);
    if (d && !d.ok && d.error.status !== 404) return setError(d.error);
    const decision = d?.ok ? d.data : undefined;
    // A new draft takes its legal basis from the power-list item (设定依据).
    let legalBasis: string | undefined;
    if (!decision) {
      // The item's version in force on the filing date, as the case was filed under it.
      const p = await result<{ current: { content?: { legalBasis?: string } } | null }>(api.GET('/powers/{code}', { params: { path: { code: c.powerCode }, query: { asOf: c.filingDate } } }));
      legalBasis = p.ok ? p.data.current?.content?.legalBasis : undefined;
    }
    let payment: PaymentAccount | undefined;
    if (decision && ISSUED.has(decision.status) && documentGenerated(decision.draft) && decision.draft.penalties?.includes('FINE')) {
      const pay = await result<PaymentAccount>(api.GET('/cases/{id}/payments', path));
      payment = pay.ok ? pay.data : undefined;
    }
    setError(undefined);
    setLoaded({ decision, statements: st.ok ? st.data.items : [], services: sv.ok ? sv.data.items : [], legalBasis, payment });
  }, [api, c.id, c.powerCode, c.filingDate, file.decision === null]);

  useEffect(() => {
    void load();
  }, [load, c.version]);

  // After a step the draft form starts again from the record; after its own save it stays (with its 已保存).
  const changed = (remount = true) => {
    onChanged();
    void load().then(() => remount && setFormKey((k) => k + 1));
  };
  const stepDone = () => changed();

  if (error) return <ErrorNote error={error} title="无法读取决定草稿" />;
  if (!loaded) return <Loading what="决定草稿" />;

  const { decision, statements, services } = loaded;
  const today = shanghaiDate(new Date());
  const general = decision !== undefined && documentGenerated(decision.draft);
  const steps = procedureSteps({ c: pc, decisionStatus: decision?.status, general, inReviewScope: decision?.scope.inScope ?? false, statements, today });
  const current = steps.find((s) => s.state === 'current')?.key;
  const editable = mayAct && (decision === undefined || EDITABLE_STATUSES.includes(decision.status));
  const notice = pc.notice;

  return (
    <section class="panel case-procedure" aria-labelledby="part-procedure">
      <h2 id="part-procedure">决定与处罚程序</h2>
      {editable ? (
        <DecisionForm
          key={formKey}
          caseId={c.id}
          decision={decision}
          initial={() => (decision ? draftFromSaved(decision.draft) : draftFromCase({ ...c, legalBasis: loaded.legalBasis }, today))}
          onSaved={() => changed(false)}
        />
      ) : decision ? (
        <p class="scope">{scopeText(decision.scope, decision.status)}</p>
      ) : (
        <p class="muted">尚未起草决定。</p>
      )}

      <h3>程序步骤</h3>
      <StepList steps={steps} />
      <Services items={services} />
      <Statements caseId={c.id} items={statements} mayAct={mayAct} onDone={stepDone} />

      {mayAct && current === 'notice' ? <NoticeStep caseId={c.id} caseVersion={c.version} onDone={stepDone} /> : null}
      {mayAct && current === 'service' && notice ? (
        <ServiceStep caseId={c.id} notice={notice} officerIds={c.handlingOfficerIds} recipient={c.party.legalRepresentative ?? c.party.name} place={c.party.address ?? ''} onDone={stepDone} />
      ) : null}
      {mayAct && current === 'statement' && notice?.servedOn && !notice.waivedOn ? <StatementStep caseId={c.id} onDone={stepDone} /> : null}
      {mayAct && notice?.servedOn && notice.hearingOffered && !notice.waivedOn && (pc.hearing === undefined ? current === 'statement' || current === 'hearing' : pc.hearing.status === 'REQUESTED' || pc.hearing.status === 'ARRANGED') ? (
        <HearingStep caseId={c.id} caseVersion={c.version} requested={pc.hearing !== undefined} onDone={stepDone} />
      ) : null}
      {mayAct && decision?.status === 'DRAFT' && decision.scope.inScope && current === 'review' ? (
        <ReviewSubmit caseId={c.id} version={decision.version} onDone={stepDone} />
      ) : null}
      {loaded.payment ? (
        <p class="payment-state">
          罚款 {loaded.payment.fine} 元：{loaded.payment.statusLabel}
          {loaded.payment.dueDate ? `，缴款期限 ${loaded.payment.dueDate}` : ''}；尚欠 {loaded.payment.outstanding} 元（含加处罚款 {loaded.payment.surcharge} 元）。
        </p>
      ) : null}
      {loaded.payment && loaded.payment.status !== 'PAID' && decision?.paymentReference && c.status !== 'CLOSED' && mayRecordPayment ? (
        <PaymentStep caseId={c.id} paymentReference={decision.paymentReference} outstanding={loaded.payment.outstanding} onDone={stepDone} />
      ) : null}
    </section>
  );
}
