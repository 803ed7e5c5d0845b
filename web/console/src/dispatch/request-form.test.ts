import { describe, expect, it } from 'vitest';
import { inputToISO, isoToInput, shortTime } from './clock';
import { buildRequest, emptyRequest, fieldOfServer, requestDraftFrom, splitPair, type RequestDraft } from './request-form';

const filled = (): RequestDraft => ({
  ...emptyRequest(),
  passengers: '3',
  purpose: ' 防汛检查 ',
  origin: { address: '县政府大院', lat: '27.80012', lng: '114.40031' },
  destinations: [
    { address: '青龙水库', lat: '27.7312', lng: '114.2851' },
    { address: '', lat: '', lng: '' }, // an untouched extra row
  ],
  depart: '2026-05-01T08:30',
  return: '2026-05-01T17:00',
  vehicle_class: 'emergency',
  priority: 'emergency',
  notes: '  带雨具 ',
});

describe('county time in forms', () => {
  it('reads a datetime-local value as Beijing time and sends UTC', () => {
    expect(inputToISO('2026-05-01T08:30')).toBe('2026-05-01T00:30:00Z');
    expect(inputToISO('2026-01-01T03:00')).toBe('2025-12-31T19:00:00Z');
    expect(inputToISO('not a time')).toBe('');
  });
  it('shows UTC back in county time', () => {
    expect(isoToInput('2026-05-01T00:30:00Z')).toBe('2026-05-01T08:30');
    expect(isoToInput('2025-12-31T19:00:00Z')).toBe('2026-01-01T03:00');
    expect(isoToInput('')).toBe('');
    expect(shortTime('2026-05-01T00:30:00Z', Date.parse('2026-03-01T00:00:00Z'))).toBe('05-01 08:30');
    expect(shortTime('2025-05-01T00:30:00Z', Date.parse('2026-03-01T00:00:00Z'))).toBe('2025-05-01 08:30');
  });
});

describe('buildRequest', () => {
  it('builds the contract body: trimmed, times in UTC, blank rows dropped', () => {
    const { body, problems } = buildRequest(filled());
    expect(problems).toEqual({});
    expect(body).toEqual({
      passengers: 3,
      purpose: '防汛检查',
      origin: { address: '县政府大院', lat: 27.80012, lng: 114.40031 },
      destinations: [{ address: '青龙水库', lat: 27.7312, lng: 114.2851 }],
      depart_at: '2026-05-01T00:30:00Z',
      return_at: '2026-05-01T09:00:00Z',
      vehicle_class: 'emergency',
      priority: 'emergency',
      notes: '带雨具',
    });
  });

  it('names each bad field by its path', () => {
    const d = filled();
    d.passengers = '0';
    d.purpose = '';
    d.origin = { address: '', lat: '95', lng: 'abc' };
    d.destinations = [{ address: '水库', lat: '', lng: '114' }];
    d.return = '2026-05-01T08:00';
    expect(buildRequest(d).problems).toEqual({
      passengers: 'out_of_range',
      purpose: 'required',
      'origin.address': 'required',
      'origin.lat': 'invalid',
      'origin.lng': 'invalid',
      'destinations[0].lat': 'required',
      return_at: 'before_depart',
    });
  });

  it('refuses fractional passengers and missing times', () => {
    const d = filled();
    d.passengers = '2.5';
    d.depart = '';
    d.return = '';
    expect(buildRequest(d).problems).toEqual({ passengers: 'invalid', depart_at: 'required', return_at: 'required' });
  });

  it('takes a coordinate pair pasted into the latitude box, and full-width digits', () => {
    const d = filled();
    d.origin = { address: '县医院', lat: '27.81，114.39', lng: '' };
    d.passengers = '２';
    const { body, problems } = buildRequest(d);
    expect(problems).toEqual({});
    expect(body.origin).toEqual({ address: '县医院', lat: 27.81, lng: 114.39 });
    expect(body.passengers).toBe(2);
    expect(splitPair('27.8 114.4')).toEqual([27.8, 114.4]);
    expect(splitPair('27.8')).toBeNull();
    expect(splitPair('200, 114')).toBeNull();
  });

  it('keeps a normal priority unless emergency is chosen, and leaves out empty notes', () => {
    const d = filled();
    d.priority = 'whatever';
    d.notes = ' ';
    const { body } = buildRequest(d);
    expect(body.priority).toBe('normal');
    expect(body).not.toHaveProperty('notes');
  });

  it('fills the form from a saved request and builds the same body again', () => {
    const first = buildRequest(filled()).body;
    const again = buildRequest(requestDraftFrom(first as never)).body;
    expect(again).toEqual(first);
  });

  it('maps server field names to form paths', () => {
    expect(fieldOfServer('destinations.0.address')).toBe('destinations[0].address');
    expect(fieldOfServer('origin.lat')).toBe('origin.lat');
    expect(fieldOfServer('destinations[1].lng')).toBe('destinations[1].lng');
  });
});
