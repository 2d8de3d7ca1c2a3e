/**
 * Seeds the demo bureau on first start (a city bureau, two county bureaus, ~30 officers, ~40
 * power-list items, ~10 random-inspection items) through the same services the API uses, so
 * every seeded record also has its audit event. Resumable: records that exist are skipped, and a
 * marker written last makes later starts do nothing.
 */
import { createAgencyBody } from '#domain/agency.ts';
import { ConflictError } from '#domain/errors.ts';
import { createOfficerBody } from '#domain/officer.ts';
import type { Identity } from '#domain/identity.ts';
import { markSeedDone, seedDone } from '#store/registry.ts';
import { commit } from '#store/transact.ts';
import { createAgency, createOfficer } from '#services/registry.ts';
import { createItem } from '#services/catalog.ts';
import { commitContext, systemContext } from '#services/context.ts';
import { demoAgencies, demoInspectionItems, demoOfficers, demoPowers } from './seed-data.ts';
import { seedDemoCases } from './seed-cases.ts';
import { seedProcedureCases } from './seed-procedure.ts';

const SEEDER: Identity = { sub: 'system:seed', name: '演示数据初始化', groups: ['admin'] };
const MARKER = 'demo-bureau';

/** Ignore "already there" from a seed interrupted half-way. */
async function once(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (e) {
    if (e instanceof ConflictError && (e.code === 'ALREADY_EXISTS' || e.code === 'DUPLICATE_CERTIFICATE')) return;
    throw e;
  }
}

export async function seedDemo(): Promise<{ seeded: boolean }> {
  if (await seedDone(MARKER)) return { seeded: false };
  const ctx = systemContext(SEEDER);
  for (const a of demoAgencies) await once(() => createAgency(ctx, createAgencyBody.parse(a)));
  for (const { training, ...o } of demoOfficers) await once(() => createOfficer(ctx, createOfficerBody.parse(o), training ?? []));
  for (const p of demoPowers) await once(() => createItem(ctx, 'POWER', p.code, p.content, p.effectiveFrom));
  for (const i of demoInspectionItems) await once(() => createItem(ctx, 'INSPECTION', i.code, i.content, i.effectiveFrom));
  const cases = await seedDemoCases();
  const procedureCases = await seedProcedureCases();
  await commit(commitContext(ctx), [markSeedDone(MARKER, new Date().toISOString())], [
    { action: 'seed.complete', entityType: 'Seed', entityId: MARKER, change: { agencies: demoAgencies.length, officers: demoOfficers.length, powers: demoPowers.length, inspectionItems: demoInspectionItems.length, publishedDecisions: cases, procedureCases } },
  ]);
  return { seeded: true };
}
