/** Keys of the Audit table: one chain, events by sequence number, and an index per entity. */
import type { AuditEvent } from '../domain/audit.ts';

export const CHAIN_PK = 'CHAIN#main';
export const CHAIN_HEAD_KEY = { pk: CHAIN_PK, sk: 'HEAD' } as const;
export const EVENT_SK_PREFIX = 'SEQ#';

export const eventSk = (seq: number): string => `${EVENT_SK_PREFIX}${String(seq).padStart(12, '0')}`;

export function auditEventItem(e: AuditEvent): Record<string, unknown> {
  return {
    pk: CHAIN_PK,
    sk: eventSk(e.seq),
    gsi1pk: `ENTITY#${e.entityType}#${e.entityId}`,
    gsi1sk: `${e.at}#${String(e.seq).padStart(12, '0')}`,
    ...e,
  };
}

export function auditEventFromItem(item: Record<string, unknown>): AuditEvent {
  const { seq, at, requestId, actor, action, entityType, entityId, change, prevHash, hash } = item as unknown as AuditEvent;
  return { seq, at, requestId, actor, action, entityType, entityId, change, prevHash, hash };
}
