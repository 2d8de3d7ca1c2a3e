/**
 * Form drafts in sessionStorage (issue 16: an expired session must not lose what the user typed): every
 * change is saved under the form's key, restored when the form opens again (after signing in anew),
 * and removed once the API has accepted the form.
 */
import type { KeyValueStore } from './session.ts';

const PREFIX = 'three-systems.console.draft.';

export const draftKey = (form: string, id: string): string => `${PREFIX}${form}.${id}`;

export function loadDraft<T extends object>(store: KeyValueStore, key: string, empty: T): T {
  const text = store.getItem(key);
  if (text === null) return empty;
  try {
    const value: unknown = JSON.parse(text);
    // Only the fields the form knows, of the types it expects: an old draft's extra keys are dropped.
    if (typeof value !== 'object' || value === null) return empty;
    const draft = { ...empty } as Record<string, unknown>;
    for (const [k, v] of Object.entries(empty)) {
      const saved = (value as Record<string, unknown>)[k];
      if (saved !== undefined && (Array.isArray(v) ? Array.isArray(saved) : typeof saved === typeof v)) draft[k] = saved;
    }
    return draft as T;
  } catch {
    return empty;
  }
}

export const saveDraft = (store: KeyValueStore, key: string, value: object): void => store.setItem(key, JSON.stringify(value));
export const clearDraft = (store: KeyValueStore, key: string): void => store.removeItem(key);

/** The part of Web Storage that lists its keys (sessionStorage; a Map-backed fake in tests). */
export interface ListableStore extends KeyValueStore {
  readonly length: number;
  key(index: number): string | null;
}

/**
 * Removes every form draft: on 退出登录, so that what a user typed (a party's ID number, address…)
 * does not stay in the tab for whoever signs in next. An expired session keeps them (the point of drafts).
 */
export function clearAllDrafts(store: ListableStore): void {
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const k = store.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  for (const k of keys) store.removeItem(k);
}
