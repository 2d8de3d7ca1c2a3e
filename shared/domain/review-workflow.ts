/**
 * The contract between `statemachines/legal-review.asl.json` (重大执法决定法制审核, L1–L7, N8–N10) and
 * the code around it: the one Lambda function that runs every Task, the HTTP routes that complete the
 * human steps (task-token callbacks) and the local runner (`local/workflows.ts`).
 *
 * - Every Task state invokes the same function (`${ReviewTaskFunctionArn}`) with a {@link ReviewTaskPayload}:
 *   `{ task, step, reviewId, executionId, ...task fields, taskToken? }`. `task` picks the handler,
 *   `step` is the state's name (what the HTTP layer shows as the review's current step).
 * - Lambda tasks return a {@link ReviewTaskResults}[task]; the ASL keeps only the listed fields
 *   (`ResultSelector`), so a handler that omits one fails the execution with `States.Runtime`.
 * - Callback tasks (`.waitForTaskToken`): the handler stores `taskToken` with the review and returns;
 *   the step ends when a route calls SendTaskSuccess with a {@link ReviewCallbackOutputs}[task] (validate
 *   it with {@link callbackOutputSchemas} first), or SendTaskFailure, or when the step times out.
 *
 * The lint test (test/unit/legal-review-asl.test.ts) checks the ASL against the names and numbers here.
 * Pure: no I/O.
 */
import * as z from './z.ts';
import { OPINION_OUTCOMES, type OpinionOutcome } from './review.ts';

export { OPINION_OUTCOMES, type OpinionOutcome };

/** `statemachines/<name>.asl.json`. */
export const REVIEW_WORKFLOW_NAME = 'legal-review';

/**
 * The `${...}` placeholders in the ASL, substituted before use (CDK `definitionSubstitutions`; the local
 * loader). Only strings: numbers are literals in the file, see {@link withTaskTimeouts}.
 */
export const REVIEW_WORKFLOW_PLACEHOLDERS = ['ReviewTaskFunctionArn'] as const;
export type ReviewWorkflowPlaceholder = (typeof REVIEW_WORKFLOW_PLACEHOLDERS)[number];

// ---------------------------------------------------------------- outcomes

/** Coordination (L6): the handling division accepts the reviewer's AMEND/DISAGREE or disputes it. */
export const COORDINATION_RESPONSES = ['ACCEPT', 'DISPUTE'] as const;
export type CoordinationResponse = (typeof COORDINATION_RESPONSES)[number];

/** Collective discussion (集体讨论, N8 / L6): recorded, not routed on; the leader's approval follows. */
export const COLLECTIVE_DECISIONS = ['APPROVE', 'REJECT'] as const;
export type CollectiveDecision = (typeof COLLECTIVE_DECISIONS)[number];

/**
 * Leader approval (L7): APPROVE as reviewed; OVERRIDE the review's conclusion (reason required, the
 * leader's responsibility) — the review still passes; REJECT: the leader refuses the decision.
 */
export const LEADER_DECISIONS = ['APPROVE', 'OVERRIDE', 'REJECT'] as const;
export type LeaderDecision = (typeof LEADER_DECISIONS)[number];

/** What the review ended with; NOT_REQUIRED when the decision is outside the catalogue (no RecordOutcome). */
export const REVIEW_RESULTS = ['PASSED', 'REJECTED'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];

/** Why the handling division is asked to supplement: incomplete at submission, or returned by the reviewer. */
export const SUPPLEMENT_REASONS = ['MATERIALS_INCOMPLETE', 'RETURNED'] as const;
export type SupplementReason = (typeof SUPPLEMENT_REASONS)[number];

/**
 * Why a human step was escalated. `States.Timeout`: the step's TimeoutSeconds passed (for the opinion,
 * certainly past the N9 deadline). `States.HeartbeatTimeout`: nobody heartbeated the token for
 * HeartbeatSeconds — the token may be lost; the step is re-entered and a fresh token stored.
 */
export const ESCALATION_REASONS = ['States.Timeout', 'States.HeartbeatTimeout'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

// ---------------------------------------------------------------- tasks and states

export const REVIEW_TASKS = [
  'checkScope',
  'checkMaterials',
  'assignReviewer',
  'awaitSupplement',
  'awaitOpinion',
  'awaitCoordination',
  'awaitCollectiveDiscussion',
  'awaitLeaderApproval',
  'escalate',
  'recordOutcome',
  'recordFailure',
] as const;
export type ReviewTask = (typeof REVIEW_TASKS)[number];

/** Tasks run as `.waitForTaskToken` (a person completes them); their payload carries `taskToken`. */
export const CALLBACK_TASKS = ['awaitSupplement', 'awaitOpinion', 'awaitCoordination', 'awaitCollectiveDiscussion', 'awaitLeaderApproval'] as const;
export type CallbackTask = (typeof CALLBACK_TASKS)[number];
export type LambdaTask = Exclude<ReviewTask, CallbackTask>;

export const isCallbackTask = (task: ReviewTask): task is CallbackTask => (CALLBACK_TASKS as readonly string[]).includes(task);

/** Every state of the ASL, by role. The lint test checks that the file has exactly these. */
export const WORKFLOW_STATES = {
  CheckScope: 'CheckScope',
  ScopeDecision: 'ScopeDecision',
  NotRequired: 'NotRequired',
  CheckMaterials: 'CheckMaterials',
  MaterialsDecision: 'MaterialsDecision',
  AwaitMaterials: 'AwaitMaterials',
  EscalateMaterials: 'EscalateMaterials',
  AssignReviewer: 'AssignReviewer',
  AwaitOpinion: 'AwaitOpinion',
  EscalateOpinion: 'EscalateOpinion',
  OpinionDecision: 'OpinionDecision',
  CollectiveDiscussionRequired: 'CollectiveDiscussionRequired',
  AwaitSupplement: 'AwaitSupplement',
  EscalateSupplement: 'EscalateSupplement',
  AwaitCoordination: 'AwaitCoordination',
  EscalateCoordination: 'EscalateCoordination',
  CoordinationDecision: 'CoordinationDecision',
  AwaitCollectiveDiscussion: 'AwaitCollectiveDiscussion',
  EscalateCollectiveDiscussion: 'EscalateCollectiveDiscussion',
  AwaitLeaderApproval: 'AwaitLeaderApproval',
  EscalateLeaderApproval: 'EscalateLeaderApproval',
  ApprovalDecision: 'ApprovalDecision',
  RecordPassed: 'RecordPassed',
  RecordRejected: 'RecordRejected',
  Passed: 'Passed',
  Rejected: 'Rejected',
  InvalidResult: 'InvalidResult',
  RecordFailure: 'RecordFailure',
  Failed: 'Failed',
} as const;
export type WorkflowState = keyof typeof WORKFLOW_STATES;

/** The Task states and the task each one runs (the payload's `task`; the payload's `step` is the key). */
export const STATE_TASKS = {
  CheckScope: 'checkScope',
  CheckMaterials: 'checkMaterials',
  AwaitMaterials: 'awaitSupplement',
  EscalateMaterials: 'escalate',
  AssignReviewer: 'assignReviewer',
  AwaitOpinion: 'awaitOpinion',
  EscalateOpinion: 'escalate',
  AwaitSupplement: 'awaitSupplement',
  EscalateSupplement: 'escalate',
  AwaitCoordination: 'awaitCoordination',
  EscalateCoordination: 'escalate',
  AwaitCollectiveDiscussion: 'awaitCollectiveDiscussion',
  EscalateCollectiveDiscussion: 'escalate',
  AwaitLeaderApproval: 'awaitLeaderApproval',
  EscalateLeaderApproval: 'escalate',
  RecordPassed: 'recordOutcome',
  RecordRejected: 'recordOutcome',
  RecordFailure: 'recordFailure',
} as const satisfies Partial<Record<WorkflowState, ReviewTask>>;
export type TaskState = keyof typeof STATE_TASKS;

/** The human steps (callback states): where a review waits, and which route ends the wait. */
export const HUMAN_STEPS = ['AwaitMaterials', 'AwaitOpinion', 'AwaitSupplement', 'AwaitCoordination', 'AwaitCollectiveDiscussion', 'AwaitLeaderApproval'] as const;
export type HumanStep = (typeof HUMAN_STEPS)[number];

/** The escalation state each human step's timeout goes to; it returns to the same step. */
export const ESCALATION_STATES = {
  AwaitMaterials: 'EscalateMaterials',
  AwaitOpinion: 'EscalateOpinion',
  AwaitSupplement: 'EscalateSupplement',
  AwaitCoordination: 'EscalateCoordination',
  AwaitCollectiveDiscussion: 'EscalateCollectiveDiscussion',
  AwaitLeaderApproval: 'EscalateLeaderApproval',
} as const satisfies Record<HumanStep, WorkflowState>;

/** The route (`POST /reviews/{id}/<action>`) that completes each human step (409 naming the step otherwise). */
export const STEP_ACTIONS = {
  AwaitMaterials: 'supplement',
  AwaitOpinion: 'opinion',
  AwaitSupplement: 'supplement',
  AwaitCoordination: 'coordination',
  AwaitCollectiveDiscussion: 'collective-discussion',
  AwaitLeaderApproval: 'approval',
} as const satisfies Record<HumanStep, string>;

/** zh-CN labels of the states, for "current step" in the review view and in 409 messages. */
export const STATE_LABELS: Record<WorkflowState, string> = {
  CheckScope: '审核范围判定',
  ScopeDecision: '审核范围判定',
  NotRequired: '无需法制审核',
  CheckMaterials: '材料完整性检查',
  MaterialsDecision: '材料完整性检查',
  AwaitMaterials: '待承办机构补正材料',
  EscalateMaterials: '补正材料超期提醒',
  AssignReviewer: '分配审核人员',
  AwaitOpinion: '待审核人员出具审核意见',
  EscalateOpinion: '审核意见超期提醒',
  OpinionDecision: '审核意见处理',
  CollectiveDiscussionRequired: '审核意见处理',
  AwaitSupplement: '退回补充材料，待承办机构补充',
  EscalateSupplement: '补充材料超期提醒',
  AwaitCoordination: '待承办机构研究审核意见（协调）',
  EscalateCoordination: '协调超期提醒',
  CoordinationDecision: '协调结果处理',
  AwaitCollectiveDiscussion: '待集体讨论',
  EscalateCollectiveDiscussion: '集体讨论超期提醒',
  AwaitLeaderApproval: '待机关负责人审批',
  EscalateLeaderApproval: '负责人审批超期提醒',
  ApprovalDecision: '审批结果处理',
  RecordPassed: '记录审核结果',
  RecordRejected: '记录审核结果',
  Passed: '法制审核通过',
  Rejected: '负责人不同意作出决定',
  InvalidResult: '流程异常',
  RecordFailure: '流程异常',
  Failed: '流程异常终止',
};

// ---------------------------------------------------------------- timeouts (literals in the ASL)

/** Lambda tasks: above the function's own timeout (set in CDK), so a slow invocation is the function's error. */
export const LAMBDA_TASK_TIMEOUT_SECONDS = 60;

/**
 * Human steps: 23 calendar days. The N9 opinion deadline is 10 *working* days, computed exactly by the
 * awaitOpinion handler (working-days.ts) and watched by the daily deadline check; the longest calendar
 * span of 10 working days in the official calendars 2010–2026 is 22 days (e.g. 2023-09-15 → 2023-10-07,
 * across Mid-Autumn and National Day), so this timer never fires before the statutory deadline. 14 days
 * would. Below Node's 2^31 ms timer limit, so the local engine can time it too.
 */
export const HUMAN_STEP_TIMEOUT_SECONDS = 23 * 86_400;

/**
 * Human steps: 3 days without a heartbeat means the token is probably lost (its handler failed to
 * store it, or the review is not visible). The daily deadline check sends SendTaskHeartbeat for every
 * stored open token, so a live step never sees this; a lost one is escalated and re-entered (fresh token)
 * within 3 days. Tolerates one missed daily run.
 */
export const HUMAN_STEP_HEARTBEAT_SECONDS = 3 * 86_400;

export interface TaskTimeouts {
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
}

/** The part of an ASL definition {@link withTaskTimeouts} reads. */
export interface AslDefinitionLike {
  readonly States: { readonly [name: string]: object };
}

/**
 * A copy of `definition` with other TimeoutSeconds/HeartbeatSeconds for some Task states, e.g. the
 * opinion timeout for a catalogue with other `opinionWorkingDays`. The ASL keeps numeric literals so
 * that it stays valid JSON (a `${...}` substitution can only produce a string there); CDK passes the
 * result to `DefinitionBody.fromString`, the local runner to the engine. Refuses unknown states,
 * non-Task states, non-integers and a heartbeat not below the timeout.
 */
export function withTaskTimeouts<D extends AslDefinitionLike>(definition: D, overrides: Readonly<Record<string, TaskTimeouts>>): D {
  const states: Record<string, unknown> = { ...definition.States };
  for (const [name, timeouts] of Object.entries(overrides)) {
    const state = definition.States[name] as Readonly<Record<string, unknown>> | undefined;
    if (state === undefined) throw new Error(`withTaskTimeouts: no state named ${name}`);
    if (state['Type'] !== 'Task') throw new Error(`withTaskTimeouts: ${name} is a ${String(state['Type'])} state, not a Task`);
    const next = { ...state, ...timeouts };
    const timeout = next['TimeoutSeconds'];
    const heartbeat = next['HeartbeatSeconds'];
    for (const [field, value] of [['TimeoutSeconds', timeout], ['HeartbeatSeconds', heartbeat]] as const) {
      if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
        throw new Error(`withTaskTimeouts: ${name}.${field} must be a positive integer, got ${String(value)}`);
      }
    }
    if (typeof heartbeat === 'number' && !(typeof timeout === 'number' && heartbeat < timeout)) {
      throw new Error(`withTaskTimeouts: ${name}.HeartbeatSeconds (${heartbeat}) must be below TimeoutSeconds (${String(timeout)})`);
    }
    states[name] = next;
  }
  return { ...definition, States: states };
}

// ---------------------------------------------------------------- payloads

/**
 * The execution input. Start one execution per review (execution name: the review id). A review whose
 * human step lost its task token (an expired token on AWS, a local execution that did not survive) is
 * resumed by a new execution (name: {@link resumeExecutionName}) whose input names the step in `resume`
 * and carries what the states after it read: CheckScope then re-reads the review's stored scope and
 * ScopeDecision routes straight to the step.
 */
export interface ReviewWorkflowInput {
  readonly reviewId: string;
  readonly resume?: { readonly step: HumanStep };
  readonly materials?: ReviewTaskResults['checkMaterials'];
  readonly reviewer?: ReviewTaskResults['assignReviewer'];
  readonly opinion?: Pick<ReviewCallbackOutputs['awaitOpinion'], 'outcome'>;
}

export const isHumanStep = (step: string): step is HumanStep => (HUMAN_STEPS as readonly string[]).includes(step);

/** The input of an execution that resumes `review` at its human step (see {@link ReviewWorkflowInput}). */
export function resumeInput(review: {
  readonly id: string;
  readonly step: HumanStep;
  readonly missing: readonly string[];
  readonly reviewerId?: string;
  readonly opinions: readonly { readonly outcome: OpinionOutcome }[];
}): ReviewWorkflowInput {
  const lastOpinion = review.opinions.at(-1);
  return {
    reviewId: review.id,
    resume: { step: review.step },
    materials: { complete: review.missing.length === 0, missing: [...review.missing] },
    ...(review.reviewerId ? { reviewer: { reviewerId: review.reviewerId } } : {}),
    ...(lastOpinion ? { opinion: { outcome: lastOpinion.outcome } } : {}),
  };
}

/** A resuming execution's name: unique per attempt (AWS keeps names for 90 days), at most 80 characters. */
export const resumeExecutionName = (reviewId: string, nonce: string): string => `${reviewId}-resume-${nonce}`.slice(0, 80);

/** `{Error, Cause}` as a Catch puts it at `$.failure` / `$.timeout`. */
export interface StateError {
  readonly Error: string;
  readonly Cause?: string;
}

interface PayloadBase<T extends ReviewTask, S extends WorkflowState> {
  readonly task: T;
  /** The state that invoked the handler (for callbacks: the step the review is waiting in). */
  readonly step: S;
  readonly reviewId: string;
  /** `$$.Execution.Id`: lets a handler ignore a stale execution (a withdrawn and resubmitted review). */
  readonly executionId: string;
}
interface CallbackBase<T extends CallbackTask, S extends HumanStep> extends PayloadBase<T, S> {
  /** Store it with the review; SendTaskSuccess/Failure/Heartbeat with it. */
  readonly taskToken: string;
}

export type CheckScopePayload = PayloadBase<'checkScope', 'CheckScope'>;
export type CheckMaterialsPayload = PayloadBase<'checkMaterials', 'CheckMaterials'>;
export type AssignReviewerPayload = PayloadBase<'assignReviewer', 'AssignReviewer'>;
export type AwaitSupplementPayload =
  | (CallbackBase<'awaitSupplement', 'AwaitMaterials'> & { readonly reason: 'MATERIALS_INCOMPLETE'; readonly missing: readonly string[] })
  | (CallbackBase<'awaitSupplement', 'AwaitSupplement'> & { readonly reason: 'RETURNED' });
export type AwaitOpinionPayload = CallbackBase<'awaitOpinion', 'AwaitOpinion'> & { readonly reviewerId: string };
export type AwaitCoordinationPayload = CallbackBase<'awaitCoordination', 'AwaitCoordination'> & {
  readonly opinionOutcome: Extract<OpinionOutcome, 'AMEND' | 'DISAGREE'>;
};
export type AwaitCollectiveDiscussionPayload = CallbackBase<'awaitCollectiveDiscussion', 'AwaitCollectiveDiscussion'>;
export type AwaitLeaderApprovalPayload = CallbackBase<'awaitLeaderApproval', 'AwaitLeaderApproval'>;
export type EscalatePayload = PayloadBase<'escalate', (typeof ESCALATION_STATES)[HumanStep]> & {
  /** The human step whose time ran out; the workflow goes back to it after the escalation. */
  readonly timedOutStep: HumanStep;
  readonly reason: EscalationReason;
};
export type RecordOutcomePayload =
  | (PayloadBase<'recordOutcome', 'RecordPassed'> & { readonly result: 'PASSED'; readonly leaderDecision: 'APPROVE' | 'OVERRIDE' })
  | (PayloadBase<'recordOutcome', 'RecordRejected'> & { readonly result: 'REJECTED'; readonly leaderDecision: 'REJECT' });
export type RecordFailurePayload = PayloadBase<'recordFailure', 'RecordFailure'> & { readonly failure: StateError };

export type ReviewTaskPayload =
  | CheckScopePayload
  | CheckMaterialsPayload
  | AssignReviewerPayload
  | AwaitSupplementPayload
  | AwaitOpinionPayload
  | AwaitCoordinationPayload
  | AwaitCollectiveDiscussionPayload
  | AwaitLeaderApprovalPayload
  | EscalatePayload
  | RecordOutcomePayload
  | RecordFailurePayload;

export type PayloadOf<T extends ReviewTask> = Extract<ReviewTaskPayload, { task: T }>;
/** The payload a given state sends (e.g. `StepPayload<'AwaitOpinion'>` carries `taskToken` and `reviewerId`). */
export type StepPayload<S extends TaskState> = Extract<ReviewTaskPayload, { step: S }>;
export type HumanStepPayload<S extends HumanStep> = StepPayload<S> & { readonly taskToken: string };

// ---------------------------------------------------------------- results

/** What each Lambda task returns (the fields the ASL selects; more are ignored). */
export interface ReviewTaskResults {
  /** `collectiveDiscussion`: N8 cases (major public interest, hearing held, complex) — see decision.ts reviewScope. */
  checkScope: { readonly inScope: boolean; readonly collectiveDiscussion: boolean };
  checkMaterials: { readonly complete: boolean; readonly missing: readonly string[] };
  assignReviewer: { readonly reviewerId: string };
  escalate: { readonly escalationId: string };
  recordOutcome: { readonly result: ReviewResult };
  /** Ignored (`ResultPath: null`). */
  recordFailure: unknown;
}

/** What a callback task's handler returns: ignored (the step ends with SendTaskSuccess). */
export type CallbackInvocationResult = unknown;

/** The SendTaskSuccess output of each human step; the ASL routes on the named fields. */
export interface ReviewCallbackOutputs {
  awaitSupplement: { readonly supplementId?: string };
  awaitOpinion: { readonly outcome: OpinionOutcome; readonly opinionId?: string };
  awaitCoordination: { readonly handlingDivision: CoordinationResponse; readonly coordinationId?: string };
  awaitCollectiveDiscussion: { readonly decision: CollectiveDecision; readonly discussionId?: string };
  awaitLeaderApproval: { readonly decision: LeaderDecision; readonly approvalId?: string };
}

const recordId = z.string().min(1).max(200).optional();

/** What SendTaskSuccess must send to end a given human step. */
export type StepOutput<S extends HumanStep> = ReviewCallbackOutputs[(typeof STATE_TASKS)[S]];

/** Validate a callback output before SendTaskSuccess (an unroutable output ends the review as failed). */
export const callbackOutputSchemas = {
  awaitSupplement: z.strictObject({ supplementId: recordId }),
  awaitOpinion: z.strictObject({ outcome: z.enum(OPINION_OUTCOMES), opinionId: recordId }),
  awaitCoordination: z.strictObject({ handlingDivision: z.enum(COORDINATION_RESPONSES), coordinationId: recordId }),
  awaitCollectiveDiscussion: z.strictObject({ decision: z.enum(COLLECTIVE_DECISIONS), discussionId: recordId }),
  awaitLeaderApproval: z.strictObject({ decision: z.enum(LEADER_DECISIONS), approvalId: recordId }),
} satisfies { [T in CallbackTask]: z.ZodType<ReviewCallbackOutputs[T]> };

/** The fields the ASL writes into the execution state (each result under its own path). */
export interface ReviewWorkflowState extends ReviewWorkflowInput {
  readonly scope?: ReviewTaskResults['checkScope'];
  readonly materials?: ReviewTaskResults['checkMaterials'];
  readonly supplement?: ReviewCallbackOutputs['awaitSupplement'];
  readonly reviewer?: ReviewTaskResults['assignReviewer'];
  readonly opinion?: ReviewCallbackOutputs['awaitOpinion'];
  readonly coordination?: ReviewCallbackOutputs['awaitCoordination'];
  readonly discussion?: ReviewCallbackOutputs['awaitCollectiveDiscussion'];
  readonly approval?: ReviewCallbackOutputs['awaitLeaderApproval'];
  readonly timeout?: StateError;
  readonly escalation?: ReviewTaskResults['escalate'];
  readonly outcome?: ReviewTaskResults['recordOutcome'];
  readonly failure?: StateError;
}

/** The terminal states: Succeed with a result, or Fail (a technical failure, never a business outcome). */
export const TERMINAL_STATES = {
  NotRequired: 'SUCCEEDED',
  Passed: 'SUCCEEDED',
  Rejected: 'SUCCEEDED',
  Failed: 'FAILED',
} as const satisfies Partial<Record<WorkflowState, 'SUCCEEDED' | 'FAILED'>>;

/** The review's result from a SUCCEEDED execution's output. */
export function reviewResultOf(output: ReviewWorkflowState): ReviewResult | 'NOT_REQUIRED' {
  if (output.scope?.inScope === false) return 'NOT_REQUIRED';
  if (output.outcome === undefined) throw new Error(`review ${output.reviewId}: the execution output has no outcome`);
  return output.outcome.result;
}
