/**
 * The hearing's state and the gate at issue (P3), without zod: the issue gate (procedure-gate.ts) needs
 * these at every cold start of the cases function, the hearing's schemas (hearing.ts) only on its routes.
 */
import type { HearingState } from './hearing.ts';
import { shanghaiDateTime } from './shanghai-time.ts';

export const HEARING_STATUSES = ['REQUESTED', 'ARRANGED', 'HELD', 'WITHDRAWN'] as const;
export type HearingStatus = (typeof HEARING_STATUSES)[number];
export const HEARING_STATUS_LABELS: Record<HearingStatus, string> = { REQUESTED: '已申请', ARRANGED: '已安排', HELD: '已举行', WITHDRAWN: '已撤回' };

export const hearingEnded = (h: Pick<HearingState, 'status'>): boolean => h.status === 'HELD' || h.status === 'WITHDRAWN';

/** The hearing's date-time as documents write it: 2026年12月15日上午9时30分 (Asia/Shanghai). */
export function chineseDateTime(at: string): string {
  const local = shanghaiDateTime(new Date(at));
  const [year, month, day, hour, minute] = [local.slice(0, 4), Number(local.slice(5, 7)), Number(local.slice(8, 10)), Number(local.slice(11, 13)), Number(local.slice(14, 16))];
  const half = hour < 12 ? '上午' : '下午';
  const h12 = hour <= 12 ? hour : hour - 12;
  return `${year}年${month}月${day}日${half}${h12}时${minute ? `${minute}分` : ''}`;
}

export type HearingGateProblem = { readonly code: 'HEARING_PENDING' | 'HEARING_NOT_IN_DRAFT'; readonly message: string };

/** A requested hearing blocks the decision until it is held or withdrawn; a held one must be in the draft (review scope). */
export function hearingGateProblem(h: HearingState | undefined, draftHearingHeld: boolean): HearingGateProblem | undefined {
  if (!h) return undefined;
  if (!hearingEnded(h)) {
    return {
      code: 'HEARING_PENDING',
      message: `当事人已于 ${h.request.receivedOn} 要求听证（${HEARING_STATUS_LABELS[h.status]}${h.arrangement ? `，定于 ${chineseDateTime(h.arrangement.at)}` : ''}）：听证结束或当事人撤回申请前不得作出决定（P3）`,
    };
  }
  if (h.status === 'HELD' && !draftHearingHeld) {
    return {
      code: 'HEARING_NOT_IN_DRAFT',
      message: `本案已于 ${h.held?.heldOn ?? ''} 举行听证，决定草稿须注明“经过听证程序”（hearingHeld: true）：此类决定须经法制审核和集体讨论（N8）`,
    };
  }
  return undefined;
}
