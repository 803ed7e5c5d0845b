import { describe, expect, it } from 'vitest';
import { assignable, bucket, cancellable, counts, lateMinutes, routeOf, tabOf } from './queue';
import type { Request } from './types';

const now = Date.parse('2026-05-01T02:00:00Z'); // 10:00 county time
const req = (id: number, status: string, depart: string, ret: string, extra: Partial<Request> = {}): Request => ({
  id,
  status,
  passengers: 1,
  purpose: `r${id}`,
  origin: { address: 'a', lat: 27.8, lng: 114.4 },
  destinations: [{ address: 'b', lat: 27.7, lng: 114.3 }],
  depart_at: depart,
  return_at: ret,
  ...extra,
});

describe('queue tabs', () => {
  it('puts each status in its tab; an emergency waits to be assigned, not approved', () => {
    expect(tabOf({ status: 'submitted' })).toBe('pending');
    expect(tabOf({ status: 'submitted', priority: 'emergency' })).toBe('approved');
    expect(tabOf({ status: 'approved' })).toBe('approved');
    expect(tabOf({ status: 'declined' })).toBe('approved');
    expect(tabOf({ status: 'accepted' })).toBe('assigned');
    expect(tabOf({ status: 'departed' })).toBe('running');
    expect(tabOf({ status: 'completed' })).toBeNull();
  });

  it('finds the late ones: not gone 10 minutes after departure, or not back by return', () => {
    expect(lateMinutes(req(1, 'assigned', '2026-05-01T01:55:00Z', '2026-05-01T05:00:00Z'), now)).toBe(0); // 5 min: within grace
    expect(lateMinutes(req(2, 'accepted', '2026-05-01T01:30:00Z', '2026-05-01T05:00:00Z'), now)).toBe(30);
    expect(lateMinutes(req(3, 'departed', '2026-05-01T00:00:00Z', '2026-05-01T01:00:00Z'), now)).toBe(60);
    expect(lateMinutes(req(4, 'departed', '2026-05-01T00:00:00Z', '2026-05-01T03:00:00Z'), now)).toBe(0);
    expect(lateMinutes(req(5, 'approved', '2026-05-01T01:00:00Z', '2026-05-01T03:00:00Z'), now)).toBe(60);
  });

  it('buckets a flat list, sorting emergencies first then by departure', () => {
    const b = bucket(
      {
        items: [
          req(1, 'approved', '2026-05-01T04:00:00Z', '2026-05-01T06:00:00Z'),
          req(2, 'approved', '2026-05-01T03:00:00Z', '2026-05-01T06:00:00Z'),
          req(3, 'submitted', '2026-05-01T05:00:00Z', '2026-05-01T06:00:00Z', { priority: 'emergency' }),
          req(4, 'submitted', '2026-05-01T05:00:00Z', '2026-05-01T06:00:00Z'),
          req(5, 'accepted', '2026-05-01T01:00:00Z', '2026-05-01T06:00:00Z'),
          req(6, 'departed', '2026-05-01T01:00:00Z', '2026-05-01T06:00:00Z'),
          req(7, 'completed', '2026-04-30T01:00:00Z', '2026-04-30T06:00:00Z'),
        ],
      },
      now,
    );
    expect(b.approved.map((r) => r.id)).toEqual([3, 2, 1]);
    expect(b.pending.map((r) => r.id)).toEqual([4]);
    expect(b.assigned.map((r) => r.id)).toEqual([]);
    expect(b.running.map((r) => r.id)).toEqual([6]);
    expect(b.late.map((r) => r.id)).toEqual([5]);
    expect(b.late[0].late).toBe(true);
    expect(counts(b)).toEqual({ pending: 1, approved: 3, assigned: 0, running: 1, late: 1 });
  });

  it('takes the server’s tabs as given, moving what turned late since', () => {
    const b = bucket(
      {
        pending: [req(1, 'submitted', '2026-05-01T05:00:00Z', '2026-05-01T06:00:00Z')],
        approved: null,
        running: [req(2, 'departed', '2026-05-01T00:00:00Z', '2026-05-01T01:00:00Z')],
        late: [req(3, 'assigned', '2026-05-01T01:00:00Z', '2026-05-01T06:00:00Z')],
      },
      now,
    );
    expect(b.pending.map((r) => r.id)).toEqual([1]);
    expect(b.running.map((r) => r.id)).toEqual([]);
    expect(b.late.map((r) => r.id).sort()).toEqual([2, 3]);
    expect(bucket(null, now).late).toEqual([]);
  });

  it('knows what the dispatcher may do', () => {
    expect(['approved', 'accepted', 'departed', 'submitted'].map((s) => assignable({ status: s }))).toEqual([true, true, false, false]);
    expect(assignable({ status: 'submitted', priority: 'emergency' })).toBe(true);
    expect(['approved', 'assigned', 'departed', 'completed'].map((s) => cancellable({ status: s }))).toEqual([true, true, false, false]);
  });

  it('lists the route with coordinates, origin first', () => {
    const r = req(1, 'approved', '', '');
    r.destinations.push({ address: 'no coordinates', lat: null, lng: null });
    expect(routeOf(r)).toEqual([
      { address: 'a', lat: 27.8, lng: 114.4, origin: true },
      { address: 'b', lat: 27.7, lng: 114.3, origin: false },
    ]);
  });
});
