import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { applyMessage, colourOf, displayState, displayStates, eventTypes, headingShown, headingTriangle, matchesPlate, parseMessage, stateColours, type Fleet, type LiveVehicle } from './state';

const v = (id: number, over: Partial<LiveVehicle> = {}): LiveVehicle => ({
  vehicle_id: id,
  plate: `赣C0000${id}`,
  lat: 27.8,
  lng: 114.4,
  speed_kmh: 0,
  course: 0,
  fixed_at: '2026-03-01T01:00:00Z',
  online: true,
  state: 'idle',
  alarm: 0,
  ...over,
});

describe('state colours', () => {
  it('maps each of the five states to its colour, the alarm bits first', () => {
    expect(colourOf({ state: 'idle', alarm: 0 })).toBe(stateColours.idle);
    expect(colourOf({ state: 'on_task', alarm: 0 })).toBe(stateColours.on_task);
    expect(colourOf({ state: 'moving', alarm: 0 })).toBe(stateColours.moving);
    expect(colourOf({ state: 'offline', alarm: 0 })).toBe(stateColours.offline);
    expect(colourOf({ state: 'alarm', alarm: 0 })).toBe(stateColours.alarm);
    expect(colourOf({ state: 'moving', alarm: 4 })).toBe(stateColours.alarm);
    expect(colourOf({ state: 'on_task', alarm: 4 })).toBe(stateColours.alarm);
    expect(colourOf({ state: 'offline', alarm: 1 })).toBe(stateColours.alarm);
    expect(displayState({ state: 'weird', alarm: 0 })).toBe('offline');
    expect(displayState({ state: '', alarm: 0 })).toBe('offline');
  });

  it('gives every state a colour of its own', () => {
    expect(Object.keys(stateColours).sort()).toEqual([...displayStates].sort());
    expect(new Set(Object.values(stateColours)).size).toBe(displayStates.length);
  });

  it('on a task is green, idle blue, moving without a task amber, offline grey, alarm red', () => {
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const [tr, tg, tb] = rgb(stateColours.on_task);
    expect(tg).toBeGreaterThan(tr);
    expect(tg).toBeGreaterThan(tb);
    const [ir, , ib] = rgb(stateColours.idle);
    expect(ib).toBeGreaterThan(ir);
    const [mr, mg, mb] = rgb(stateColours.moving);
    expect(mr).toBeGreaterThan(mg);
    expect(mg).toBeGreaterThan(mb + 60); // amber, not red
    const [ar, ag, ab] = rgb(stateColours.alarm);
    expect(ar).toBeGreaterThan(ag + 100);
    expect(ar).toBeGreaterThan(ab + 100);
    const [or, og, ob] = rgb(stateColours.offline);
    expect(Math.max(or, og, ob) - Math.min(or, og, ob)).toBeLessThan(40);
  });

  it('draws a course arrow only for a vehicle under way', () => {
    expect(headingShown({ state: 'moving', speed_kmh: 30 })).toBe(true);
    expect(headingShown({ state: 'on_task', speed_kmh: 30 })).toBe(true);
    expect(headingShown({ state: 'alarm', speed_kmh: 30 })).toBe(true);
    expect(headingShown({ state: 'on_task', speed_kmh: 0 })).toBe(false);
    expect(headingShown({ state: 'idle', speed_kmh: 3 })).toBe(false);
    expect(headingShown({ state: 'offline', speed_kmh: 40 })).toBe(false);
  });
});

describe('applyMessage', () => {
  it('a snapshot replaces the fleet', () => {
    const fleet: Fleet = new Map([[9, v(9)]]);
    const out = applyMessage(fleet, parseMessage(JSON.stringify({ type: 'snapshot', vehicles: [v(1), v(2)] })));
    expect(out).toEqual({ kind: 'vehicles', changed: [1, 2], removed: [9] });
    expect([...fleet.keys()]).toEqual([1, 2]);
  });

  it('a positions frame merges only the vehicles it names', () => {
    const fleet: Fleet = new Map([
      [1, v(1)],
      [2, v(2)],
    ]);
    const moved = v(2, { lat: 27.81, lng: 114.42, speed_kmh: 42.5, course: 90, state: 'moving' });
    const out = applyMessage(fleet, parseMessage(JSON.stringify({ type: 'positions', items: [moved, v(3)] })));
    expect(out).toEqual({ kind: 'vehicles', changed: [2, 3], removed: [] });
    expect(fleet.get(1)).toEqual(v(1));
    expect(fleet.get(2)).toEqual(moved);
    expect(fleet.get(3)).toEqual(v(3));
  });

  it('keeps fields a partial item leaves out and skips unchanged ones', () => {
    const fleet: Fleet = new Map([[1, v(1, { plate: '赣C12345' })]]);
    const out = applyMessage(fleet, { type: 'positions', items: [{ vehicle_id: 1, lat: 27.9, lng: 114.5 } as LiveVehicle, v(1, { plate: '赣C12345', lat: 27.9, lng: 114.5 })] });
    expect(out).toEqual({ kind: 'vehicles', changed: [1], removed: [] });
    expect(fleet.get(1)?.plate).toBe('赣C12345');
    expect(fleet.get(1)?.lat).toBe(27.9);
  });

  it('a task starting or ending is a change', () => {
    const fleet: Fleet = new Map([[1, v(1, { state: 'moving' })]]);
    expect(applyMessage(fleet, { type: 'positions', items: [v(1, { state: 'on_task', task_id: 12 })] })).toEqual({ kind: 'vehicles', changed: [1], removed: [] });
    expect(fleet.get(1)?.task_id).toBe(12);
    expect(applyMessage(fleet, { type: 'positions', items: [v(1, { state: 'on_task', task_id: 12 })] })).toEqual({ kind: 'vehicles', changed: [], removed: [] });
    expect(applyMessage(fleet, { type: 'positions', items: [v(1, { state: 'on_task', task_id: 13 })] })).toEqual({ kind: 'vehicles', changed: [1], removed: [] });
    // The server leaves task_id out once the task is over.
    expect(applyMessage(fleet, { type: 'positions', items: [v(1, { state: 'moving' })] })).toEqual({ kind: 'vehicles', changed: [1], removed: [] });
    expect(fleet.get(1)?.task_id).toBeUndefined();
    // A partial item (no state) keeps it.
    fleet.set(1, v(1, { state: 'on_task', task_id: 14 }));
    applyMessage(fleet, { type: 'positions', items: [{ vehicle_id: 1, lat: 27.9, lng: 114.5 } as LiveVehicle] });
    expect(fleet.get(1)?.task_id).toBe(14);
  });

  it('ignores malformed items and frames', () => {
    const fleet: Fleet = new Map();
    expect(applyMessage(fleet, { type: 'positions', items: [{ plate: 'x' } as unknown as LiveVehicle, null as unknown as LiveVehicle] })).toEqual({ kind: 'vehicles', changed: [], removed: [] });
    expect(applyMessage(fleet, { type: 'positions', items: null as unknown as LiveVehicle[] })).toEqual({ kind: 'vehicles', changed: [], removed: [] });
    expect(applyMessage(fleet, parseMessage('not json'))).toEqual({ kind: 'ignored' });
    expect(applyMessage(fleet, parseMessage('{"type":"pong"}'))).toEqual({ kind: 'ignored' });
    expect(fleet.size).toBe(0);
  });

  it('passes events and errors on', () => {
    const fleet: Fleet = new Map();
    const event = { id: 7, vehicle_id: 1, type: 'overspeed', started_at: '2026-03-01T01:00:00Z', ended_at: null, lat: 27.8, lng: 114.4, detail: {}, ack_at: null, note: '' };
    expect(applyMessage(fleet, parseMessage(JSON.stringify({ type: 'event', event })))).toEqual({ kind: 'event', event });
    expect(applyMessage(fleet, parseMessage('{"type":"error","message":"bad topic"}'))).toEqual({ kind: 'error', message: 'bad topic' });
  });
});

describe('matchesPlate', () => {
  it('filters case- and space-insensitively', () => {
    expect(matchesPlate('赣C12345', '')).toBe(true);
    expect(matchesPlate('赣C12345', 'c12')).toBe(true);
    expect(matchesPlate('赣C12345', '赣C 123')).toBe(true);
    expect(matchesPlate('赣C12345', '999')).toBe(false);
  });
});

describe('headingTriangle', () => {
  it('points north at course 0 and east at 90', () => {
    const [tipN] = headingTriangle(100, 100, 0);
    expect(tipN[0]).toBeCloseTo(100);
    expect(tipN[1]).toBeLessThan(100);
    const [tipE] = headingTriangle(100, 100, 90);
    expect(tipE[0]).toBeGreaterThan(100);
    expect(tipE[1]).toBeCloseTo(100);
  });
});

describe('event and state names', () => {
  it('every event type and vehicle state has a name in both languages', () => {
    const keys = [...eventTypes.map((t) => `event.${t}`), ...displayStates.map((s) => `vstate.${s}`)];
    expect(keys.filter((k) => !(k in zhCN) || !(k in en))).toEqual([]);
    expect(displayStates.map((s) => zhCN[`vstate.${s}`])).toEqual(['空闲', '执行任务', '无任务行驶', '离线', '报警']);
    expect(zhCN['event.misuse_overnight_parking']).toBe('未按规定停放过夜');
    expect(zhCN['nav.map']).toBe('实时监控');
    expect(en['nav.map']).toBe('Live map');
  });
});
