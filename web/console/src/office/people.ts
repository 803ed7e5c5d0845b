import { ranks, type Person } from './types';

// Choosing whom to put in a room: people ordered by rank (the standard they carry), then name.

/** rankIndex orders ranks from 县级正职 down; unknown ranks last. */
export function rankIndex(rank: string | null | undefined): number {
  const i = ranks.indexOf(rank as (typeof ranks)[number]);
  return i < 0 ? ranks.length : i;
}

const byName = new Intl.Collator('zh-CN');

/** sortPeople orders people by rank, then by name (pinyin order in Chinese). */
export function sortPeople<T extends Pick<Person, 'rank' | 'name'>>(people: T[]): T[] {
  return [...people].sort((a, b) => rankIndex(a.rank) - rankIndex(b.rank) || byName.compare(a.name, b.name));
}

/** matches tells whether a person fits a filter typed by the user (name, username, unit). */
export function matches(p: Person, q: string): boolean {
  const s = q.trim().toLowerCase();
  if (!s) return true;
  return [p.name, p.username, p.unit_name, p.post].some((v) => v?.toLowerCase().includes(s));
}
