/**
 * 作出决定: the leader issues the decision on the case page (L1, P7). A decision within the legal-review
 * scope is refused by the API until its review has passed (the refusal is shown as it comes); a
 * general-procedure penalty's 决定书 is generated and numbered now, and appears among the documents.
 */
import { useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { result } from '../api/client.ts';
import { Confirm, FormAlert } from '../forms.tsx';
import type { ApiError } from '../lib/errors.ts';
import { fieldErrors } from '../lib/errors.ts';
import type { CaseFile } from './case-parts.tsx';

/** The statuses from which a decision may be issued (the API decides whether the review allows it). */
const ISSUABLE = new Set(['DRAFT', 'REVIEW_PASSED']);

export function IssueDecision({ file, onIssued }: { file: CaseFile; onIssued: () => void }) {
  const { api, session } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [issued, setIssued] = useState<string | undefined>();
  const status = file.decision?.status;
  if (!session?.groups.includes('leader') || (!issued && (status === undefined || !ISSUABLE.has(status)))) return null;

  const issue = async () => {
    setBusy(true);
    setError(undefined);
    const path = { params: { path: { id: file.case.id } } };
    // The version as it is now: the confirmation is about the draft on record, not an older copy.
    const draft = await result<{ version: number }>(api.GET('/cases/{id}/decision', path));
    const r = draft.ok ? await result<{ decisionNo?: string }>(api.POST('/cases/{id}/decision/issue', { ...path, body: { version: draft.data.version } })) : draft;
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      if (r.error.status !== 401) setError(r.error);
      return;
    }
    setIssued(r.data.decisionNo ?? '');
    onIssued();
  };

  return (
    <section class="panel decision-issue" aria-labelledby="issue-heading">
      <h2 id="issue-heading">作出决定</h2>
      {issued !== undefined ? (
        <p class="success" role="status">
          已作出决定{issued ? `，决定书文号 ${issued}` : ''}。决定书已列入文书，请依法送达；公示期限自即日起计算。
        </p>
      ) : (
        <>
          <p>
            {status === 'REVIEW_PASSED' ? '法制审核已通过。' : '属于法制审核范围的决定，须审核通过后方可作出。'}
            作出决定后，决定书即生成并编号，不能再修改草稿。
          </p>
          {error ? <FormAlert error={error} errors={fieldErrors(error, [])} title="未能作出决定" /> : null}
          {confirming ? (
            <Confirm
              title="确认作出决定"
              text={`您将以负责人身份对案件 ${file.case.caseNo} 作出决定。决定书将生成并编号，此后只能依法更正或撤销；作出决定的记录将载明您的姓名和时间。`}
              busy={busy}
              confirmLabel="确认作出决定"
              onConfirm={() => void issue()}
              onCancel={() => setConfirming(false)}
            />
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              作出决定
            </button>
          )}
        </>
      )}
    </section>
  );
}
