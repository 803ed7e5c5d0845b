import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { ApiError, call, isAbort, list } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import type { List, Unit } from '../types';
import { AlertsPanel } from '../map/alerts';
import { DetailPanel } from '../map/detail';
import { setCRS, shown, type TileCRS } from '../map/crs';
import { DensityLayer } from '../map/density';
import { FenceLayer, type Geofence } from '../map/fences';
import { infoByVehicle, type VehicleInfo } from '../map/filter';
import { VehicleList } from '../map/list';
import { StateLegend, VehicleLayer } from '../map/markers';
import { LiveSocket, frameFor, subscribeFrame, wsURL, type SocketState } from '../map/socket';
import { applyMessage, parseMessage, replaceAll, type Fleet, type LiveEvent, type LiveVehicle } from '../map/state';
import type { FenceEditor } from '../map/draw';
import { openAutoAssign, openMerges } from '../map/auto-assign';
import { QueuePanel, type Ranked } from '../map/queue';
import { RequestLayer } from '../map/request-layer';
import { parseRequestMessage, parseTaskMessage } from '../dispatch/live';
import '../dispatch.css';

// The dispatcher's live map: vehicles from /api/live, then kept current over /ws; a list
// filtered by plate, unit, class and state (the map shows the same vehicles); the selected
// vehicle's detail; alerts; geofences (drawn and edited by the roles that may); an optional H3
// density layer. Everything interactive shares one canvas renderer, stacked bottom to top:
// county boundary, density cells, other fences, vehicles (see restack). For the roles that
// dispatch, the request queue sits beside the list (map/queue.ts): a selected request's route
// and its candidate vehicles are drawn above the vehicles (map/request-layer.ts).

declare global {
  interface Window {
    /** A tile URL template; no tiles are drawn when unset (the product's tile settings come later). */
    FLEET_TILE_URL?: string;
  }
}

const countyCentre: L.LatLngTuple = [27.8, 114.4];
const countyZoom = 11;

/** Roles that see the dispatch queue beside the map (the server's dispatch.read). */
const dispatchRoles = new Set(['admin', 'dispatcher', 'auditor']);
const leftKey = 'fleet.map.left';

export function mapPage(ctx: PageContext): void {
  const fleet: Fleet = new Map();
  let selected: number | null = null;
  let vehicleItems: (VehicleInfo & { id: number; plate: string })[] = [];
  let editor: FenceEditor | null = null;

  const status = h('span', { id: 'ws-status', class: 'ws-status', 'data-state': 'connecting' }, t('map.connecting'));
  const note = h('div', { class: 'status map-note', role: 'status' });
  const mapEl = h('div', { id: 'live-map', class: 'live-map' });
  const detailEl = h('div', { id: 'vehicle-detail', class: 'map-detail' });

  const vlist = new VehicleList(fleet, {
    onSelect: (id) => select(id, true),
    onShown: (id, on) => markers.setShown(id, on),
    onCounts: (c) => legend.setCounts(c),
  });
  const alerts = new AlertsPanel((id) => fleet.get(id)?.plate ?? `#${id}`, ctx.writable, (ev) => {
    if (fleet.has(ev.vehicle_id)) select(ev.vehicle_id, true);
    else map.panTo(shown(ev.lat, ev.lng));
  });
  const detail = new DetailPanel(detailEl, ctx.signal, (id) => {
    const info = vlist.infoOf(id);
    return info && { unit: vlist.unitOf(id), cls: info.class };
  });

  const renderer = L.canvas({ padding: 0.5 });
  const stage = h('div', { class: 'map-stage' }, mapEl);
  ctx.root.classList.add('map-page');
  const side = h('div', { class: 'map-side' }, detailEl, alerts.el);

  // The dispatch queue: beside the vehicle list on wide screens, a tab of the same column below.
  const dispatching = dispatchRoles.has(ctx.user.role);
  const queuePill = h('span', { class: 'count-pill', id: 'queue-pill', hidden: true }, '0');
  let requests: RequestLayer | null = null;
  let candidateSpots: Ranked[] = [];
  const queue = dispatching
    ? new QueuePanel({
        signal: ctx.signal,
        writable: ctx.writable,
        plateOf: (id) => fleet.get(id)?.plate ?? vehicleItems.find((v) => v.id === id)?.plate,
        onRequest: (r) => {
          const b = requests?.showRequest(r) ?? null;
          if (b) requests?.fit(b);
          const u = new URL(location.href);
          if (r) u.searchParams.set('request', String(r.id));
          else u.searchParams.delete('request');
          history.replaceState(null, '', u.pathname + u.search);
        },
        onCandidates: (list) => {
          candidateSpots = list;
          drawCandidates(true);
        },
        onHighlight: (id, pan) => {
          requests?.highlight(id);
          if (pan && id !== null) {
            if (fleet.has(id)) select(id, true);
            else {
              const c = candidateSpots.find((x) => x.vehicle_id === id);
              if (c && typeof c.lat === 'number' && typeof c.lng === 'number') map.panTo(shown(c.lat, c.lng));
            }
          }
        },
        onCounts: (c) => {
          const n = c.approved + c.late;
          queuePill.textContent = String(n);
          queuePill.hidden = n === 0;
        },
      })
    : null;
  const stored = (() => {
    try {
      return localStorage.getItem(leftKey);
    } catch {
      return null;
    }
  })();
  const startRequest = Number(new URLSearchParams(location.search).get('request')) || 0;
  let leftTab: 'queue' | 'vehicles' = queue && (startRequest || stored === 'queue') ? 'queue' : 'vehicles';
  const leftTabs = queue
    ? h(
        'div',
        { class: 'map-left-tabs', id: 'map-left-tabs', role: 'tablist' },
        h('button', { type: 'button', role: 'tab', 'data-tab': 'queue', onclick: () => setLeft('queue') }, t('dq.tabTitle'), ' ', queuePill),
        h('button', { type: 'button', role: 'tab', 'data-tab': 'vehicles', onclick: () => setLeft('vehicles') }, t('map.vehicles')),
      )
    : null;
  const left = h('div', { class: `map-left${queue ? ' with-queue' : ''}`, 'data-tab': leftTab }, leftTabs, queue?.el, vlist.el);
  function setLeft(tab: 'queue' | 'vehicles'): void {
    leftTab = tab;
    left.dataset.tab = tab;
    for (const b of left.querySelectorAll<HTMLElement>('.map-left-tabs [data-tab]')) {
      b.classList.toggle('active', b.dataset.tab === tab);
      b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    }
    try {
      localStorage.setItem(leftKey, tab);
    } catch {
      // private mode
    }
    requestAnimationFrame(() => map.invalidateSize());
  }
  const tools = ctx.writable && queue
    ? [
        h('button', { type: 'button', class: 'btn small', id: 'auto-assign-open', onclick: () => openAutoAssign(ctx.signal, (id) => queue.requestOf(id), () => void queue.load()) }, t('auto.open')),
        h('button', { type: 'button', class: 'btn small', id: 'merges-open', onclick: () => openMerges(ctx.signal, (id) => queue.requestOf(id), () => void queue.load()) }, t('merge.open')),
      ]
    : [];
  replace(ctx.root, pageHeader('nav.map', ...tools, status), note, h('div', { class: `map-body${queue ? ' with-queue' : ''}` }, left, stage, side));

  const map = L.map(mapEl, { preferCanvas: true, renderer, zoomControl: true, attributionControl: false }).setView(countyCentre, countyZoom);
  if (window.FLEET_TILE_URL) L.tileLayer(window.FLEET_TILE_URL, { maxZoom: 19 }).addTo(map);
  // The server's tile settings (FLEET_TILE_URL, FLEET_TILE_CRS): a tile layer, and the datum
  // positions are shifted to for display.
  setCRS('wgs84');
  // Everything drawn waits for the settings, so nothing is placed in the wrong datum.
  const tilesReady = call<{ map?: { tile_url?: string; tile_crs?: TileCRS } }>('GET', '/api/meta')
    .then((meta) => {
      const m = meta.map;
      if (!m) return;
      setCRS(m.tile_crs === 'gcj02' ? 'gcj02' : 'wgs84');
      if (m.tile_url && !window.FLEET_TILE_URL) L.tileLayer(m.tile_url, { maxZoom: 19 }).addTo(map);
    })
    .catch(() => {});
  const markers = new VehicleLayer(map, renderer, (id) => {
    if (!editor?.isDrawing()) select(id, false);
  });
  const legend = new StateLegend(map);
  const fences = new FenceLayer(map, renderer, ctx.signal, (f, layer) => (editor ? editor.pick(f, layer) : pickFence(f)), restack);
  side.append(fences.el);
  const density = new DensityLayer(map, renderer, ctx.signal, restack);
  if (queue) {
    requests = new RequestLayer(map, (id) => {
      requests?.highlight(id);
      if (fleet.has(id)) select(id, false);
    });
    setLeft(leftTab);
    if (startRequest) queue.openRequest(startRequest);
  }

  /** drawCandidates rings the selected request's candidates where the vehicles are now. */
  function drawCandidates(fit: boolean): void {
    if (!requests) return;
    const spots = candidateSpots
      .map((c) => {
        const v = fleet.get(c.vehicle_id);
        const lat = v?.lat ?? c.lat;
        const lng = v?.lng ?? c.lng;
        return typeof lat === 'number' && typeof lng === 'number' ? { vehicle_id: c.vehicle_id, rank: c.rank, lat, lng, plate: c.plateText } : null;
      })
      .filter((x): x is NonNullable<typeof x> => x !== null);
    // One ring per vehicle, at its best rank.
    const best = new Map<number, (typeof spots)[number]>();
    for (const s of spots) if (!best.has(s.vehicle_id)) best.set(s.vehicle_id, s);
    const b = requests.showCandidates([...best.values()].slice(0, 10));
    mapEl.dataset.candidates = String(requests.ringCount());
    if (fit && b) requests.fit(b);
  }

  /** restack orders the shared canvas: county boundary, density cells, other fences, then the vehicles on top. */
  function restack(): void {
    fences.sendBack();
    density.sendBack();
    fences.sendCountyBack();
  }

  function pickFence(f: Geofence): void {
    fences.mark(f.id);
  }

  function select(id: number, pan: boolean): void {
    selected = id;
    markers.select(id);
    vlist.select(id);
    const v = fleet.get(id);
    detail.show(v);
    if (v && pan) map.panTo(shown(v.lat, v.lng));
  }

  function redraw(changed: number[], removed: number[]): void {
    for (const id of removed) markers.remove(id);
    for (const id of changed) markers.update(fleet.get(id) as LiveVehicle);
    vlist.update(changed, removed);
    if (candidateSpots.length && changed.some((id) => candidateSpots.some((c) => c.vehicle_id === id))) drawCandidates(false);
    if (selected !== null && (changed.includes(selected) || removed.includes(selected))) detail.show(fleet.get(selected));
  }

  function setStatus(s: SocketState): void {
    status.dataset.state = s;
    status.textContent = t(s === 'open' ? 'map.connected' : 'map.connecting');
  }

  // Leaflet measures its container; the page is laid out by now but tell it again once painted.
  requestAnimationFrame(() => map.invalidateSize());
  const onResize = () => map.invalidateSize();
  window.addEventListener('resize', onResize);

  void tilesReady.then(() => fences.load()).catch((err) => {
    if (!isAbort(err)) console.warn('fleet: /api/geofences', err);
  });

  // Units and classes for the filters and the detail (GET /api/vehicles, /api/units).
  void (async () => {
    try {
      const [vehicles, units] = await Promise.all([
        listBig<VehicleInfo & { id: number; plate: string }>('/api/vehicles', ctx.signal),
        listBig<Unit>('/api/units', ctx.signal).catch((err: unknown): Unit[] => {
          if (isAbort(err)) throw err;
          return []; // the names are a nicety: the filter still works by id
        }),
      ]);
      vehicleItems = vehicles;
      vlist.setInfo(infoByVehicle(vehicles), units);
      if (selected !== null) detail.show(fleet.get(selected));
    } catch (err) {
      if (isAbort(err)) return;
      if (!(err instanceof ApiError && err.status === 403)) console.warn('fleet: /api/vehicles', err);
    }
  })();

  // Drawing tools only for the roles that may write geofences (the map's writers, admin and
  // dispatcher, are exactly geofences.write's in auth/policy.go); loaded on demand.
  if (ctx.writable) {
    void import('../map/draw')
      .then(({ FenceEditor }) => {
        if (ctx.signal.aborted) return;
        editor = new FenceEditor({ map, renderer, signal: ctx.signal, fences, vehicles: () => vehicleItems.map((v) => ({ id: v.id, plate: v.plate })) });
      })
      .catch((err) => console.warn('fleet: drawing tools', err));
  }

  let socket: LiveSocket | null = null;
  void (async () => {
    try {
      await tilesReady;
      const r = await call<{ vehicles: LiveVehicle[] }>('GET', '/api/live', undefined, { signal: ctx.signal });
      const { changed, removed } = replaceAll(fleet, r?.vehicles);
      redraw(changed, removed);
    } catch (err) {
      if (isAbort(err)) return;
      note.textContent = t('error.load', { message: errorText(err) });
      note.classList.add('error');
    }
    if (ctx.signal.aborted) return;
    // After /api/live, so the alerts can name the plates.
    void loadRecentEvents(ctx.signal, (ev) => alerts.add(ev));
    socket = new LiveSocket({
      url: wsURL(),
      frame: queue ? frameFor(['positions', 'events', 'tasks']) : subscribeFrame,
      onState: setStatus,
      onMessage: (data) => {
        if (queue) {
          const task = parseTaskMessage(data);
          if (task) {
            queue.onTask(task);
            return;
          }
          if (parseRequestMessage(data)) {
            queue.onRequests();
            return;
          }
        }
        const out = applyMessage(fleet, parseMessage(data));
        if (out.kind === 'vehicles') redraw(out.changed, out.removed);
        else if (out.kind === 'event') alerts.add(out.event);
        else if (out.kind === 'error') console.warn('fleet: /ws', out.message);
      },
    });
  })();

  ctx.signal.addEventListener('abort', () => {
    socket?.close();
    window.removeEventListener('resize', onResize);
    map.remove();
    ctx.root.classList.remove('map-page');
  });
}

/** listBig fetches a whole collection in pages of 1000 (a county's fleet is one call). */
async function listBig<T>(path: string, signal: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  for (let page = 0; page < 20; page++) {
    const r = await list<T>(path, { limit: 1000, offset: out.length }, signal);
    out.push(...(r.items ?? []));
    if (!r.items?.length || out.length >= r.total) break;
  }
  return out;
}

/** loadRecentEvents shows the unacknowledged events of the last day, so the panel is not empty until the next one. */
async function loadRecentEvents(signal: AbortSignal, add: (ev: LiveEvent) => void): Promise<void> {
  const from = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  try {
    const r = await call<List<LiveEvent>>('GET', `/api/events?limit=100&from=${encodeURIComponent(from)}`, undefined, { signal });
    const open = (r.items ?? []).filter((e) => !e.ack_at);
    open.sort((a, b) => a.started_at.localeCompare(b.started_at));
    for (const ev of open) add(ev);
  } catch (err) {
    if (!isAbort(err)) console.warn('fleet: /api/events', err);
  }
}
