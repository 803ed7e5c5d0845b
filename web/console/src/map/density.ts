import L from 'leaflet';
import { call, isAbort } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { shown } from './crs';
import { densityOpacity, densityURL, drawableCells, type Density } from './density-core';

// The H3 density layer: hexagons filled by how many vehicles are in them, from
// GET /api/live/density. It is off until the #toggle-density box (a map control) is ticked;
// while on it refreshes every refreshMs and whenever the zoom changes the resolution asked for.
// The cells share the vehicles' canvas and sit under them (see restack in pages/map.ts).

export const densityRefreshMs = 10_000;
const colour = '#6a3d9a';

export class DensityLayer {
  readonly toggle: HTMLInputElement;
  private readonly group = L.layerGroup();
  private cells: L.Polygon[] = [];
  private on = false;
  private timer = 0;
  private fetching: AbortController | null = null;

  constructor(
    private readonly map: L.Map,
    private readonly renderer: L.Renderer,
    private readonly signal: AbortSignal,
    /** Called after the cells were redrawn, so the page can put them under the fences. */
    private readonly onDrawn: () => void,
  ) {
    this.toggle = h('input', { type: 'checkbox', id: 'toggle-density', onchange: () => this.set(this.toggle.checked) });
    const el = h('label', { class: 'map-toggle leaflet-bar', title: t('map.densityHint') }, this.toggle, ' ', t('map.density'));
    L.DomEvent.disableClickPropagation(el);
    const Toggle = L.Control.extend({ onAdd: () => el });
    new Toggle({ position: 'topright' }).addTo(map);
    map.on('zoomend', () => {
      if (this.on) void this.load();
    });
    signal.addEventListener('abort', () => this.set(false));
  }

  /** set turns the layer on or off. */
  set(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    this.toggle.checked = on;
    window.clearInterval(this.timer);
    this.timer = 0;
    if (on) {
      this.group.addTo(this.map);
      void this.load();
      this.timer = window.setInterval(() => void this.load(), densityRefreshMs);
    } else {
      this.fetching?.abort();
      this.fetching = null;
      this.clear();
      this.group.remove();
      this.toggle.removeAttribute('data-cells');
      this.map.getContainer().removeAttribute('data-cells');
    }
  }

  /** sendBack puts the cells under everything else on the canvas. */
  sendBack(): void {
    for (let i = this.cells.length - 1; i >= 0; i--) this.cells[i].bringToBack();
  }

  private async load(): Promise<void> {
    if (this.signal.aborted) return;
    this.fetching?.abort();
    const ac = new AbortController();
    this.fetching = ac;
    try {
      const d = await call<Density>('GET', densityURL(this.map.getZoom()), undefined, { signal: ac.signal });
      if (ac.signal.aborted || !this.on) return;
      this.draw(d);
    } catch (err) {
      if (isAbort(err) || ac.signal.aborted) return;
      console.warn('fleet: /api/live/density', err);
    } finally {
      if (this.fetching === ac) this.fetching = null;
    }
  }

  private clear(): void {
    this.group.clearLayers();
    this.cells = [];
  }

  private draw(d: Density): void {
    this.clear();
    const cells = drawableCells(d);
    const max = cells.reduce((m, c) => Math.max(m, c.count), 0);
    for (const c of cells) {
      const pts = c.boundary.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])).map(([lat, lng]) => shown(lat, lng));
      const poly = L.polygon(pts, {
        renderer: this.renderer,
        color: colour,
        weight: 1,
        opacity: 0.5,
        fillColor: colour,
        fillOpacity: densityOpacity(c.count, max),
        pmIgnore: true, // not for the drawing tools
      });
      poly.bindTooltip(t('map.densityTip', { count: c.count, online: c.online }), { sticky: true });
      this.cells.push(poly);
      this.group.addLayer(poly);
    }
    const n = String(this.cells.length);
    this.toggle.dataset.cells = n;
    this.map.getContainer().dataset.cells = n;
    this.onDrawn();
  }
}
