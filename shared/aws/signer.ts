/**
 * Signs and verifies evidence manifests (R7). In AWS: the KMS asymmetric key (ECC_NIST_P256,
 * ECDSA_SHA_256) named by `EVIDENCE_SIGNING_KEY_ID`; the private key never leaves KMS. In local mode:
 * a P-256 key in a PEM file (`LOCAL_SIGNING_KEY_FILE`), same algorithm and signature encoding (DER), so
 * the same verification code checks both.
 */
import { createHash, createPrivateKey, createPublicKey, sign as signBytes, verify as verifyBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GetPublicKeyCommandOutput, KMSClient } from '@aws-sdk/client-kms';
import type { ManifestSignature } from '../domain/evidence.ts';
import { requireEnv } from './env.ts';
import { traceClient } from './tracing.ts';

export const SIGNING_KEY_ENV = 'EVIDENCE_SIGNING_KEY_ID';
export const LOCAL_SIGNING_KEY_FILE_ENV = 'LOCAL_SIGNING_KEY_FILE';

export interface ManifestSigner {
  sign(message: string): Promise<ManifestSignature>;
  verify(message: string, signature: ManifestSignature): Promise<boolean>;
  /** The public key and the id signatures carry (published for audit checkpoints). */
  publicKey(): Promise<{ keyId: string; key: KeyObject }>;
}

// The KMS SDK is loaded with the first KMS call: routes that never sign or verify never load it (issue 13).
let kms: Promise<{ client: KMSClient; sdk: typeof import('@aws-sdk/client-kms') }> | undefined;
const kmsClient = () =>
  (kms ??= import('@aws-sdk/client-kms').then((sdk) => ({ client: traceClient(new sdk.KMSClient({ maxAttempts: 3 })), sdk })));
const publicKeys = new Map<string, Promise<KeyObject>>();

function kmsSigner(keyId: string): ManifestSigner {
  const getPublicKey = async (id: string) => {
    const { client, sdk } = await kmsClient();
    return client.send(new sdk.GetPublicKeyCommand({ KeyId: id }));
  };
  const publicKey = (id: string): Promise<KeyObject> => {
    let key = publicKeys.get(id);
    if (!key) {
      key = getPublicKey(id).then((res) => kmsPublicKey(res).key);
      publicKeys.set(id, key);
      key.catch(() => publicKeys.delete(id));
    }
    return key;
  };
  return {
    async sign(message) {
      const { client, sdk } = await kmsClient();
      const res = await client.send(new sdk.SignCommand({ KeyId: keyId, Message: Buffer.from(message, 'utf8'), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
      if (!res.Signature || !res.KeyId) throw new Error('KMS returned no signature');
      return { keyId: res.KeyId, algorithm: 'ECDSA_SHA_256', value: Buffer.from(res.Signature).toString('base64') };
    },
    async verify(message, signature) {
      return verifyWith(await publicKey(signature.keyId), message, signature);
    },
    async publicKey() {
      // GetPublicKey answers the key's ARN, the same id Sign answers: what signatures name.
      return kmsPublicKey(await getPublicKey(keyId));
    },
  };
}

/**
 * The SPKI DER KMS answers as a KeyObject. Only an ECC_NIST_P256 key is accepted: ECDSA_SHA_256 also
 * signs with secp256k1 keys, whose signatures would verify here but not against the published P-256 claim.
 */
function kmsPublicKey(res: GetPublicKeyCommandOutput): { keyId: string; key: KeyObject } {
  if (!res.PublicKey || !res.KeyId) throw new Error('KMS returned no public key');
  if (res.KeySpec !== 'ECC_NIST_P256') throw new Error(`KMS key ${res.KeyId} is ${String(res.KeySpec)}, not ECC_NIST_P256`);
  return { keyId: res.KeyId, key: createPublicKey({ key: Buffer.from(res.PublicKey), format: 'der', type: 'spki' }) };
}

function localSigner(file: string): ManifestSigner {
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  const publicKey = createPublicKey(privateKey);
  const fingerprint = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16);
  const keyId = `local:${fingerprint}`;
  return {
    sign(message) {
      const value = signBytes('sha256', Buffer.from(message, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
      return Promise.resolve({ keyId, algorithm: 'ECDSA_SHA_256', value });
    },
    verify(message, signature) {
      return Promise.resolve(signature.keyId === keyId && verifyWith(publicKey, message, signature));
    },
    publicKey() {
      return Promise.resolve({ keyId, key: publicKey });
    },
  };
}

function verifyWith(key: KeyObject, message: string, signature: ManifestSignature): boolean {
  if (signature.algorithm !== 'ECDSA_SHA_256') return false;
  try {
    return verifyBytes('sha256', Buffer.from(message, 'utf8'), { key, dsaEncoding: 'der' }, Buffer.from(signature.value, 'base64'));
  } catch {
    return false;
  }
}

let signer: ManifestSigner | undefined;

export function manifestSigner(): ManifestSigner {
  if (!signer) {
    const localFile = process.env[LOCAL_SIGNING_KEY_FILE_ENV];
    signer = localFile ? localSigner(localFile) : kmsSigner(requireEnv(SIGNING_KEY_ENV));
  }
  return signer;
}
