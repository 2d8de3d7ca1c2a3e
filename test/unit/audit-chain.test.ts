/**
 * The audit trail as hash chains (R7, I2, issue 12): events go to one of 16 chains by entity; an intact
 * chain verifies; any altered, removed, swapped or truncated event — index keys included — is reported
 * with the chain and seq where the chain breaks. The legacy `main` chain stays verifiable. Personal
 * data never enters the trail (D9).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AUDIT_CHAINS,
  AUDIT_SHARDS,
  ChainVerifier,
  GENESIS_HASH,
  LEGACY_CHAIN,
  canonicalJson,
  chainEvents,
  chainOf,
  diffForAudit,
  entityIndexKeys,
  hashEvent,
  hashLegacyEvent,
  type AuditActor,
  type AuditEvent,
  type AuditEventInput,
  type ChainBreak,
} from '../../shared/domain/audit.ts';
import { auditEventFromItem, auditEventItem } from '../../shared/store/audit-keys.ts';

const actor: AuditActor = { sub: 'u-1', name: '王法规', groups: ['admin'] };
const meta = { at: '2026-11-26T01:00:00.000Z', requestId: 'req-1', actor };

const inputs = (n: number): AuditEventInput[] =>
  Array.from({ length: n }, (_, i) => ({
    action: 'officer.update',
    entityType: 'Officer',
    entityId: `off-${i + 1}`,
    change: { region: { from: '宿城区', to: `宿豫区 ${i + 1}` } },
  }));

/** Five events written in two requests, as the store would append them. */
function fiveEventChain(): AuditEvent[] {
  const first = chainEvents({ seq: 0, hash: GENESIS_HASH }, inputs(3), meta);
  const last = first.at(-1)!;
  const second = chainEvents({ seq: last.seq, hash: last.hash }, inputs(2), {
    at: '2026-11-26T02:00:00.000Z',
    requestId: 'req-2',
    actor: { sub: 'u-2', name: '李执法', groups: ['officer'] },
  });
  return [...first, ...second];
}

/** Walks `events` as the verifier job does and returns the first break (or undefined). */
function verify(events: readonly (AuditEvent | Readonly<Record<string, unknown>>)[], head: { seq: number; hash: string } | undefined, chain = 's00'): ChainBreak | undefined {
  const verifier = new ChainVerifier(chain);
  for (const e of events) if (!verifier.push(e)) break;
  return verifier.finish(head);
}

const headOf = (events: readonly AuditEvent[]) => ({ seq: events.at(-1)!.seq, hash: events.at(-1)!.hash });

describe('chainEvents + ChainVerifier: intact chains', () => {
  it('numbers events from the head and links each to the previous hash', () => {
    const events = fiveEventChain();

    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    for (const e of events) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts an intact chain, including one written over several requests', () => {
    const events = fiveEventChain();
    const verifier = new ChainVerifier();

    const pushed = events.map((e) => verifier.push(e));
    const result = verifier.finish(headOf(events));

    expect(pushed).toEqual([true, true, true, true, true]);
    expect(result).toBeUndefined();
    expect(verifier.checked).toBe(5);
    expect(verifier.broken).toBeUndefined();
  });

  it('accepts an empty trail with no head pointer', () => {
    expect(verify([], undefined)).toBeUndefined();
  });

  it('hashes the same event identically whatever the key order of its change', () => {
    const [a] = chainEvents({ seq: 0, hash: GENESIS_HASH }, [{ action: 'x', entityType: 'T', entityId: '1', change: { a: 1, b: { c: 2, d: 3 } } }], meta);
    const [b] = chainEvents({ seq: 0, hash: GENESIS_HASH }, [{ action: 'x', entityType: 'T', entityId: '1', change: { b: { d: 3, c: 2 }, a: 1 } }], meta);

    expect(a!.hash).toBe(b!.hash);
  });
});

describe('ChainVerifier: tampering is found where it happened', () => {
  const tamperings: Record<string, (e: AuditEvent) => AuditEvent> = {
    change: (e) => ({ ...e, change: { region: { from: '宿城区', to: '泗洪县' } } }),
    'change (extra key)': (e) => ({ ...e, change: { ...e.change, note: '补记' } }),
    actor: (e) => ({ ...e, actor: { ...e.actor, name: '他人' } }),
    'actor groups': (e) => ({ ...e, actor: { ...e.actor, groups: ['admin', 'leader'] } }),
    at: (e) => ({ ...e, at: '2020-01-01T00:00:00.000Z' }),
    action: (e) => ({ ...e, action: 'officer.delete' }),
    entityType: (e) => ({ ...e, entityType: 'Agency' }),
    entityId: (e) => ({ ...e, entityId: 'off-999' }),
    requestId: (e) => ({ ...e, requestId: 'req-forged' }),
    hash: (e) => ({ ...e, hash: 'f'.repeat(64) }),
  };

  for (const [field, tamper] of Object.entries(tamperings)) {
    it(`altering ${field} of any event → HASH_MISMATCH at that seq`, () => {
      const events = fiveEventChain();
      for (let i = 0; i < events.length; i++) {
        const altered = events.map((e, j) => (j === i ? tamper(e) : e));

        const result = verify(altered, headOf(events));

        expect(result).toMatchObject({ kind: 'HASH_MISMATCH', seq: i + 1 });
        expect(result!.message).toContain(`第 ${i + 1} 号`);
      }
    });
  }

  it('any change to the change payload of any event is detected (property)', () => {
    const events = fiveEventChain();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue()), (index, change) => {
        fc.pre(canonicalJson(change) !== canonicalJson(events[index]!.change));
        const altered = events.map((e, j) => (j === index ? { ...e, change } : e));

        const result = verify(altered, headOf(events));

        expect(result).toMatchObject({ kind: 'HASH_MISMATCH', seq: index + 1 });
      }),
    );
  });

  it('a rewritten event with a recomputed hash breaks the next link (PREV_HASH_MISMATCH)', () => {
    const events = fiveEventChain();
    const { hash: _old, ...rest } = { ...events[1]!, action: 'officer.delete' };
    const forged: AuditEvent = { ...rest, hash: hashEvent(rest) };
    const altered = events.map((e, j) => (j === 1 ? forged : e));

    const result = verify(altered, headOf(events));

    expect(result).toMatchObject({ kind: 'PREV_HASH_MISMATCH', seq: 3 });
  });

  it('altering prevHash → PREV_HASH_MISMATCH at that seq', () => {
    const events = fiveEventChain();
    const altered = events.map((e, j) => (j === 3 ? { ...e, prevHash: GENESIS_HASH } : e));

    expect(verify(altered, headOf(events))).toMatchObject({ kind: 'PREV_HASH_MISMATCH', seq: 4 });
  });

  it('removing any event → MISSING naming the missing seq', () => {
    const events = fiveEventChain();
    for (let i = 0; i < events.length - 1; i++) {
      const without = events.filter((_, j) => j !== i);

      const result = verify(without, headOf(events));

      expect(result).toMatchObject({ kind: 'MISSING', seq: i + 1 });
      expect(result!.message).toContain(`第 ${i + 1} 号审计事件缺失`);
    }
  });

  it('swapping two events in storage order breaks the chain at the first displaced seq', () => {
    const events = fiveEventChain();
    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!, events[4]!];

    expect(verify(swapped, headOf(events))).toMatchObject({ kind: 'MISSING', seq: 2 });
  });

  it('swapping two events and renumbering them → PREV_HASH_MISMATCH at the first', () => {
    const events = fiveEventChain();
    const swapped = [events[0]!, { ...events[2]!, seq: 2 }, { ...events[1]!, seq: 3 }, events[3]!, events[4]!];

    expect(verify(swapped, headOf(events))).toMatchObject({ kind: 'PREV_HASH_MISMATCH', seq: 2 });
  });

  it('inserting a foreign event → the chain breaks at the inserted seq', () => {
    const events = fiveEventChain();
    const [foreign] = chainEvents({ seq: 2, hash: 'a'.repeat(64) }, inputs(1), meta);
    const inserted = [events[0]!, events[1]!, foreign!, ...events.slice(3)];

    expect(verify(inserted, headOf(events))).toMatchObject({ kind: 'PREV_HASH_MISMATCH', seq: 3 });
  });

  it('head pointer ahead of the last event (truncated tail) → MISSING after the last event', () => {
    const events = fiveEventChain();

    const result = verify(events.slice(0, 3), headOf(events));

    expect(result).toMatchObject({ kind: 'MISSING', seq: 4 });
    expect(result!.message).toContain('链头记录共 5 条');
  });

  it('all events deleted while the head still says 5 → MISSING seq 1', () => {
    const events = fiveEventChain();

    expect(verify([], headOf(events))).toMatchObject({ kind: 'MISSING', seq: 1 });
  });

  it('head pointer behind the events, or with another hash → HEAD_MISMATCH', () => {
    const events = fiveEventChain();

    expect(verify(events, { seq: 4, hash: events[3]!.hash })).toMatchObject({ kind: 'HEAD_MISMATCH', seq: 5 });
    expect(verify(events, { seq: 5, hash: 'e'.repeat(64) })).toMatchObject({ kind: 'HEAD_MISMATCH', seq: 5 });
  });

  it('stops at the first break and reports it again from finish()', () => {
    const events = fiveEventChain();
    const altered = events.map((e, j) => (j === 1 ? { ...e, action: 'x' } : e));
    const verifier = new ChainVerifier();

    const pushed = altered.map((e) => verifier.push(e));
    const result = verifier.finish(headOf(events));

    expect(pushed).toEqual([true, false, false, false, false]);
    expect(verifier.checked).toBe(2);
    expect(result).toBe(verifier.broken);
    expect(result).toMatchObject({ kind: 'HASH_MISMATCH', seq: 2 });
  });
});

describe('chains chosen by entity (issue 12, point 1)', () => {
  it('has 16 fixed chains s00…s15', () => {
    expect(AUDIT_SHARDS).toBe(16);
    expect(AUDIT_CHAINS).toEqual(Array.from({ length: 16 }, (_, i) => `s${String(i).padStart(2, '0')}`));
  });

  it('routes an entity by SHA-256 of type#id, its first four bytes modulo 16 (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (type, id) => {
        const n = createHash('sha256').update(`${type}#${id}`, 'utf8').digest().readUInt32BE(0) % 16;

        expect(chainOf(type, id)).toBe(`s${String(n).padStart(2, '0')}`);
        expect(chainOf(type, id)).toBe(chainOf(type, id));
      }),
    );
  });

  it('spreads entities over every chain', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3200; i++) {
      const chain = chainOf('Case', `case-${i}`);
      counts.set(chain, (counts.get(chain) ?? 0) + 1);
    }

    expect([...counts.keys()].sort()).toEqual([...AUDIT_CHAINS]);
    for (const n of counts.values()) expect(n).toBeGreaterThan(120); // 200 expected per chain
  });

  it('chains events in the head\'s chain, each event naming its chain and its index keys', () => {
    const events = chainEvents({ chain: 's07', seq: 4, hash: 'a'.repeat(64) }, inputs(2), meta);

    expect(events.map((e) => [e.chain, e.seq])).toEqual([['s07', 5], ['s07', 6]]);
    expect(events[0]).toMatchObject({ gsi1pk: 'ENTITY#Officer#off-1', gsi1sk: `${meta.at}#000000000005`, prevHash: 'a'.repeat(64) });
    expect(new ChainVerifier('s07').chain).toBe('s07');
  });

  it('appends nothing to the legacy chain and refuses unknown chains', () => {
    expect(() => chainEvents({ chain: LEGACY_CHAIN, seq: 3, hash: GENESIS_HASH }, inputs(1), meta)).toThrow(/main/);
    expect(() => chainEvents({ chain: 's16', seq: 0, hash: GENESIS_HASH }, inputs(1), meta)).toThrow(/s16/);
    expect(() => new ChainVerifier('s16')).toThrow(/s16/);
  });
});

describe('the hash covers the stored item as a whole (issue 12, point 5)', () => {
  /** The chain as the table holds it: each event plus its table keys. */
  const storedChain = (): Record<string, unknown>[] => fiveEventChain().map(auditEventItem);

  it('the stored item is the hashed event plus pk/sk derived from (chain, seq), and verifies', () => {
    const items = storedChain();

    expect(items[1]).toMatchObject({ pk: 'CHAIN#s00', sk: 'SEQ#000000000002', chain: 's00', seq: 2 });
    const { pk: _pk, sk: _sk, hash, ...covered } = items[1]!;
    expect(hash).toBe(createHash('sha256').update(canonicalJson(covered)).digest('hex'));
    expect(verify(items, headOf(fiveEventChain()))).toBeUndefined();
    expect(auditEventFromItem(items[1]!)).toEqual(fiveEventChain()[1]);
  });

  const tamperings: Record<string, (item: Record<string, unknown>) => Record<string, unknown>> = {
    'gsi1pk (another entity\'s history)': (item) => ({ ...item, gsi1pk: 'ENTITY#Officer#off-999' }),
    'gsi1sk (another time)': (item) => ({ ...item, gsi1sk: `2020-01-01T00:00:00.000Z#${String(item.seq).padStart(12, '0')}` }),
    'an extra attribute': (item) => ({ ...item, note: '补记' }),
    'a removed attribute (gsi1sk: out of the entity\'s history)': ({ gsi1sk: _g, ...item }) => item,
    'the chain field': (item) => ({ ...item, chain: 's01' }),
  };
  for (const [what, tamper] of Object.entries(tamperings)) {
    it(`changing ${what} of any event → HASH_MISMATCH at that chain and seq`, () => {
      const items = storedChain();
      for (let i = 0; i < items.length; i++) {
        const altered = items.map((e, j) => (j === i ? tamper(e) : e));

        const result = verify(altered, headOf(fiveEventChain()));

        expect(result).toMatchObject({ kind: 'HASH_MISMATCH', chain: 's00', seq: i + 1 });
        expect(result!.message).toContain(`审计链 s00 第 ${i + 1} 号`);
      }
    });
  }

  it('an item stored under keys other than its (chain, seq) → KEY_MISMATCH', () => {
    const items = storedChain();

    expect(verify(items.map((e, j) => (j === 2 ? { ...e, sk: 'SEQ#000000000002x' } : e)), headOf(fiveEventChain()))).toMatchObject({ kind: 'KEY_MISMATCH', seq: 3 });
    expect(verify(items.map((e, j) => (j === 2 ? { ...e, pk: 'CHAIN#s01' } : e)), headOf(fiveEventChain()))).toMatchObject({ kind: 'KEY_MISMATCH', seq: 3 });
  });

  it('an intact event copied from another chain → KEY_MISMATCH (first events all link to the genesis hash)', () => {
    const [foreign] = chainEvents({ chain: 's05', seq: 0, hash: GENESIS_HASH }, inputs(1), meta);

    expect(verify([foreign!], { seq: 1, hash: foreign!.hash }, 's00')).toMatchObject({ kind: 'KEY_MISMATCH', chain: 's00', seq: 1 });
    expect(verify([foreign!], { seq: 1, hash: foreign!.hash }, 's05')).toBeUndefined();
  });

  it('swapping two events\' contents under their keys → broken at the first of them', () => {
    const items = storedChain();
    // Everything but the table keys swapped: the seq stored under SEQ#2 is now 3.
    const swapped = items.map((e, j) => (j === 1 ? { ...items[2], pk: e.pk, sk: e.sk } : j === 2 ? { ...items[1], pk: e.pk, sk: e.sk } : e));
    // The same, keeping each position's seq (and so its index key's seq): the links no longer hold.
    const keepSeq = items.map((e, j) =>
      j === 1 || j === 2 ? { ...items[3 - j]!, pk: e.pk, sk: e.sk, seq: e.seq, gsi1sk: e.gsi1sk } : e,
    );

    expect(verify(swapped, headOf(fiveEventChain()))).toMatchObject({ kind: 'KEY_MISMATCH', seq: 2 });
    expect(verify(keepSeq, headOf(fiveEventChain()))).toMatchObject({ kind: 'PREV_HASH_MISMATCH', seq: 2 });
  });

  it('hashes what DynamoDB returns: undefined members dropped, undefined in a list stored as null', () => {
    const [event] = chainEvents({ seq: 0, hash: GENESIS_HASH }, [{ action: 'x', entityType: 'T', entityId: '1', change: { a: undefined, list: [1, undefined] } }], meta);
    const asReturned = { ...event!, change: { list: [1, null] } };

    expect(event!.change).toEqual({ list: [1, null] });
    expect(verify([asReturned], { seq: 1, hash: event!.hash })).toBeUndefined();
  });
});

describe('the legacy main chain (before the split)', () => {
  /** Events as the single-chain version stored them: a fixed list of fields hashed, index keys derived. */
  function legacyChain(n: number): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    let prevHash = GENESIS_HASH;
    inputs(n).forEach((input, i) => {
      const seq = i + 1;
      const body = { seq, at: meta.at, requestId: meta.requestId, actor, ...input, prevHash };
      const hash = hashLegacyEvent(body);
      out.push({ pk: 'CHAIN#main', sk: `SEQ#${String(seq).padStart(12, '0')}`, ...entityIndexKeys(input.entityType, input.entityId, meta.at, seq), ...body, hash });
      prevHash = hash;
    });
    return out;
  }
  const legacyHead = (items: Record<string, unknown>[]) => ({ seq: items.length, hash: items.at(-1)!.hash as string });

  it('verifies in its own format, and as read back with chain: main', () => {
    const items = legacyChain(4);

    expect(verify(items, legacyHead(items), 'main')).toBeUndefined();
    expect(verify(items.map((i) => auditEventFromItem(i)), legacyHead(items), 'main')).toBeUndefined();
    expect(auditEventFromItem(items[0]!).chain).toBe('main');
  });

  it('finds an edited field, changed index keys and an extra attribute at their seq', () => {
    const items = legacyChain(4);
    const at = (j: number, change: (e: Record<string, unknown>) => Record<string, unknown>) => items.map((e, k) => (k === j ? change(e) : e));

    expect(verify(at(1, (e) => ({ ...e, action: 'officer.delete' })), legacyHead(items), 'main')).toMatchObject({ kind: 'HASH_MISMATCH', chain: 'main', seq: 2 });
    expect(verify(at(2, (e) => ({ ...e, gsi1pk: 'ENTITY#Officer#off-9' })), legacyHead(items), 'main')).toMatchObject({ kind: 'HASH_MISMATCH', seq: 3 });
    expect(verify(at(2, (e) => ({ ...e, gsi1sk: `2020-01-01T00:00:00.000Z#000000000003` })), legacyHead(items), 'main')).toMatchObject({ kind: 'HASH_MISMATCH', seq: 3 });
    expect(verify(at(3, (e) => ({ ...e, note: 'x' })), legacyHead(items), 'main')).toMatchObject({ kind: 'HASH_MISMATCH', seq: 4 });
    expect(verify(items.slice(0, 3), legacyHead(items), 'main')).toMatchObject({ kind: 'MISSING', chain: 'main', seq: 4 });
  });

  it('is not confused with the new format: a new-format event is not a legacy one', () => {
    const items = fiveEventChain().map(auditEventItem).map((e) => ({ ...e, pk: 'CHAIN#main' }));

    expect(verify(items, headOf(fiveEventChain()), 'main')).toMatchObject({ kind: 'HASH_MISMATCH', seq: 1 });
  });
});

/** The same object with its keys (at every level) in a permuted order. */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorder(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const shuffled = entries
    .map((entry, i) => ({ entry, rank: Math.sin(seed * 997 + i * 131) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ entry: [k, v] }, i) => [k, reorder(v, seed + i + 1)] as const);
  return Object.fromEntries(shuffled);
}

describe('canonicalJson', () => {
  it('is independent of key order at every level (property)', () => {
    fc.assert(
      fc.property(fc.object(), fc.integer(), (obj, seed) => {
        const shuffled = reorder(obj, seed);

        expect(canonicalJson(shuffled)).toBe(canonicalJson(obj));
      }),
    );
  });

  it('produces valid JSON equal in content to the input (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);

        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('distinguishes values that differ only in type', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});

describe('diffForAudit', () => {
  const before = { name: '张三', region: '宿城区', idNumber: '11010519491231002X', phone: '13912345678', updatedAt: 't1' };

  it('records changed fields with their values and skips unchanged and ignored ones', () => {
    const after = { ...before, region: '宿豫区', updatedAt: 't2' };

    const diff = diffForAudit(before, after, ['updatedAt']);

    expect(diff).toEqual({ region: { from: '宿城区', to: '宿豫区' } });
  });

  it('masks idNumber and phone but records that they changed', () => {
    const after = { ...before, idNumber: '320102198001010013', phone: '13800001111' };

    const diff = diffForAudit(before, after);
    const text = JSON.stringify(diff);

    expect(diff).toEqual({ idNumber: { from: '***', to: '***' }, phone: { from: '***', to: '***' } });
    for (const raw of [before.idNumber, before.phone, after.idNumber, after.phone]) expect(text).not.toContain(raw);
  });

  it('shows a personal field being added or removed as null ↔ *** without its value', () => {
    const created = diffForAudit(undefined, { name: '张三', phone: '13912345678' });
    const removed = diffForAudit({ name: '张三', homeAddress: '宿迁市某路 1 号' }, { name: '张三' });

    expect(created).toEqual({ name: { from: null, to: '张三' }, phone: { from: null, to: '***' } });
    expect(removed).toEqual({ homeAddress: { from: '***', to: null } });
  });

  it('never contains the raw personal values, whatever they are (property)', () => {
    const personal = fc.stringMatching(/^[0-9X-]{7,20}$/);
    fc.assert(
      fc.property(personal, personal, personal, personal, (id1, id2, ph1, ph2) => {
        fc.pre(id1 !== id2 && ph1 !== ph2);

        const diff = diffForAudit({ idNumber: id1, phone: ph1 }, { idNumber: id2, phone: ph2 });
        const text = JSON.stringify(diff);

        expect(Object.keys(diff).sort()).toEqual(['idNumber', 'phone']);
        for (const raw of [id1, id2, ph1, ph2]) expect(text).not.toContain(raw);
      }),
    );
  });

  it('compares nested values by content, not by reference or key order', () => {
    const diff = diffForAudit({ categories: ['食品', '药品'], meta: { a: 1, b: 2 } }, { categories: ['食品', '药品'], meta: { b: 2, a: 1 } });

    expect(diff).toEqual({});
  });
});
