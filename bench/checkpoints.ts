/**
 * The signed-checkpoint job (issue 12, "Measure"): its time and items read when the log holds 10,000
 * and then 100,000 events — the first run at each size builds the trees of everything new, the next
 * run after 1,000 more events must read about 1,000 events whatever the log's size (the frontier is
 * kept between runs) — and the sizes of the proofs a verifier downloads (log₂ n hashes).
 *
 * DynamoDB Local in memory and s3rver (the locked checkpoint copies); events are built with the
 * product's own chaining (`chainEvents`, `auditEventItem`, spread over the 16 chains by `chainOf`) and
 * written in batches, so the job reads exactly what `commit` would have left.
 */
import { generateKeyPairSync, sign as signBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AUDIT_CHAINS, chainEvents, chainOf, GENESIS_HASH } from '../shared/domain/audit.ts';
import type { AuditEvent, AuditEventInput } from '../shared/domain/audit.ts';
import { inclusionProof } from '../shared/domain/merkle.ts';
import { auditEventItem, chainHeadKey } from '../shared/store/audit-keys.ts';
import { applyLocalEnvironment, LOCAL_CREDENTIALS, LOCAL_REGION, localEnvironment, startEmbeddedServices } from '../local/services.ts';
import { round } from './stats.ts';
import { countReads } from './read-counter.ts';

export interface CheckpointRunStats {
  readonly eventsInLog: number;
  readonly newEvents: number;
  readonly eventsRead: number;
  readonly itemsRead: number;
  readonly roundTrips: number;
  readonly nodesWritten: number;
  readonly checkpoints: number;
  readonly ms: number;
  readonly loadAverage: number;
}

export interface ProofSizes {
  readonly eventsInLog: number;
  /** Leaves of the largest chain. */
  readonly chainSize: number;
  readonly log2: number;
  readonly inclusionHashes: number;
  readonly consistencyHashes: number;
}

export interface CheckpointBench {
  readonly runs: readonly CheckpointRunStats[];
  readonly proofs: readonly ProofSizes[];
}

/** A signer shaped like shared/aws/signer.ts's local one: P-256, SHA-256, DER in base64. */
function benchSigner() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = 'bench:key-1';
  return {
    sign: (message: string) => Promise.resolve({ keyId, algorithm: 'ECDSA_SHA_256' as const, value: signBytes('sha256', Buffer.from(message, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('base64') }),
    publicKey: () => Promise.resolve({ keyId, key: publicKey }),
  };
}

export async function benchCheckpoints(sizes: readonly number[], increment: number, say: (line: string) => void): Promise<CheckpointBench> {
  const services = await startEmbeddedServices({});
  applyLocalEnvironment(localEnvironment(services));
  // Imported after the environment is set: the shared clients read their endpoint once.
  const { documentClient } = await import('../shared/aws/clients.ts');
  const { tableName } = await import('../shared/aws/env.ts');
  const { runCheckpoints, checkpointConsistency } = await import('../shared/services/checkpoints.ts');
  const { storedNodes } = await import('../shared/store/checkpoints.ts');
  const counts = countReads(documentClient(), 'benchCheckpointReadCounter');
  const loader = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: services.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 8 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const audit = tableName('Audit');
  const heads = new Map<string, { chain: string; seq: number; hash: string }>(AUDIT_CHAINS.map((c) => [c, { chain: c, seq: 0, hash: GENESIS_HASH }]));
  let written = 0;

  /** `n` more events, spread over the chains by their entity, chained and written with their heads. */
  const append = async (n: number): Promise<void> => {
    const byChain = new Map<string, AuditEventInput[]>();
    for (let i = written; i < written + n; i++) {
      const input: AuditEventInput = { action: 'bench.touch', entityType: 'Case', entityId: `bench-${i}`, change: { n: i } };
      const chain = chainOf(input.entityType, input.entityId);
      (byChain.get(chain) ?? byChain.set(chain, []).get(chain)!).push(input);
    }
    written += n;
    const items: Record<string, unknown>[] = [];
    const at = new Date().toISOString();
    for (const [chain, inputs] of byChain) {
      const events: AuditEvent[] = chainEvents(heads.get(chain)!, inputs, { at, requestId: 'bench', actor: { sub: 'bench', name: '基准', groups: ['admin'] } });
      items.push(...events.map(auditEventItem));
      const last = events.at(-1)!;
      heads.set(chain, { chain, seq: last.seq, hash: last.hash });
    }
    const pending: Promise<void>[] = [];
    for (let i = 0; i < items.length; i += 25) {
      let batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      pending.push(
        (async () => {
          for (let attempt = 0; batch.length > 0; attempt++) {
            const res = await loader.send(new BatchWriteCommand({ RequestItems: { [audit]: batch } }));
            batch = (res.UnprocessedItems?.[audit] ?? []).map((r) => ({ PutRequest: { Item: r.PutRequest?.Item ?? {} } }));
            if (attempt > 20) throw new Error('BatchWriteItem kept items unprocessed');
          }
        })(),
      );
      if (pending.length >= 8) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    for (const head of heads.values()) {
      if (head.seq > 0) await loader.send(new PutCommand({ TableName: audit, Item: { ...chainHeadKey(head.chain), seq: head.seq, hash: head.hash, at } }));
    }
  };

  const signer = benchSigner();
  const measure = async (newEvents: number): Promise<CheckpointRunStats> => {
    counts.items = 0;
    counts.trips = 0;
    const loadAverage = round(loadavg()[0] ?? Number.NaN, 2);
    const started = performance.now();
    const run = await runCheckpoints({ signer });
    const ms = performance.now() - started;
    if (run.broken > 0) throw new Error(`checkpoint run found ${run.broken} broken chain(s)`);
    return { eventsInLog: written, newEvents, eventsRead: run.eventsRead, itemsRead: counts.items, roundTrips: counts.trips, nodesWritten: run.nodesWritten, checkpoints: run.created, ms: round(ms, 0), loadAverage };
  };

  const runs: CheckpointRunStats[] = [];
  const proofs: ProofSizes[] = [];
  try {
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const adding = size - written;
      say(`writing ${adding.toLocaleString('en')} events (log: ${size.toLocaleString('en')})…`);
      await append(adding);
      runs.push(await measure(adding));
      say(`  checkpoint over them: ${runs.at(-1)!.eventsRead} events read, ${runs.at(-1)!.ms} ms`);
      const before = new Map([...heads].map(([c, h]) => [c, h.seq]));
      await append(increment);
      runs.push(await measure(increment));
      say(`  ${increment} more events: ${runs.at(-1)!.eventsRead} events read, ${runs.at(-1)!.itemsRead} items in ${runs.at(-1)!.roundTrips} round trips, ${runs.at(-1)!.ms} ms`);
      // Proofs in the largest chain: a leaf in the middle, and from the previous checkpoint to this one.
      const [chain, head] = [...heads].sort((a, b) => b[1].seq - a[1].seq)[0]!;
      const inclusion = await inclusionProof(storedNodes(chain), Math.floor(head.seq / 2), head.seq);
      const consistency = await checkpointConsistency(chain, head.seq, before.get(chain)!);
      proofs.push({ eventsInLog: written, chainSize: head.seq, log2: round(Math.log2(head.seq), 1), inclusionHashes: inclusion.length, consistencyHashes: consistency.proof.length });
    }
    return { runs, proofs };
  } finally {
    loader.destroy();
    await services.stop();
  }
}
