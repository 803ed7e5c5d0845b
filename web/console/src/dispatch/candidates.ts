import type { Candidate, CandidateReason } from './types';

// A candidate's score broken down for the dispatcher. The server sends `reasons` as a list of
// parts ({"code","cost"} or plain sentences) or as a map part → cost; the console shows each
// part with its name in the console's language when it knows the code, and the number.

/** Part is one line of a score breakdown. */
export interface Part {
  /** A known code (distance, fairness, new_energy, own_unit …) or '' for a plain sentence. */
  code: string;
  /** The server's own words, shown when the console has no name for the code. */
  text: string;
  /** The part's cost or value; null for a sentence. */
  value: number | null;
  detail: string;
}

/** breakdown turns a candidate's reasons into parts, in the order the server gave them. */
export function breakdown(reasons: Candidate['reasons']): Part[] {
  if (!reasons) return [];
  if (Array.isArray(reasons)) {
    return reasons
      .map((r): Part | null => {
        if (typeof r === 'string') return r.trim() ? { code: '', text: r.trim(), value: null, detail: '' } : null;
        if (!r || typeof r !== 'object') return null;
        const x = r as CandidateReason;
        const value = typeof x.cost === 'number' ? x.cost : typeof x.value === 'number' ? x.value : null;
        const text = x.label ?? x.text ?? x.detail ?? x.code ?? x.name ?? '';
        return { code: x.code ?? x.name ?? '', text, value, detail: x.detail && x.detail !== text ? x.detail : '' };
      })
      .filter((p): p is Part => p !== null);
  }
  return Object.entries(reasons).map(([code, v]) => ({
    code,
    text: code,
    value: typeof v === 'number' ? v : null,
    detail: typeof v === 'string' ? v : '',
  }));
}

/** formatScore shows a score or cost with at most two decimals, without trailing zeros. */
export function formatScore(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** rankCandidates keeps the server's order (best first) and numbers them 1, 2, 3 …; duplicates dropped. */
export function rankCandidates(items: Candidate[] | null | undefined): (Candidate & { rank: number; key: string })[] {
  const seen = new Set<string>();
  const out: (Candidate & { rank: number; key: string })[] = [];
  for (const c of items ?? []) {
    const key = `${c.vehicle_id}:${c.driver_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...c, rank: out.length + 1, key });
  }
  return out;
}

/** candidateVehicles lists each vehicle once, with the rank of its best pair (for the map). */
export function candidateVehicles(items: { vehicle_id: number; rank: number }[]): Map<number, number> {
  const best = new Map<number, number>();
  for (const c of items) if (!best.has(c.vehicle_id) || best.get(c.vehicle_id)! > c.rank) best.set(c.vehicle_id, c.rank);
  return best;
}

/** savedShare is the cost an assignment saves against greedy, as a share of greedy (0 when unknown or worse). */
export function savedShare(a: { total_cost?: number; greedy_cost?: number }): number {
  const total = a.total_cost;
  const greedy = a.greedy_cost;
  if (typeof total !== 'number' || typeof greedy !== 'number' || !(greedy > 0)) return 0;
  return Math.max(0, (greedy - total) / greedy);
}
