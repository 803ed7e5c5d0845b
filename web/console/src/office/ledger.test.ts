import { describe, expect, it } from 'vitest';
import { excessOf, floorGrid, floorName, formatArea, isVacant, perPerson, standardFor, toneOf, utilisation } from './ledger';
import type { Room, Standard } from './types';

// The county-level table of the 2014 standard (not the 1999 one: 20/12/9/6).
const rank = (code: string, area_m2: number): Standard => ({ level: 'county', kind: 'person', code, name: code, area_m2 });
const standards: Standard[] = [
  rank('county_chief', 30),
  rank('county_deputy', 24),
  rank('section_chief', 18),
  rank('section_deputy', 12),
  rank('clerk', 9),
  // Unit-level allowances are not ranks.
  { level: 'county', kind: 'service', code: 'service', name: '服务用房', area_m2: 8 },
  { level: 'county', kind: 'equipment', code: 'equipment', name: '设备用房', ratio: 0.09 },
];

let nextId = 1;
function room(over: Partial<Room>): Room {
  return { id: nextId++, building_id: 1, floor: 1, number: '101', area_m2: 20, use: 'office', unit_id: 7, occupants: [], ...over };
}
const person = (rank: string, i = 0) => ({ assignment_id: 100 + i, user_id: 200 + i, name: `p${i}`, rank });

describe('areas', () => {
  it('prints at most two decimals without trailing zeros', () => {
    expect(formatArea(24)).toBe('24');
    expect(formatArea(7.5)).toBe('7.5');
    expect(formatArea(25 / 3)).toBe('8.33');
    expect(formatArea(-0.001)).toBe('0');
    expect(formatArea(null)).toBe('');
    expect(formatArea(Number.NaN)).toBe('');
  });

  it('signs an excess and grades it against the standard', () => {
    expect(excessOf(6, 18)).toEqual({ text: '+6', severity: 'minor' });
    expect(excessOf(10, 18)).toEqual({ text: '+10', severity: 'major' });
    expect(excessOf(0, 18)).toEqual({ text: '0', severity: 'none' });
    expect(excessOf(-3, 18)).toEqual({ text: '0', severity: 'none' });
    expect(excessOf(0.004, 18)).toEqual({ text: '0', severity: 'none' });
  });

  it('looks the standard up by rank', () => {
    expect(standardFor('section_chief', standards)).toBe(18);
    expect(standardFor('county_chief', standards)).toBe(30);
    expect(standardFor('general', standards)).toBeNull();
    expect(standardFor('service', standards)).toBeNull();
    expect(standardFor('', standards)).toBeNull();
  });

  it('splits a shared room evenly', () => {
    expect(perPerson(room({ area_m2: 24, occupants: [person('clerk', 1), person('clerk', 2)] }))).toBe(12);
    expect(perPerson(room({ area_m2: 24 }))).toBe(24);
  });
});

describe('utilisation', () => {
  it('is the occupants’ standards over the area', () => {
    // A 正科 alone in 24 m²: 18 of 24 is justified, 75 %, over the standard.
    expect(utilisation(room({ area_m2: 24, occupants: [person('section_chief')] }), standards)).toBe(75);
    // Two clerks in 18 m²: 9 + 9 = 18, exactly the standard.
    expect(utilisation(room({ area_m2: 18, occupants: [person('clerk', 1), person('clerk', 2)] }), standards)).toBe(100);
    // Three clerks in 18 m²: crowded, 150 %.
    expect(utilisation(room({ area_m2: 18, occupants: [1, 2, 3].map((i) => person('clerk', i)) }), standards)).toBe(150);
  });

  it('is unknown without occupants, area or a known rank', () => {
    expect(utilisation(room({}), standards)).toBeNull();
    expect(utilisation(room({ area_m2: 0, occupants: [person('clerk')] }), standards)).toBeNull();
    expect(utilisation(room({ occupants: [person('clerk'), person('mayor', 2)] }), standards)).toBeNull();
  });

  it('colours rooms by what they are and how they are used', () => {
    expect(toneOf(room({ unit_id: null }), standards)).toBe('vacant');
    expect(toneOf(room({ vacant: true }), standards)).toBe('vacant');
    // People of several units share it: no one unit, but not vacant.
    expect(toneOf(room({ unit_id: null, vacant: false, area_m2: 18, occupants: [person('clerk', 1), person('clerk', 2)] }), standards)).toBe('ok');
    expect(toneOf(room({}), standards)).toBe('idle');
    expect(toneOf(room({ use: 'service' }), standards)).toBe('other');
    expect(toneOf(room({ area_m2: 24, occupants: [person('section_chief')] }), standards)).toBe('over');
    expect(toneOf(room({ area_m2: 18, occupants: [person('section_chief')] }), standards)).toBe('ok');
    expect(toneOf(room({ unit_id: null, area_m2: 12, occupants: [person('section_deputy')] }), standards)).toBe('ok');
    expect(toneOf(room({ occupants: [person('nobody')] }), standards)).toBe('unknown');
  });
});

describe('vacancy', () => {
  it('takes the server’s word, else no unit and no one', () => {
    expect(isVacant({ vacant: true, unit_id: 3, occupants: [] })).toBe(true);
    expect(isVacant({ vacant: false, unit_id: null, occupants: [] })).toBe(false);
    expect(isVacant({ unit_id: null, occupants: [] })).toBe(true);
    expect(isVacant({ unit_id: null, unit_assignment_id: 4, occupants: [] })).toBe(false);
    expect(isVacant({ unit_id: null, occupants: [person('clerk')] })).toBe(false);
  });
});

describe('floor grid', () => {
  it('puts the top floor first and numbers in natural order', () => {
    const rooms = [
      room({ floor: 1, number: '110', area_m2: 30 }),
      room({ floor: 2, number: '201', area_m2: 20, unit_id: null }),
      room({ floor: 1, number: '102', area_m2: 10, unit_id: null }),
      room({ floor: 1, number: '101', area_m2: 20 }),
    ];
    const grid = floorGrid(rooms);
    expect(grid.map((f) => f.floor)).toEqual([2, 1]);
    expect(grid[1].rooms.map((r) => r.number)).toEqual(['101', '102', '110']);
    expect(grid[1]).toMatchObject({ area: 60, usedArea: 50, used: 83 });
    expect(grid[0]).toMatchObject({ area: 20, usedArea: 0, used: 0 });
  });

  it('shows every floor of the building, empty ones too, and basements last', () => {
    const grid = floorGrid([room({ floor: -1, number: 'B01' }), room({ floor: 2, number: '201' })], 3);
    expect(grid.map((f) => f.floor)).toEqual([3, 2, 1, -1]);
    expect(grid[0]).toMatchObject({ rooms: [], area: 0, used: null });
  });

  it('names floors and basements', () => {
    expect(floorName(3)).toEqual({ key: 'office.floorN', n: 3 });
    expect(floorName(-2)).toEqual({ key: 'office.basementN', n: 2 });
  });
});
