/**
 * Seeds the demo bureau on first start (a city bureau, two county bureaus, ~30 officers, ~40
 * power-list items, ~10 random-inspection items) through the same services the API uses, so
 * every seeded record also has its audit event. Idempotent: does nothing once agencies exist.
 */
import { createAgencyBody } from '#domain/agency.ts';
import { createOfficerBody } from '#domain/officer.ts';
import type { Identity } from '#domain/identity.ts';
import { listAgencies } from '#store/registry.ts';
import { createAgency, createOfficer } from '#services/registry.ts';
import { createItem } from '#services/catalog.ts';
import { systemContext } from '#services/context.ts';
import { demoAgencies, demoInspectionItems, demoOfficers, demoPowers } from './seed-data.ts';

const SEEDER: Identity = { sub: 'system:seed', name: '演示数据初始化', groups: ['admin'] };

export async function seedDemo(): Promise<{ seeded: boolean }> {
  const existing = await listAgencies({ limit: 1 });
  if (existing.items.length > 0) return { seeded: false };
  const ctx = systemContext(SEEDER);
  for (const a of demoAgencies) await createAgency(ctx, createAgencyBody.parse(a));
  for (const { training, ...o } of demoOfficers) await createOfficer(ctx, createOfficerBody.parse(o), training ?? []);
  for (const p of demoPowers) await createItem(ctx, 'POWER', p.code, p.content, p.effectiveFrom);
  for (const i of demoInspectionItems) await createItem(ctx, 'INSPECTION', i.code, i.content, i.effectiveFrom);
  return { seeded: true };
}
