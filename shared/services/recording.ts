/**
 * Required recordings (R3, R5, N7): which acts of a case lack the sealed recording the audio/video item
 * list asks for, the admins' explained exceptions, and the check that submitting a decision for review
 * and issuing it make. Reads the Cases table only (no S3, no KMS), so the cases and reviews functions
 * can run the check without the evidence code.
 */
import type { Act } from '../domain/case.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { recordingGaps } from '../domain/recording-rules.ts';
import type { RecordingException, RecordingExceptionBody, RecordingGap } from '../domain/recording-rules.ts';
import { actsOf, getCase } from '../store/cases.ts';
import * as store from '../store/evidence.ts';
import { commit } from '../store/transact.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';

const nowOf = (ctx: ActionContext) => ctx.now ?? new Date();

export async function findAct(caseId: string, actId: string): Promise<Act | undefined> {
  return (await actsOf(caseId)).find((a) => a.id === actId);
}


export interface RecordingReport {
  readonly caseId: string;
  readonly gaps: RecordingGap[];
  readonly exceptions: RecordingException[];
}

export async function recordingReport(caseId: string): Promise<RecordingReport> {
  const [acts, evidence, exceptions] = await Promise.all([actsOf(caseId), store.allCaseEvidence(caseId), store.recordingExceptions(caseId)]);
  const gaps = recordingGaps(acts, evidence, new Set(exceptions.map((x) => x.actId)));
  return { caseId, gaps, exceptions };
}

/** Submitting a decision for review, or issuing it, needs every required recording (or an exception). */
export async function assertRecordingComplete(caseId: string): Promise<void> {
  const { gaps } = await recordingReport(caseId);
  if (gaps.length === 0) return;
  throw new ConflictError(
    'RECORDING_INCOMPLETE',
    `有 ${gaps.length} 项执法行为缺少须有的音像记录：补传并封存证据，或由管理员记录情况说明后再办理`,
    gaps.map((g) => ({ path: `act ${g.actId}`, message: g.message, actId: g.actId, requires: g.requires })),
  );
}

export async function addRecordingException(ctx: ActionContext, caseId: string, body: RecordingExceptionBody): Promise<RecordingException> {
  // A closed case's file is complete and read-only (P8).
  const c = await getCase(caseId);
  if (c?.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', `案件 ${c.caseNo} 已结案，不能再登记情况说明`);
  const act = await findAct(caseId, body.actId);
  if (!act) throw new NotFoundError(`本案没有执法行为 ${body.actId}`, 'ACT_NOT_FOUND');
  const x: RecordingException = { ...body, caseId, recordedBy: ctx.identity.name, recordedAt: nowOf(ctx).toISOString() };
  const write = { ...store.putRecordingException(x), onConditionFailed: () => new ConflictError('EXCEPTION_EXISTS', '该执法行为已有情况说明') };
  await commit(commitContext(ctx), [write], [
    { action: 'case.recording-exception', entityType: 'Case', entityId: caseId, change: { actId: body.actId, actType: act.type, reason: body.reason } },
  ]);
  return x;
}
