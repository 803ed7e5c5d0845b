import { call, listAll } from '../api';
import type { List } from '../types';
import type {
  Comment,
  Counts,
  Dish,
  DishTrend,
  DishVotes,
  Evaluation,
  Evaluations,
  HygieneCheck,
  Meal,
  Overview,
  Point,
  Purchase,
  Rating,
  Reservation,
  Sample,
  Settings,
  Supplier,
  Waste,
  WasteReport,
  Week,
} from './types';

// Every call of the canteen pages to the server (/api/canteen/...).

const base = '/api/canteen';

async function items<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const r = await call<List<T>>('GET', path, undefined, { signal });
  return r?.items ?? [];
}

const q = (params: Record<string, string | number | boolean | undefined>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && v !== false) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

// ---------- menu ----------

export const week = (day: string, signal?: AbortSignal): Promise<Week> => call('GET', `${base}/menu${q({ week: day })}`, undefined, { signal });
export const publish = (day: string, signal?: AbortSignal): Promise<Week> => call('POST', `${base}/menu/publish`, { week: day }, { signal });
export const meal = (id: number, signal?: AbortSignal): Promise<Meal> => call('GET', `${base}/meals/${id}`, undefined, { signal });
export const createMeal = (body: unknown, signal?: AbortSignal): Promise<Meal> => call('POST', `${base}/meals`, body, { signal });
export const updateMeal = (id: number, body: unknown, signal?: AbortSignal): Promise<Meal> => call('PUT', `${base}/meals/${id}`, body, { signal });
export const cancelMeal = (id: number, reason: string, signal?: AbortSignal): Promise<Meal> =>
  call('POST', `${base}/meals/${id}/cancel`, { reason }, { signal });
export const deleteMeal = (id: number, signal?: AbortSignal): Promise<void> => call('DELETE', `${base}/meals/${id}`, undefined, { signal });
export const counts = (id: number, signal?: AbortSignal): Promise<Counts> => call('GET', `${base}/meals/${id}/counts`, undefined, { signal });
export const settings = (signal?: AbortSignal): Promise<Settings> => call('GET', `${base}/settings`, undefined, { signal });
export const saveSettings = (body: Settings, signal?: AbortSignal): Promise<Settings> => call('PUT', `${base}/settings`, body, { signal });
export const warnings = (signal?: AbortSignal): Promise<Overview> => call('GET', `${base}/warnings`, undefined, { signal });

// ---------- dishes ----------

export const dishes = (signal?: AbortSignal): Promise<Dish[]> => listAll<Dish>(`${base}/dishes`, signal);
export const saveDish = (body: unknown, id: number | null, signal?: AbortSignal): Promise<Dish> =>
  id ? call('PUT', `${base}/dishes/${id}`, body, { signal }) : call('POST', `${base}/dishes`, body, { signal });
export function uploadPhoto(id: number, file: File, signal?: AbortSignal): Promise<Dish> {
  const form = new FormData();
  form.append('file', file, file.name);
  return call('POST', `${base}/dishes/${id}/photo`, form, { signal });
}
export const removePhoto = (id: number, signal?: AbortSignal): Promise<void> => call('DELETE', `${base}/dishes/${id}/photo`, undefined, { signal });

// ---------- bookings ----------

export const book = (mealId: number, point: Point, signal?: AbortSignal): Promise<Reservation> =>
  call('POST', `${base}/reservations`, { meal_id: mealId, point }, { signal });
export const changePoint = (id: number, point: Point, signal?: AbortSignal): Promise<Reservation> =>
  call('PUT', `${base}/reservations/${id}`, { point }, { signal });
export const cancelBooking = (id: number, signal?: AbortSignal): Promise<void> => call('DELETE', `${base}/reservations/${id}`, undefined, { signal });
export const mealBookings = (mealId: number, signal?: AbortSignal): Promise<{ items: Reservation[] }> =>
  call('GET', `${base}/meals/${mealId}/reservations`, undefined, { signal });
export const markNoShow = (id: number, noShow: boolean, signal?: AbortSignal): Promise<Reservation> =>
  call('POST', `${base}/reservations/${id}/no-show`, { no_show: noShow }, { signal });
export const recordWaste = (mealId: number, body: unknown, signal?: AbortSignal): Promise<Waste> =>
  call('PUT', `${base}/meals/${mealId}/waste`, body, { signal });

// ---------- feedback ----------

export const vote = (weekId: number, dishId: number, value: number, signal?: AbortSignal): Promise<{ items: DishVotes[] }> =>
  call('POST', `${base}/weeks/${weekId}/votes`, { dish_id: dishId, value }, { signal });
export const weekComments = (weekId: number, signal?: AbortSignal): Promise<{ items: Comment[] }> =>
  call('GET', `${base}/weeks/${weekId}/comments`, undefined, { signal });
export const addComment = (weekId: number, body: string, dishId: number | null, signal?: AbortSignal): Promise<Comment> =>
  call('POST', `${base}/weeks/${weekId}/comments`, { body, dish_id: dishId }, { signal });
export const comments = (unanswered: boolean, signal?: AbortSignal): Promise<Comment[]> =>
  items<Comment>(`${base}/comments${q({ unanswered, limit: 200 })}`, signal);
export const answerComment = (id: number, answer: string, signal?: AbortSignal): Promise<Comment> =>
  call('POST', `${base}/comments/${id}/answer`, { answer }, { signal });
export const rate = (mealId: number, ratings: { dish_id: number; score: number; comment: string }[], signal?: AbortSignal): Promise<{ items: Rating[] }> =>
  call('POST', `${base}/meals/${mealId}/ratings`, { ratings }, { signal });
export const ratings = (filter: { unanswered?: boolean; dish_id?: number; from?: string; to?: string }, signal?: AbortSignal): Promise<Rating[]> =>
  items<Rating>(`${base}/ratings${q({ ...filter, limit: 200 })}`, signal);
export const myRatings = async (signal?: AbortSignal): Promise<Rating[]> =>
  (await call<{ items: Rating[] }>('GET', `${base}/ratings/mine`, undefined, { signal }))?.items ?? [];
export const answerRating = (id: number, answer: string, signal?: AbortSignal): Promise<Rating> =>
  call('POST', `${base}/ratings/${id}/answer`, { answer }, { signal });
export const trends = (from: string, to: string, signal?: AbortSignal): Promise<{ items: DishTrend[] }> =>
  call('GET', `${base}/ratings/dishes${q({ from, to })}`, undefined, { signal });

// ---------- waste and evaluations ----------

export const waste = (from: string, to: string, signal?: AbortSignal): Promise<WasteReport> =>
  call('GET', `${base}/waste${q({ from, to })}`, undefined, { signal });
export const evaluations = (signal?: AbortSignal): Promise<Evaluations> => call('GET', `${base}/evaluations`, undefined, { signal });
export const saveEvaluation = (body: unknown, id: number | null, signal?: AbortSignal): Promise<Evaluation> =>
  id ? call('PUT', `${base}/evaluations/${id}`, body, { signal }) : call('POST', `${base}/evaluations`, body, { signal });
export const reportURL = (month: string): string => `${base}/report.xlsx${q({ month })}`;

// ---------- food safety ----------

export const samples = (open: boolean, signal?: AbortSignal): Promise<Sample[]> => items<Sample>(`${base}/samples${q({ open, limit: 200 })}`, signal);
export const recordSample = (body: unknown, signal?: AbortSignal): Promise<Sample> => call('POST', `${base}/samples`, body, { signal });
export const discardSample = (id: number, body: unknown, signal?: AbortSignal): Promise<Sample> =>
  call('POST', `${base}/samples/${id}/discard`, body, { signal });
export const suppliers = (signal?: AbortSignal): Promise<Supplier[]> => listAll<Supplier>(`${base}/suppliers`, signal);
export const saveSupplier = (body: unknown, id: number | null, signal?: AbortSignal): Promise<Supplier> =>
  id ? call('PUT', `${base}/suppliers/${id}`, body, { signal }) : call('POST', `${base}/suppliers`, body, { signal });
export const purchases = (signal?: AbortSignal): Promise<Purchase[]> => items<Purchase>(`${base}/purchases${q({ limit: 100 })}`, signal);
export const recordPurchase = (body: unknown, signal?: AbortSignal): Promise<Purchase> => call('POST', `${base}/purchases`, body, { signal });
export const hygiene = (signal?: AbortSignal): Promise<HygieneCheck[]> => items<HygieneCheck>(`${base}/hygiene${q({ limit: 20 })}`, signal);
export const recordHygiene = (body: unknown, signal?: AbortSignal): Promise<HygieneCheck> => call('POST', `${base}/hygiene`, body, { signal });
