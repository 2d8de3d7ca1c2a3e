/**
 * Presigned evidence URLs as AWS S3 would receive them (presigning is offline: no request is sent).
 * A device can only upload if the URL asks S3 to check nothing but what the device actually sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const saved = { ...process.env };

beforeAll(() => {
  // AWS mode: no local endpoint or path style; fake credentials, presigning needs no network.
  for (const k of ['AWS_ENDPOINT_URL_S3', 'S3_FORCE_PATH_STYLE', 'AWS_PROFILE']) delete process.env[k];
  Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', EVIDENCE_BUCKET: 'evidence-bucket' });
});
afterAll(() => {
  process.env = saved;
});

describe('presigned evidence URLs in AWS mode', () => {
  it('a part URL carries no checksum of an empty body (S3 would refuse every part)', async () => {
    const { presignPart } = await import('../../shared/aws/evidence-bucket.ts');
    const url = new URL(await presignPart('evidence/c/e', 'upload-1', 3, 900));
    expect(url.hostname).toBe('evidence-bucket.s3.cn-north-1.amazonaws.com.cn');
    expect(url.searchParams.get('partNumber')).toBe('3');
    expect(url.searchParams.get('uploadId')).toBe('upload-1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect([...url.searchParams.keys()].filter((k) => k.toLowerCase().startsWith('x-amz-checksum') || k === 'x-amz-sdk-checksum-algorithm')).toEqual([]);
  });

  it('a single-PUT URL signs the declared SHA-256, so S3 refuses a body that does not match it', async () => {
    const { presignPut } = await import('../../shared/aws/evidence-bucket.ts');
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const { url, headers } = await presignPut('evidence/c/e', 'video/mp4', sha, 900);
    const parsed = new URL(url);
    const base64 = Buffer.from(sha, 'hex').toString('base64');
    // Either signed as a header the device sends, or as a signed query parameter: both bind it.
    const inQuery = parsed.searchParams.get('x-amz-checksum-sha256');
    const signedHeaders = parsed.searchParams.get('X-Amz-SignedHeaders') ?? '';
    expect(inQuery === base64 || signedHeaders.split(';').includes('x-amz-checksum-sha256')).toBe(true);
    expect(headers['x-amz-checksum-sha256']).toBe(base64);
    expect(parsed.searchParams.get('x-amz-checksum-crc32')).toBeNull();
  });
});
