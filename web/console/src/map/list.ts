import { h } from '../dom';
import { t, tCode } from '../i18n';
import { unitName, unitOptions } from '../lookups';
import { vehicleClasses, type Unit } from '../types';
import { countStates, matcher, noFilter, noUnit, type Filter, type Matcher, type StateCounts, type VehicleInfo } from './filter';
import { byPlate, displayState, displayStates, type Fleet, type LiveVehicle } from './state';

// The side list of vehicles: plate, state, speed; a search box and unit, class and state
// selects filter it, and the map shows the same vehicles (onShown); a click selects. Items are
// kept and updated in place so the list does not flicker.

export interface VehicleListOptions {
  onSelect: (id: number) => void;
  /** A vehicle was shown or hidden by the filter. */
  onShown: (id: number, shown: boolean) => void;
  /** The per-state counts of the vehicles the search, unit and class let through. */
  onCounts: (counts: StateCounts) => void;
}

export class VehicleList {
  readonly el: HTMLElement;
  private readonly ul: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly unitSelect: HTMLSelectElement;
  private readonly stateSelect: HTMLSelectElement;
  private readonly items = new Map<number, HTMLLIElement>();
  private readonly shown = new Map<number, boolean>();
  private info = new Map<number, VehicleInfo>();
  private units: Unit[] = [];
  private filter: Filter = { ...noFilter };
  private match: Matcher = matcher(noFilter);
  private selected: number | null = null;

  constructor(
    private readonly fleet: Fleet,
    private readonly o: VehicleListOptions,
  ) {
    this.ul = h('ul', { id: 'vehicle-list', class: 'vehicle-list' });
    this.count = h('span', { class: 'muted', id: 'vehicle-count' });
    const search = h('input', {
      type: 'search',
      id: 'vehicle-search',
      class: 'vehicle-search',
      placeholder: t('map.searchPlate'),
      'aria-label': t('map.searchPlate'),
      oninput: (ev: Event) => this.setFilter({ query: (ev.target as HTMLInputElement).value }),
    });
    this.unitSelect = select('filter-unit', t('map.filterUnit'), (v) => this.setFilter({ unit: v }));
    this.fillUnits();
    const classSelect = select('filter-class', t('map.filterClass'), (v) => this.setFilter({ cls: v }));
    classSelect.append(h('option', { value: '' }, t('map.allClasses')), ...vehicleClasses.map((c) => h('option', { value: c }, tCode('class', c))));
    this.stateSelect = select('filter-state', t('map.filterState'), (v) => this.setFilter({ state: v }));
    this.stateSelect.append(h('option', { value: '' }, t('map.allStates')), ...displayStates.map((s) => h('option', { value: s, 'data-state': s }, tCode('vstate', s))));
    this.el = h(
      'div',
      { class: 'map-list' },
      h('div', { class: 'map-panel-head' }, h('h2', null, t('map.vehicles')), this.count),
      search,
      h('div', { class: 'map-filters' }, this.unitSelect, classSelect, this.stateSelect),
      this.ul,
    );
    this.ul.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest<HTMLElement>('[data-vehicle-id]');
      if (li) this.o.onSelect(Number(li.dataset.vehicleId));
    });
  }

  /** setInfo adds the units and classes of /api/vehicles and the unit names of /api/units. */
  setInfo(info: Map<number, VehicleInfo>, units: Unit[]): void {
    this.info = info;
    this.units = units;
    this.fillUnits();
    this.setFilter({});
  }

  /** infoOf returns what /api/vehicles said about a vehicle. */
  infoOf(id: number): VehicleInfo | undefined {
    return this.info.get(id);
  }

  /** unitOf names the unit of a vehicle ('' when it has none). */
  unitOf(id: number): string {
    const info = this.info.get(id);
    return info ? unitName(this.units, info.unit_id, info.unit_name) : '';
  }

  /** isShown tells whether the filter lets a vehicle through. */
  isShown(id: number): boolean {
    return this.shown.get(id) ?? true;
  }

  /** update redraws the given vehicles (and drops the removed ones). */
  update(changed: number[], removed: number[] = []): void {
    for (const id of removed) {
      this.items.get(id)?.remove();
      this.items.delete(id);
      this.shown.delete(id);
    }
    let added = false;
    for (const id of changed) {
      const v = this.fleet.get(id);
      if (!v) continue;
      let li = this.items.get(id);
      if (!li) {
        li = h('li', { 'data-vehicle-id': id, tabindex: 0, role: 'button' });
        li.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            this.o.onSelect(id);
          }
        });
        this.items.set(id, li);
        added = true;
      }
      fill(li, v, id === this.selected);
      this.judge(id, v);
    }
    if (added) this.reorder();
    this.summarise();
  }

  select(id: number | null): void {
    this.items.get(this.selected ?? -1)?.classList.remove('selected');
    this.selected = id;
    const li = this.items.get(id ?? -1);
    if (li) {
      li.classList.add('selected');
      li.scrollIntoView({ block: 'nearest' });
    }
  }

  private setFilter(change: Partial<Filter>): void {
    this.filter = { ...this.filter, ...change };
    this.match = matcher(this.filter, this.units);
    for (const id of this.items.keys()) {
      const v = this.fleet.get(id);
      if (v) this.judge(id, v);
    }
    this.summarise();
  }

  /** judge shows or hides one item, telling the map when that changed. */
  private judge(id: number, v: LiveVehicle): void {
    const ok = this.match(v, this.info.get(id));
    const li = this.items.get(id);
    if (li) li.hidden = !ok;
    if (this.shown.get(id) !== ok) {
      this.shown.set(id, ok);
      this.o.onShown(id, ok);
    }
  }

  private summarise(): void {
    let shown = 0;
    const passing: LiveVehicle[] = [];
    for (const id of this.items.keys()) {
      const v = this.fleet.get(id);
      if (!v) continue;
      if (this.shown.get(id)) shown++;
      if (this.match(v, this.info.get(id), true)) passing.push(v);
    }
    this.count.textContent = t('map.count', { shown, total: this.items.size });
    const counts = countStates(passing);
    for (const opt of this.stateSelect.querySelectorAll<HTMLOptionElement>('option[data-state]')) {
      const s = opt.dataset.state as keyof StateCounts;
      opt.textContent = `${tCode('vstate', s)} (${counts[s]})`;
    }
    this.o.onCounts(counts);
  }

  private fillUnits(): void {
    const value = this.unitSelect.value;
    this.unitSelect.replaceChildren(
      h('option', { value: '' }, t('map.allUnits')),
      h('option', { value: noUnit }, t('map.noUnit')),
      ...unitOptions(this.units).map((o) => h('option', { value: o.value }, o.label)),
    );
    this.unitSelect.value = value;
    if (this.unitSelect.selectedIndex < 0) this.unitSelect.value = '';
  }

  private reorder(): void {
    const vs = [...this.items.keys()].map((id) => this.fleet.get(id)).filter((v): v is LiveVehicle => !!v).sort(byPlate);
    this.ul.replaceChildren(...vs.map((v) => this.items.get(v.vehicle_id)!));
  }
}

function select(id: string, label: string, onChange: (value: string) => void): HTMLSelectElement {
  return h('select', { id, class: 'map-filter', 'aria-label': label, title: label, onchange: (ev: Event) => onChange((ev.target as HTMLSelectElement).value) });
}

function fill(li: HTMLLIElement, v: LiveVehicle, selected: boolean): void {
  const shown = displayState(v);
  li.dataset.state = v.state;
  li.dataset.shownState = shown;
  li.dataset.lat = String(v.lat);
  li.dataset.lng = String(v.lng);
  if (v.alarm) li.dataset.alarm = '1';
  else delete li.dataset.alarm;
  li.className = `vehicle-item${selected ? ' selected' : ''}`;
  li.replaceChildren(
    h('span', { class: `vdot vstate-${shown}`, 'aria-hidden': 'true' }),
    h('span', { class: 'vplate' }, v.plate),
    h('span', { class: 'vstate' }, tCode('vstate', shown)),
    h('span', { class: 'vspeed' }, t('map.kmh', { speed: Math.round(v.speed_kmh) })),
  );
}
