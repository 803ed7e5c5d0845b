// Shapes of the JSON the server sends (see the HTTP API in DESIGN.md). Ids are numbers.

export const roles = [
  'admin',
  'dispatcher',
  'driver',
  'leader',
  'staff',
  'office_manager',
  'canteen_manager',
  'energy_manager',
  'auditor',
] as const;
export type Role = (typeof roles)[number];

export const vehicleClasses = [
  'confidential_comm',
  'emergency',
  'law_enforcement',
  'special_technical',
  'general',
] as const;
export const energies = ['gasoline', 'diesel', 'electric', 'hybrid', 'plugin_hybrid'] as const;
export const vehicleStatuses = [
  'available',
  'on_task',
  'maintenance',
  'repair',
  'disinfection',
  'retired',
] as const;
export const driverStatuses = ['on_duty', 'off_duty', 'leave'] as const;

/** Me is the signed-in user as /api/login and /api/me return it. */
export interface Me {
  id: number;
  username: string;
  name: string;
  role: Role;
  unit_id: number | null;
  unit_name: string;
}

export interface List<T> {
  items: T[];
  total: number;
}

export interface Unit {
  id: number;
  name: string;
  parent_id: number | null;
  code: string;
}

export interface User {
  id: number;
  username: string;
  name: string;
  phone: string;
  role: Role;
  unit_id: number | null;
  unit_name: string;
  /** 职级 code the office standards read (county_chief … clerk); '' when not set. */
  rank?: string;
  disabled: boolean;
  created_at: string;
}

export interface Vehicle {
  id: number;
  plate: string;
  class: string;
  seats: number;
  energy: string;
  terminal_phone: string;
  pooled: boolean;
  unit_id: number | null;
  unit_name?: string;
  status: string;
}

export interface Driver {
  id: number;
  name: string;
  phone: string;
  license_class: string;
  license_expiry: string;
  unit_id: number | null;
  unit_name?: string;
  user_id: number | null;
  status: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  target: string;
  detail: string;
  ip: string;
}
