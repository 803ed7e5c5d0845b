import { shown } from './crs';
import L from 'leaflet';
import { listAll } from '../api';

// Geofences drawn under the vehicles: the county boundary as a thick outline (the map has
// no tiles by default, so this is what shows where the county is), parking places as small
// green circles, other areas dashed.

export interface Geofence {
  id: number;
  name: string;
  kind: string; // county_boundary, parking, area
  shape: string; // circle, polygon
  center: { lat: number; lng: number } | null;
  radius_m: number | null;
  polygon: [number, number][] | null;
}

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
export function fenceLayer(f: Geofence, renderer: L.Renderer): L.Layer | null {
  const style = { ...fenceStyle(f.kind), renderer };
  let layer: L.Path | null = null;
  if (f.shape === 'circle' && f.center && f.radius_m) {
    layer = L.circle(shown(f.center.lat, f.center.lng), { ...style, radius: f.radius_m });
  } else if (f.shape === 'polygon' && f.polygon && f.polygon.length >= 3) {
    layer = L.polygon(f.polygon.map(([lat, lng]) => shown(lat, lng)), style);
  }
  if (layer && f.kind !== 'county_boundary') layer.bindTooltip(f.name);
  return layer;
}

/** loadFences fetches every geofence and draws it on map; returns the county boundary's bounds when there is one. */
export async function loadFences(map: L.Map, renderer: L.Renderer, signal: AbortSignal): Promise<L.LatLngBounds | null> {
  const fences = await listAll<Geofence>('/api/geofences', signal);
  const group = L.layerGroup().addTo(map);
  let county: L.LatLngBounds | null = null;
  // Boundary first so parking places and areas are drawn over it.
  fences.sort((a, b) => Number(b.kind === 'county_boundary') - Number(a.kind === 'county_boundary'));
  for (const f of fences) {
    const layer = fenceLayer(f, renderer);
    if (!layer) continue;
    group.addLayer(layer);
    if (f.kind === 'county_boundary' && 'getBounds' in layer) county = (layer as L.Polygon).getBounds();
  }
  return county;
}
