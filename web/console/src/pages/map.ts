import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { call, isAbort } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import type { List } from '../types';
import { AlertsPanel } from '../map/alerts';
import { renderDetail } from '../map/detail';
import { setCRS, shown, type TileCRS } from '../map/crs';
import { loadFences } from '../map/fences';
import { VehicleList } from '../map/list';
import { VehicleLayer } from '../map/markers';
import { LiveSocket, wsURL, type SocketState } from '../map/socket';
import { applyMessage, parseMessage, replaceAll, type Fleet, type LiveEvent, type LiveVehicle } from '../map/state';

// The dispatcher's live map: vehicles from /api/live, then kept current over /ws.

declare global {
  interface Window {
    /** A tile URL template; no tiles are drawn when unset (the product's tile settings come later). */
    FLEET_TILE_URL?: string;
  }
}

const countyCentre: L.LatLngTuple = [27.8, 114.4];
const countyZoom = 11;

export function mapPage(ctx: PageContext): void {
  const fleet: Fleet = new Map();
  let selected: number | null = null;

  const status = h('span', { id: 'ws-status', class: 'ws-status', 'data-state': 'connecting' }, t('map.connecting'));
  const note = h('div', { class: 'status map-note', role: 'status' });
  const mapEl = h('div', { id: 'live-map', class: 'live-map' });
  const detailEl = h('div', { id: 'vehicle-detail', class: 'map-detail' });

  const vlist = new VehicleList(fleet, (id) => select(id, true));
  const alerts = new AlertsPanel((id) => fleet.get(id)?.plate ?? `#${id}`, ctx.writable, (ev) => {
    if (fleet.has(ev.vehicle_id)) select(ev.vehicle_id, true);
    else map.panTo(shown(ev.lat, ev.lng));
  });

  ctx.root.classList.add('map-page');
  replace(
    ctx.root,
    pageHeader('nav.map', status),
    note,
    h('div', { class: 'map-body' }, vlist.el, h('div', { class: 'map-stage' }, mapEl), h('div', { class: 'map-side' }, detailEl, alerts.el)),
  );
  renderDetail(detailEl, undefined);

  const renderer = L.canvas({ padding: 0.5 });
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
  const markers = new VehicleLayer(map, renderer, (id) => select(id, false));

  function select(id: number, pan: boolean): void {
    selected = id;
    markers.select(id);
    vlist.select(id);
    const v = fleet.get(id);
    renderDetail(detailEl, v);
    if (v && pan) map.panTo(shown(v.lat, v.lng));
  }

  function redraw(changed: number[], removed: number[]): void {
    for (const id of removed) markers.remove(id);
    for (const id of changed) markers.update(fleet.get(id) as LiveVehicle);
    vlist.update(changed, removed);
    if (selected !== null && (changed.includes(selected) || removed.includes(selected))) renderDetail(detailEl, fleet.get(selected));
  }

  function setStatus(s: SocketState): void {
    status.dataset.state = s;
    status.textContent = t(s === 'open' ? 'map.connected' : 'map.connecting');
  }

  // Leaflet measures its container; the page is laid out by now but tell it again once painted.
  requestAnimationFrame(() => map.invalidateSize());
  const onResize = () => map.invalidateSize();
  window.addEventListener('resize', onResize);

  void tilesReady.then(() => loadFences(map, renderer, ctx.signal)).catch((err) => {
    if (!isAbort(err)) console.warn('fleet: /api/geofences', err);
  });

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
      onState: setStatus,
      onMessage: (data) => {
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
