/**
 * The KMS branch of the manifest signer (R7), driven with the commands KMS receives and the answers it
 * gives: Sign returns a DER ECDSA signature, GetPublicKey the SPKI DER of the key. No network: the KMS
 * client is mocked; the "KMS key" is a P-256 key made here, so signatures verify for real.
 */
import { generateKeyPairSync, sign as signBytes, verify as verifyBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { GetPublicKeyCommand, KMSClient, KMSInvalidStateException, NotFoundException, SignCommand } from '@aws-sdk/client-kms';

const KEY_ARN = 'arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ALIAS = 'alias/evidence-signing';
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = (key = p256.publicKey): Uint8Array => new Uint8Array(key.export({ format: 'der', type: 'spki' }));
const derSign = (message: Uint8Array): Uint8Array => new Uint8Array(signBytes('sha256', message, { key: p256.privateKey, dsaEncoding: 'der' }));

const kms = mockClient(KMSClient);
const saved = { ...process.env };

beforeAll(() => {
  delete process.env.LOCAL_SIGNING_KEY_FILE;
  Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', EVIDENCE_SIGNING_KEY_ID: KEY_ALIAS });
});
beforeEach(() => {
  kms.reset();
  // The signer and its public-key cache are per process: a fresh module per test.
  vi.resetModules();
});
afterAll(() => {
  kms.restore();
  process.env = saved;
});

const signer = async () => (await import('../../shared/aws/signer.ts')).manifestSigner();

/** KMS Sign as the service answers: the key's ARN and a DER signature over the raw message. */
function answerSign(): void {
  kms.on(SignCommand).callsFake((input: { Message?: Uint8Array }) => ({
    KeyId: KEY_ARN,
    SigningAlgorithm: 'ECDSA_SHA_256',
    Signature: derSign(input.Message ?? new Uint8Array()),
  }));
}

describe('manifest signing with KMS', () => {
  it('sends Sign for the configured key with the raw message and ECDSA_SHA_256, and keeps the DER signature as base64', async () => {
    answerSign();
    const message = '{"evidenceId":"e-1","sha256":"ab"}';

    const signature = await (await signer()).sign(message);

    expect(kms).toHaveReceivedCommandExactlyOnceWith(SignCommand, {
      KeyId: KEY_ALIAS,
      Message: Buffer.from(message, 'utf8'),
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    // The signature names the key's ARN (what KMS answers), not the alias it was asked with.
    expect(signature.keyId).toBe(KEY_ARN);
    expect(signature.algorithm).toBe('ECDSA_SHA_256');
    // DER as KMS returns it, not the raw r||s form: anyone verifies it with the published key.
    expect(verifyBytes('sha256', Buffer.from(message), { key: p256.publicKey, dsaEncoding: 'der' }, Buffer.from(signature.value, 'base64'))).toBe(true);
  });

  it('fails when KMS answers without a signature, and passes KMS errors through', async () => {
    kms.on(SignCommand).resolvesOnce({ KeyId: KEY_ARN }).rejectsOnce(new KMSInvalidStateException({ message: 'key is pending deletion', $metadata: {} }));
    const s = await signer();

    await expect(s.sign('m')).rejects.toThrow('KMS returned no signature');
    await expect(s.sign('m')).rejects.toBeInstanceOf(KMSInvalidStateException);
  });
});

describe('manifest verification with the KMS public key', () => {
  it('turns the SPKI DER from GetPublicKey into the key that verifies, fetched once per key id', async () => {
    answerSign();
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', PublicKey: spki() });
    const s = await signer();
    const signature = await s.sign('manifest');

    expect(await s.verify('manifest', signature)).toBe(true);
    expect(await s.verify('manifest, altered', signature)).toBe(false);
    // A signature in the r||s (P1363) form is not what KMS produces: refused, not thrown.
    const p1363 = signBytes('sha256', Buffer.from('manifest'), { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
    expect(await s.verify('manifest', { ...signature, value: p1363 })).toBe(false);

    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 1);
    expect(kms).toHaveReceivedCommandWith(GetPublicKeyCommand, { KeyId: KEY_ARN });
  });

  it('publishes the key with the id signatures carry', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_NIST_P256', PublicKey: spki() });

    const { keyId, key } = await (await signer()).publicKey();

    expect(kms).toHaveReceivedCommandWith(GetPublicKeyCommand, { KeyId: KEY_ALIAS });
    expect(keyId).toBe(KEY_ARN);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(key.export({ format: 'der', type: 'spki' })).toEqual(p256.publicKey.export({ format: 'der', type: 'spki' }));
  });

  it('refuses a key that is not ECC_NIST_P256, even one ECDSA_SHA_256 signs with', async () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_SECG_P256K1', PublicKey: spki(k1.publicKey) });

    await expect((await signer()).publicKey()).rejects.toThrow(`KMS key ${KEY_ARN} is ECC_SECG_P256K1, not ECC_NIST_P256`);
  });

  it('does not cache a failed GetPublicKey: the next verification asks again', async () => {
    answerSign();
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(new NotFoundException({ message: 'Key not found', $metadata: {} }))
      .resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_NIST_P256', PublicKey: spki() });
    const s = await signer();
    const signature = await s.sign('manifest');

    await expect(s.verify('manifest', signature)).rejects.toBeInstanceOf(NotFoundException);
    expect(await s.verify('manifest', signature)).toBe(true);
    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 2);
  });
});
