/**
 * How a case ended without a penalty (P8), in words, without zod: issuing and drafting check it at every
 * cold start of the cases function; the ending's schemas (closing.ts) load only with its routes.
 */
import type { Case } from './case.ts';
import type { CaseEnding } from './closing.ts';

export const ENDING_KINDS = ['NO_PENALTY', 'TRANSFER', 'CANCEL_FILING'] as const;
export type EndingKind = (typeof ENDING_KINDS)[number];
export const ENDING_LABELS: Record<EndingKind, string> = { NO_PENALTY: '不予行政处罚', TRANSFER: '移送', CANCEL_FILING: '撤销立案' };

export const NO_PENALTY_GROUNDS = ['NOT_ESTABLISHED', 'MINOR_CORRECTED', 'FIRST_VIOLATION', 'NO_FAULT', 'TIME_BARRED', 'OTHER'] as const;
export type NoPenaltyGround = (typeof NO_PENALTY_GROUNDS)[number];
export const NO_PENALTY_GROUND_LABELS: Record<NoPenaltyGround, string> = {
  NOT_ESTABLISHED: '违法事实不成立',
  MINOR_CORRECTED: '违法行为轻微并及时改正，没有造成危害后果（APL 第三十三条第一款）',
  FIRST_VIOLATION: '初次违法且危害后果轻微并及时改正（首违不罚，APL 第三十三条第一款）',
  NO_FAULT: '当事人有证据足以证明没有主观过错（APL 第三十三条第二款）',
  TIME_BARRED: '违法行为超过追责时效（APL 第三十六条）',
  OTHER: '其他依法不予行政处罚的情形',
};

export const TRANSFER_TARGETS = ['PUBLIC_SECURITY', 'COMPETENT_AUTHORITY', 'OTHER'] as const;
export type TransferTarget = (typeof TRANSFER_TARGETS)[number];
export const TRANSFER_TARGET_LABELS: Record<TransferTarget, string> = {
  PUBLIC_SECURITY: '公安机关（涉嫌犯罪）',
  COMPETENT_AUTHORITY: '有管辖权的行政机关',
  OTHER: '其他机关',
};


export type StateProblem = { readonly code: string; readonly message: string };

/** The ending in words, as the documents and timeline say it. */
export function endingInWords(e: CaseEnding): string {
  switch (e.kind) {
    case 'NO_PENALTY':
      return `${ENDING_LABELS.NO_PENALTY}：${NO_PENALTY_GROUND_LABELS[e.ground]}${e.firstViolationItem ? `（首违不罚清单 ${e.firstViolationItem.code}「${e.firstViolationItem.name}」）` : ''}`;
    case 'TRANSFER':
      return `移送${e.recipient}（${TRANSFER_TARGET_LABELS[e.target]}）`;
    case 'CANCEL_FILING':
      return ENDING_LABELS.CANCEL_FILING;
  }
}

/** A case that ended otherwise takes no penalty decision (409 CASE_ENDED). */
export function endedCaseProblem(c: Pick<Case, 'caseNo' | 'ending'>): StateProblem | undefined {
  return c.ending ? { code: 'CASE_ENDED', message: `案件 ${c.caseNo} 已以「${endingInWords(c.ending)}」终结，不能再起草或作出行政处罚决定` } : undefined;
}
