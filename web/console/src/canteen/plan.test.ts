import { describe, expect, it } from 'vitest';
import { clockOf, cutoffDay, cutoffState, firstMealDay, fromClock, mealOf, mondayOf, toClock, voteOf, weekDays, weekdayIndex } from './plan';
import type { Meal } from './types';

describe('weeks', () => {
  it('finds the Monday of any day', () => {
    expect(mondayOf('2026-03-04')).toBe('2026-03-02');
    expect(mondayOf('2026-03-02')).toBe('2026-03-02');
    expect(mondayOf('2026-03-08')).toBe('2026-03-02');
    expect(mondayOf('2026-01-01')).toBe('2025-12-29');
  });

  it('lists the seven days across a month end', () => {
    expect(weekDays('2026-03-30')).toEqual(['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05']);
    expect(weekdayIndex('2026-04-05')).toBe(6);
  });

  it('starts on today, else the next day with meals, else nothing', () => {
    const meals = [{ date: '2026-03-02' }, { date: '2026-03-04' }, { date: '2026-03-04' }] as Meal[];
    expect(firstMealDay(meals, '2026-03-02')).toBe('2026-03-02');
    expect(firstMealDay(meals, '2026-03-03')).toBe('2026-03-04');
    expect(firstMealDay(meals, '2026-03-07')).toBe('');
  });

  it('finds a meal by day and kind', () => {
    const meals = [{ id: 1, date: '2026-03-02', kind: 'lunch' }, { id: 2, date: '2026-03-02', kind: 'breakfast' }] as Meal[];
    expect(mealOf(meals, '2026-03-02', 'breakfast')?.id).toBe(2);
    expect(mealOf(meals, '2026-03-03', 'lunch')).toBeUndefined();
  });
});

describe('cut-offs', () => {
  it('shows cut-offs in county time', () => {
    expect(clockOf('2026-03-03T01:30:00Z')).toBe('09:30');
    expect(cutoffDay('2026-03-02T12:00:00Z')).toBe('2026-03-02'); // 20:00 the day before a breakfast of the 3rd
    expect(cutoffDay('2026-03-02T16:30:00Z')).toBe('2026-03-03');
  });

  it('counts the minutes left and closes at the cut-off', () => {
    const now = new Date('2026-03-03T01:00:00Z');
    expect(cutoffState('2026-03-03T01:30:00Z', now)).toEqual({ closed: false, minutes: 30 });
    expect(cutoffState('2026-03-03T01:00:00Z', now).closed).toBe(true);
    expect(cutoffState('2026-03-02T23:00:00Z', now).closed).toBe(true);
  });

  it('turns settings minutes into a time and back, the day before included', () => {
    expect(toClock(570)).toEqual({ time: '09:30', dayBefore: false });
    expect(toClock(-240)).toEqual({ time: '20:00', dayBefore: true });
    expect(fromClock({ time: '20:00', dayBefore: true })).toBe(-240);
    expect(fromClock({ time: '9:30', dayBefore: false })).toBe(570);
    expect(fromClock({ time: '25:00', dayBefore: false })).toBeNull();
    expect(fromClock({ time: 'noon', dayBefore: false })).toBeNull();
  });
});

describe('votes', () => {
  it('reads a dish without votes as zero', () => {
    expect(voteOf([{ dish_id: 3, up: 2, down: 1, mine: 1 }], 4)).toEqual({ dish_id: 4, up: 0, down: 0, mine: 0 });
  });
});
