/**
 * A form's draft kept in sessionStorage as it is typed (drafts.ts): read once when the form opens,
 * saved on every change, cleared once the API has accepted it. `onChange` runs after each change
 * (a form that asked for a confirmation asks again after an edit).
 */
import { useState } from 'preact/hooks';
import { clearDraft, loadDraft, saveDraft } from './drafts.ts';

export function useSessionDraft<T extends object>(key: string, empty: () => T, onChange?: () => void) {
  const [draft, setDraft] = useState<T>(() => loadDraft(sessionStorage, key, empty()));
  const update = (patch: Partial<T>): void => {
    const next = { ...draft, ...patch };
    setDraft(next);
    onChange?.();
    saveDraft(sessionStorage, key, next);
  };
  /** Forgets the saved draft; with `next`, the form starts over from it. */
  const clear = (next?: T): void => {
    clearDraft(sessionStorage, key);
    if (next !== undefined) setDraft(next);
  };
  return { draft, update, clear };
}
