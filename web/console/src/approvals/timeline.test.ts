import { describe, expect, it } from 'vitest';
import { applicantMay, decidedSinceSubmit, lastDecision, sortHistory, stepLabel, timeline } from './timeline';
import type { Action } from './types';

const a = (id: number, at: string, action: string, extra: Partial<Action> = {}): Action => ({ id, at, action, user_id: 1, user: '李娜', ...extra });

describe('timeline', () => {
  const history = [
    a(3, '2025-03-04T02:00:00Z', 'approve', { user: '王建军', comment: ' 同意购置 ', step_index: 0, step_name: '单位负责人审批' }),
    a(1, '2025-03-04T01:30:15Z', 'submit'),
    a(2, '2025-03-04T01:45:00Z', 'remind'),
  ];

  it('lists the actions oldest first, whatever order they came in', () => {
    expect(sortHistory(history).map((x) => x.id)).toEqual([1, 2, 3]);
  });

  it('says who, when (county time), what, the comment and the step', () => {
    const out = timeline(history);
    expect(out.map((e) => e.action)).toEqual(['submit', 'remind', 'approve']);
    expect(out[0]).toMatchObject({ who: '李娜', when: '2025-03-04 09:30:15', label: '提交申请', comment: '', step: '', tone: 'info' });
    expect(out[2]).toMatchObject({ who: '王建军', label: '同意', comment: '同意购置', step: '单位负责人审批', tone: 'ok' });
  });

  it('names the system for actions without a user, and steps without a name by number', () => {
    const [e] = timeline([{ at: '2025-03-05T00:00:00Z', action: 'escalate', step_index: 1, user_id: null }]);
    expect(e).toMatchObject({ who: '系统', step: '第 2 步', tone: 'warn' });
  });

  it('says where a return went, and to whom a transfer', () => {
    const out = timeline([
      a(1, '2025-03-04T01:00:00Z', 'return', { to: 'applicant' }),
      a(2, '2025-03-04T02:00:00Z', 'return', { to: 'previous' }),
      a(3, '2025-03-04T03:00:00Z', 'transfer', { to: '赵丽', to_user_id: 9 }),
      a(4, '2025-03-04T04:00:00Z', 'transfer', { to_user_id: 9 }),
    ]);
    expect(out.map((e) => e.to)).toEqual(['申请人', '上一环节', '赵丽', '#9']);
  });

  it('keeps actions of the same second in id order', () => {
    const same = [a(5, '2025-03-04T01:00:00Z', 'approve'), a(4, '2025-03-04T01:00:00Z', 'submit')];
    expect(timeline(same).map((e) => e.key)).toEqual(['4', '5']);
  });

  it('shows nothing for no history', () => {
    expect(timeline(undefined)).toEqual([]);
  });
});

describe('decisions', () => {
  it('finds the last decision', () => {
    const h = [a(1, '2025-01-01T00:00:00Z', 'submit'), a(2, '2025-01-02T00:00:00Z', 'return', { comment: '补充报价单' }), a(3, '2025-01-03T00:00:00Z', 'resubmit')];
    expect(lastDecision(h)?.comment).toBe('补充报价单');
    expect(lastDecision([a(1, '2025-01-01T00:00:00Z', 'submit')])).toBeNull();
  });

  it('lets the applicant withdraw only before anyone decided since the last submission', () => {
    const submitted = [a(1, '2025-01-01T00:00:00Z', 'submit'), a(2, '2025-01-01T01:00:00Z', 'remind')];
    expect(decidedSinceSubmit(submitted)).toBe(false);
    expect(applicantMay({ status: 'pending', history: submitted })).toEqual({ withdraw: true, remind: true, revise: false });

    const approvedFirstStep = [...submitted, a(3, '2025-01-02T00:00:00Z', 'approve')];
    expect(applicantMay({ status: 'pending', history: approvedFirstStep })).toEqual({ withdraw: false, remind: true, revise: false });

    const resubmitted = [...approvedFirstStep, a(4, '2025-01-03T00:00:00Z', 'return'), a(5, '2025-01-04T00:00:00Z', 'resubmit')];
    expect(applicantMay({ status: 'pending', history: resubmitted }).withdraw).toBe(true);
    expect(applicantMay({ status: 'returned', history: resubmitted.slice(0, 4) })).toEqual({ withdraw: false, remind: false, revise: true });
    expect(applicantMay({ status: 'approved', history: [] })).toEqual({ withdraw: false, remind: false, revise: false });
  });

  it('labels steps', () => {
    expect([stepLabel({ index: 0, name: '单位负责人审批' }), stepLabel({ index: 2, name: '' }), stepLabel('会签'), stepLabel(null)]).toEqual([
      '单位负责人审批',
      '第 3 步',
      '会签',
      '',
    ]);
  });
});
