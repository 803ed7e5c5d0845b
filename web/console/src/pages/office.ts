import '../office.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { loadUnits, unitName, unitOptions } from '../lookups';
import * as api from '../office/api';
import { importPanel, reconcilePanel } from '../office/import';
import { floorGrid, floorName, formatArea, toneOf, utilisation, type Tone } from '../office/ledger';
import { historyTable, roomDetails } from '../office/room-panel';
import { ownerships, roomUses, type Building, type Person, type Room, type Standard } from '../office/types';
import { area, officeTabs, statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Field, type Option } from '../resource-form';
import type { Unit } from '../types';

// The ledger (台账) of office space: buildings, each building's floors as a grid of rooms
// coloured by use and utilisation, and one room's unit, occupants and history. The office
// manager and admin change it; a unit's leader sees their own unit's rooms (the server scopes).

const tones: Tone[] = ['vacant', 'idle', 'ok', 'over', 'other', 'unknown'];

/** officePage renders /office (?building=ID&room=ID pick a building and a room). */
export function officePage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const q = new URLSearchParams(location.search);
  let buildingId = Number(q.get('building')) || 0;
  let roomId = Number(q.get('room')) || 0;
  let buildings: Building[] = [];
  let rooms: Room[] = [];
  let standards: Standard[] = [];
  let units: Unit[] = [];
  let people: Person[] | null = null;

  const status = statusLine();
  const buildingList = h('div', { class: 'of-buildings' });
  const buildingView = h('section', { class: 'of-building', hidden: true });
  const roomView = h('section', { id: 'office-room', class: 'card of-room-panel', hidden: true });
  // The chosen room's history, full width under the grid: from and to need the room.
  const historyView = h('section', { class: 'of-history-section', id: 'office-history', hidden: true });
  // Reconciling a unit's own ledger: the center for any unit, a leader for their own.
  const reconcileHost = h('div');

  replace(
    root,
    pageHeader(
      'office.title',
      !writable && h('span', { class: 'badge muted', id: 'read-only' }, t('common.readOnly')),
      h('a', { class: 'btn', id: 'office-export', href: api.exportURL, download: '' }, t('office.export')),
      writable && h('button', { type: 'button', class: 'btn primary', id: 'office-building-add', onclick: () => editBuilding(null) }, `+ ${t('office.building.add')}`),
    ),
    officeTabs('ledger'),
    status,
    buildingList,
    buildingView,
    writable && importPanel(signal, () => void loadAll()),
    reconcileHost,
  );
  root.classList.add('of-page');

  /** remember keeps the chosen building and room in the address, without a new history entry. */
  function remember(): void {
    const p = new URLSearchParams();
    if (buildingId) p.set('building', String(buildingId));
    if (roomId) p.set('room', String(roomId));
    const qs = p.toString();
    history.replaceState(null, '', qs ? `/office?${qs}` : '/office');
  }

  async function loadAll(): Promise<void> {
    try {
      const [b, s, u] = await Promise.all([api.buildings(signal), api.standards(signal).catch(() => []), loadUnits(signal).catch(() => [])]);
      buildings = b;
      standards = s;
      units = u;
      status.textContent = '';
      const own = ctx.user.role === 'leader' && ctx.user.unit_id ? { value: String(ctx.user.unit_id), label: ctx.user.unit_name || unitName(units, ctx.user.unit_id) } : null;
      if (writable || own) replace(reconcileHost, reconcilePanel(signal, unitOptions(units), own));
      if (!buildings.some((x) => x.id === buildingId)) buildingId = buildings[0]?.id ?? 0;
      drawBuildings();
      await loadRooms();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function drawBuildings(): void {
    if (!buildings.length) {
      replace(buildingList, h('div', { class: 'status empty' }, writable ? t('office.building.noneYet') : t('common.empty')));
      return;
    }
    replace(
      buildingList,
      table<Building>(
        'office-buildings',
        [
          { label: 'office.building.name', cell: (b) => h('a', { href: `/office?building=${b.id}`, onclick: (ev: Event) => pick(ev, b.id) }, b.name) },
          { label: 'office.building.address', cell: (b) => b.address || t('common.none') },
          { label: 'office.building.floors', cell: (b) => b.floors || t('common.none'), className: 'num' },
          { label: 'office.building.totalArea', cell: (b) => (b.total_area_m2 ? area(b.total_area_m2) : t('common.none')), className: 'num nowrap' },
          { label: 'office.building.usableArea', cell: (b) => (b.usable_area_m2 ? area(b.usable_area_m2) : t('common.none')), className: 'num nowrap' },
          { label: 'office.building.rooms', cell: (b) => (b.rooms ? t('office.occupancy.rooms', { n: b.rooms }) : '0'), className: 'num nowrap' },
          { label: 'office.building.ownership', cell: (b) => (b.ownership ? tCode('ownership', b.ownership) : t('common.none')) },
          {
            label: 'common.actions',
            className: 'actions',
            hidden: !writable,
            cell: (b) => h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', onclick: (ev: Event) => (ev.stopPropagation(), editBuilding(b)) }, t('common.edit')),
          },
        ],
        buildings,
        (b) => ({ 'data-building-id': b.id, class: b.id === buildingId ? 'clickable selected' : 'clickable' }),
      ),
    );
    for (const tr of buildingList.querySelectorAll<HTMLTableRowElement>('tr[data-building-id]')) {
      tr.addEventListener('click', (ev) => pick(ev, Number(tr.dataset.buildingId)));
    }
  }

  function pick(ev: Event, id: number): void {
    ev.preventDefault();
    if (id === buildingId) return;
    buildingId = id;
    roomId = 0;
    remember();
    drawBuildings();
    void loadRooms();
  }

  async function loadRooms(): Promise<void> {
    if (!buildingId) {
      buildingView.hidden = true;
      return;
    }
    try {
      rooms = await api.rooms(buildingId, signal);
      if (!rooms.some((r) => r.id === roomId)) roomId = 0;
      remember();
      drawBuilding();
    } catch (err) {
      if (isAbort(err)) return;
      buildingView.hidden = false;
      replace(buildingView, h('div', { class: 'status error' }, t('error.load', { message: errorText(err) })));
    }
  }

  function drawBuilding(): void {
    const b = buildings.find((x) => x.id === buildingId);
    if (!b) return;
    buildingView.hidden = false;
    const grid = floorGrid(rooms, b.floors);
    const total = rooms.reduce((s, r) => s + r.area_m2, 0);
    replace(
      buildingView,
      h(
        'div',
        { class: 'of-building-head' },
        h('h2', { class: 'section-title' }, b.name, h('span', { class: 'muted of-sub' }, t('office.building.summary', { rooms: rooms.length, area: formatArea(total) }))),
        writable && h('button', { type: 'button', class: 'btn primary', id: 'office-room-add', onclick: () => editRoom(null) }, `+ ${t('office.room.add')}`),
      ),
      legend(),
      h(
        'div',
        { class: 'of-ledger' },
        h(
          'div',
          { id: 'office-floor-grid', class: 'of-grid', 'data-building-id': b.id },
          grid.length ? grid.map((f) => floorRow(f)) : h('div', { class: 'status empty' }, t('office.room.none')),
        ),
        roomView,
      ),
      historyView,
    );
    void drawRoom();
  }

  function legend(): HTMLElement {
    return h(
      'ul',
      { class: 'of-legend', id: 'office-legend' },
      tones.map((tone) => h('li', { 'data-tone': tone }, h('span', { class: 'of-swatch', 'data-tone': tone }), t(`office.tone.${tone}`))),
    );
  }

  function floorRow(f: ReturnType<typeof floorGrid>[number]): HTMLElement {
    const name = floorName(f.floor);
    return h(
      'div',
      { class: 'of-floor', 'data-floor': f.floor },
      h(
        'div',
        { class: 'of-floor-head' },
        h('strong', null, t(name.key, { n: name.n })),
        h('span', { class: 'muted' }, f.used === null ? t('office.floor.empty') : t('office.floor.used', { used: f.used, area: formatArea(f.area) })),
        f.used !== null && h('span', { class: 'of-meter', 'aria-hidden': 'true' }, h('span', { style: `width:${Math.min(100, f.used)}%` })),
      ),
      h('div', { class: 'of-rooms' }, f.rooms.map((r) => roomCell(r))),
    );
  }

  function roomCell(r: Room): HTMLElement {
    const tone = toneOf(r, standards);
    const u = utilisation(r, standards);
    const who = r.occupants.length ? r.occupants.map((o) => o.name).join('、') : r.unit_name || (r.unit_id ? unitName(units, r.unit_id) : t('office.tone.vacant'));
    return h(
      'button',
      {
        type: 'button',
        class: r.id === roomId ? 'of-room selected' : 'of-room',
        'data-room-id': r.id,
        'data-tone': tone,
        'data-use': r.use,
        'aria-pressed': r.id === roomId ? 'true' : 'false',
        title: `${r.number} · ${area(r.area_m2)} · ${tCode('roomUse', r.use)} · ${t(`office.tone.${tone}`)}`,
        onclick: () => {
          roomId = r.id;
          remember();
          for (const el of buildingView.querySelectorAll('.of-room')) {
            const on = (el as HTMLElement).dataset.roomId === String(r.id);
            el.classList.toggle('selected', on);
            el.setAttribute('aria-pressed', String(on));
          }
          void drawRoom();
          if (window.matchMedia('(max-width: 900px)').matches) roomView.scrollIntoView({ behavior: 'smooth', block: 'start' });
        },
      },
      h('span', { class: 'of-room-top' }, h('strong', { class: 'of-room-no' }, r.number), h('span', { class: 'of-room-area' }, area(r.area_m2))),
      h('span', { class: 'of-room-use' }, tCode('roomUse', r.use)),
      h('span', { class: 'of-room-who' }, who),
      u !== null && h('span', { class: 'of-room-util', 'data-util': u }, t('office.room.util', { pct: u })),
    );
  }

  async function drawRoom(): Promise<void> {
    const r = rooms.find((x) => x.id === roomId);
    if (!r) {
      roomView.hidden = false;
      historyView.hidden = true;
      roomView.removeAttribute('data-room-id');
      replace(roomView, h('p', { class: 'muted of-pick' }, rooms.length ? t('office.room.pick') : writable ? t('office.room.addFirst') : t('office.room.none')));
      return;
    }
    roomView.hidden = false;
    roomView.dataset.roomId = String(r.id);
    const history = h('div', { class: 'of-history' }, statusLine());
    replace(
      roomView,
      roomDetails(r, {
        standards,
        units,
        writable,
        signal,
        people: async () => (people ??= await api.people(signal)),
        changed: loadRooms,
        edit: editRoom,
      }),
    );
    historyView.hidden = false;
    replace(historyView, h('h3', { class: 'of-history-title' }, t('office.history.titleN', { number: r.number })), history);
    try {
      const entries = await api.roomHistory(r.id, signal);
      if (roomId !== r.id) return;
      replace(history, historyTable(entries));
    } catch (err) {
      if (isAbort(err)) return;
      replace(history, h('div', { class: 'status error' }, t('error.load', { message: errorText(err) })));
    }
  }

  function editBuilding(b: Building | null): void {
    const choices: Option[] = ownerships.map((o) => ({ value: o, label: tCode('ownership', o) }));
    const fields: Field<Building>[] = [
      { name: 'name', label: 'office.building.name', kind: 'text', required: true, maxLength: 60 },
      { name: 'address', label: 'office.building.address', kind: 'text', required: true, maxLength: 120 },
      { name: 'floors', label: 'office.building.floors', kind: 'number', min: 1, max: 99 },
      { name: 'total_area_m2', label: 'office.building.totalArea', kind: 'number', min: 0, hint: 'office.areaHint' },
      { name: 'usable_area_m2', label: 'office.building.usableArea', kind: 'number', min: 0, hint: 'office.areaHint' },
      { name: 'ownership', label: 'office.building.ownership', kind: 'select', empty: 'common.none', options: () => choices },
    ];
    openForm<Building>({
      id: 'office-building-form',
      title: t(b ? 'common.editTitle' : 'common.newTitle', { noun: t('office.building.noun') }),
      fields,
      row: b,
      defaults: { floors: 1, ownership: 'owned' },
      signal,
      submit: async (values) => {
        const a = await api.saveBuilding(values, b?.id ?? null, signal);
        flash(t('common.saved'));
        if (!b && a?.id) {
          buildingId = a.id;
          roomId = 0;
        }
        await loadAll();
      },
    });
  }

  function editRoom(r: Room | null): void {
    const b = buildings.find((x) => x.id === buildingId);
    const uses: Option[] = roomUses.map((u) => ({ value: u, label: tCode('roomUse', u) }));
    const fields: Field<Room>[] = [
      { name: 'floor', label: 'office.room.floor', kind: 'number', required: true, min: -5, max: b?.floors || 99, hint: 'office.room.floorHint' },
      { name: 'number', label: 'office.room.number', kind: 'text', required: true, maxLength: 20 },
      { name: 'area_m2', label: 'office.room.area', kind: 'number', required: true, min: 0, hint: 'office.room.areaHint' },
      { name: 'use', label: 'office.room.use', kind: 'select', required: true, options: () => uses },
      { name: 'note', label: 'office.room.note', kind: 'text', maxLength: 200 },
    ];
    openForm<Room>({
      id: 'office-room-form',
      title: t(r ? 'common.editTitle' : 'common.newTitle', { noun: t('office.room.noun') }),
      fields,
      row: r,
      defaults: { floor: 1, use: 'office' },
      signal,
      submit: async (values) => {
        const a = await api.saveRoom({ ...values, building_id: buildingId }, r?.id ?? null, signal);
        flash(t('common.saved'));
        roomId = r?.id ?? a?.id ?? 0;
        await loadRooms();
      },
    });
  }

  void loadAll();
}
