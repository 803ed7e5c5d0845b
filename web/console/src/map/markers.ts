import { shown } from './crs';
import L from 'leaflet';
import { h } from '../dom';
import { t, tCode } from '../i18n';
import type { StateCounts } from './filter';
import { colourOf, displayStates, headingShown, headingTriangle, stateColours, type LiveVehicle } from './state';

// Vehicle markers on the canvas renderer: a circle coloured by state, a small triangle
// pointing along the course, and the plate as a permanent label from zoom 14 on. Vehicles the
// list's filter leaves out are taken off the map. A legend names the colours.

export const labelZoom = 14;
const radius = 7;

interface Entry {
  v: LiveVehicle;
  dot: L.CircleMarker;
  arrow: L.Polygon;
  labelled: boolean;
}

/** VehicleLayer draws and updates the vehicle markers of one map. */
export class VehicleLayer {
  private readonly entries = new Map<number, Entry>();
  private readonly group = L.layerGroup();
  private readonly hidden = new Set<number>();
  private selected: number | null = null;

  constructor(
    private readonly map: L.Map,
    private readonly renderer: L.Renderer,
    private readonly onClick: (id: number) => void,
  ) {
    this.group.addTo(map);
    map.on('zoomend', () => this.redrawAll());
  }

  /** update draws vehicle v (new or moved). */
  update(v: LiveVehicle): void {
    let e = this.entries.get(v.vehicle_id);
    if (!e) {
      // pmIgnore: the drawing tools (draw.ts) leave vehicles alone.
      const dot = L.circleMarker(shown(v.lat, v.lng), { renderer: this.renderer, radius, weight: 2, color: '#fff', fillOpacity: 0.95, pmIgnore: true });
      const arrow = L.polygon([], { renderer: this.renderer, weight: 0, fillOpacity: 0.95, interactive: false, pmIgnore: true });
      dot.on('click', () => this.onClick(v.vehicle_id));
      e = { v, dot, arrow, labelled: false };
      this.entries.set(v.vehicle_id, e);
      if (!this.hidden.has(v.vehicle_id)) this.group.addLayer(arrow).addLayer(dot);
    }
    e.v = v;
    this.draw(e);
  }

  /** remove takes a vehicle off the map. */
  remove(id: number): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.group.removeLayer(e.dot).removeLayer(e.arrow);
    this.entries.delete(id);
    this.hidden.delete(id);
  }

  /** setShown puts a vehicle on the map or takes it off (the list's filter). */
  setShown(id: number, on: boolean): void {
    if (on === !this.hidden.has(id)) return;
    if (on) this.hidden.delete(id);
    else this.hidden.add(id);
    const e = this.entries.get(id);
    if (!e) return;
    if (on) {
      this.group.addLayer(e.arrow).addLayer(e.dot);
      this.draw(e);
    } else {
      this.group.removeLayer(e.dot).removeLayer(e.arrow);
    }
  }

  /** shownCount is how many vehicles are on the map. */
  shownCount(): number {
    let n = 0;
    for (const id of this.entries.keys()) if (!this.hidden.has(id)) n++;
    return n;
  }

  /** select highlights one vehicle (null: none). */
  select(id: number | null): void {
    const prev = this.selected;
    this.selected = id;
    for (const x of [prev, id]) {
      const e = x === null ? undefined : this.entries.get(x);
      if (e) this.draw(e);
    }
    const e = id === null ? undefined : this.entries.get(id);
    e?.dot.bringToFront();
  }

  private redrawAll(): void {
    for (const e of this.entries.values()) this.draw(e);
  }

  private draw(e: Entry): void {
    const { v } = e;
    if (this.hidden.has(v.vehicle_id)) return;
    const colour = colourOf(v);
    const on = this.selected === v.vehicle_id;
    e.dot.setLatLng(shown(v.lat, v.lng));
    e.dot.setStyle({ fillColor: colour, color: on ? '#111' : '#fff', weight: on ? 3 : 2 });
    e.dot.setRadius(on ? radius + 3 : radius);
    const showArrow = headingShown(v) && !!this.map.getSize().x;
    if (showArrow) {
      const p = this.map.latLngToLayerPoint(shown(v.lat, v.lng));
      const pts = headingTriangle(p.x, p.y, v.course, on ? radius + 3 : radius);
      e.arrow.setLatLngs(pts.map(([x, y]) => this.map.layerPointToLatLng([x, y])));
      e.arrow.setStyle({ fillColor: colour });
    } else {
      e.arrow.setLatLngs([]);
    }
    const wantLabel = this.map.getZoom() >= labelZoom;
    if (wantLabel && !e.labelled) {
      e.dot.bindTooltip(v.plate, { permanent: true, direction: 'right', offset: [10, 0], className: 'plate-label' }).openTooltip();
      e.labelled = true;
    } else if (!wantLabel && e.labelled) {
      e.dot.unbindTooltip();
      e.labelled = false;
    } else if (wantLabel) {
      e.dot.setTooltipContent(v.plate);
    }
  }
}

/** StateLegend is the map's key: each state's colour, name and how many vehicles show it (#map-legend). */
export class StateLegend {
  private readonly counts = new Map<string, HTMLElement>();
  private readonly control: L.Control;

  constructor(map: L.Map) {
    const el = h(
      'div',
      { id: 'map-legend', class: 'map-legend leaflet-bar' },
      displayStates.map((s) => {
        const n = h('span', { class: 'legend-count' }, '0');
        this.counts.set(s, n);
        return h(
          'div',
          { class: 'legend-row', 'data-state': s, title: t('map.legendTitle') },
          h('span', { class: 'legend-dot', style: `background:${stateColours[s]}`, 'aria-hidden': 'true' }),
          h('span', { class: 'legend-name' }, tCode('vstate', s)),
          n,
        );
      }),
    );
    L.DomEvent.disableClickPropagation(el);
    const Legend = L.Control.extend({ onAdd: () => el });
    this.control = new Legend({ position: 'bottomleft' });
    this.control.addTo(map);
  }

  /** setCounts shows the counts per state. */
  setCounts(c: StateCounts): void {
    for (const [s, el] of this.counts) el.textContent = String(c[s as keyof StateCounts] ?? 0);
  }
}
