/**
 * Local executions waiting for a person survive a restart of the local runtime (issue 10, point 8):
 * the system is stopped and started again on the same data directory (as `npm start` is), the waiting
 * execution is resumed at its step with a fresh token, and the reviewer's opinion then goes through.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/runtime.ts';
import { applyLocalEnvironment } from '../../local/services.ts';
import { uniqueId, type FetchOptions } from './helpers.ts';
import { approveOpinion, reviewWorld, type ApiLike, type Err, type ReviewView } from './fixtures/review-scenario.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'review-restart-'));
let system: LocalSystem | undefined;

async function start(): Promise<LocalSystem> {
  const services = inject('localServices');
  applyLocalEnvironment(services.env);
  system = await startLocalSystem({ port: 0, services, dataDir, seed: false, log: () => undefined });
  return system;
}

/** The API of whichever system is running now (tokens survive: the secret is in the data dir). */
const api: ApiLike = {
  token: (groups = ['officer'], o = {}) =>
    (system as LocalSystem).tokens.issue({ sub: o.sub ?? uniqueId('user'), name: o.name ?? '测试用户', groups, ...(o.agencyId ? { agencyId: o.agencyId } : {}), ...(o.officerId ? { officerId: o.officerId } : {}) }),
  async fetchJson<T>(path: string, init: FetchOptions = {}) {
    const headers: Record<string, string> = { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) };
    const res = await fetch(`${(system as LocalSystem).url}${path}`, { method: init.method ?? (init.json === undefined ? 'GET' : 'POST'), headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T, text };
  },
};

afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a review waiting for the reviewer survives a restart, and the opinion then goes through to the next step', async () => {
  await start();
  const world = await reviewWorld(api);
  const waiting = await world.awaitingOpinion();
  const workflowsDir = join(dataDir, 'workflows');

  await (system as LocalSystem).stop();
  // The waiting execution is kept on disk, at its step.
  expect(readdirSync(workflowsDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);

  await start();
  // Resumed: the step is entered again and its fresh token stored (the version moves once).
  const resumed = await world.until(waiting.id, 'the step resumed', (r) => r.version === waiting.version + 1);
  expect([resumed.step, resumed.status, resumed.executionId]).toEqual(['AwaitOpinion', 'IN_PROGRESS', waiting.executionId]);

  const given = await api.fetchJson<ReviewView & Err>(`/reviews/${waiting.id}/opinion`, { token: world.reviewer, json: approveOpinion(resumed.version) });
  expect(given.status, given.text).toBe(200);
  await world.approveToPassed(waiting.id);
  // An ended execution leaves nothing behind to resume.
  await world.until(waiting.id, 'the file removed', () => readdirSync(workflowsDir).filter((f) => f.endsWith('.json')).length === 0);
});
