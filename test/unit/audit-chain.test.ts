/**
 * The audit trail as a hash chain (R7, I2): an intact chain verifies; any altered, removed, swapped
 * or truncated event is reported with the seq where the chain breaks. Personal data never enters
 * the trail (D9).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ChainVerifier,
  GENESIS_HASH,
  canonicalJson,
  chainEvents,
  diffForAudit,
  hashEvent,
  type AuditActor,
  type AuditEvent,
  type AuditEventInput,
  type ChainBreak,
} from '../../shared/domain/audit.ts';

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
function verify(events: readonly AuditEvent[], head: { seq: number; hash: string } | undefined): ChainBreak | undefined {
  const verifier = new ChainVerifier();
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
