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

export interface TimelineEvent {
  readonly type: string;
  readonly label: string;
  readonly at: string;
  readonly by: string;
  readonly details?: Readonly<Record<string, unknown>>;
}
