import L from 'leaflet';
import { t } from '../i18n';
import { routeOf } from '../dispatch/queue';
import type { Request } from '../dispatch/types';
import { shown } from './crs';
import { pinIcon } from './pins';

// The selected request on the live map: its origin (起) and destinations (1, 2 …) as pins joined
// by a dashed line, and its candidate vehicles ringed and numbered by rank where they are now.
// Drawn in a pane above the vehicles so the rings stay visible.

export interface CandidateSpot {
  vehicle_id: number;
  rank: number;
  lat: number;
  lng: number;
  plate: string;
}

export class RequestLayer {
  private readonly route = L.layerGroup();
  private readonly rings = L.layerGroup();
  private readonly ringOf = new Map<number, L.CircleMarker>();
  private highlighted: number | null = null;

  constructor(
    private readonly map: L.Map,
    private readonly onRingClick: (vehicleID: number) => void,
  ) {
    if (!map.getPane('dispatch')) {
      const pane = map.createPane('dispatch');
      pane.style.zIndex = '620'; // above the overlay pane's canvas, below tooltips and popups
    }
    this.route.addTo(map);
    this.rings.addTo(map);
  }

  /** showRequest draws a request's places (null clears them) and returns their bounds. */
  showRequest(r: Pick<Request, 'origin' | 'destinations'> | null): L.LatLngBounds | null {
    this.route.clearLayers();
    if (!r) return null;
    const pts = routeOf(r);
    if (!pts.length) return null;
    const latlngs = pts.map((p) => L.latLng(shown(p.lat, p.lng)));
    L.polyline([...latlngs, ...(latlngs.length > 1 ? [latlngs[0]] : [])], { pane: 'dispatch', color: '#0d4a8f', weight: 3, dashArray: '6 6', opacity: 0.8, interactive: false, pmIgnore: true } as L.PolylineOptions).addTo(this.route);
    let n = 0;
    pts.forEach((p, i) => {
      const label = p.origin ? t('req.originShort') : String(++n);
      L.marker(latlngs[i], {
        pane: 'dispatch',
        icon: pinIcon(label, p.origin),
        keyboard: false,
        interactive: true,
        pmIgnore: true,
      } as L.MarkerOptions)
        .bindTooltip(p.address || label, { direction: 'top' })
        .addTo(this.route);
    });
    return L.latLngBounds(latlngs);
  }

  /** showCandidates rings the candidate vehicles where they are (an empty list clears them). */
  showCandidates(spots: CandidateSpot[]): L.LatLngBounds | null {
    this.rings.clearLayers();
    this.ringOf.clear();
    this.highlighted = null;
    const pts: L.LatLng[] = [];
    for (const s of spots) {
      const at = L.latLng(shown(s.lat, s.lng));
      pts.push(at);
      const ring = L.circleMarker(at, { pane: 'dispatch', radius: 13, weight: 3, color: s.rank === 1 ? '#1e7b45' : '#a15c00', fill: true, fillOpacity: 0.08, pmIgnore: true } as L.CircleMarkerOptions);
      ring.bindTooltip(`${s.rank} · ${s.plate}`, { permanent: true, direction: 'right', offset: [12, 0], className: 'cand-label' });
      ring.on('click', () => this.onRingClick(s.vehicle_id));
      ring.addTo(this.rings);
      this.ringOf.set(s.vehicle_id, ring);
    }
    return pts.length ? L.latLngBounds(pts) : null;
  }

  /** highlight emphasises one candidate vehicle's ring (null: none). */
  highlight(vehicleID: number | null): void {
    if (this.highlighted !== null) this.ringOf.get(this.highlighted)?.setStyle({ weight: 3, fillOpacity: 0.08 });
    this.highlighted = vehicleID;
    const r = vehicleID === null ? undefined : this.ringOf.get(vehicleID);
    if (r) {
      r.setStyle({ weight: 5, fillOpacity: 0.25 });
      r.bringToFront();
    }
  }

  /** ringCount is how many candidate vehicles are ringed (for tests and the page). */
  ringCount(): number {
    return this.ringOf.size;
  }

  /** fit shows the request and its candidates. */
  fit(...bounds: (L.LatLngBounds | null)[]): void {
    const b = bounds.filter((x): x is L.LatLngBounds => !!x && x.isValid());
    if (!b.length) return;
    const all = b.reduce((acc, x) => acc.extend(x), L.latLngBounds(b[0].getSouthWest(), b[0].getNorthEast()));
    this.map.fitBounds(all, { padding: [40, 40], maxZoom: 14 });
  }

  clear(): void {
    this.route.clearLayers();
    this.rings.clearLayers();
    this.ringOf.clear();
    this.highlighted = null;
  }
}
