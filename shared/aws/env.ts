/**
 * Environment read once, with a clear error when a variable is missing.
 */
import type { TableId } from '../manifest.ts';
import { tableSpec } from '../store/tables.ts';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is not set`);
  }
  return value;
}

const names = new Map<TableId, string>();

/** The deployed (or local) name of a table, read from its environment variable once. */
export function tableName(id: TableId): string {
  let name = names.get(id);
  if (name === undefined) {
    name = requireEnv(tableSpec(id).envVar);
    names.set(id, name);
  }
  return name;
}

/** True when running under `npm start` or the integration tests, never in Lambda. */
export const isLocalMode = (): boolean => process.env.LOCAL_MODE === 'true';
