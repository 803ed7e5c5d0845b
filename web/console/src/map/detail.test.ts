import { describe, expect, it } from 'vitest';
import { formatDuration, formatKm, playbackHref, taskText, type Today } from './detail';

const today = (task: Today['task']): Today => ({ vehicle_id: 1, day: '2026-03-01', distance_km: 12.34, driving_s: 3900, trips: 3, task });

describe('detail formatting', () => {
  it('shows km with one decimal and durations in hours and minutes', () => {
    expect(formatKm(12.34)).toBe('12.3 公里');
    expect(formatKm(null)).toBe('—');
    expect(formatDuration(3900)).toBe('1 小时 5 分');
    expect(formatDuration(600)).toBe('10 分钟');
    expect(formatDuration(undefined)).toBe('—');
  });

  it('names the task from /today, else the id /ws gives, else none', () => {
    expect(taskText(today({ id: 5, title: '送文件', driver_id: 2, driver: '王师傅' }), 5)).toBe('送文件 (#5)');
    expect(taskText(today(null), 9)).toBe('#9');
    expect(taskText(today(null), null)).toBe('—');
    expect(taskText(null, undefined)).toBe('—');
  });

  it('links to the playback page', () => {
    expect(playbackHref(42)).toBe('/playback?vehicle=42');
  });
});
