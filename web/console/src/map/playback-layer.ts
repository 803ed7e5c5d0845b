import L from 'leaflet';
import { listAll } from '../api';
import { h } from '../dom';
import { t, tCode, type Key } from '../i18n';
import { formatTime } from '../time';
import { shown } from './crs';
import { fenceLayer, type Geofence } from './fences';
import { bandColours, bandLabel, eventColours, eventGroup, type EventGroup, type Position, type Run, type Stop, type TrackPoint } from './playback-core';
import type { LiveEvent } from './state';

// What the playback page draws on its map: the track as polylines coloured by speed band
// (canvas), its start and end, the stops as "P" badges, the alarm, overspeed and misuse
// events as coloured dots, and the moving vehicle as an arrow turned to its course. The
// geofences lie under it all, read-only, so the county outline shows where the track is.

/** durationText shows seconds as hours and minutes, e.g. "1 小时 05 分". */
export function durationText(s: number): string {
  const min = Math.round(s / 60);
  if (min < 60) return t('playback.minutes', { m: min });
  return t('playback.hoursMinutes', { h: Math.floor(min / 60), m: String(min % 60).padStart(2, '0') });
}

const groupNames: Record<EventGroup, Key> = { alarm: 'event.alarm', overspeed: 'event.overspeed', misuse: 'playback.misuse' };

/** TrackLayer holds one period's drawing on the playback map; draw replaces it. */
export class TrackLayer {
  private readonly group = L.layerGroup();
  private readonly vehicle: L.Marker;

  constructor(
    private readonly map: L.Map,
    private readonly renderer: L.Renderer,
  ) {
    this.group.addTo(map);
    this.vehicle = L.marker([0, 0], {
      icon: L.divIcon({ className: 'pb-vehicle', html: '<span class="pb-arrow"></span>', iconSize: [22, 22] }),
      interactive: false,
      keyboard: false,
      zIndexOffset: 1000,
    });
    legend().addTo(map);
  }

  /** draw shows a track with its runs, stops and events; it returns how many events it marked. */
  draw(points: readonly TrackPoint[], runs: readonly Run[], stops: readonly Stop[], events: readonly LiveEvent[]): number {
    this.clear();
    const at = (p: { lat: number; lng: number }) => shown(p.lat, p.lng);
    for (const r of runs) {
      const line = points.slice(r.from, r.to + 1).map(at);
      this.group.addLayer(L.polyline(line, { renderer: this.renderer, color: bandColours[r.band], weight: 4, opacity: 0.9, interactive: false }));
    }
    if (points.length) {
      const first = points[0];
      const last = points[points.length - 1];
      this.group.addLayer(endpoint(at(first), '#1e7b45', t('playback.startPoint'), first.fixed_at, this.renderer));
      this.group.addLayer(endpoint(at(last), '#b3261e', t('playback.endPoint'), last.fixed_at, this.renderer));
    }
    for (const s of stops) {
      const icon = L.divIcon({ className: 'pb-stop', html: 'P', iconSize: [18, 18] });
      const tip = h('div', { class: 'pb-tip' }, h('strong', null, t('playback.stopFor', { duration: durationText(s.duration_s) })), h('div', null, `${formatTime(s.start_at)} – ${s.open ? t('playback.now') : formatTime(s.end_at)}`));
      this.group.addLayer(L.marker(at(s), { icon, keyboard: false }).bindTooltip(tip, { direction: 'top', offset: [0, -8] }));
    }
    let marked = 0;
    for (const ev of events) {
      const g = eventGroup(ev.type);
      if (!g) continue;
      const dot = L.circleMarker(at(ev), { renderer: this.renderer, radius: 7, color: '#fff', weight: 2, fillColor: eventColours[g], fillOpacity: 1 });
      this.group.addLayer(dot.bindTooltip(eventTip(ev), { direction: 'top' }));
      marked++;
    }
    return marked;
  }

  /** clear removes the drawing and the vehicle. */
  private clear(): void {
    this.group.clearLayers();
    this.vehicle.remove();
  }

  /** moveVehicle puts the vehicle at p, its arrow along its course. */
  moveVehicle(p: Position): void {
    this.vehicle.setLatLng(shown(p.lat, p.lng));
    if (!this.map.hasLayer(this.vehicle)) this.vehicle.addTo(this.map);
    const arrow = this.vehicle.getElement()?.querySelector<HTMLElement>('.pb-arrow');
    if (arrow) arrow.style.transform = `rotate(${Math.round(p.course)}deg)`;
  }
}

/** drawFences puts every geofence on map, county boundary first; it returns the boundary's bounds when there is one. */
export async function drawFences(map: L.Map, renderer: L.Renderer, signal: AbortSignal): Promise<L.LatLngBounds | null> {
  const fences = await listAll<Geofence>('/api/geofences', signal);
  fences.sort((a, b) => Number(b.kind === 'county_boundary') - Number(a.kind === 'county_boundary'));
  let county: L.LatLngBounds | null = null;
  for (const f of fences) {
    const layer = fenceLayer(f, renderer);
    if (!layer) continue;
    layer.addTo(map);
    if (f.kind === 'county_boundary' && layer instanceof L.Polygon) county = layer.getBounds();
  }
  return county;
}

function endpoint(at: L.LatLngExpression, colour: string, label: string, time: string, renderer: L.Renderer): L.CircleMarker {
  return L.circleMarker(at, { renderer, radius: 6, color: '#fff', weight: 2, fillColor: colour, fillOpacity: 1 }).bindTooltip(`${label} ${formatTime(time)}`);
}

/** eventTip describes a marked event: its kind, its time and, for overspeed, the peak and the limit. */
function eventTip(ev: LiveEvent): HTMLElement {
  const d = (ev.detail ?? {}) as { peak_kmh?: number; limit_kmh?: number; alarm?: string };
  const when = ev.ended_at ? `${formatTime(ev.started_at)} – ${formatTime(ev.ended_at)}` : formatTime(ev.started_at);
  let extra: string | null = null;
  if (ev.type === 'overspeed' && typeof d.peak_kmh === 'number' && typeof d.limit_kmh === 'number') {
    extra = t('playback.overspeedDetail', { peak: d.peak_kmh.toFixed(0), limit: d.limit_kmh.toFixed(0) });
  } else if (ev.type === 'alarm' && d.alarm) {
    extra = d.alarm; // the JT/T 808 alarm bit's name
  }
  return h('div', { class: 'pb-tip' }, h('strong', null, tCode('event', ev.type)), h('div', null, when), extra && h('div', null, extra));
}

/** legend is the map's key: the speed bands' colours, then the marks. */
function legend(): L.Control {
  const swatch = (colour: string, label: string, cls = 'pb-swatch') => h('li', null, h('span', { class: cls, style: `background:${colour}` }), label);
  const Legend = L.Control.extend({
    onAdd: () => {
      const el = h(
        'div',
        { class: 'pb-legend', id: 'playback-legend' },
        h('div', { class: 'pb-legend-title' }, t('playback.legendSpeed')),
        h('ul', null, bandColours.map((c, band) => swatch(c, bandLabel(band)))),
        h(
          'ul',
          null,
          (Object.keys(eventColours) as EventGroup[]).map((g) => swatch(eventColours[g], t(groupNames[g]), 'pb-swatch dot')),
          h('li', null, h('span', { class: 'pb-stop pb-legend-stop' }, 'P'), t('playback.stops')),
        ),
      );
      L.DomEvent.disableClickPropagation(el);
      return el;
    },
  });
  return new Legend({ position: 'bottomleft' });
}
