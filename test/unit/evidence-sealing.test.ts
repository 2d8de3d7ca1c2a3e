/**
 * The pure parts of sealing and device identity (R4, R6, R7): how device tokens become identities,
 * object keys, retention dates, ETag comparison, the two event shapes that drive sealing, the local
 * client secrets and the manifest signer in local mode.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityFromClaims } from '../../shared/domain/identity.ts';
import { evidenceIdOfKey, evidenceObjectKey, manifestCanonicalJson, normalEtag, retainUntil } from '../../shared/domain/evidence.ts';
import type { EvidenceManifest } from '../../shared/domain/evidence.ts';
import { localClientSecret, localClientSecretMatches } from '../../shared/aws/device-clients.ts';
import { createdKeys } from '../../functions/evidence-seal/handler.ts';

const CASE = '4d8f1c2e-9a3b-4c5d-8e6f-7a8b9c0d1e2f';
const EVIDENCE = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('device identities (R4)', () => {
  it('a client-credentials access token is a device with its scopes and no groups', () => {
    const identity = identityFromClaims({ sub: 'abc123', client_id: 'abc123', token_use: 'access', scope: 'evidence/upload other/x' });
    expect(identity).toEqual({ sub: 'abc123', name: '设备 abc123', groups: [], deviceClientId: 'abc123', scopes: ['evidence/upload', 'other/x'] });
  });

  it('an ID token is a person, never a device, even with a client_id claim', () => {
    const identity = identityFromClaims({ sub: 'u1', token_use: 'id', client_id: 'abc', 'cognito:username': 'u1', 'cognito:groups': 'admin' });
    expect(identity?.deviceClientId).toBeUndefined();
    expect(identity?.groups).toEqual(['admin']);
  });

  it('local client secrets check only for the client and key they were made for', () => {
    const key = Buffer.alloc(32, 7).toString('base64url');
    const secret = localClientSecret(key, 'local-device-1');
    expect(localClientSecretMatches(key, 'local-device-1', secret)).toBe(true);
    expect(localClientSecretMatches(key, 'local-device-2', secret)).toBe(false);
    expect(localClientSecretMatches(Buffer.alloc(32, 8).toString('base64url'), 'local-device-1', secret)).toBe(false);
    expect(localClientSecretMatches(key, 'local-device-1', secret.slice(1))).toBe(false);
  });
});

describe('evidence objects', () => {
  it('keys name the case and the evidence, and only such keys are evidence', () => {
    const key = evidenceObjectKey(CASE, EVIDENCE);
    expect(key).toBe(`evidence/${CASE}/${EVIDENCE}`);
    expect(evidenceIdOfKey(key)).toBe(EVIDENCE);
    expect(evidenceIdOfKey(`evidence/${CASE}/${EVIDENCE}/x`)).toBeUndefined();
    expect(evidenceIdOfKey(`other/${CASE}/${EVIDENCE}`)).toBeUndefined();
    expect(evidenceIdOfKey('evidence/../../etc')).toBeUndefined();
  });

  it('retention runs whole calendar years, leap days included', () => {
    expect(retainUntil(new Date('2026-03-05T08:00:00Z'), 30).toISOString()).toBe('2056-03-05T08:00:00.000Z');
    expect(retainUntil(new Date('2028-02-29T00:00:00Z'), 1).toISOString()).toBe('2029-03-01T00:00:00.000Z');
  });

  it('ETags compare without quotes or case', () => {
    expect(normalEtag('"ABCdef"')).toBe(normalEtag('abcdef'));
    expect(normalEtag('"abc"')).not.toBe(normalEtag('"abd"'));
  });
});

describe('the events that drive sealing', () => {
  it('S3 notifications (local mode) give decoded keys of created objects only', () => {
    const keys = createdKeys({
      Records: [
        { eventName: 'ObjectCreated:Put', s3: { object: { key: 'evidence/a+b/%E8%AF%81' } } },
        { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'evidence/x' } } },
        { eventName: 'ObjectCreated:CompleteMultipartUpload', s3: { object: { key: 'evidence/c' } } },
      ],
    });
    expect(keys).toEqual(['evidence/a b/证', 'evidence/c']);
  });

  it('EventBridge events (AWS) give the key as it is', () => {
    expect(createdKeys({ source: 'aws.s3', 'detail-type': 'Object Created', detail: { object: { key: 'evidence/a+b' } } })).toEqual(['evidence/a+b']);
    expect(createdKeys({ source: 'aws.s3', 'detail-type': 'Object Deleted', detail: { object: { key: 'evidence/a' } } })).toEqual([]);
  });
});

describe('the local manifest signer (R7)', () => {
  it('signs the canonical manifest so that any change to it fails verification', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signer-'));
    const file = join(dir, 'key.pem');
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    process.env.LOCAL_SIGNING_KEY_FILE = file;
    const { manifestSigner } = await import('../../shared/aws/signer.ts');
    const manifest: EvidenceManifest = {
      evidenceId: EVIDENCE,
      caseNo: 'SQ-CITY-2026-00001',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      sizeBytes: 10,
      capturedAt: '2026-03-05T09:30:00+08:00',
      capturePlace: { text: '宿城区某超市' },
      collectorOfficerId: 'o-1',
      proves: '现场存放过期食品',
      mediaType: 'VIDEO',
      sealedAt: '2026-03-05T02:00:00.000Z',
    };
    const signature = await manifestSigner().sign(manifestCanonicalJson(manifest));
    expect(signature.algorithm).toBe('ECDSA_SHA_256');
    expect(await manifestSigner().verify(manifestCanonicalJson(manifest), signature)).toBe(true);
    expect(await manifestSigner().verify(manifestCanonicalJson({ ...manifest, sizeBytes: 11 }), signature)).toBe(false);
    expect(await manifestSigner().verify(manifestCanonicalJson(manifest), { ...signature, keyId: 'local:other' })).toBe(false);
  });
});
