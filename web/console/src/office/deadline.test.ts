import { describe, expect, it } from 'vitest';
import { addDays, countyDay, dayOf, deadlineState } from './deadline';
import { matches, rankIndex, sortPeople } from './people';

describe('deadlines', () => {
  it('reads days in the county, not in UTC', () => {
    // 17:00 UTC on 30 June is 01:00 on 1 July in the county.
    expect(countyDay(new Date('2025-06-30T17:00:00Z'))).toBe('2025-07-01');
    expect(dayOf('2025-07-01')).toBe('2025-07-01');
    expect(dayOf('2025-06-30T16:30:00Z')).toBe('2025-07-01');
  });

  it('is overdue from the morning after the deadline', () => {
    const late = new Date('2025-07-01T01:00:00Z'); // 09:00 on 1 July
    expect(deadlineState('2025-07-01', null, late)).toEqual({ state: 'soon', days: 0 });
    expect(deadlineState('2025-06-30', null, late)).toEqual({ state: 'overdue', days: -1 });
    expect(deadlineState('2025-07-08', null, late)).toEqual({ state: 'soon', days: 7 });
    expect(deadlineState('2025-07-09', null, late)).toEqual({ state: 'open', days: 8 });
  });

  it('is done once done, however late', () => {
    expect(deadlineState('2025-06-01', '2025-06-20T02:00:00Z', new Date('2025-07-01T01:00:00Z')).state).toBe('done');
    expect(deadlineState(null, null, new Date()).state).toBe('open');
  });

  it('adds days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-31', 30)).toBe('2025-03-02');
  });
});

describe('people', () => {
  it('orders by rank, then name', () => {
    const people = [
      { name: '赵六', rank: 'clerk' },
      { name: '张三', rank: 'section_chief' },
      { name: '李四', rank: 'county_deputy' },
      { name: '王五', rank: '' },
      { name: '陈七', rank: 'section_chief' },
    ];
    expect(sortPeople(people).map((p) => p.name)).toEqual(['李四', '陈七', '张三', '赵六', '王五']);
    expect(rankIndex('county_chief')).toBe(0);
    expect(rankIndex('unknown')).toBe(5);
  });

  it('filters by name, username or unit', () => {
    const p = { id: 1, name: '张三', username: 'zhang_san', rank: 'clerk', unit_id: 2, unit_name: '县财政局' };
    expect(matches(p, '')).toBe(true);
    expect(matches(p, '张')).toBe(true);
    expect(matches(p, 'ZHANG')).toBe(true);
    expect(matches(p, '财政')).toBe(true);
    expect(matches(p, '李')).toBe(false);
  });
});
