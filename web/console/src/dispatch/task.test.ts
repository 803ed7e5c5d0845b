import { describe, expect, it } from 'vitest';
import { Track, metres, toDevice } from './geo';
import { parseTaskMessage, taskFrame } from './live';
import { endBody, fuelFields, isNewOffer, mergeTask, reportsPosition, sortTasks, stageOf } from './task';
import type { Task } from './types';

const task = (id: number, status: string, depart: string, extra: Partial<Task> = {}): Task => ({
  id,
  request_id: id * 10,
  vehicle_id: 1,
  plate: '赣C12345',
  driver_id: 1,
  driver: '张师傅',
  status,
  depart_at: depart,
  return_at: depart,
  origin: { address: 'a', lat: 27.8, lng: 114.4 },
  destinations: [],
  purpose: 'p',
  passengers: 1,
  applicant: '李娜',
  applicant_phone: '139',
  ...extra,
});

describe('driver task stages', () => {
  it('walks offer → check → ready → running → done', () => {
    expect(stageOf({ status: 'assigned' })).toBe('offer');
    expect(stageOf({ status: 'accepted' })).toBe('check');
    expect(stageOf({ status: 'accepted', checked_at: '2026-05-01T00:00:00Z' })).toBe('ready');
    expect(stageOf({ status: 'accepted', check: { items: [], passed: true } })).toBe('ready');
    expect(stageOf({ status: 'checked' })).toBe('ready');
    expect(stageOf({ status: 'departed' })).toBe('running');
    expect(stageOf({ status: 'returned' })).toBe('done');
    expect(stageOf({ status: 'reassigned' })).toBe('gone');
  });
  it('picks the running task as current, else the soonest; history newest first', () => {
    const s = sortTasks([
      task(1, 'assigned', '2026-05-01T05:00:00Z'),
      task(2, 'accepted', '2026-05-01T03:00:00Z'),
      task(3, 'completed', '2026-04-29T03:00:00Z'),
      task(4, 'returned', '2026-04-30T03:00:00Z'),
      task(5, 'declined', '2026-04-28T03:00:00Z'),
    ]);
    expect(s.current?.id).toBe(2);
    expect(s.upcoming.map((t) => t.id)).toEqual([1]);
    expect(s.history.map((t) => t.id)).toEqual([4, 3, 5]);
    expect(sortTasks([task(1, 'accepted', '2026-05-01T01:00:00Z'), task(2, 'departed', '2026-05-01T03:00:00Z')]).current?.id).toBe(2);
  });
  it('merges pushed tasks and rings only for new offers', () => {
    const list = [task(1, 'assigned', '2026-05-01T05:00:00Z', { updated_at: '2026-05-01T00:00:10Z' })];
    const stale = task(1, 'cancelled', '2026-05-01T05:00:00Z', { updated_at: '2026-05-01T00:00:05Z' });
    expect(mergeTask(list, stale)).toBe(list);
    const next = mergeTask(list, task(1, 'accepted', '2026-05-01T05:00:00Z', { updated_at: '2026-05-01T00:00:20Z' }));
    expect(next[0].status).toBe('accepted');
    expect(mergeTask(list, task(2, 'assigned', '')).map((t) => t.id)).toEqual([1, 2]);
    expect(isNewOffer(list, task(2, 'assigned', ''))).toBe(true);
    expect(isNewOffer(list, task(1, 'assigned', ''))).toBe(false);
    expect(isNewOffer(next, task(1, 'assigned', ''))).toBe(true); // reassigned back to this driver
    expect(isNewOffer(list, task(3, 'cancelled', ''))).toBe(false);
  });
});

describe('ending a trip', () => {
  it('asks for fuel or charge by energy', () => {
    expect(fuelFields('electric')).toEqual({ fuel: false, charge: true });
    expect(fuelFields('diesel')).toEqual({ fuel: true, charge: false });
    expect(fuelFields('plugin_hybrid')).toEqual({ fuel: true, charge: true });
  });
  it('needs an odometer reading that does not go backwards', () => {
    expect(endBody({ odometer_km: '', fuel_l: '', charge_kwh: '' }, 'gasoline').problems).toEqual({ odometer_km: 'required' });
    expect(endBody({ odometer_km: '12000', fuel_l: '', charge_kwh: '' }, 'gasoline', 12050).problems).toEqual({ odometer_km: 'backwards' });
    expect(endBody({ odometer_km: '12,080.5', fuel_l: '6.5', charge_kwh: '9' }, 'gasoline', 12050)).toEqual({
      body: { odometer_km: 12080.5, fuel_l: 6.5 },
      problems: {},
    });
    expect(endBody({ odometer_km: '800', fuel_l: '', charge_kwh: '-1' }, 'electric').problems).toEqual({ charge_kwh: 'invalid' });
  });
  it('reports positions only while running and when the server says the vehicle has no terminal', () => {
    expect(reportsPosition({ status: 'departed', has_terminal: false })).toBe(true);
    expect(reportsPosition({ status: 'departed', has_terminal: true })).toBe(false);
    expect(reportsPosition({ status: 'departed' })).toBe(false);
    expect(reportsPosition({ status: 'accepted', has_terminal: false })).toBe(false);
  });
});

describe('task messages', () => {
  it('reads task frames and ignores the rest', () => {
    expect(JSON.parse(taskFrame)).toEqual({ type: 'subscribe', topics: ['tasks'] });
    expect(parseTaskMessage('{"type":"task","task":{"id":4,"status":"assigned","plate":"赣C1"}}')).toMatchObject({ id: 4, status: 'assigned', plate: '赣C1' });
    for (const f of ['nope', '{"type":"approval","approval":{"id":1}}', '{"type":"task","task":{"id":"x","status":"a"}}', '{"type":"task","task":{"id":3}}']) {
      expect(parseTaskMessage(f), f).toBeNull();
    }
  });
});

describe('phone positions', () => {
  const fix = (at: number, lat: number, extra = {}) => ({ lat, lng: 114.4, accuracy: 10, speed: 10, heading: 90, at, ...extra });
  it('keeps a point after 30 s or 25 m, drops bad and repeated fixes', () => {
    const tr = new Track();
    const t0 = Date.parse('2026-05-01T00:00:00Z');
    expect(tr.offer(fix(t0, 27.8))).toBe(true);
    expect(tr.offer(fix(t0 + 5000, 27.8))).toBe(false); // too soon, not moved
    expect(tr.offer(fix(t0 + 6000, 27.8003))).toBe(true); // ≈33 m
    expect(tr.offer(fix(t0 + 40_000, 27.8003))).toBe(true); // 30 s later
    expect(tr.offer(fix(t0 + 50_000, 27.81, { accuracy: 500 }))).toBe(false);
    expect(tr.offer(fix(t0 + 1000, 27.9))).toBe(false); // older than the last
    const sent = tr.take();
    expect(sent).toHaveLength(3);
    expect(sent[0]).toEqual({ lat: 27.8, lng: 114.4, fixed_at: '2026-05-01T00:00:00.000Z', speed_kmh: 36, course: 90 });
    expect(tr.pending()).toBe(0);
    tr.putBack(sent);
    expect(tr.pending()).toBe(3);
  });
  it('converts speed and heading', () => {
    expect(toDevice(fix(0, 27.8, { speed: null, heading: -90 }))).toMatchObject({ speed_kmh: 0, course: 270 });
    expect(Math.round(metres(27.8, 114.4, 27.81, 114.4))).toBe(1112);
  });
});
