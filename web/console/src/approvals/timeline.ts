import { t, tCode } from '../i18n';
import { formatTime } from '../time';
import type { Action, Instance, Step } from './types';

// An instance's audit trail as the timeline shows it, and the small questions the pages ask of
// it (has anyone decided yet? what was the last decision?).

/** TimelineEntry is one line of the timeline, ready to show. */
export interface TimelineEntry {
  key: string;
  at: string;
  /** County time, e.g. 2025-03-04 09:30:15. */
  when: string;
  who: string;
  action: string;
  label: string;
  comment: string;
  step: string;
  /** The user a transfer went to. */
  to: string;
  tone: 'ok' | 'bad' | 'warn' | 'info';
}

const decisions = new Set(['approve', 'reject', 'return']);

const tones: Record<string, TimelineEntry['tone']> = {
  approve: 'ok',
  reject: 'bad',
  return: 'warn',
  withdraw: 'warn',
  remind: 'warn',
  escalate: 'warn',
};

/** sortHistory orders actions oldest first (by time, then id), whatever order they came in. */
export function sortHistory(history: readonly Action[] | null | undefined): Action[] {
  return [...(history ?? [])]
    .map((a, i) => ({ a, i, ms: Date.parse(a.at) }))
    .sort((x, y) => (x.ms || 0) - (y.ms || 0) || (x.a.id ?? 0) - (y.a.id ?? 0) || x.i - y.i)
    .map((x) => x.a);
}

/** stepLabel names a step: its name, or "step n" (1-based) when it has none. */
export function stepLabel(step: Pick<Step, 'index' | 'name'> | string | null | undefined): string {
  if (!step) return '';
  if (typeof step === 'string') return step;
  return step.name || t('approval.stepNo', { n: (step.index ?? 0) + 1 });
}

/** timeline turns the history into entries, oldest first. */
export function timeline(history: readonly Action[] | null | undefined): TimelineEntry[] {
  return sortHistory(history).map((a, i) => ({
    key: String(a.id ?? `${i}:${a.at}`),
    at: a.at,
    when: formatTime(a.at),
    who: a.user || (a.user_id ? `#${a.user_id}` : t('approval.system')),
    action: a.action,
    label: tCode('approvalAction', a.action),
    comment: (a.comment ?? '').trim(),
    step: a.step_name || (a.step_index === null || a.step_index === undefined ? '' : stepLabel({ index: a.step_index, name: '' })),
    to: a.action === 'return' && a.to ? tCode('approval.returnTo', a.to) : a.to || (a.to_user_id ? `#${a.to_user_id}` : ''),
    tone: tones[a.action] ?? 'info',
  }));
}

/** lastDecision is the newest approve / reject / return, or null. */
export function lastDecision(history: readonly Action[] | null | undefined): Action | null {
  const sorted = sortHistory(history);
  for (let i = sorted.length - 1; i >= 0; i--) if (decisions.has(sorted[i].action)) return sorted[i];
  return null;
}

/**
 * decidedSinceSubmit tells whether an approver decided anything since the last (re)submission:
 * the applicant may withdraw only before that.
 */
export function decidedSinceSubmit(history: readonly Action[] | null | undefined): boolean {
  const sorted = sortHistory(history);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const a = sorted[i].action;
    if (a === 'submit' || a === 'resubmit') return false;
    if (decisions.has(a)) return true;
  }
  return false;
}

/** applicantMay lists what the applicant may do with their own instance now. */
export function applicantMay(inst: Pick<Instance, 'status' | 'history'>): { withdraw: boolean; remind: boolean; revise: boolean } {
  const pending = inst.status === 'pending';
  return {
    withdraw: pending && !decidedSinceSubmit(inst.history),
    remind: pending,
    revise: inst.status === 'returned',
  };
}
