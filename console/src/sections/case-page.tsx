/**
 * A case (issue 16, point 2): the case itself, its acts and the other steps on record (the timeline),
 * the acts that still lack the recording they need (R3, R5, N7), its evidence and documents; officers
 * record an act here. A case of another agency answers 403 with the API's reason, shown as is.
 * The parts are case-parts.tsx's, shared with the review page.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { Link, Loading, ErrorNote, PageHeading } from '../components.tsx';
import type { ApiError } from '../lib/errors.ts';
import { href, type Route } from '../lib/routes.ts';
import { ActForm } from './act-form.tsx';
import { EvidencePanel } from './evidence-panel.tsx';
import { CaseProcedure } from './case-procedure.tsx';
import { IssueDecision } from './decision-issue.tsx';
import { CaseFacts, Documents, Gaps, Timeline, caseStatusLabel, loadCaseFile, type CaseFile } from './case-parts.tsx';

export default function CasePage({ route }: { route: Route }) {
  const { api, session } = useApp();
  const id = route.name === 'case' ? route.id : '';
  const [file, setFile] = useState<CaseFile | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  const load = useCallback(async () => {
    const r = await loadCaseFile(api, id);
    if (r.ok) setFile(r.data);
    else setError(r.error);
  }, [api, id]);

  useEffect(() => {
    setFile(undefined);
    setError(undefined);
    void load();
  }, [load]);

  if (error) {
    return (
      <section>
        <PageHeading title={error.status === 403 ? '无权查看此案件' : error.status === 404 ? '案件不存在' : '无法打开案件'} />
        <ErrorNote error={error} />
        <p>
          <Link href={href.myCases()}>返回我的案件</Link>
        </p>
      </section>
    );
  }
  if (!file) return <Loading what="案件" />;

  const c = file.case;
  const mayRecord = c.status !== 'CLOSED' && (session?.groups.some((g) => g === 'officer' || g === 'leader' || g === 'admin') ?? false);

  return (
    <article class="case">
      <p class="breadcrumb">
        <Link href={href.myCases()}>我的案件</Link> › {c.caseNo}
      </p>
      <PageHeading title={`案件 ${c.caseNo}`}>
        <p class="lead">
          <span class={`status status-${c.status.toLowerCase()}`}>{caseStatusLabel(c.status)}</span> {c.summary}
        </p>
      </PageHeading>

      <CaseFacts c={c} decision={file.decision} />
      <Gaps value={file.gaps} />
      <Timeline value={file.timeline} />
      <EvidencePanel value={file.evidence} />
      <Documents value={file.documents} />
      <CaseProcedure file={file} onChanged={() => void load()} />
      <IssueDecision file={file} onIssued={() => void load()} />

      {mayRecord ? <ActForm caseId={c.id} agencyId={c.agencyId} onRecorded={() => void load()} /> : null}
    </article>
  );
}
