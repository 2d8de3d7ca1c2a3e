/** The stored decision and the case timeline's events. */
import { canonicalJson, sha256Hex } from './audit.ts';
import type { DecisionDraftBody, DecisionStatus, DisclosurePeriod, ReviewScope } from './decision.ts';
import type { ProvisionalNote } from './working-days.ts';

export type DecisionDraft = Omit<DecisionDraftBody, 'version'>;

export interface PublicationDue {
  readonly dueDate: string;
  readonly workingDays: number;
  readonly rule: string;
  readonly skipped: readonly { date: string; reason: string }[];
  readonly adjustedWorkdays: readonly { date: string; reason: string }[];
  /** Counted Monday–Friday in a year without holiday data: recomputed once the year is entered. */
  readonly provisional?: ProvisionalNote;
}

export interface Decision {
  readonly caseId: string;
  /** Id of the public record: not the case id, so the public API reveals nothing internal. */
  readonly publicId: string;
  readonly status: DecisionStatus;
  readonly version: number;
  readonly draft: DecisionDraft;
  /** SHA-256 of the draft's canonical form: a passed review covers exactly this draft (L1). */
  readonly draftHash: string;
  readonly scope: ReviewScope;
  readonly publicationDue?: PublicationDue;
  /**
   * The generated 行政处罚决定书 of a general-procedure penalty (P7): its number is the decision's number
   * on the public record, and its text (`servedText`) is what publication redacts and compares against.
   */
  readonly document?: { readonly id: string; readonly documentNo: string; readonly sha256: string };
  readonly servedText?: string;
  /** The reference the party quotes when paying at the designated bank (P5, 罚缴分离). */
  readonly paymentReference?: string;
  readonly issuedAt?: string;
  readonly issuedBy?: string;
  readonly publishedAt?: string;
  readonly publicationDate?: string;
  readonly disclosure?: DisclosurePeriod & { readonly endsOn: string };
  readonly publicVersion?: number;
  readonly exemption?: { ground: string; approver: string; note: string; at: string; by: string };
  readonly corrections: readonly { at: string; reason: string; by: string; publicVersion: number }[];
  readonly withdrawal?: { ground: string; changedOn: string; reason: string; at: string; by: string; dueDate: string; onTime: boolean; provisional?: ProvisionalNote };
  /** N4: the decision was changed, revoked or found unlawful; its record must come down by `dueDate`. */
  readonly pendingWithdrawal?: { ground: string; changedOn: string; reason: string; at: string; by: string; dueDate: string; provisional?: ProvisionalNote };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const draftHash = (draft: DecisionDraft): string => sha256Hex(canonicalJson(draft));

/** The number the decision goes by: its generated 决定书's, else the one the draft gives. */
export const decisionNumber = (d: Pick<Decision, 'document' | 'draft'>): string => d.document?.documentNo ?? d.draft.decisionNo ?? '（作出决定时生成文号）';

/** The text served on the party: the generated 决定书, else the draft's document text. */
export const servedText = (d: Pick<Decision, 'servedText' | 'draft'>): string => d.servedText ?? d.draft.documentText ?? '';

export interface TimelineEvent {
  readonly type: string;
  readonly label: string;
  readonly at: string;
  readonly by: string;
  readonly details?: Readonly<Record<string, unknown>>;
}
