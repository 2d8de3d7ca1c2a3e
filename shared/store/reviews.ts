/**
 * Legal reviews in the Cases table, in the case's item collection (so the gate and the timeline read
 * them with the case). The only code that builds their keys.
 *
 *   CASE#<caseId> / REVIEW#<id>     gsi1: REVIEW#<id> / REVIEW (by id)
 *                                   gsi2: REVIEWER#<officerId> / <status>#<submittedAt>#<id> (a reviewer's queue)
 *                                   gsi3 (while waiting for a person): OPEN#REVIEW_STEP / <opinionDueDate or 9999-12-31>#<id>
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.ts';
import { tableName } from '../aws/env.ts';
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
