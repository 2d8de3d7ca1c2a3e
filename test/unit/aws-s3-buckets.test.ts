/**
 * The S3 calls of the evidence, checkpoints and reports buckets in AWS mode: presigned URLs as S3 would
 * receive them (fixed credentials, region and clock; presigning is offline), and the commands S3
 * receives for uploads and Object Lock, with the error shapes it answers. No network: the S3 client is
 * mocked (presigning does not go through `send`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import * as evidence from '../../shared/aws/evidence-bucket.ts';
import { CHECKPOINTS_BUCKET_ENV, checkpointObjectKey, getCheckpointObject, putCheckpointObject } from '../../shared/aws/checkpoints-bucket.ts';
import { putReportFile, REPORTS_BUCKET_ENV, reportFileUrl } from '../../shared/aws/reports-bucket.ts';

const NOW = new Date('2026-03-02T01:02:03Z');
const KEY = 'evidence/c-1/e-1';
const VERSION = '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const s3 = mockClient(S3Client);
const saved = { ...process.env };
const notFound = { $metadata: { httpStatusCode: 404 } };

/** A GetObject body as the SDK gives it in Node: a stream with the SDK's `transformTo*` helpers. */
function body(text: string): GetObjectCommandOutput['Body'] {
  const stream = Object.assign(Readable.from([Buffer.from(text, 'utf8')]), {
    transformToString: (encoding = 'utf8') => Promise.resolve(Buffer.from(text, 'utf8').toString(encoding as BufferEncoding)),
    transformToByteArray: () => Promise.resolve(new Uint8Array(Buffer.from(text, 'utf8'))),
    transformToWebStream: () => Readable.toWeb(Readable.from([Buffer.from(text, 'utf8')])),
  });
  return stream as unknown as GetObjectCommandOutput['Body'];
}

beforeAll(() => {
  // AWS mode: no local endpoint or path style; fixed credentials and region; a fixed clock for X-Amz-Date.
  for (const k of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'S3_FORCE_PATH_STYLE', 'AWS_PROFILE', 'AWS_SESSION_TOKEN']) delete process.env[k];
  Object.assign(process.env, {
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    EVIDENCE_BUCKET: 'evidence-bucket',
    [CHECKPOINTS_BUCKET_ENV]: 'checkpoints-bucket',
    [REPORTS_BUCKET_ENV]: 'reports-bucket',
  });
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
beforeEach(() => {
  s3.reset();
});
afterAll(() => {
  vi.useRealTimers();
  s3.restore();
  process.env = saved;
});

describe('presigned URLs', () => {
  it('a single-PUT URL is signed by the fixed credentials, expires when asked, and binds the declared SHA-256', async () => {
    const { url, headers } = await evidence.presignPut(KEY, 'video/mp4', SHA, 900);
    const u = new URL(url);
    const checksum = Buffer.from(SHA, 'hex').toString('base64');

    expect(`${u.protocol}//${u.host}${u.pathname}`).toBe('https://evidence-bucket.s3.cn-north-1.amazonaws.com.cn/evidence/c-1/e-1');
    expect(u.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(u.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260302/cn-north-1/s3/aws4_request');
    expect(u.searchParams.get('X-Amz-Date')).toBe('20260302T010203Z');
    expect(u.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(u.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-checksum-sha256']));
    expect(u.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // A signed header, not a query parameter: S3 ignores a checksum in the query (aws/aws-sdk-js-v3#4448).
    expect([...u.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    // The device sends these headers as they are; S3 checks the body against the signed checksum.
    expect(headers).toEqual({ 'content-type': 'video/mp4', 'x-amz-checksum-sha256': checksum });
    // The checksum is signed, not merely listed: another SHA-256 gives another signature.
    const other = new URL((await evidence.presignPut(KEY, 'video/mp4', 'ff'.repeat(32), 900)).url);
    const again = new URL((await evidence.presignPut(KEY, 'video/mp4', SHA, 900)).url);
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(u.searchParams.get('X-Amz-Signature'));
    expect(again.searchParams.get('X-Amz-Signature')).toBe(u.searchParams.get('X-Amz-Signature'));
  });

  it('a part URL names the upload and part, and carries no checksum (the SDK would sign one of an empty body)', async () => {
    const u = new URL(await evidence.presignPart(KEY, 'upload-1', 3, 600));

    expect(u.searchParams.get('uploadId')).toBe('upload-1');
    expect(u.searchParams.get('partNumber')).toBe('3');
    expect(u.searchParams.get('X-Amz-Expires')).toBe('600');
    expect([...u.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(u.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });

  it('an evidence download names the sealed version and saves under the original (Chinese) file name', async () => {
    const u = new URL(await evidence.presignGet(KEY, VERSION, '现场 录像.mp4', 300));

    expect(u.searchParams.get('versionId')).toBe(VERSION);
    expect(u.searchParams.get('response-content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('现场 录像.mp4')}`);
    expect(u.searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('a report download is a GET on the reports bucket with the file name', async () => {
    const u = new URL(await reportFileUrl('reports/2025/v1.pdf', '2025年度行政执法报告.pdf', 3600));

    expect(u.host).toBe('reports-bucket.s3.cn-north-1.amazonaws.com.cn');
    expect(u.pathname).toBe('/reports/2025/v1.pdf');
    expect(u.searchParams.get('response-content-disposition')).toContain(encodeURIComponent('2025年度行政执法报告.pdf'));
    expect(u.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('S3 refuses presigned URLs over 7 days: longer is refused before a URL is handed out', async () => {
    await expect(evidence.presignPut(KEY, 'video/mp4', SHA, 7 * 24 * 3600 + 1)).rejects.toThrow(/one week/);
  });
});

describe('multipart uploads', () => {
  it('creates the upload with the content type and returns its id', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ Bucket: 'evidence-bucket', Key: KEY, UploadId: 'upload-1' });

    expect(await evidence.createMultipartUpload(KEY, 'video/mp4')).toBe('upload-1');
    expect(s3).toHaveReceivedCommandExactlyOnceWith(CreateMultipartUploadCommand, { Bucket: 'evidence-bucket', Key: KEY, ContentType: 'video/mp4' });
  });

  it('lists parts across pages, in order, and reports a vanished upload (NoSuchUpload) as undefined', async () => {
    s3.on(ListPartsCommand)
      .resolvesOnce({ Parts: [{ PartNumber: 2, ETag: '"b"', Size: 5 }], IsTruncated: true, NextPartNumberMarker: '2' })
      .resolvesOnce({ Parts: [{ PartNumber: 1, ETag: '"a"', Size: 8 }], IsTruncated: false })
      .rejectsOnce(new NoSuchUpload({ message: 'The specified upload does not exist.', ...notFound }));

    expect(await evidence.listParts(KEY, 'upload-1')).toEqual([
      { partNumber: 1, etag: '"a"', size: 8 },
      { partNumber: 2, etag: '"b"', size: 5 },
    ]);
    expect(s3).toHaveReceivedNthCommandWith(ListPartsCommand, 2, { Bucket: 'evidence-bucket', Key: KEY, UploadId: 'upload-1', PartNumberMarker: '2' });
    expect(await evidence.listParts(KEY, 'upload-1')).toBeUndefined();
  });

  it('completes with the parts as S3 expects them', async () => {
    s3.on(CompleteMultipartUploadCommand).resolves({ VersionId: VERSION });

    await evidence.completeMultipartUpload(KEY, 'upload-1', [
      { partNumber: 1, etag: '"a"' },
      { partNumber: 2, etag: '"b"' },
    ]);

    expect(s3).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, {
      Bucket: 'evidence-bucket',
      Key: KEY,
      UploadId: 'upload-1',
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"a"' }, { PartNumber: 2, ETag: '"b"' }] },
    });
  });

  it('aborting an upload S3 no longer has is not an error; access denied is', async () => {
    s3.on(AbortMultipartUploadCommand)
      .rejectsOnce(new NoSuchUpload({ message: 'The specified upload does not exist.', ...notFound }))
      .rejectsOnce(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } }));

    await expect(evidence.abortMultipartUpload(KEY, 'upload-1')).resolves.toBeUndefined();
    await expect(evidence.abortMultipartUpload(KEY, 'upload-1')).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { Bucket: 'evidence-bucket', Key: KEY, UploadId: 'upload-1' });
  });
});

describe('objects and Object Lock', () => {
  it('HeadObject of a version gives its size, version and ETag; a missing one (404 NotFound, no body) is undefined', async () => {
    s3.on(HeadObjectCommand)
      .resolvesOnce({ ContentLength: 1234, VersionId: VERSION, ETag: '"abc"', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date('2056-03-02T00:00:00Z') })
      .rejectsOnce(new NotFound({ message: 'Not Found', ...notFound }));

    expect(await evidence.headObject(KEY, VERSION)).toEqual({ size: 1234, versionId: VERSION, etag: '"abc"' });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: 'evidence-bucket', Key: KEY, VersionId: VERSION });
    expect(await evidence.headObject(KEY)).toBeUndefined();
    expect(s3).toHaveReceivedLastCommandWith(HeadObjectCommand, { Bucket: 'evidence-bucket', Key: KEY });
  });

  it('locks the sealed version in COMPLIANCE mode until the given date', async () => {
    s3.on(PutObjectRetentionCommand).resolves({});
    const until = new Date('2056-03-02T00:00:00Z');

    await evidence.putComplianceRetention(KEY, VERSION, until);

    expect(s3).toHaveReceivedCommandExactlyOnceWith(PutObjectRetentionCommand, {
      Bucket: 'evidence-bucket',
      Key: KEY,
      VersionId: VERSION,
      Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until },
    });
    const input = s3.commandCalls(PutObjectRetentionCommand)[0]!.args[0].input;
    expect(input.BypassGovernanceRetention).toBeUndefined();
  });

  it('passes S3 refusing to shorten a COMPLIANCE retention through (AccessDenied)', async () => {
    s3.on(PutObjectRetentionCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } }));

    await expect(evidence.putComplianceRetention(KEY, VERSION, new Date('2027-01-01T00:00:00Z'))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('sets and lifts the legal hold on the version', async () => {
    s3.on(PutObjectLegalHoldCommand).resolves({});

    await evidence.putLegalHold(KEY, VERSION, true);
    await evidence.putLegalHold(KEY, undefined, false);

    expect(s3).toHaveReceivedNthCommandWith(PutObjectLegalHoldCommand, 1, { Bucket: 'evidence-bucket', Key: KEY, VersionId: VERSION, LegalHold: { Status: 'ON' } });
    expect(s3).toHaveReceivedNthCommandWith(PutObjectLegalHoldCommand, 2, { Bucket: 'evidence-bucket', Key: KEY, LegalHold: { Status: 'OFF' } });
    expect(s3.commandCalls(PutObjectLegalHoldCommand)[1]!.args[0].input).not.toHaveProperty('VersionId');
  });

  it('streams the version’s bytes', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('evidence bytes') });

    const stream = await evidence.objectStream(KEY, VERSION);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));

    expect(Buffer.concat(chunks).toString()).toBe('evidence bytes');
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'evidence-bucket', Key: KEY, VersionId: VERSION });
  });
});

describe('checkpoints and reports buckets', () => {
  it('writes a checkpoint once under its zero-padded key, as JSON with its length (the bucket default retention locks it)', async () => {
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1' });
    const doc = '{"treeSize":42,"root":"ab","签名":"x"}';

    await putCheckpointObject('CHAIN#a-1', 42, doc);

    expect(checkpointObjectKey('CHAIN#a-1', 42)).toBe('checkpoints/CHAIN#a-1/000000000042.json');
    expect(s3).toHaveReceivedCommandExactlyOnceWith(PutObjectCommand, {
      Bucket: 'checkpoints-bucket',
      Key: 'checkpoints/CHAIN#a-1/000000000042.json',
      Body: Buffer.from(doc, 'utf8'),
      ContentType: 'application/json',
      ContentLength: Buffer.byteLength(doc, 'utf8'),
    });
    // Written once: no retention call of its own, nothing that could shorten the lock.
    expect(s3).not.toHaveReceivedCommand(PutObjectRetentionCommand);
  });

  it('reads a checkpoint back, and a missing one (NoSuchKey) as undefined', async () => {
    s3.on(GetObjectCommand)
      .resolvesOnce({ Body: body('{"treeSize":42}') })
      .rejectsOnce(new NoSuchKey({ message: 'The specified key does not exist.', ...notFound }));

    expect(await getCheckpointObject('CHAIN#a-1', 42)).toBe('{"treeSize":42}');
    expect(await getCheckpointObject('CHAIN#a-1', 43)).toBeUndefined();
    expect(s3).toHaveReceivedLastCommandWith(GetObjectCommand, { Bucket: 'checkpoints-bucket', Key: 'checkpoints/CHAIN#a-1/000000000043.json' });
  });

  it('writes a report file with its type and length', async () => {
    s3.on(PutObjectCommand).resolves({});
    const pdf = Buffer.from('%PDF-1.7');

    await putReportFile('reports/2025/v1.pdf', pdf, 'application/pdf');

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'reports-bucket', Key: 'reports/2025/v1.pdf', Body: pdf, ContentType: 'application/pdf', ContentLength: 8 });
  });
});
