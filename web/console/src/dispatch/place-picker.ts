import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { h } from '../dom';
import { t } from '../i18n';
import { picked, shown } from '../map/crs';
import { pinIcon } from '../map/pins';
import { addTiles } from '../map/tiles';
import { roundCoord } from './request-form';

// A small map under the request form's places: the origin (起) and each destination (1, 2 …)
// as pins; a click on the map puts the place being picked there, and a pin can be dragged.
// Coordinates are WGS-84 whatever datum the tiles use.

export const countyCentre: L.LatLngTuple = [27.8, 114.4];

/** PinPlace is one place the picker shows: index -1 is the origin. */
export interface PinPlace {
  index: number;
  lat: number | null;
  lng: number | null;
}

export class PlacePicker {
  readonly el: HTMLElement;
  private readonly map: L.Map;
  private readonly pins = new Map<number, L.Marker>();
  private active: number | null = null;
  private readonly hint: HTMLElement;

  constructor(
    signal: AbortSignal,
    private readonly onPick: (index: number, lat: number, lng: number) => void,
  ) {
    const mapEl = h('div', { id: 'req-map', class: 'rq-map', role: 'application', 'aria-label': t('req.mapLabel') });
    this.hint = h('div', { class: 'rq-map-hint', id: 'req-map-hint' }, t('req.mapHint'));
    this.el = h('div', { class: 'rq-map-wrap' }, mapEl, this.hint);
    this.map = L.map(mapEl, { zoomControl: true, attributionControl: false }).setView(countyCentre, 11);
    void addTiles(this.map).then(() => this.redraw());
    this.map.on('click', (ev: L.LeafletMouseEvent) => {
      if (this.active === null) return;
      const [lat, lng] = picked(ev.latlng.lat, ev.latlng.lng);
      this.onPick(this.active, roundCoord(lat), roundCoord(lng));
    });
    const resize = () => this.map.invalidateSize();
    window.addEventListener('resize', resize);
    requestAnimationFrame(resize);
    signal.addEventListener('abort', () => {
      window.removeEventListener('resize', resize);
      this.map.remove();
    });
  }

  private last: PinPlace[] = [];

  /** setPlaces draws the pins (places without coordinates have none). */
  setPlaces(places: PinPlace[]): void {
    this.last = places;
    this.redraw();
  }

  private redraw(): void {
    const keep = new Set<number>();
    for (const p of this.last) {
      if (p.lat === null || p.lng === null || !Number.isFinite(p.lat) || !Number.isFinite(p.lng)) continue;
      keep.add(p.index);
      const at = shown(p.lat, p.lng);
      let m = this.pins.get(p.index);
      if (!m) {
        m = L.marker(at, { draggable: true, icon: iconOf(p.index), keyboard: false });
        const idx = p.index;
        m.on('dragend', () => {
          const ll = m!.getLatLng();
          const [lat, lng] = picked(ll.lat, ll.lng);
          this.onPick(idx, roundCoord(lat), roundCoord(lng));
        });
        m.addTo(this.map);
        this.pins.set(p.index, m);
      } else {
        m.setLatLng(at);
        m.setIcon(iconOf(p.index, this.active === p.index));
      }
    }
    for (const [i, m] of this.pins) {
      if (!keep.has(i)) {
        m.remove();
        this.pins.delete(i);
      }
    }
  }

  /** pick makes index the place the next map click sets (null: none). */
  pick(index: number | null): void {
    this.active = index;
    this.el.classList.toggle('picking', index !== null);
    this.hint.textContent = index === null ? t('req.mapHint') : t('req.mapPicking', { place: index < 0 ? t('req.origin') : t('req.destinationN', { n: index + 1 }) });
    this.redraw();
  }

  /** fit shows every pin (or the county when there is none). */
  fit(): void {
    const pts = [...this.pins.values()].map((m) => m.getLatLng());
    if (pts.length === 1) this.map.setView(pts[0], Math.max(this.map.getZoom(), 13));
    else if (pts.length > 1) this.map.fitBounds(L.latLngBounds(pts), { padding: [24, 24], maxZoom: 15 });
  }

  /** centre pans to a point (WGS-84). */
  centre(lat: number, lng: number): void {
    this.map.setView(shown(lat, lng), Math.max(this.map.getZoom(), 14));
  }
}

function iconOf(index: number, active = false): L.DivIcon {
  return pinIcon(index < 0 ? t('req.originShort') : String(index + 1), index < 0, active);
}
