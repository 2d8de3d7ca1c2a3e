/**
 * Keys of the Audit table: per chain, a head item (`CHAIN#<chain> / HEAD`: seq, hash) and the events
 * by sequence number (`CHAIN#<chain> / SEQ#000000000001`); an index per entity (gsi1, whose keys are
 * part of the hashed event, see shared/domain/audit.ts).
 */
import { chainPk, eventSk, EVENT_SK_PREFIX, LEGACY_CHAIN } from '../domain/audit.ts';
import type { AuditEvent } from '../domain/audit.ts';

export { chainPk, eventSk, EVENT_SK_PREFIX };

export const HEAD_SK = 'HEAD';
export const chainHeadKey = (chain: string): { pk: string; sk: string } => ({ pk: chainPk(chain), sk: HEAD_SK });

/** The stored item: exactly the hashed event plus the table keys derived from (chain, seq). */
export function auditEventItem(e: AuditEvent): Record<string, unknown> {
  return { ...e, pk: chainPk(e.chain), sk: eventSk(e.seq) };
}

/**
 * The event of a stored item: every attribute but the table keys (so what is returned is what the
 * hash covers). Legacy items carry no `chain`; it is added as `main` for readers.
 */
export function auditEventFromItem(item: Readonly<Record<string, unknown>>): AuditEvent {
  const { pk, sk: _sk, ...rest } = item;
  if (rest.chain === undefined && pk === chainPk(LEGACY_CHAIN)) return { ...rest, chain: LEGACY_CHAIN } as unknown as AuditEvent;
  return rest as unknown as AuditEvent;
}
