import { h } from '../dom';
import { t, tCode } from '../i18n';
import { byPlate, displayState, matchesPlate, type Fleet, type LiveVehicle } from './state';

// The side list of vehicles: plate, state, speed; a search box filters by plate, a click
// selects. Items are kept and updated in place so the list does not flicker.

export class VehicleList {
  readonly el: HTMLElement;
  private readonly ul: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly items = new Map<number, HTMLLIElement>();
  private query = '';
  private selected: number | null = null;

  constructor(
    private readonly fleet: Fleet,
    private readonly onSelect: (id: number) => void,
  ) {
    this.ul = h('ul', { id: 'vehicle-list', class: 'vehicle-list' });
    this.count = h('span', { class: 'muted', id: 'vehicle-count' });
    const search = h('input', {
      type: 'search',
      id: 'vehicle-search',
      class: 'vehicle-search',
      placeholder: t('map.searchPlate'),
      'aria-label': t('map.searchPlate'),
      oninput: (ev: Event) => {
        this.query = (ev.target as HTMLInputElement).value;
        this.applyFilter();
      },
    });
    this.el = h('div', { class: 'map-list' }, h('div', { class: 'map-panel-head' }, h('h2', null, t('map.vehicles')), this.count), search, this.ul);
    this.ul.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest<HTMLElement>('[data-vehicle-id]');
      if (li) this.onSelect(Number(li.dataset.vehicleId));
    });
  }

  /** update redraws the given vehicles (and drops the removed ones). */
  update(changed: number[], removed: number[] = []): void {
    for (const id of removed) {
      this.items.get(id)?.remove();
      this.items.delete(id);
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
            this.onSelect(id);
          }
        });
        this.items.set(id, li);
        added = true;
      }
      fill(li, v, id === this.selected);
    }
    if (added) this.reorder();
    this.applyFilter();
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

  private reorder(): void {
    const vs = [...this.items.keys()].map((id) => this.fleet.get(id)).filter((v): v is LiveVehicle => !!v).sort(byPlate);
    this.ul.replaceChildren(...vs.map((v) => this.items.get(v.vehicle_id)!));
  }

  private applyFilter(): void {
    let shown = 0;
    for (const [id, li] of this.items) {
      const ok = matchesPlate(this.fleet.get(id)?.plate ?? '', this.query);
      li.hidden = !ok;
      if (ok) shown++;
    }
    this.count.textContent = t('map.count', { shown, total: this.items.size });
  }
}

function fill(li: HTMLLIElement, v: LiveVehicle, selected: boolean): void {
  const shown = displayState(v);
  li.dataset.state = v.state;
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
