import { shown } from './crs';
import L from 'leaflet';
import { listAll } from '../api';
import { h } from '../dom';
import { t, tCode } from '../i18n';

// Geofences drawn under the vehicles: the county boundary as a thick outline (the map has
// no tiles by default, so this is what shows where the county is), parking places as small
// green circles, other areas dashed. The side panel lists them (li[data-fence-id]); a click on
// one, in the list or on the map, picks it (draw.ts offers editing to the roles that may).

export interface Geofence {
  id: number;
  name: string;
  kind: string; // county_boundary, parking, area
  shape: string; // circle, polygon
  center: { lat: number; lng: number } | null; // WGS-84
  radius_m: number | null; // metres
  polygon: [number, number][] | null; // WGS-84 [lat, lng], not closed
  speed_limit_kmh?: number | null;
  vehicle_id?: number | null;
}

export const fenceKinds = ['area', 'parking', 'county_boundary'] as const;

/** fenceStyle is how a kind of fence is drawn. */
export function fenceStyle(kind: string): L.PathOptions {
  switch (kind) {
    case 'county_boundary':
      return { color: '#b3261e', weight: 4, fill: true, fillColor: '#ffffff', fillOpacity: 0.35, interactive: false };
    case 'parking':
      return { color: '#1e7b45', weight: 1.5, fillColor: '#1e7b45', fillOpacity: 0.25 };
    default:
      return { color: '#0d4a8f', weight: 2, dashArray: '6 6', fillOpacity: 0.05 };
  }
}

/** fenceLayer makes the Leaflet layer of one fence, or null when its shape is unusable. */
export function fenceLayer(f: Geofence, renderer: L.Renderer): L.Circle | L.Polygon | null {
  const style = { ...fenceStyle(f.kind), renderer };
  let layer: L.Circle | L.Polygon | null = null;
  if (f.shape === 'circle' && f.center && f.radius_m) {
    layer = L.circle(shown(f.center.lat, f.center.lng), { ...style, radius: f.radius_m });
  } else if (f.shape === 'polygon' && f.polygon && f.polygon.length >= 3) {
    layer = L.polygon(f.polygon.map(([lat, lng]) => shown(lat, lng)), style);
  }
  if (layer && f.kind !== 'county_boundary') layer.bindTooltip(f.name);
  return layer;
}

/** FenceLayer draws every geofence on the map and lists them in a side panel (#fences). */
export class FenceLayer {
  readonly el: HTMLElement;
  /** Where draw.ts puts its buttons and form. */
  readonly tools: HTMLElement;
  private readonly ul: HTMLUListElement;
  private readonly group = L.layerGroup();
  private fences: Geofence[] = [];
  private readonly layers = new Map<number, L.Circle | L.Polygon>();
  private picked: number | null = null;
  /** Pixels kept clear on the right when a picked fence is zoomed to (draw.ts's form is there). */
  fitRight = 20;

  constructor(
    private readonly map: L.Map,
    private readonly renderer: L.Renderer,
    private readonly signal: AbortSignal,
    private readonly onPick: (f: Geofence, layer: L.Circle | L.Polygon) => void,
    /** Called after the fences were redrawn, so the page can restack the canvas. */
    private readonly onDrawn: () => void,
  ) {
    this.group.addTo(map);
    this.ul = h('ul', { id: 'fence-list', class: 'fence-list' });
    this.tools = h('div', { class: 'fence-tools' });
    this.el = h(
      'div',
      { id: 'fences', class: 'map-fences' },
      h('div', { class: 'map-panel-head' }, h('h2', null, t('map.fences'))),
      this.tools,
      this.ul,
      h('p', { class: 'muted fence-empty' }, t('map.noFences')),
    );
    this.ul.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest<HTMLElement>('[data-fence-id]');
      if (li) this.pick(Number(li.dataset.fenceId), true);
    });
  }

  /** load fetches every geofence and draws it; returns the county boundary's bounds when there is one. */
  async load(): Promise<L.LatLngBounds | null> {
    const fences = await listAll<Geofence>('/api/geofences', this.signal);
    this.group.clearLayers();
    this.layers.clear();
    // Boundary first so parking places and areas are drawn over it.
    fences.sort((a, b) => Number(b.kind === 'county_boundary') - Number(a.kind === 'county_boundary') || a.name.localeCompare(b.name, 'zh-CN'));
    this.fences = fences;
    let county: L.LatLngBounds | null = null;
    for (const f of fences) {
      const layer = fenceLayer(f, this.renderer);
      if (!layer) continue;
      this.group.addLayer(layer);
      this.layers.set(f.id, layer);
      layer.on('click', () => this.pick(f.id, false));
      if (f.kind === 'county_boundary' && 'getBounds' in layer) county = (layer as L.Polygon).getBounds();
    }
    this.renderList();
    this.onDrawn();
    return county;
  }

  /** get returns a loaded fence. */
  get(id: number): Geofence | undefined {
    return this.fences.find((f) => f.id === id);
  }

  /** layerOf returns the map layer of a fence. */
  layerOf(id: number): L.Circle | L.Polygon | undefined {
    return this.layers.get(id);
  }

  /** mark highlights a fence in the list (null: none). */
  mark(id: number | null): void {
    this.picked = id;
    for (const li of this.ul.querySelectorAll<HTMLElement>('[data-fence-id]')) li.classList.toggle('selected', Number(li.dataset.fenceId) === id);
  }

  /** sendBack puts the fences under the vehicles on the shared canvas. */
  sendBack(): void {
    const ordered = [...this.layers.entries()].map(([id, layer]) => ({ layer, county: this.get(id)?.kind === 'county_boundary' }));
    for (let i = ordered.length - 1; i >= 0; i--) if (!ordered[i].county) ordered[i].layer.bringToBack();
  }

  /** sendCountyBack puts the county boundary under everything (density cells included). */
  sendCountyBack(): void {
    for (const [id, layer] of this.layers) if (this.get(id)?.kind === 'county_boundary') layer.bringToBack();
  }

  private pick(id: number, fit: boolean): void {
    const f = this.get(id);
    const layer = this.layers.get(id);
    if (!f || !layer) return;
    if (fit) {
      const right = Math.min(this.fitRight, this.map.getSize().x / 2);
      this.map.fitBounds(layer.getBounds(), { maxZoom: 16, paddingTopLeft: [20, 20], paddingBottomRight: [right, 20] });
    }
    this.onPick(f, layer);
  }

  private renderList(): void {
    this.ul.replaceChildren(
      ...this.fences.map((f) =>
        h(
          'li',
          { 'data-fence-id': f.id, 'data-kind': f.kind, class: `fence-item${f.id === this.picked ? ' selected' : ''}`, tabindex: 0, role: 'button' },
          h('span', { class: 'fence-name' }, f.name),
          h('span', { class: 'fence-kind muted' }, tCode('fenceKind', f.kind)),
        ),
      ),
    );
    for (const li of this.ul.querySelectorAll<HTMLElement>('[data-fence-id]')) {
      li.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          this.pick(Number(li.dataset.fenceId), true);
        }
      });
    }
  }
}
