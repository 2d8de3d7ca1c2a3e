/**
 * Agency names for public listings. The list is small (one city and its counties) and changes
 * rarely, so one query per minute per container instead of a lookup per item.
 */
import * as registry from '#store/registry.ts';

const TTL_MS = 60_000;
let cached: { at: number; names: Map<string, string> } | undefined;

export async function agencyNames(): Promise<Map<string, string>> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.names;
  const names = new Map((await registry.allAgencies(true)).map((a) => [a.id, a.name]));
  cached = { at: Date.now(), names };
  return names;
}
