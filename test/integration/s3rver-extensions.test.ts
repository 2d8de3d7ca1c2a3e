/**
 * The S3 operations local/s3rver-extensions.ts adds to s3rver, driven through the real
 * @aws-sdk/client-s3 commands (and plain fetch for presigned URLs and the event subscriptions), against
 * the s3rver the integration global setup started. Every test uses keys of its own.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, localS3Client, startS3rver } from '../../local/services.ts';

const services = inject('localServices');
const Bucket = services.evidenceBucket;
const SUBSCRIPTIONS = `${services.s3Endpoint}/_local/event-subscriptions`;
const MiB = 1024 * 1024;
let s3: S3Client;

beforeAll(() => {
  s3 = localS3Client(services.s3Endpoint);
});
afterAll(() => {
  s3.destroy();
});

const uniqueKey = (name: string): string => `ext-test/${randomUUID()}/${name}`;
const md5 = (data: Uint8Array): string => createHash('md5').update(data).digest('hex');
const inOneDay = (): Date => new Date(Date.now() + 24 * 60 * 60 * 1000);
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The S3 error code and HTTP status of a rejected SDK call (fails the test if it resolved). */
async function s3Failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the S3 call to fail');
}

async function putText(Key: string, body = 'evidence'): Promise<string> {
  const put = await s3.send(new PutObjectCommand({ Bucket, Key, Body: body, ContentType: 'text/plain' }));
  return put.ETag ?? '';
}

async function bodyOf(Key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

async function exists(Key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket, Key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await delay(25);
  }
}

describe('multipart uploads', () => {
  it('lists parts with the ETags UploadPart returned, pages them, and completes with an AWS-style ETag', async () => {
    const Key = uniqueKey('recording 1.mp4');
    const first = randomBytes(6 * MiB);
    const last = randomBytes(12_345);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'video/mp4' }));
    const part1 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: first }));
    const part2 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: last }));
    expect(part1.ETag).toBe(`"${md5(first)}"`);

    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Bucket).toBe(Bucket);
    expect(listed.Key).toBe(Key);
    expect(listed.UploadId).toBe(UploadId);
    expect(listed.IsTruncated).toBe(false);
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, first.length, part1.ETag],
      [2, last.length, part2.ETag],
    ]);
    for (const part of listed.Parts ?? []) {
      expect(part.LastModified).toBeInstanceOf(Date);
      expect(Math.abs(part.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);
    }

    const page1 = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId, MaxParts: 1 }));
    expect(page1.Parts?.map((p) => p.PartNumber)).toEqual([1]);
    expect(page1.IsTruncated).toBe(true);
    expect(page1.NextPartNumberMarker).toBe('1');
    const page2 = await s3.send(
      new ListPartsCommand({ Bucket, Key, UploadId, MaxParts: 1, PartNumberMarker: page1.NextPartNumberMarker }),
    );
    expect(page2.Parts?.map((p) => p.PartNumber)).toEqual([2]);
    expect(page2.IsTruncated).toBe(false);

    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: part1.ETag },
            { PartNumber: 2, ETag: part2.ETag },
          ],
        },
      }),
    );
    const awsEtag = `"${createHash('md5')
      .update(Buffer.concat([Buffer.from(md5(first), 'hex'), Buffer.from(md5(last), 'hex')]))
      .digest('hex')}-2"`;
    expect(completed.ETag).toBe(awsEtag);
    expect(completed.Key).toBe(Key);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ETag).toBe(awsEtag);
    expect(head.ContentLength).toBe(first.length + last.length);
    expect(head.ContentType).toBe('video/mp4');
    expect(md5(await bodyOf(Key))).toBe(md5(Buffer.concat([first, last])));

    // A completed upload is gone.
    const after = await s3Failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })));
    expect(after).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });

  it('refuses completions AWS refuses: unknown part, wrong ETag, small non-last part, wrong order', async () => {
    const Key = uniqueKey('bad-complete.bin');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const small = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'small' }));
    const tail = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'tail' }));
    const complete = (Parts: { PartNumber: number; ETag: string | undefined }[]) =>
      s3Failure(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } })));

    // s3rver alone crashes on a part that was never uploaded.
    expect(await complete([{ PartNumber: 1, ETag: small.ETag }, { PartNumber: 3, ETag: '"00"' }])).toMatchObject({
      name: 'InvalidPart',
      status: 400,
    });
    expect(await complete([{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }])).toMatchObject({
      name: 'InvalidPart',
    });
    expect(await complete([{ PartNumber: 1, ETag: small.ETag }, { PartNumber: 2, ETag: tail.ETag }])).toMatchObject({
      name: 'EntityTooSmall',
      status: 400,
    });
    expect(await complete([{ PartNumber: 2, ETag: tail.ETag }, { PartNumber: 1, ETag: small.ETag }])).toMatchObject({
      name: 'InvalidPartOrder',
    });
    // The upload survives refused completions; a single small last part is fine.
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: small.ETag }] } }));
    expect((await bodyOf(Key)).toString()).toBe('small');
  });

  it('aborts an upload: its parts are gone and later calls answer NoSuchUpload', async () => {
    const Key = uniqueKey('aborted.m4a');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: randomBytes(1024) }));

    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);

    expect(await s3Failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })))).toMatchObject({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(await s3Failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })))).toMatchObject({
      name: 'NoSuchUpload',
    });
    expect(
      await s3Failure(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'late' }))),
    ).toMatchObject({ name: 'NoSuchUpload', status: 404 });
    expect(
      await s3Failure(
        s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] } })),
      ),
    ).toMatchObject({ name: 'NoSuchUpload' });
    expect(await exists(Key)).toBe(false);
  });

  it('answers NoSuchUpload for unknown ids and for an id used with another key', async () => {
    const Key = uniqueKey('owner.bin');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    expect(await s3Failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId: 'f'.repeat(32) })))).toMatchObject({
      name: 'NoSuchUpload',
    });
    expect(await s3Failure(s3.send(new ListPartsCommand({ Bucket, Key: uniqueKey('other.bin'), UploadId })))).toMatchObject({
      name: 'NoSuchUpload',
    });
    expect(await s3Failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId: '../../etc' })))).toMatchObject({
      name: 'NoSuchUpload',
    });
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
  });

  it('accepts a part PUT with plain fetch on a presigned UploadPart URL', async () => {
    const Key = uniqueKey('presigned.mp4');
    const first = randomBytes(5 * MiB + 17);
    const last = randomBytes(999);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const etags: string[] = [];
    for (const [index, body] of [first, last].entries()) {
      const url = await getSignedUrl(s3, new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: index + 1 }), {
        expiresIn: 300,
      });
      expect(url).toContain('X-Amz-Signature=');
      const response = await fetch(url, { method: 'PUT', body });
      expect(response.status).toBe(200);
      etags.push(response.headers.get('etag') ?? '');
    }
    expect(etags[0]).toBe(`"${md5(first)}"`);

    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, first.length, etags[0]],
      [2, last.length, etags[1]],
    ]);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
      }),
    );
    expect(md5(await bodyOf(Key))).toBe(md5(Buffer.concat([first, last])));
  });
});

describe('object lock', () => {
  it('keeps COMPLIANCE retention: readable, reported on HEAD, no delete, overwrite, copy-over or shortening', async () => {
    const Key = uniqueKey('sealed.m4a');
    await putText(Key, 'sealed bytes');
    expect(await s3Failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key })))).toMatchObject({
      name: 'NoSuchObjectLockConfiguration',
      status: 404,
    });

    const until = inOneDay();
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until } }));
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket, Key }));
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
    expect(retention.Retention?.RetainUntilDate?.toISOString()).toBe(until.toISOString());
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(until.toISOString());

    expect(await s3Failure(s3.send(new DeleteObjectCommand({ Bucket, Key })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: expect.stringContaining('object lock'),
    });
    expect(await s3Failure(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'replacement' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    const other = uniqueKey('other.txt');
    await putText(other);
    expect(
      await s3Failure(s3.send(new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/${other}` }))),
    ).toMatchObject({ name: 'AccessDenied', status: 403 });

    // Neither shorter, nor GOVERNANCE, even with the bypass header; longer is fine.
    const shorter = new Date(until.getTime() - 60_000);
    expect(
      await s3Failure(s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: shorter } }))),
    ).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(
      await s3Failure(
        s3.send(
          new PutObjectRetentionCommand({
            Bucket,
            Key,
            BypassGovernanceRetention: true,
            Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until },
          }),
        ),
      ),
    ).toMatchObject({ name: 'AccessDenied' });
    const longer = new Date(until.getTime() + 60_000);
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: longer } }));
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket, Key }))).Retention?.RetainUntilDate?.toISOString()).toBe(
      longer.toISOString(),
    );

    // Still there, unchanged, and the sidecar never shows up in listings.
    expect((await bodyOf(Key)).toString()).toBe('sealed bytes');
    const prefix = Key.slice(0, Key.lastIndexOf('/') + 1);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([Key]);
  });

  it('refuses a browser-form POST (multipart/form-data to the bucket) onto a locked object; other keys are stored as before', async () => {
    // The form carries the key in its body, where no route sees it (issue 10: it overwrote sealed evidence).
    const formPost = (Key: string, bytes: string) => {
      const form = new FormData();
      form.append('key', Key);
      form.append('file', new Blob([bytes]), 'upload.bin');
      return fetch(`${services.s3Endpoint}/${Bucket}`, { method: 'POST', body: form });
    };
    const sealed = uniqueKey('sealed-by-retention.bin');
    await putText(sealed, 'sealed bytes');
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key: sealed, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inOneDay() } }));
    const held = uniqueKey('sealed-by-hold.bin');
    await putText(held, 'held bytes!!');
    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: held, LegalHold: { Status: 'ON' } }));

    for (const [Key, original] of [[sealed, 'sealed bytes'], [held, 'held bytes!!']] as const) {
      // Same size, other bytes: the tamper a hash check would otherwise have to find.
      const res = await formPost(Key, 'X'.repeat(original.length));
      const text = await res.text();
      expect(res.status, text).toBe(403);
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect((await bodyOf(Key)).toString()).toBe(original);
    }

    const free = uniqueKey('form.bin');
    const stored = await formPost(free, 'form bytes');
    expect(stored.status, await stored.text()).toBe(204);
    expect((await bodyOf(free)).toString()).toBe('form bytes');
    // An unlocked object may still be replaced by a form, as on S3.
    expect((await formPost(free, 'new bytes')).status).toBe(204);
    expect((await bodyOf(free)).toString()).toBe('new bytes');
  });

  it('refuses a past retain-until date and lock calls on missing objects', async () => {
    const Key = uniqueKey('missing.bin');
    expect(
      await s3Failure(s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inOneDay() } }))),
    ).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(await s3Failure(s3.send(new GetObjectLegalHoldCommand({ Bucket, Key })))).toMatchObject({ name: 'NoSuchKey' });
    await putText(Key);
    expect(
      await s3Failure(
        s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() - 1000) } })),
      ),
    ).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });

  it('allows the delete once retention has expired, and the next object under that key starts unlocked', async () => {
    const Key = uniqueKey('short.txt');
    await putText(Key);
    const until = new Date(Date.now() + 1200);
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until } }));
    expect(await s3Failure(s3.send(new DeleteObjectCommand({ Bucket, Key })))).toMatchObject({ name: 'AccessDenied' });
    await delay(until.getTime() - Date.now() + 50);
    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    expect(await exists(Key)).toBe(false);

    await putText(Key, 'new object');
    expect(await s3Failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key })))).toMatchObject({
      name: 'NoSuchObjectLockConfiguration',
    });
    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
  });

  it('GOVERNANCE retention yields to x-amz-bypass-governance-retention', async () => {
    const Key = uniqueKey('governed.txt');
    await putText(Key);
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inOneDay() } }));
    expect(await s3Failure(s3.send(new DeleteObjectCommand({ Bucket, Key })))).toMatchObject({ name: 'AccessDenied' });
    expect(
      await s3Failure(
        s3.send(new PutObjectRetentionCommand({ Bucket, Key, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 60_000) } })),
      ),
    ).toMatchObject({ name: 'AccessDenied' });
    await s3.send(new DeleteObjectCommand({ Bucket, Key, BypassGovernanceRetention: true }));
    expect(await exists(Key)).toBe(false);
  });

  it('legal hold ON blocks the delete, OFF releases it', async () => {
    const Key = uniqueKey('held.jpg');
    await putText(Key);
    expect(await s3Failure(s3.send(new GetObjectLegalHoldCommand({ Bucket, Key })))).toMatchObject({
      name: 'NoSuchObjectLockConfiguration',
      status: 404,
    });
    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key, LegalHold: { Status: 'ON' } }));
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key }))).LegalHold?.Status).toBe('ON');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key }))).ObjectLockLegalHoldStatus).toBe('ON');
    expect(await s3Failure(s3.send(new DeleteObjectCommand({ Bucket, Key, BypassGovernanceRetention: true })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect(await s3Failure(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' })))).toMatchObject({ name: 'AccessDenied' });

    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key, LegalHold: { Status: 'OFF' } }));
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key }))).LegalHold?.Status).toBe('OFF');
    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    expect(await exists(Key)).toBe(false);
  });

  it('DeleteObjects deletes the unlocked keys and reports AccessDenied for the locked one', async () => {
    const locked = uniqueKey('locked.txt');
    const free = uniqueKey('free.txt');
    await putText(locked);
    await putText(free);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: locked, LegalHold: { Status: 'ON' } }));

    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: locked }, { Key: free }] } }),
    );
    expect(result.Deleted?.map((d) => d.Key)).toEqual([free]);
    expect(result.Errors?.map((e) => [e.Key, e.Code])).toEqual([[locked, 'AccessDenied']]);
    expect(await exists(locked)).toBe(true);
    expect(await exists(free)).toBe(false);

    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: locked, LegalHold: { Status: 'OFF' } }));
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: locked }], Quiet: true } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect(quiet.Errors ?? []).toEqual([]);
    expect(await exists(locked)).toBe(false);
  });

  it('applies x-amz-object-lock-* headers of PutObject and CreateMultipartUpload', async () => {
    const until = inOneDay();
    const putKey = uniqueKey('put-locked.txt');
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: putKey,
        Body: 'locked at birth',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: until,
        ObjectLockLegalHoldStatus: 'ON',
      }),
    );
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket, Key: putKey }))).Retention).toEqual({
      Mode: 'COMPLIANCE',
      RetainUntilDate: until,
    });
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: putKey }))).LegalHold?.Status).toBe('ON');

    const mpKey = uniqueKey('mp-locked.mp4');
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: mpKey, ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }),
    );
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: mpKey, UploadId, PartNumber: 1, Body: 'only part' }));
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: mpKey, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket, Key: mpKey }))).Retention?.Mode).toBe('COMPLIANCE');
    expect(await s3Failure(s3.send(new DeleteObjectCommand({ Bucket, Key: mpKey })))).toMatchObject({ name: 'AccessDenied' });

    expect(
      await s3Failure(s3.send(new PutObjectCommand({ Bucket, Key: uniqueKey('half.txt'), Body: 'x', ObjectLockMode: 'COMPLIANCE' }))),
    ).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });

  it('gives every new object COMPLIANCE retention when S3RVER_DEFAULT_RETENTION_DAYS is set', async () => {
    const directory = await mkdtemp(join(tmpdir(), 's3rver-ext-test-'));
    const saved = process.env.S3RVER_DEFAULT_RETENTION_DAYS;
    process.env.S3RVER_DEFAULT_RETENTION_DAYS = '2';
    let other: Awaited<ReturnType<typeof startS3rver>> | undefined;
    try {
      other = await startS3rver({ directory });
    } finally {
      if (saved === undefined) delete process.env.S3RVER_DEFAULT_RETENTION_DAYS;
      else process.env.S3RVER_DEFAULT_RETENTION_DAYS = saved;
    }
    const client = localS3Client(other.endpoint);
    try {
      await client.send(new CreateBucketCommand({ Bucket: 'retained' }));
      const before = Date.now();
      await client.send(new PutObjectCommand({ Bucket: 'retained', Key: 'a.txt', Body: 'a' }));
      const retention = (await client.send(new GetObjectRetentionCommand({ Bucket: 'retained', Key: 'a.txt' }))).Retention;
      expect(retention?.Mode).toBe('COMPLIANCE');
      const days = (retention!.RetainUntilDate!.getTime() - before) / (24 * 60 * 60 * 1000);
      expect(days).toBeGreaterThanOrEqual(2 - 1e-4);
      expect(days).toBeLessThan(2 + 1e-3);
      expect(await s3Failure(client.send(new DeleteObjectCommand({ Bucket: 'retained', Key: 'a.txt' })))).toMatchObject({
        name: 'AccessDenied',
      });
    } finally {
      client.destroy();
      await other.stop();
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('ranges', () => {
  it('serves suffix ranges (bytes=-N) as the last N bytes', async () => {
    const Key = uniqueKey('range.bin');
    await putText(Key, 'abcdefghij');
    const get = async (Range: string) => {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key, Range }));
      return [got.ContentRange, await got.Body!.transformToString()];
    };
    expect(await get('bytes=-3')).toEqual(['bytes 7-9/10', 'hij']);
    expect(await get('bytes=-30')).toEqual(['bytes 0-9/10', 'abcdefghij']);
    expect(await get('bytes=2-4')).toEqual(['bytes 2-4/10', 'cde']);
    expect(await get('bytes=7-')).toEqual(['bytes 7-9/10', 'hij']);
  });
});

describe('object-created events', () => {
  interface Received {
    headers: IncomingHttpHeaders;
    path: string;
    event: S3Event;
  }
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, path: req.url ?? '', event: JSON.parse(Buffer.concat(chunks).toString('utf8')) as S3Event });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/local/s3-events`;
  });
  afterAll(async () => {
    await fetch(SUBSCRIPTIONS, { method: 'DELETE', body: JSON.stringify({ url: receiverUrl }) });
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const subscribe = (url: string, token: string): Promise<Response> =>
    fetch(SUBSCRIPTIONS, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, token }) });
  const unsubscribe = (url: string): Promise<Response> =>
    fetch(SUBSCRIPTIONS, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
  const subscribedUrls = async (): Promise<string[]> =>
    ((await (await fetch(SUBSCRIPTIONS)).json()) as { subscriptions: { url: string }[] }).subscriptions.map((s) => s.url);
  const decodeKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));
  const recordFor = (key: string): Promise<{ record: S3EventRecord; headers: IncomingHttpHeaders; path: string }> =>
    waitFor(() => {
      for (const r of received) {
        const record = r.event.Records.find((rec) => decodeKey(rec.s3.object.key) === key);
        if (record) return { record, headers: r.headers, path: r.path };
      }
      return undefined;
    });

  it('only accepts http://127.0.0.1 or localhost subscriber URLs', async () => {
    for (const url of ['http://example.com/x', 'https://127.0.0.1/x', 'http://10.0.0.1/x', 'not a url']) {
      expect((await subscribe(url, 't')).status).toBe(400);
    }
    expect((await subscribe('http://localhost:9/x', '')).status).toBe(400);
    expect((await unsubscribe('http://127.0.0.1:9/never-subscribed')).status).toBe(404);
  });

  it('POSTs AWS-shaped records for PutObject, CompleteMultipartUpload and CopyObject, with the token', async () => {
    expect((await subscribe(receiverUrl, 'first-token')).status).toBe(201);
    const replaced = await subscribe(receiverUrl, 'the-token');
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ url: receiverUrl, replaced: true });
    expect(await subscribedUrls()).toContain(receiverUrl);

    const putKey = uniqueKey('录音 1+(a).m4a');
    const putEtag = await putText(putKey, 'twelve bytes');
    const put = await recordFor(putKey);
    expect(put.path).toBe('/local/s3-events');
    expect(put.headers['x-local-event-token']).toBe('the-token');
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'cn-north-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: Bucket, arn: `arn:aws-cn:s3:::${Bucket}` },
        object: { size: 12, eTag: putEtag.replace(/"/g, '') },
      },
    });
    // URL-encoded the way AWS does it: space as '+', '/' kept, the rest percent-encoded.
    expect(put.record.s3.object.key).not.toContain(' ');
    expect(put.record.s3.object.key).toContain('+1%2B%28a%29.m4a');
    expect(put.record.s3.object.key.startsWith('ext-test/')).toBe(true);
    expect(Number.isNaN(Date.parse(put.record.eventTime))).toBe(false);

    const mpKey = uniqueKey('video clip.mp4');
    const first = randomBytes(5 * MiB);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: mpKey }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: mpKey, UploadId, PartNumber: 1, Body: first }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: mpKey, UploadId, PartNumber: 2, Body: 'end' }));
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: mpKey,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
      }),
    );
    const mp = await recordFor(mpKey);
    expect(mp.headers['x-local-event-token']).toBe('the-token');
    expect(mp.record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
    expect(mp.record.s3.bucket.name).toBe(Bucket);
    expect(mp.record.s3.object.size).toBe(first.length + 3);
    expect(mp.record.s3.object.eTag).toBe(completed.ETag?.replace(/"/g, ''));

    const copyKey = uniqueKey('copy.m4a');
    await s3.send(new CopyObjectCommand({ Bucket, Key: copyKey, CopySource: `${Bucket}/${encodeURIComponent(putKey)}` }));
    const copy = await recordFor(copyKey);
    expect(copy.record.eventName).toBe('ObjectCreated:Copy');
    expect(copy.record.s3.object).toMatchObject({ size: 12, eTag: putEtag.replace(/"/g, '') });

    // Deletes are not object-created events.
    const before = received.length;
    await s3.send(new DeleteObjectCommand({ Bucket, Key: copyKey }));
    await delay(300);
    expect(received.slice(before).some((r) => r.event.Records.some((rec) => decodeKey(rec.s3.object.key) === copyKey))).toBe(false);

    // After unsubscribing, nothing more arrives.
    expect((await unsubscribe(receiverUrl)).status).toBe(204);
    const lateKey = uniqueKey('late.txt');
    await putText(lateKey);
    await delay(500);
    expect(received.some((r) => r.event.Records.some((rec) => decodeKey(rec.s3.object.key) === lateKey))).toBe(false);
  });

  it('drops a subscriber whose connection is refused twice in a row, without failing the upload', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}/gone`;
    expect((await subscribe(deadUrl, 'dead')).status).toBe(201);
    const Key = uniqueKey('while-dead.txt');
    await putText(Key);
    expect(await exists(Key)).toBe(true);
    await waitFor(async () => ((await subscribedUrls()).includes(deadUrl) ? undefined : true));
  });
});
