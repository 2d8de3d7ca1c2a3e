/**
 * The daily deadline check (D7, D11, N4, N5, N9, N11, D5): what is due soon or overdue, per agency, as
 * one digest a day. Pure: the items are built by shared/services/deadlines.ts from sparse due-date
 * queues; this module says what each item is and how the digest reads.
 */
import type { ProvisionalNote } from './working-days.ts';

export const DEADLINE_KINDS = ['PUBLICATION', 'WITHDRAWAL', 'CASE_LIMIT', 'SERVICE', 'PAYMENT', 'REVIEW_OPINION', 'CERTIFICATE', 'DISCLOSURE_ENDED', 'UPLOAD_ABANDONED', 'HOLIDAY_DATA'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = {
  PUBLICATION: '决定公示',
  WITHDRAWAL: '撤下公示（3 个工作日）',
  CASE_LIMIT: '办案期限（90 日）',
  SERVICE: '决定书送达（7 日）',
  PAYMENT: '罚款缴纳（15 日，逾期加处罚款）',
  REVIEW_OPINION: '法制审核意见',
  CERTIFICATE: '执法证件有效期',
  DISCLOSURE_ENDED: '公示期届满',
  UPLOAD_ABANDONED: '未完成的证据上传',
  HOLIDAY_DATA: '节假日数据',
};

/** DUE_SOON: within the warning window; OVERDUE: past it; DONE: the check acted (expired, aborted). */
export type DeadlineState = 'DUE_SOON' | 'OVERDUE' | 'DONE';

export interface DeadlineItem {
  readonly kind: DeadlineKind;
  readonly state: DeadlineState;
  /** `*` for bureau-wide items (holiday data). */
  readonly agencyId: string;
  /** The case, review, officer, public record or evidence the item is about. */
  readonly subjectId: string;
  readonly caseNo?: string;
  readonly dueDate: string;
  /** Calendar days from the check's date to the due date (negative: overdue by that many). */
  readonly daysLeft: number;
  /** For working-day deadlines (publication, review opinion): working days left, likewise. */
  readonly workingDaysLeft?: number;
  /** The due date was counted Monday–Friday: a year's holiday arrangement is still missing. */
  readonly provisional?: ProvisionalNote;
  /** HOLIDAY_DATA: how many live deadlines are provisional. */
  readonly provisionalCount?: number;
  /** One line, zh-CN, for the digest. */
  readonly text: string;
}

export interface Digest {
  readonly date: string;
  readonly agencyId: string;
  readonly agencyName: string;
  readonly items: readonly DeadlineItem[];
  readonly counts: Readonly<Partial<Record<DeadlineKind, number>>>;
}

const ORDER: Record<DeadlineState, number> = { OVERDUE: 0, DUE_SOON: 1, DONE: 2 };

/** One digest per agency that has anything due; items overdue first, then by due date. */
export function digests(date: string, items: readonly DeadlineItem[], agencyNames: ReadonlyMap<string, string>): Digest[] {
  const byAgency = new Map<string, DeadlineItem[]>();
  for (const item of items) byAgency.set(item.agencyId, [...(byAgency.get(item.agencyId) ?? []), item]);
  return [...byAgency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([agencyId, list]) => {
      const sorted = [...list].sort((a, b) => ORDER[a.state] - ORDER[b.state] || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) || (a.subjectId < b.subjectId ? -1 : 1));
      const counts: Partial<Record<DeadlineKind, number>> = {};
      for (const i of sorted) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
      return { date, agencyId, agencyName: agencyId === '*' ? '全局' : (agencyNames.get(agencyId) ?? agencyId), items: sorted, counts };
    });
}

/** The digest as an e-mail body (zh-CN, plain text). */
export function digestText(d: Digest): string {
  const lines = [`${d.agencyName} 执法监督提醒（${d.date}）`, ''];
  for (const kind of Object.keys(d.counts) as DeadlineKind[]) {
    lines.push(`【${DEADLINE_KIND_LABELS[kind]}】${d.counts[kind]} 项`);
    for (const i of d.items.filter((x) => x.kind === kind)) lines.push(`  · ${i.text}`);
    lines.push('');
  }
  lines.push('详见系统“合规提醒”（GET /compliance/deadlines）。');
  return lines.join('\n');
}
