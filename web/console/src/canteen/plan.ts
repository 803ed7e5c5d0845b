import { addDays, countyDay } from '../office/deadline';
import type { DishVotes, Kind, Meal } from './types';

// The calendar of the canteen's pages, without the DOM: weeks, cut-offs, settings' minutes.

const countyZone = 'Asia/Shanghai';

export { addDays, countyDay };

/** mondayOf is the Monday of the week holding day (YYYY-MM-DD). */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return addDays(day, -back);
}

/** weekDays lists the seven days of the week starting start. */
export function weekDays(start: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

/** weekdayIndex is 0 for Monday … 6 for Sunday. */
export function weekdayIndex(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** mealOf finds the meal of a day and kind. */
export function mealOf(meals: Meal[], day: string, kind: Kind): Meal | undefined {
  return meals.find((m) => m.date === day && m.kind === kind);
}

/** clockOf is the county's HH:MM of an instant. */
export function clockOf(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString('en-GB', { timeZone: countyZone, hour: '2-digit', minute: '2-digit', hour12: false });
}

/** cutoffDay is the county date of a meal's cut-off, to tell a cut-off on the day before. */
export function cutoffDay(cutoffAt: string): string {
  return countyDay(new Date(cutoffAt));
}

/** firstMealDay is the day to show first: today when it has meals, else the next day of the
 * week that has, else '' (nothing left this week). */
export function firstMealDay(meals: Meal[], today: string): string {
  const days = [...new Set(meals.map((m) => m.date))].sort();
  return days.find((d) => d >= today) ?? '';
}

/** Cutoff tells how long booking stays open: closed, or the minutes left. */
export interface Cutoff {
  closed: boolean;
  minutes: number;
}

/** cutoffState is where a meal's booking stands at now. */
export function cutoffState(cutoffAt: string, now: Date): Cutoff {
  const ms = Date.parse(cutoffAt) - now.getTime();
  return ms <= 0 ? { closed: true, minutes: 0 } : { closed: false, minutes: Math.floor(ms / 60_000) };
}

/** Minutes of the settings: from 00:00 of the meal's day, negative for the day before. */
export interface DayClock {
  time: string;
  dayBefore: boolean;
}

/** toClock turns settings minutes into a time of day and whether it is on the day before. */
export function toClock(minutes: number): DayClock {
  const dayBefore = minutes < 0;
  const m = ((minutes % 1440) + 1440) % 1440;
  return { time: `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`, dayBefore };
}

/** fromClock is the inverse of toClock; null for a time that is not HH:MM. */
export function fromClock(c: DayClock): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(c.time.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min - (c.dayBefore ? 1440 : 0);
}

/** voteOf is the votes on a dish (zero when none). */
export function voteOf(votes: DishVotes[], dishId: number): DishVotes {
  return votes.find((v) => v.dish_id === dishId) ?? { dish_id: dishId, up: 0, down: 0, mine: 0 };
}

/** todayIn is the county date of now. */
export function todayIn(now = new Date()): string {
  return countyDay(now);
}

/** round1 shows one decimal only when needed. */
export function round1(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}
