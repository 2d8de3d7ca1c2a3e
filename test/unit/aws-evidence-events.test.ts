/**
 * The object-created events the evidence-seal function accepts (R6, R7), in the shapes AWS delivers them,
 * typed with `@types/aws-lambda`: the bucket's EventBridge "Object Created" event (AWS) and the S3
 * notification `Records` (local mode's s3rver, and any S3 → Lambda notification). Only the keys of
 * created objects go on to sealing. No network: S3 is mocked and no event here reaches it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Context, S3Event, S3EventRecord, S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { S3Client } from '@aws-sdk/client-s3';
import { createdKeys, handler } from '../../functions/evidence-seal/handler.ts';

const s3 = mockClient(S3Client);
const saved = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', EVIDENCE_BUCKET: 'evidence-bucket' });
});
beforeEach(() => {
  s3.reset();
});
afterAll(() => {
  s3.restore();
  process.env = saved;
});

/** An S3 notification record as S3 sends it: the key URL-encoded, spaces as `+`. */
function record(eventName: string, key: string): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'cn-north-1',
    eventTime: '2026-03-02T01:02:03.000Z',
    eventName,
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    requestParameters: { sourceIPAddress: '203.0.113.9' },
    responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'evidence-created',
      bucket: { name: 'evidence-bucket', ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: 'arn:aws-cn:s3:::evidence-bucket' },
      object: { key, size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko', sequencer: '0055AED6DCD90281E5' },
    },
  };
}

/** The EventBridge event S3 sends for a new object when the bucket's EventBridge notifications are on. */
function objectCreated(key: string, reason: S3ObjectCreatedNotificationEvent['detail']['reason'] = 'CompleteMultipartUpload'): S3ObjectCreatedNotificationEvent {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2026-03-02T01:02:03Z',
    region: 'cn-north-1',
    resources: ['arn:aws-cn:s3:::evidence-bucket'],
    detail: {
      version: '0',
      bucket: { name: 'evidence-bucket' },
      object: { key, size: 1024, etag: 'd41d8cd98f00b204e9800998ecf8427e', 'version-id': '096fKKXTRTtl3on89fVO.nfljtsv6qko', sequencer: '0055AED6DCD90281E5' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '203.0.113.9',
      reason,
    },
  };
}

const context = { awsRequestId: 'req-1', functionName: 'evidence-seal', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:evidence-seal', memoryLimitInMB: '512' } as Context;

describe('object-created events', () => {
  it('an EventBridge "Object Created" event gives its key as it is (EventBridge does not encode keys)', () => {
    expect(createdKeys(objectCreated('evidence/c-1/e-1'))).toEqual(['evidence/c-1/e-1']);
    expect(createdKeys(objectCreated('evidence/c-1/e-2', 'PutObject'))).toEqual(['evidence/c-1/e-2']);
  });

  it('S3 notification records give the decoded keys of created objects only', () => {
    const event: S3Event = {
      Records: [
        record('ObjectCreated:CompleteMultipartUpload', 'evidence/c-1/e-1'),
        record('ObjectCreated:Put', 'evidence/c-1/%E7%8E%B0%E5%9C%BA+1%2B2.mp4'),
        record('ObjectRemoved:Delete', 'evidence/c-1/e-3'),
        record('ObjectRestore:Completed', 'evidence/c-1/e-4'),
      ],
    };

    expect(createdKeys(event)).toEqual(['evidence/c-1/e-1', 'evidence/c-1/现场 1+2.mp4']);
  });

  it('events of other kinds, or without an object key, give nothing to seal', () => {
    const deleted = { ...objectCreated('evidence/c-1/e-1'), 'detail-type': 'Object Deleted' };
    const noKey = { ...objectCreated('x'), detail: { bucket: { name: 'evidence-bucket' } } } as unknown as S3ObjectCreatedNotificationEvent;

    expect(createdKeys(deleted)).toEqual([]);
    expect(createdKeys(noKey)).toEqual([]);
    expect(createdKeys({ Records: [] })).toEqual([]);
  });

  it('a created-object record without its s3 part is refused with an error, not skipped', () => {
    const broken = { Records: [{ eventName: 'ObjectCreated:Put' }] } as unknown as S3Event;

    expect(() => createdKeys(broken)).toThrow(TypeError);
  });

  it('the handler reads nothing from S3 for an event with nothing to seal', async () => {
    const deleted = { ...objectCreated('evidence/c-1/e-1'), 'detail-type': 'Object Deleted' };

    await expect(handler(deleted as unknown as S3ObjectCreatedNotificationEvent, context)).resolves.toEqual({ results: [] });
    await expect(handler({ Records: [] }, context)).resolves.toEqual({ results: [] });
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('the handler refuses a scheduled event for a job it does not run', async () => {
    await expect(handler({ job: 'rotate-keys', schedule: 'rate(1 day)' } as never, context)).rejects.toThrow('Unknown job rotate-keys');
  });
});
