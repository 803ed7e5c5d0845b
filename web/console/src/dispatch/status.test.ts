import { describe, expect, it } from 'vitest';
import { daysLeft, recordBody, sortReminders, tally, urgencyOf } from './records';
import { applicantMay, assignment, progress, toneOf } from './status';
import type { Request } from './types';

describe('request progress', () => {
  it('marks the steps reached and the current one, with times from the history', () => {
    const p = progress({
      status: 'assigned',
      history: [
        { at: '2026-05-01T01:00:00Z', status: 'approved' },
        { at: '2026-05-01T00:00:00Z', status: 'submitted' },
        { at: '2026-05-01T02:00:00Z', status: 'assigned' },
      ],
    });
    expect(p.map((s) => s.state)).toEqual(['done', 'done', 'current', 'todo', 'todo', 'todo']);
    expect(p[1].at).toBe('2026-05-01T01:00:00Z');
  });
  it('makes the history of the request’s timestamps when the server sends none', () => {
    const p = progress({
      status: 'departed',
      submitted_at: '2026-05-01T00:00:00Z',
      approved_at: '2026-05-01T01:00:00Z',
      task: { id: 3, status: 'departed', departed_at: '2026-05-01T02:00:00Z' },
    });
    expect(p.map((s) => [s.status, s.state, s.at ?? ''])).toEqual([
      ['submitted', 'done', '2026-05-01T00:00:00Z'],
      ['approved', 'done', '2026-05-01T01:00:00Z'],
      ['assigned', 'done', ''],
      ['accepted', 'done', ''],
      ['departed', 'current', '2026-05-01T02:00:00Z'],
      ['completed', 'todo', ''],
    ]);
  });
  it('keeps what a cancelled request reached and marks nothing current', () => {
    const p = progress({ status: 'cancelled', submitted_at: '2026-05-01T00:00:00Z', approved_at: '2026-05-01T01:00:00Z', cancelled_at: '2026-05-01T02:00:00Z' });
    expect(p.map((s) => s.state)).toEqual(['done', 'done', 'todo', 'todo', 'todo', 'todo']);
  });
  it('shows a completed request all done', () => {
    expect(progress({ status: 'completed' }).every((s) => s.state === 'done')).toBe(true);
  });
  it('lets the applicant cancel before departure and rate once back', () => {
    expect(applicantMay({ status: 'assigned' })).toEqual({ cancel: true, rate: false });
    expect(applicantMay({ status: 'departed' })).toEqual({ cancel: false, rate: false });
    expect(applicantMay({ status: 'completed' })).toEqual({ cancel: false, rate: true });
    expect(applicantMay({ status: 'completed', rating: { stars: 4 } })).toEqual({ cancel: false, rate: false });
  });
  it('shows plate and driver once assigned, from the request or its task', () => {
    const r = { id: 1, status: 'accepted', task: { id: 2, status: 'accepted', plate: '赣C1', driver: '张', driver_phone: '139' } } as Request;
    expect(assignment(r)).toEqual({ plate: '赣C1', driver: '张', phone: '139' });
    expect(assignment({ ...r, status: 'approved' })).toBeNull();
    expect(assignment({ ...r, status: 'cancelled' })).toBeNull();
    expect(toneOf('rejected')).toBe('bad');
    expect(toneOf('mystery')).toBe('grey');
  });
});

describe('records and reminders', () => {
  const now = Date.parse('2026-05-01T04:00:00Z');
  it('builds a record, checking dates and numbers', () => {
    expect(recordBody({ kind: 'insurance', date: '2026-05-01', due_date: '2027-04-30', cost: '3,200', odometer_km: '', note: ' 交强险 ' })).toEqual({
      body: { kind: 'insurance', date: '2026-05-01', due_date: '2027-04-30', cost: 3200, note: '交强险' },
      problems: {},
    });
    expect(recordBody({ kind: '', date: '2026-13-01', due_date: '2026-04-01', cost: '-1', odometer_km: 'x', note: '' }).problems).toEqual({
      kind: 'required',
      date: 'invalid',
      cost: 'invalid',
      odometer_km: 'invalid',
    });
    expect(recordBody({ kind: 'maintenance', date: '2026-05-01', due_date: '2026-04-01', cost: '', odometer_km: '', note: '' }).problems).toEqual({ due_date: 'before_date' });
  });
  it('counts days left in county days and sorts the most urgent first', () => {
    const list = [
      { kind: 'inspection', due_date: '2026-05-20T00:00:00Z', name: 'B' },
      { kind: 'insurance', due_date: '2026-04-28T00:00:00Z', name: 'A' },
      { kind: 'license', due_date: '2026-05-05T00:00:00Z', name: '张' },
    ];
    expect(list.map((r) => daysLeft(r, now))).toEqual([19, -3, 4]);
    expect(list.map((r) => urgencyOf(r, now))).toEqual(['later', 'overdue', 'soon']);
    expect(sortReminders(list, now).map((r) => r.kind)).toEqual(['insurance', 'license', 'inspection']);
    expect(tally(list, now)).toEqual({ overdue: 1, soon: 1, later: 1 });
    expect(daysLeft({ kind: 'x', due_date: '', days_left: 12 }, now)).toBe(12);
  });
});
