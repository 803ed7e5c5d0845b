// Shapes of the canteen's JSON (/api/canteen/...). Times are RFC 3339 in UTC; days YYYY-MM-DD.

export const kinds = ['breakfast', 'lunch', 'dinner'] as const;
export type Kind = (typeof kinds)[number];
export const points = ['dine_in', 'takeaway'] as const;
export type Point = (typeof points)[number];
export const categories = ['staple', 'meat', 'half_meat', 'vegetable', 'soup', 'porridge', 'snack', 'fruit', 'drink'] as const;
export const allergens = ['gluten', 'crustacean', 'fish', 'egg', 'peanut', 'soy', 'milk', 'nut', 'sesame'] as const;

export interface Dish {
  id: number;
  name: string;
  category: string;
  allergens: string[];
  price: number;
  /** The address to show: the uploaded photo, else the outside link. */
  photo: string;
  photo_url: string;
  photo_uploaded: boolean;
  note: string;
  active: boolean;
}

export interface Counts {
  dine_in: number;
  takeaway: number;
  total: number;
  no_shows: number;
}

export interface Reservation {
  id: number;
  meal_id: number;
  user_id: number;
  name?: string;
  unit?: string;
  point: Point;
  no_show: boolean;
  created_at: string;
  date?: string;
  kind?: Kind;
  cutoff_at?: string;
  bookable: boolean;
}

export interface HistoryPoint {
  date: string;
  booked: number;
  diners: number;
}

export interface Forecast {
  booked: number;
  expected: number;
  ratio: number;
  basis: 'same_weekday' | 'same_kind' | 'bookings';
  final: boolean;
  samples: HistoryPoint[];
}

export interface Waste {
  meal_id: number;
  date: string;
  kind?: Kind;
  plate_kg: number;
  kitchen_kg: number;
  total_kg: number;
  diners: number;
  g_per_diner: number;
  target_g: number;
  over_target: boolean;
  note: string;
  recorded_at: string;
}

export interface Score {
  avg: number;
  count: number;
}

export interface Meal {
  id: number;
  week_id: number;
  date: string;
  kind: Kind;
  cutoff_at: string;
  serve_at: string;
  status: 'open' | 'cancelled';
  cancel_reason: string;
  bookable: boolean;
  rateable: boolean;
  dishes: Dish[];
  counts: Counts;
  mine: Reservation | null;
  my_ratings: Record<string, number>;
  forecast?: Forecast;
  waste?: Waste;
  rating_avg?: Record<string, Score>;
}

export interface Change {
  id: number;
  meal_id: number | null;
  date: string;
  kind: string;
  at: string;
  actor: string;
  action: string;
  from: string;
  to: string;
  reason: string;
}

export interface DishVotes {
  dish_id: number;
  up: number;
  down: number;
  mine: number;
}

export interface Week {
  id: number;
  week_start: string;
  week_end: string;
  status: 'draft' | 'published';
  published_at: string | null;
  publish_due: string;
  publish_overdue: boolean;
  published_late: boolean;
  meals: Meal[];
  changes: Change[];
  votes: DishVotes[];
  comments: number;
  consultation: boolean;
}

export interface Comment {
  id: number;
  week_id: number;
  week_start: string;
  dish_id: number | null;
  dish: string;
  author?: string;
  unit?: string;
  mine: boolean;
  body: string;
  answer: string;
  answered_at: string | null;
  created_at: string;
}

export interface Rating {
  id: number;
  meal_id: number;
  date: string;
  kind: Kind;
  dish_id: number;
  dish: string;
  score: number;
  comment: string;
  answer: string;
  answered_at: string | null;
  author?: string;
  unit?: string;
  mine: boolean;
}

export interface DishTrend {
  dish_id: number;
  dish: string;
  category: string;
  count: number;
  avg: number;
  weeks: { start: string; count: number; avg: number }[];
}

export interface WastePeriod {
  start: string;
  meals: number;
  diners: number;
  plate_kg: number;
  kitchen_kg: number;
  total_kg: number;
  g_per_diner: number;
  over_target: boolean;
}

export interface WasteReport {
  from: string;
  to: string;
  target_g: number;
  items: Waste[];
  weeks: WastePeriod[];
  total: WastePeriod;
}

export interface CheckItem {
  item: string;
  ok: boolean;
  note: string;
}

export interface Evaluation {
  id: number;
  year: number;
  quarter: number;
  items: CheckItem[];
  score: number;
  diners: number;
  waste_kg: number;
  g_per_diner: number;
  target_g: number;
  conclusion: string;
  measures: string;
  evaluator: string;
  evaluated_on: string;
}

export interface Evaluations {
  items: Evaluation[];
  due: { year: number; quarter: number; due_on: string; overdue: boolean } | null;
  checklist: string[];
}

export interface Sample {
  id: number;
  meal_id: number | null;
  date: string;
  kind: string;
  dish_id: number | null;
  dish: string;
  weight_g: number;
  refrigerated: boolean;
  taken_at: string;
  taken_by: string;
  keep_until: string;
  discarded_at: string | null;
  discarded_by: string;
  discard_reason: string;
  note: string;
  warnings: string[];
}

export interface Supplier {
  id: number;
  name: string;
  license_no: string;
  license_expiry: string;
  contact: string;
  phone: string;
  goods: string;
  active: boolean;
  note: string;
  warnings: string[];
}

export interface Purchase {
  id: number;
  supplier_id: number;
  supplier: string;
  received_on: string;
  item: string;
  quantity: string;
  batch: string;
  expires_on: string;
  certificate: boolean;
  result: 'accepted' | 'rejected';
  inspector: string;
  note: string;
  warnings: string[];
}

export interface HygieneCheck {
  id: number;
  checked_on: string;
  inspector: string;
  items: CheckItem[];
  result: 'pass' | 'issues';
  failed: number;
  note: string;
}

export interface Warning {
  kind: string;
  severity: 'danger' | 'warn';
  subject: string;
  date: string;
  ref_id: number;
}

export interface Overview {
  warnings: Warning[];
  hygiene: { last_on: string; due_on: string; overdue: boolean };
  open_samples: number;
  next_week: string;
  next_week_status: string;
  publish_due: string;
  evaluation_due: Evaluations['due'];
  hygiene_checklist: string[];
  counts: Record<string, number>;
}

export interface Settings {
  publish_weekday: number;
  cutoff_minutes: Record<Kind, number>;
  serve_minutes: Record<Kind, number>;
  waste_target_g: number;
}
