/**
 * No personal data in the permanent audit trail (issue 10, point 9). The trail is append-only and
 * hash-chained: whatever goes in stays for ever. Free text that people type into a change (a download
 * reason, a note, review materials, an opinion, ...) may carry an ID number or a phone number, so every
 * event's `change` passes through the publication redaction's detectors (ID numbers, mobile numbers,
 * bank cards, e-mail addresses) before it is chained; `shared/store/transact.ts` `commit`, the one
 * writer of audit events, calls `redactAuditEvent`.
 *
 * Every string value of `change` is walked, at any depth, so a free-text field added later is covered
 * without anyone remembering to list it. Structured values are left alone by their key, because a
 * detector would read some of them as personal data: hex digests (a SHA-256 can hold a run of 17
 * digits), ids, numbers of cases, decisions and certificates, organisations' credit codes (public, N1),
 * dates and instants. Such a key shields its whole subtree (`decisionDueDate: {from, to}`).
 *
 * What was removed is recorded in the change itself, as `redacted: [{ field, kinds }]` (the path of
 * the field and the kinds of data found), never the value nor a hash of it: an unkeyed hash of an ID
 * number is brute-forced in minutes. The record sits inside `change` so that it is covered by the
 * event's hash like everything else, and the chain's verification is unchanged.
 */
import type { AuditEventInput } from './audit.ts';
import { DEFAULT_REDACTION_POLICY, redactText } from './redaction.ts';
import type { RedactionCategory } from './redaction.ts';

/** The key of `change` under which the redactions of an event are recorded. */
export const REDACTED_KEY = 'redacted';

export interface AuditRedaction {
  /** Path of the field inside `change`, e.g. `reason`, `materials[0].note`. */
  readonly field: string;
  readonly kinds: readonly RedactionCategory[];
}

/**
 * Keys whose values are structured, not free text: ids and id lists, digests and hashes, numbers of
 * cases, decisions and certificates (`…No`), credit codes, codes and serials, dates and instants,
 * versions, signing keys and object versions.
 */
const STRUCTURED_KEY =
  /^(?:id|ids|.+Ids?|.*[Hh]ash(?:es)?|sha256|.+Sha256|creditCode|code|.+Code|serial|.+No|.+Nos|at|.+At|.+On|.+Date|date|retainUntil|version|.+Version|versionNo|keyId|objectVersionId)$/;

/** A hex digest (MD5 and up) under a key not listed above: never personal data, but digit-rich. */
const HEX_DIGEST = /^(?=[0-9a-f]*[a-f])[0-9a-f]{32,128}$/i;

/**
 * The detectors need a key for the HMAC they keep of every finding; here the findings' hashes are
 * dropped (see the module comment), so a fixed key does no harm.
 */
const UNUSED_SALT = 'audit-trail-redaction-unused-salt';

function redactString(value: string): { text: string; kinds: RedactionCategory[] } {
  // No detector matches fewer than 6 characters (an e-mail address is the shortest).
  if (value.length < 6 || HEX_DIGEST.test(value)) return { text: value, kinds: [] };
  const { text, findings } = redactText(value, { knownValues: [], salt: UNUSED_SALT }, DEFAULT_REDACTION_POLICY);
  return { text, kinds: [...new Set(findings.map((f) => f.category))].sort() };
}

function walk(value: unknown, path: string, found: AuditRedaction[]): unknown {
  if (typeof value === 'string') {
    const { text, kinds } = redactString(value);
    if (kinds.length > 0) found.push({ field: path, kinds });
    return text;
  }
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, found));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = STRUCTURED_KEY.test(k) ? v : walk(v, path === '' ? k : `${path}.${k}`, found);
    }
    return out;
  }
  return value;
}

/** The change with personal data removed from its free text, and what was removed where. */
export function redactAuditChange(change: Readonly<Record<string, unknown>>): { change: Record<string, unknown>; redacted: AuditRedaction[] } {
  const redacted: AuditRedaction[] = [];
  const out = walk(change, '', redacted) as Record<string, unknown>;
  return { change: out, redacted };
}

/**
 * The event as it may be chained: unchanged when its change holds no personal data, else with the
 * free text redacted and `change.redacted` listing each field and the kinds of data removed.
 */
export function redactAuditEvent(event: AuditEventInput): AuditEventInput {
  if (Object.hasOwn(event.change, REDACTED_KEY)) {
    // A caller's own `redacted` would be indistinguishable from ours: a programming error.
    throw new Error(`Audit change of ${event.action} uses the reserved key "${REDACTED_KEY}"`);
  }
  const { change, redacted } = redactAuditChange(event.change);
  if (redacted.length === 0) return event;
  return { ...event, change: { ...change, [REDACTED_KEY]: redacted } };
}
