/**
 * Legal reviews in the Cases table, in the case's item collection (so the gate and the timeline read
 * them with the case). The only code that builds their keys.
 *
 *   CASE#<caseId> / REVIEW#<id>     gsi1: REVIEW#<id> / REVIEW (by id)
 *                                   gsi2: REVIEWER#<officerId> / <status>#<submittedAt>#<id> (a reviewer's queue)
 *                                   gsi3 (while waiting for a person): OPEN#REVIEW_STEP / <opinionDueDate or 9999-12-31>#<id>
 */
import { GetCommand, QueryCommand } from '../aws/dynamodb.ts';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
import type { AuditActor } from '../domain/audit.ts';
import { ConflictError, VersionConflictError } from '../domain/errors.ts';
import type { Review, ReviewStatus } from '../domain/review-record.ts';
import { queryAll, queryPage } from './query.ts';
import type { Page, PageRequest } from './query.ts';
import { versionedPut } from './transact.ts';
import { withoutKeys } from './items.ts';
import type { Write } from './transact.ts';

const T = 'Cases' as const;

function reviewItem(r: Review): Record<string, unknown> {
  return {
    pk: `CASE#${r.caseId}`,
    sk: `REVIEW#${r.id}`,
    entity: 'Review',
    gsi1pk: `REVIEW#${r.id}`,
    gsi1sk: 'REVIEW',
    ...(r.reviewerId ? { gsi2pk: `REVIEWER#${r.reviewerId}`, gsi2sk: `${r.status}#${r.submittedAt}#${r.id}` } : {}),
    // A review waiting in a person's step (it holds a task token) is in the open-step queue: the daily
    // check sends its heartbeat and reports it once its opinion is overdue. No due date sorts last.
    ...(r.status === 'IN_PROGRESS' && r.taskToken ? { gsi3pk: OPEN_STEP_QUEUE, gsi3sk: `${r.step === 'AwaitOpinion' && r.opinionDueDate ? r.opinionDueDate : '9999-12-31'}#${r.id}` } : {}),
    ...r,
  };
}

export const OPEN_STEP_QUEUE = 'OPEN#REVIEW_STEP';

/** Every review waiting in a person's step (grows with the open reviews, not with all reviews). */
export async function reviewsAwaitingPeople(): Promise<Review[]> {
  const items = await queryAll({ table: T, index: 'gsi3', partition: { name: 'gsi3pk', value: OPEN_STEP_QUEUE } });
  return items.map((i) => withoutKeys<Review>(i));
}

/**
 * The reviews of one agency waiting in a leader's step (collective discussion, approval), longest waiting
 * first: the open-step queue, filtered. Reads the bureau's open reviews (tens to hundreds), never all.
 */
export async function reviewsAwaitingLeaders(agencyId: string): Promise<Review[]> {
  const items = await queryAll({
    table: T,
    index: 'gsi3',
    partition: { name: 'gsi3pk', value: OPEN_STEP_QUEUE },
    filter: '#agency = :agency AND #step IN (:discussion, :approval)',
    names: { '#agency': 'agencyId', '#step': 'step' },
    values: { ':agency': agencyId, ':discussion': 'AwaitCollectiveDiscussion', ':approval': 'AwaitLeaderApproval' },
  });
  return items.map((i) => withoutKeys<Review>(i)).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
}

const strip = (item: Record<string, unknown>): Review => withoutKeys<Review>(item);

export function putReview(r: Review, expectedVersion: number): Write {
  return versionedPut(T, reviewItem(r), expectedVersion, '法制审核');
}

export async function getReview(id: string): Promise<Review | undefined> {
  // The index is eventually consistent: read the key from it, then the item itself consistently.
  const res = await documentClient().send(
    new QueryCommand({ TableName: tableName(T), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `REVIEW#${id}` } }),
  );
  const found = res.Items?.[0];
  if (!found) return undefined;
  const items = await queryAll({
    table: T,
    partition: { name: 'pk', value: found.pk as string },
    sortCondition: '#sk = :sk',
    names: { '#sk': 'sk' },
    values: { ':sk': found.sk },
    consistent: true,
  });
  return items[0] ? strip(items[0]) : undefined;
}

export async function reviewsOfCase(caseId: string): Promise<Review[]> {
  const items = await queryAll({
    table: T,
    partition: { name: 'pk', value: `CASE#${caseId}` },
    sortCondition: 'begins_with(#sk, :r)',
    names: { '#sk': 'sk' },
    values: { ':r': 'REVIEW#' },
    consistent: true,
  });
  return items.map(strip);
}

/** A reviewer's reviews, newest first, optionally of one status. */
export async function reviewsOfReviewer(officerId: string, status: ReviewStatus | undefined, page: PageRequest): Promise<Page<Review>> {
  const res = await queryPage(
    {
      table: T,
      index: 'gsi2',
      keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
      partition: { name: 'gsi2pk', value: `REVIEWER#${officerId}` },
      ...(status ? { sortCondition: 'begins_with(#sk, :s)', names: { '#sk': 'gsi2sk' }, values: { ':s': `${status}#` } } : {}),
      fingerprint: { s: status ?? '' },
      forward: false,
    },
    page,
  );
  return { items: res.items.map(strip), nextCursor: res.nextCursor };
}

/** Open reviews per reviewer (the load), for the least-loaded assignment. */
export async function openReviewCount(officerId: string): Promise<{ open: number; completed: number }> {
  const count = async (prefix: string) => {
    let n = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await documentClient().send(
        new QueryCommand({
          TableName: tableName(T),
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :s)',
          ExpressionAttributeValues: { ':pk': `REVIEWER#${officerId}`, ':s': prefix },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      n += res.Count ?? 0;
      startKey = res.LastEvaluatedKey;
    } while (startKey);
    return n;
  };
  const [open, passed, rejected] = await Promise.all([count('IN_PROGRESS#'), count('PASSED#'), count('REJECTED#')]);
  return { open, completed: passed + rejected };
}

// ---------------------------------------------------------------- a person's step being handed to the workflow

/**
 * A person's completed step, recorded before SendTaskSuccess and turned into the review's change after
 * it (by the request, or by the workflow's next task if the request died after sending): so a send that
 * fails changes nothing, and one that succeeds is never lost. One per review at a time.
 *
 *   CASE#<caseId> / STEP_PENDING#<reviewId>     (outside the REVIEW# range: reviewsOfCase never sees it)
 */
export interface PendingStep {
  readonly id: string;
  readonly reviewId: string;
  readonly caseId: string;
  /** The human step it completes, and the token it was sent with. */
  readonly step: string;
  readonly taskToken: string;
  readonly at: string;
  /** Who completed the step, for the audit event written when it is finalised. */
  readonly actor: AuditActor;
  readonly requestId: string;
  /** The review's change, the other writes (timeline, counters) and the audit event, as JSON. */
  readonly change: string;
}

const pendingKey = (caseId: string, reviewId: string) => ({ pk: `CASE#${caseId}`, sk: `STEP_PENDING#${reviewId}` });

/** Puts the pending step only if none is pending and the review is still at `reviewVersion` (nothing else changes). */
export function putPendingStep(p: PendingStep, reviewVersion: number): Write[] {
  return [
    {
      kind: 'check',
      table: T,
      key: { pk: `CASE#${p.caseId}`, sk: `REVIEW#${p.reviewId}` },
      condition: '#v = :v',
      names: { '#v': 'version' },
      values: { ':v': reviewVersion },
      onConditionFailed: () => new VersionConflictError('法制审核', reviewVersion),
    },
    {
      kind: 'put',
      table: T,
      item: { ...pendingKey(p.caseId, p.reviewId), entity: 'PendingStep', ...p },
      condition: 'attribute_not_exists(pk) OR attribute_exists(#resolved)',
      names: { '#resolved': 'resolved' },
      onConditionFailed: () => new ConflictError('STEP_SUBMITTING', '该审核步骤正在提交中，请稍后刷新查看结果'),
    },
  ];
}

/**
 * Resolves this pending step (not a newer one): the item becomes a small tombstone (`resolved`), which a
 * later step may overwrite (the transaction layer has no deletes). Fails with PendingStepGoneError if
 * it was resolved meanwhile.
 */
export function resolvePendingStep(p: Pick<PendingStep, 'id' | 'caseId' | 'reviewId'>, how: 'FINALISED' | 'DISCARDED', at: string): Write {
  return {
    kind: 'put',
    table: T,
    item: { ...pendingKey(p.caseId, p.reviewId), entity: 'PendingStep', id: p.id, reviewId: p.reviewId, caseId: p.caseId, resolved: how, resolvedAt: at },
    condition: '#id = :id AND attribute_not_exists(#resolved)',
    names: { '#id': 'id', '#resolved': 'resolved' },
    values: { ':id': p.id },
    onConditionFailed: () => new PendingStepGoneError(),
  };
}

/** The pending step was finalised or discarded by someone else meanwhile. */
export class PendingStepGoneError extends ConflictError {
  constructor() {
    super('STEP_ALREADY_RESOLVED', '该审核步骤的提交已处理，请刷新查看结果');
  }
}

export async function getPendingStep(caseId: string, reviewId: string): Promise<PendingStep | undefined> {
  const res = await documentClient().send(new GetCommand({ TableName: tableName(T), Key: pendingKey(caseId, reviewId), ConsistentRead: true }));
  if (!res.Item || res.Item.resolved !== undefined) return undefined;
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = res.Item;
  return rest as PendingStep;
}
