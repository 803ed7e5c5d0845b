import { call, listAll } from '../api';
import type { List } from '../types';
import type {
  Agency,
  AgencySummary,
  BatchResult,
  CO2Factor,
  Coefficient,
  Meter,
  MonthReport,
  Project,
  Reading,
  Settings,
  TrendPoint,
  UnitBasis,
  YearReport,
} from './types';

// Every call of the energy pages to the server (/api/energy/...).

const base = '/api/energy';

async function items<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const r = await call<{ items: T[] }>('GET', path, undefined, { signal });
  return r?.items ?? [];
}

export function report(month: string, signal?: AbortSignal): Promise<MonthReport> {
  return call('GET', `${base}/report?month=${encodeURIComponent(month)}`, undefined, { signal });
}

/** reportURL downloads the month's report as XLSX in the upward-reporting layout. */
export function reportURL(month: string): string {
  return `${base}/report.xlsx?month=${encodeURIComponent(month)}`;
}

export function year(y: number, signal?: AbortSignal): Promise<YearReport> {
  return call('GET', `${base}/year?year=${y}`, undefined, { signal });
}

export function trend(from: string, to: string, signal?: AbortSignal): Promise<TrendPoint[]> {
  return items<TrendPoint>(`${base}/trend?from=${from}&to=${to}`, signal);
}

export function meters(signal?: AbortSignal): Promise<Meter[]> {
  return listAll<Meter>(`${base}/meters`, signal);
}

export function saveMeter(body: unknown, id: number | null, signal?: AbortSignal): Promise<Meter> {
  return id ? call('PUT', `${base}/meters/${id}`, body, { signal }) : call('POST', `${base}/meters`, body, { signal });
}

export function replaceMeter(id: number, body: unknown, signal?: AbortSignal): Promise<Meter> {
  return call('POST', `${base}/meters/${id}/replace`, body, { signal });
}

export function retireMeter(id: number, body: unknown, signal?: AbortSignal): Promise<Meter> {
  return call('POST', `${base}/meters/${id}/retire`, body, { signal });
}

export async function readings(query: string, signal?: AbortSignal): Promise<List<Reading>> {
  return call('GET', `${base}/readings?${query}`, undefined, { signal });
}

/** ReadingBody is one reading to send: the register's cumulative value at an instant. */
export interface ReadingBody {
  meter_id: number;
  at: string;
  value: number;
}

export function addReadings(list: ReadingBody[], signal?: AbortSignal): Promise<BatchResult> {
  return call('POST', `${base}/readings`, { readings: list, source: 'manual' }, { signal });
}

export function review(id: number, how: 'accept' | 'reject', note: string, signal?: AbortSignal): Promise<Reading> {
  return call('POST', `${base}/readings/${id}/${how}`, { note }, { signal });
}

export function coefficients(signal?: AbortSignal): Promise<Coefficient[]> {
  return items<Coefficient>(`${base}/coefficients`, signal);
}

export function saveCoefficients(list: { kind: string; value: number; source: string }[], signal?: AbortSignal): Promise<unknown> {
  return call('PUT', `${base}/coefficients`, { items: list }, { signal });
}

export function co2Factors(signal?: AbortSignal): Promise<CO2Factor[]> {
  return items<CO2Factor>(`${base}/co2-factors`, signal);
}

export function saveCO2Factors(list: { kind: string; region: string; value: number; source: string }[], signal?: AbortSignal): Promise<unknown> {
  return call('PUT', `${base}/co2-factors`, { items: list }, { signal });
}

export function deleteCO2Factor(id: number, signal?: AbortSignal): Promise<void> {
  return call('DELETE', `${base}/co2-factors/${id}`, undefined, { signal });
}

export function settings(signal?: AbortSignal): Promise<Settings> {
  return call('GET', `${base}/settings`, undefined, { signal });
}

export function saveSettings(s: Settings, signal?: AbortSignal): Promise<Settings> {
  return call('PUT', `${base}/settings`, s, { signal });
}

export function bases(signal?: AbortSignal): Promise<UnitBasis[]> {
  return items<UnitBasis>(`${base}/units`, signal);
}

export function saveBasis(unit: number, body: { headcount: number | null; area_m2: number | null; note: string }, signal?: AbortSignal): Promise<UnitBasis> {
  return call('PUT', `${base}/units/${unit}`, body, { signal });
}

export async function agencies(signal?: AbortSignal): Promise<{ items: Agency[]; summary: AgencySummary }> {
  const r = await call<{ items: Agency[]; summary: AgencySummary }>('GET', `${base}/agencies`, undefined, { signal });
  return { items: r.items ?? [], summary: r.summary };
}

export function enrol(body: { unit_id: number; enrolled_on?: string; note?: string }, signal?: AbortSignal): Promise<Agency> {
  return call('POST', `${base}/agencies`, body, { signal });
}

export function score(id: number, body: { evaluated_on?: string; scores: { code: string; score: number; note?: string }[] }, signal?: AbortSignal): Promise<Agency> {
  return call('PUT', `${base}/agencies/${id}/scores`, body, { signal });
}

export function decide(id: number, body: { status: string; note?: string }, signal?: AbortSignal): Promise<Agency> {
  return call('POST', `${base}/agencies/${id}/decision`, body, { signal });
}

export function projects(signal?: AbortSignal): Promise<Project[]> {
  return items<Project>(`${base}/projects`, signal);
}

export function saveProject(body: unknown, id: number | null, signal?: AbortSignal): Promise<Project> {
  return id ? call('PUT', `${base}/projects/${id}`, body, { signal }) : call('POST', `${base}/projects`, body, { signal });
}

export function buildings(signal?: AbortSignal): Promise<{ id: number; name: string; area_m2: number }[]> {
  return items(`${base}/buildings`, signal);
}
