import L from 'leaflet';
import { call } from '../api';
import { setCRS, type TileCRS } from './crs';

// The server's tile settings (FLEET_TILE_URL, FLEET_TILE_CRS) for every map of the console: a
// tile layer when one is configured, and the datum positions are shifted to for display.

let meta: Promise<{ url: string; crs: TileCRS }> | null = null;

/** tileSettings asks /api/meta once per page load. */
export function tileSettings(): Promise<{ url: string; crs: TileCRS }> {
  if (!meta) {
    meta = call<{ map?: { tile_url?: string; tile_crs?: TileCRS } }>('GET', '/api/meta')
      .then((m) => ({ url: m?.map?.tile_url ?? '', crs: (m?.map?.tile_crs === 'gcj02' ? 'gcj02' : 'wgs84') as TileCRS }))
      .catch(() => {
        meta = null; // try again on the next map
        return { url: '', crs: 'wgs84' as TileCRS };
      });
  }
  return meta;
}

/** addTiles sets the datum and puts the configured tiles (or window.FLEET_TILE_URL) on map. */
export async function addTiles(map: L.Map): Promise<void> {
  const s = await tileSettings();
  setCRS(s.crs);
  const url = window.FLEET_TILE_URL || s.url;
  if (url) L.tileLayer(url, { maxZoom: 19 }).addTo(map);
}
