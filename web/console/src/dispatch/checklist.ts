import type { ChecklistItem, TaskCheck } from './types';

// The pre-trip safety check (出车前安全检查) without the DOM: the items the admin configures (the
// server sends their names), each answered ok or not ok with a note, whether the driver may send
// it, and the body of POST /api/driver/tasks/{id}/check.

/** defaultChecks are the items used when the server sends none (keys; names in the dictionary). */
export const defaultChecks = ['tyres', 'lights', 'brakes', 'fuel', 'documents', 'disinfection', 'cabin', 'belts'] as const;

/** Answer is one item as the driver answered it. */
export interface Answer {
  /** The item as the server names it (sent back as `item`). */
  key: string;
  label: string;
  ok: boolean | null;
  note: string;
}

/** ChecklistState is the whole check. */
export interface ChecklistState {
  items: Answer[];
  note: string;
}

/**
 * initChecklist starts a check from the server's items (names, or {key,label}), keeping the
 * answers an earlier check gave; fallbackLabel names the default items used when there are none.
 */
export function initChecklist(
  items: (ChecklistItem | string)[] | null | undefined,
  fallbackLabel: (key: string) => string,
  previous?: TaskCheck | null,
): ChecklistState {
  const given = (items ?? []).map((it) => (typeof it === 'string' ? { key: it, label: it } : it));
  const src: ChecklistItem[] = given.length ? given : defaultChecks.map((key) => ({ key, label: fallbackLabel(key) }));
  const before = new Map((previous?.items ?? []).map((a) => [a.item, a]));
  const seen = new Set<string>();
  const out: Answer[] = [];
  src.forEach((it, i) => {
    const key = (it.key || it.label || `item${i + 1}`).trim();
    if (!key || seen.has(key)) return;
    seen.add(key);
    const old = before.get(key);
    const ok = typeof it.ok === 'boolean' ? it.ok : old ? old.ok : null;
    out.push({ key, label: it.label || fallbackLabel(key), ok, note: it.note ?? old?.note ?? '' });
  });
  return { items: out, note: previous?.note ?? '' };
}

/** answer sets one item (a new state; the old one is left as it was). */
export function answer(s: ChecklistState, key: string, ok: boolean): ChecklistState {
  return { ...s, items: s.items.map((a) => (a.key === key ? { ...a, ok } : a)) };
}

/** note sets one item's note. */
export function note(s: ChecklistState, key: string, text: string): ChecklistState {
  return { ...s, items: s.items.map((a) => (a.key === key ? { ...a, note: text } : a)) };
}

/** allOk marks every item ok at once (the common case on a phone). */
export function allOk(s: ChecklistState): ChecklistState {
  return { ...s, items: s.items.map((a) => ({ ...a, ok: true })) };
}

/** checkProblems: every item answered; an item not ok says what is wrong. Key → code. */
export function checkProblems(s: ChecklistState): Record<string, string> {
  const p: Record<string, string> = {};
  for (const a of s.items) {
    if (a.ok === null) p[a.key] = 'required';
    else if (!a.ok && !a.note.trim()) p[a.key] = 'note_required';
  }
  return p;
}

/** progressOf counts answered and failed items. */
export function progressOf(s: ChecklistState): { answered: number; failed: number; total: number } {
  return {
    answered: s.items.filter((a) => a.ok !== null).length,
    failed: s.items.filter((a) => a.ok === false).length,
    total: s.items.length,
  };
}

/** checkBody is the JSON the server takes: each item by name with ok and note, and a general note. */
export function checkBody(s: ChecklistState): { items: { item: string; ok: boolean; note?: string }[]; note: string } {
  return {
    items: s.items.map((a) => {
      const n = a.note.trim();
      return n ? { item: a.key, ok: a.ok === true, note: n } : { item: a.key, ok: a.ok === true };
    }),
    note: s.note.trim(),
  };
}

/** allPassed tells whether every item was ok. */
export function allPassed(s: ChecklistState): boolean {
  return s.items.every((a) => a.ok === true);
}
