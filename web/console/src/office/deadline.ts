// Deadlines of clearances (清退) and rectifications (整改): a date in the county, met when the
// thing is done by the end of that day, overdue from the next morning.

const countyZone = 'Asia/Shanghai';

/** countyDay is the county's calendar date of an instant as YYYY-MM-DD. */
export function countyDay(at: Date): string {
  return at.toLocaleDateString('sv-SE', { timeZone: countyZone });
}

/** dayOf reads a deadline given as YYYY-MM-DD or RFC 3339 as a county date. */
export function dayOf(deadline: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return deadline;
  const d = new Date(deadline);
  return Number.isNaN(d.getTime()) ? deadline.slice(0, 10) : countyDay(d);
}

/** DeadlineState: done, overdue, due within a week (soon) or later (open). */
export type DeadlineState = 'done' | 'overdue' | 'soon' | 'open';

/** deadlineState tells where a tracked action stands on now; days is days left (negative: late). */
export function deadlineState(deadline: string | null | undefined, doneAt: string | null | undefined, now: Date): { state: DeadlineState; days: number | null } {
  if (!deadline) return { state: doneAt ? 'done' : 'open', days: null };
  const days = Math.round((Date.parse(`${dayOf(deadline)}T00:00:00Z`) - Date.parse(`${countyDay(now)}T00:00:00Z`)) / 86_400_000);
  if (doneAt) return { state: 'done', days };
  if (days < 0) return { state: 'overdue', days };
  return { state: days <= 7 ? 'soon' : 'open', days };
}

/** addDays is the county date n days after the date today (a default deadline: one month). */
export function addDays(today: string, n: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
