/**
 * The shapes of the answers the console reads, only the fields it uses: the internal API's document
 * (schema.d.ts) describes requests fully but most answers' bodies not yet (`unknown`). Request bodies
 * come from the document itself.
 */
import type { paths } from './schema.d.ts';
import type { CaseSummary } from '../lib/cases.ts';
import type { Group } from '../../../shared/domain/identity.ts';

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface CaseDetail extends CaseSummary {
  readonly powerCode: string;
  readonly category?: string;
  readonly party: CaseSummary['party'] & { readonly creditCode?: string; readonly idNumber?: string; readonly address?: string; readonly legalRepresentative?: string };
  readonly version: number;
}

export interface DecisionSummary {
  readonly status: string;
  readonly decisionNo?: string;
  readonly conclusion?: string;
}

export interface TimelineEntry {
  readonly at: string;
  readonly kind: string;
  readonly type: string;
  readonly label: string;
  readonly by?: string;
  readonly details?: Record<string, unknown>;
}

export interface RecordingGap {
  readonly actId: string;
  readonly actType: string;
  readonly at: string;
  readonly requires: string;
  readonly message: string;
}

export interface CaseDocument {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly documentNo: string;
  readonly date: string;
  readonly servedOn?: string;
  readonly serviceDueDate?: string;
}

export interface EvidenceSummary {
  readonly id: string;
  readonly actId?: string;
  readonly mediaType: string;
  readonly status: string;
}

export interface Agency {
  readonly id: string;
  readonly name: string;
}

export interface OfficerSummary {
  readonly id: string;
  readonly name: string;
  readonly agencyId: string;
  readonly certificateNo: string;
  readonly certificateStatus: string;
  readonly validUntil: string;
  readonly categories: string[];
}

export interface DeadlineItem {
  readonly kind: string;
  readonly state: string;
  readonly agencyId: string;
  readonly subjectId: string;
  readonly caseNo?: string;
  readonly dueDate: string;
  readonly daysLeft: number;
  readonly text: string;
}

// ---- 待审批 and 期限看板 (issue 16, point 4: leaders)

/** `GET /compliance/deadlines`: the check for one agency (or all, for the legal division). */
export interface DeadlineBoard {
  readonly date: string;
  readonly items: (DeadlineItem & { readonly workingDaysLeft?: number; readonly provisional?: unknown })[];
}

export interface AgencyListed extends Agency {
  readonly parentId?: string | null;
  readonly level?: string;
}

/** A reviewer's opinion on a review (shared/domain/review-record.ts Opinion). */
export interface LeaderReviewOpinion {
  readonly id: string;
  readonly at: string;
  readonly reviewerName: string;
  readonly outcome: string;
  readonly checklist: Record<string, { readonly passed: boolean; readonly issue?: string; readonly comment?: string }>;
  readonly documentsComplete: boolean;
  readonly suspectedCrime: boolean;
  readonly opinion: string;
  readonly requestedMaterials: readonly string[];
}

/** A review as `GET /reviews/awaiting-leaders` and `GET /reviews/{id}` answer it, the fields leaders read. */
export interface LeaderReview {
  readonly id: string;
  readonly caseId: string;
  readonly caseNo: string;
  readonly agencyId: string;
  readonly decisionNo: string;
  readonly status: string;
  readonly step: string;
  readonly stepLabel: string;
  readonly scope: { readonly inScope: boolean; readonly matched: readonly { readonly rule: string; readonly label: string }[]; readonly collectiveDiscussion: boolean };
  readonly materials: readonly string[];
  readonly reviewerName?: string;
  readonly opinions: readonly LeaderReviewOpinion[];
  readonly coordination: readonly { readonly at: string; readonly by: string; readonly response: 'ACCEPT' | 'DISPUTE'; readonly reason: string }[];
  readonly discussions: readonly { readonly date: string; readonly chair: string; readonly decision: 'APPROVE' | 'REJECT'; readonly participants: readonly { readonly name: string; readonly role: string; readonly view: string }[]; readonly summary: string }[];
  readonly approval?: { readonly at: string; readonly by: string; readonly decision: 'APPROVE' | 'OVERRIDE' | 'REJECT'; readonly reason?: string };
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly version: number;
  readonly updatedAt: string;
}

// ---- legal review (issue 16, point 3): GET /reviews, GET /reviews/{id}, GET /cases/{id}/decision

export interface ReviewOpinion {
  readonly id: string;
  readonly at: string;
  readonly reviewerName: string;
  readonly outcome: string;
  readonly opinion: string;
  readonly requestedMaterials: readonly string[];
}

/** A review as the API answers it (shared/domain/review-record.ts reviewView, with its step's label). */
export interface ReviewView {
  readonly id: string;
  readonly caseId: string;
  readonly caseNo: string;
  readonly agencyId: string;
  readonly decisionNo: string;
  readonly status: string;
  readonly step: string;
  readonly stepLabel: string;
  readonly reviewerId?: string;
  readonly reviewerName?: string;
  readonly opinionDueDate?: string;
  readonly materials: readonly string[];
  readonly missing: readonly string[];
  readonly opinions: readonly ReviewOpinion[];
  readonly supplements: readonly { readonly at: string; readonly by: string; readonly materials: readonly string[]; readonly note: string }[];
  readonly assignments: readonly { readonly at: string; readonly reviewerId: string; readonly reviewerName: string; readonly by: string; readonly reason: string }[];
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly version: number;
  readonly updatedAt: string;
}

/** The decision's draft as the reviewer reads it (shared/domain/decision.ts decisionDraftBody). */
export interface DecisionDetail {
  readonly status: string;
  readonly version: number;
  readonly draft: {
    readonly kind: string;
    readonly procedure: string;
    readonly decisionNo?: string;
    readonly conclusion: string;
    readonly penalties: readonly string[];
    readonly fine: string;
    readonly confiscatedValue: string;
    readonly violationType?: string;
    readonly legalBasis: string;
    readonly facts: string;
    readonly discretion: string;
    readonly hearingHeld: boolean;
    readonly decisionDate: string;
  };
}

export interface EvidenceItem extends EvidenceSummary {
  readonly fileName: string;
  readonly capturedAt: string;
  readonly collectorName: string;
  readonly proves: string;
}

/** One piece of evidence as `GET /cases/{id}/evidence` and `GET /evidence/{id}` give it (the fields the evidence panel reads). */
export interface EvidenceRecord extends EvidenceItem {
  readonly caseNo: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly capturePlace: { readonly text: string; readonly gps?: { readonly lat: number; readonly lon: number; readonly accuracyMeters?: number } };
  readonly collectorOfficerId: string;
  readonly deviceSerial: string;
  readonly rejectReason?: string;
  readonly sealedAt?: string;
  readonly retainUntil?: string;
  readonly manifest?: {
    readonly evidenceId: string;
    readonly caseNo: string;
    readonly sha256: string;
    readonly sizeBytes: number;
    readonly capturedAt: string;
    readonly capturePlace: { readonly text: string; readonly gps?: { readonly lat: number; readonly lon: number; readonly accuracyMeters?: number } };
    readonly collectorOfficerId: string;
    readonly proves: string;
    readonly mediaType: string;
    readonly sealedAt: string;
  };
  readonly signature?: { readonly keyId: string; readonly algorithm: string; readonly value: string };
  readonly legalHold?: { readonly on: boolean; readonly reason: string; readonly by: string; readonly at: string };
}

/** `GET /evidence/{id}`: the record and its checks (`hashMatches` only with `verifyHash=true`). */
export interface EvidenceVerification {
  readonly signatureValid: boolean | null;
  readonly manifestMatchesRecord: boolean | null;
  readonly objectPresent: boolean;
  readonly objectSizeMatches: boolean | null;
  readonly hashMatches?: boolean;
  readonly checkedAt: string;
}
export type EvidenceWithVerification = EvidenceRecord & { readonly verification: EvidenceVerification };

/** `POST /evidence/{id}/download-url`: the short-lived link (its access is on the chain of custody). */
export interface EvidenceLink {
  readonly url: string;
  readonly expiresAt: string;
  readonly fileName: string;
}

/** One event of `GET /audit/events` (admins), the part the custody log reads. */
export interface AuditEventItem {
  readonly action: string;
  readonly at: string;
  readonly actor: { readonly sub: string; readonly name: string; readonly groups: readonly string[] };
  readonly change: Record<string, unknown>;
}

/** 出具审核意见's body, as the API's document states it. */
export type OpinionRequest = paths['/reviews/{id}/opinion']['post']['requestBody']['content']['application/json'];

/** 记录执法行为's body, as the API's document states it. */
export type ActBody = paths['/cases/{id}/acts']['post']['requestBody']['content']['application/json'];

/** 立案's body, as the API's document states it, and the part of its answer the console reads. */
export type CreateCaseBody = paths['/cases']['post']['requestBody']['content']['application/json'];
export interface CreatedCase {
  readonly id: string;
  readonly caseNo: string;
}

// ---- 公示管理 (issue 16, point 5; D7–D11): GET /cases/{id}/decision as the publication page reads it

/** shared/domain/decision-record.ts Decision, the fields the publication page reads. */
export interface PublicationDecisionView {
  readonly caseId: string;
  readonly publicId: string;
  readonly status: string;
  readonly version: number;
  readonly draft: {
    readonly kind: string;
    readonly decisionNo?: string;
    readonly conclusion: string;
    readonly penalties: readonly string[];
    readonly fine: string;
    readonly violationType?: string;
    readonly legalBasis: string;
    readonly decisionDate: string;
  };
  readonly document?: { readonly documentNo: string };
  readonly publicationDue?: { readonly dueDate: string };
  readonly issuedAt?: string;
  readonly publicationDate?: string;
  readonly disclosure?: { readonly endsOn: string; readonly reason: string };
  readonly publicVersion?: number;
  readonly corrections: readonly { readonly at: string; readonly reason: string; readonly by: string; readonly publicVersion: number }[];
  readonly exemption?: { readonly ground: string; readonly approver: string; readonly note: string };
  readonly withdrawal?: { readonly ground: string; readonly reason: string; readonly changedOn: string };
  readonly pendingWithdrawal?: { readonly ground: string; readonly dueDate: string };
}

/** One person of `GET /local/people` (local mode's sign-in page). */
export interface DemoPerson {
  readonly sub: string;
  readonly name: string;
  readonly groups: readonly Group[];
  readonly agencyId: string;
  readonly agencyName: string;
  readonly role: Group;
  readonly officerId?: string;
  readonly certificateNo?: string;
}
