/** The stored legal review: one per submission, continuing through returns and resubmissions (L1–L7). */
import type { ProvisionalNote } from './working-days.ts';
import type { ChecklistPoint, OpinionOutcome } from './review.ts';
import type { ReviewScope } from './decision.ts';
import type { WorkflowState } from './review-workflow.ts';

export const REVIEW_STATUSES = ['IN_PROGRESS', 'PASSED', 'REJECTED', 'NOT_REQUIRED', 'FAILED', 'WITHDRAWN'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface Opinion {
  readonly id: string;
  readonly at: string;
  readonly reviewerId: string;
  readonly reviewerName: string;
  readonly outcome: OpinionOutcome;
  readonly checklist: Record<ChecklistPoint, { passed: boolean; issue?: string; comment?: string }>;
  readonly documentsComplete: boolean;
  readonly suspectedCrime: boolean;
  readonly opinion: string;
  readonly requestedMaterials: readonly string[];
}

export interface Review {
  readonly id: string;
  readonly caseId: string;
  readonly caseNo: string;
  readonly agencyId: string;
  /** The draft under review: a pass opens the gate for exactly this draft (L1). */
  readonly draftHash: string;
  readonly decisionNo: string;
  readonly status: ReviewStatus;
  readonly step: WorkflowState;
  readonly executionId?: string;
  /** The token of the human step the review waits in; never shown to users. */
  readonly taskToken?: string;
  readonly scope: ReviewScope;
  readonly materials: readonly string[];
  readonly missing: readonly string[];
  readonly reviewerId?: string;
  readonly reviewerName?: string;
  readonly assignments: readonly { at: string; reviewerId: string; reviewerName: string; by: string; reason: string }[];
  readonly opinionDueDate?: string;
  /** The opinion's due date was counted Monday–Friday (a year without holiday data): how to recount it. */
  readonly opinionDueProvisional?: ProvisionalNote & { readonly start: string; readonly workingDays: number };
  readonly opinions: readonly Opinion[];
  readonly supplements: readonly { id: string; at: string; by: string; materials: readonly string[]; note: string }[];
  readonly coordination: readonly { id: string; at: string; by: string; response: 'ACCEPT' | 'DISPUTE'; reason: string }[];
  readonly discussions: readonly {
    id: string;
    at: string;
    recordedBy: string;
    date: string;
    chair: string;
    participants: readonly { name: string; role: 'LEADER' | 'MEMBER'; view: string }[];
    decision: 'APPROVE' | 'REJECT';
    summary: string;
  }[];
  readonly approval?: { id: string; at: string; by: string; decision: 'APPROVE' | 'OVERRIDE' | 'REJECT'; reason?: string };
  readonly escalations: readonly { at: string; step: string; reason: string }[];
  readonly submittedBy: string;
  readonly submittedById: string;
  readonly submittedAt: string;
  readonly version: number;
  readonly updatedAt: string;
}

/** The review as users see it: no task token. */
export function reviewView(r: Review) {
  const { taskToken: _t, ...rest } = r;
  return rest;
}
