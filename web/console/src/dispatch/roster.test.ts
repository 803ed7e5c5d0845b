import { describe, expect, it } from 'vitest';
import { layoutWeek, overlaps, rotation, shiftBody, weekDays, weekStart } from './roster';

describe('roster week', () => {
  it('starts weeks on Monday', () => {
    expect(weekStart('2026-05-01')).toBe('2026-04-27'); // a Friday
    expect(weekStart('2026-04-27')).toBe('2026-04-27');
    expect(weekStart('2026-05-03')).toBe('2026-04-27'); // Sunday belongs to the week before
    expect(weekDays('2026-04-27')).toEqual(['2026-04-27', '2026-04-28', '2026-04-29', '2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03']);
  });

  it('lays out shifts by county day, a standby over two days, unknown drivers added', () => {
    const g = layoutWeek(
      [
        { id: 1, name: '张师傅' },
        { id: 2, name: '李师傅' },
      ],
      [
        // Monday 08:00–17:30 Beijing time
        { id: 10, driver_id: 1, start: '2026-04-27T00:00:00Z', end: '2026-04-27T09:30:00Z', kind: 'shift' },
        // Tuesday 08:00 → Wednesday 08:00, 24 h standby
        { id: 11, driver_id: 2, start: '2026-04-28T00:00:00Z', end: '2026-04-29T00:00:00Z', kind: 'standby' },
        // a driver the list did not have, Sunday night into next week
        { id: 12, driver_id: 3, driver: '王师傅', start: '2026-05-03T14:00:00Z', end: '2026-05-04T00:00:00Z', kind: 'shift' },
        // last week's: not shown
        { id: 13, driver_id: 1, start: '2026-04-20T00:00:00Z', end: '2026-04-20T09:00:00Z', kind: 'shift' },
      ],
      '2026-04-27',
    );
    expect(g.rows.map((r) => r.name)).toEqual(['张师傅', '李师傅', '王师傅']);
    expect(g.rows[0].cells[0]).toEqual([{ id: 10, kind: 'shift', from: 480, to: 1050, continued: false, continues: false, label: '08:00–17:30' }]);
    expect(g.rows[0].hours).toBe(9.5);
    const li = g.rows[1].cells;
    expect(li[1].map((s) => s.label)).toEqual(['08:00–24:00 ›']);
    expect(li[2].map((s) => s.label)).toEqual(['‹ 00:00–08:00']);
    expect(g.rows[1].hours).toBe(24);
    expect(g.rows[2].cells[6].map((s) => s.label)).toEqual(['22:00–24:00 ›']);
    expect(g.standby).toEqual([0, 1, 0, 0, 0, 0, 0]);
  });
});

describe('new shifts', () => {
  it('builds a day shift, a night shift ending the next day and a 24 h standby', () => {
    expect(shiftBody({ driver_id: '4', day: '2026-05-01', from: '08:00', to: '17:30', kind: 'shift' })).toEqual({
      body: { driver_id: 4, start: '2026-05-01T00:00:00Z', end: '2026-05-01T09:30:00Z', kind: 'shift' },
      problems: {},
    });
    expect(shiftBody({ driver_id: '4', day: '2026-05-01', from: '20:00', to: '08:00', kind: 'shift' }).body).toMatchObject({
      start: '2026-05-01T12:00:00Z',
      end: '2026-05-02T00:00:00Z',
    });
    expect(shiftBody({ driver_id: '4', day: '2026-05-01', from: '08:00', to: '', kind: 'standby' }).body).toMatchObject({
      start: '2026-05-01T00:00:00Z',
      end: '2026-05-02T00:00:00Z',
      kind: 'standby',
    });
  });
  it('names what is missing', () => {
    expect(shiftBody({ driver_id: '', day: '', from: '25:00', to: 'x', kind: 'shift' }).problems).toEqual({
      driver_id: 'required',
      day: 'required',
      start: 'invalid',
      end: 'invalid',
    });
  });
  it('generates a round-robin 24 h rotation', () => {
    const r = rotation([5, 6, 7], '2026-05-01', 4, '08:00', 1);
    expect(r.map((s) => s.driver_id)).toEqual([6, 7, 5, 6]);
    expect(r[0]).toEqual({ driver_id: 6, start: '2026-05-01T00:00:00Z', end: '2026-05-02T00:00:00Z', kind: 'standby' });
    expect(r[3].start).toBe('2026-05-04T00:00:00Z');
    expect(rotation([], '2026-05-01', 3)).toEqual([]);
  });
  it('finds overlaps with the driver’s own entries only', () => {
    const have = [{ driver_id: 5, start: '2026-05-01T00:00:00Z', end: '2026-05-02T00:00:00Z' }];
    expect(overlaps(have, { driver_id: 5, start: '2026-05-01T12:00:00Z', end: '2026-05-01T13:00:00Z' })).toBe(true);
    expect(overlaps(have, { driver_id: 6, start: '2026-05-01T12:00:00Z', end: '2026-05-01T13:00:00Z' })).toBe(false);
    expect(overlaps(have, { driver_id: 5, start: '2026-05-02T00:00:00Z', end: '2026-05-03T00:00:00Z' })).toBe(false);
  });
});
