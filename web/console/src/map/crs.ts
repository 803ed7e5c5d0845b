// Positions are WGS-84 everywhere in fleet; a map whose tiles are drawn in GCJ-02 (Gaode,
// Tencent) shifts them for display only. The transform is the published one.

export type TileCRS = 'wgs84' | 'gcj02';

let mode: TileCRS = 'wgs84';

/** setCRS chooses the datum of the tiles the map shows. */
export function setCRS(crs: TileCRS): void {
  mode = crs;
}

const A = 6378245.0; // Krasovsky 1940 semi-major axis, m
const EE = 0.00669342162296594323; // its eccentricity squared

export function outOfChina(lat: number, lng: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function tLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function tLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** wgs84ToGcj02 shifts a WGS-84 point to GCJ-02; points outside China are unchanged. */
export function wgs84ToGcj02(lat: number, lng: number): [number, number] {
  if (outOfChina(lat, lng)) return [lat, lng];
  let dLat = tLat(lng - 105.0, lat - 35.0);
  let dLng = tLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lat + dLat, lng + dLng];
}

/** shown is where a WGS-84 point is drawn on the current map. */
export function shown(lat: number, lng: number): [number, number] {
  return mode === 'gcj02' ? wgs84ToGcj02(lat, lng) : [lat, lng];
}

/** gcj02ToWgs84 inverts wgs84ToGcj02 by fixed-point iteration (better than 1e-7° in China). */
export function gcj02ToWgs84(lat: number, lng: number): [number, number] {
  if (outOfChina(lat, lng)) return [lat, lng];
  let wLat = lat;
  let wLng = lng;
  for (let i = 0; i < 8; i++) {
    const [gLat, gLng] = wgs84ToGcj02(wLat, wLng);
    const dLat = gLat - lat;
    const dLng = gLng - lng;
    wLat -= dLat;
    wLng -= dLng;
    if (Math.abs(dLat) < 1e-10 && Math.abs(dLng) < 1e-10) break;
  }
  return [wLat, wLng];
}

/** picked is the WGS-84 point under a place clicked on the current map. */
export function picked(lat: number, lng: number): [number, number] {
  return mode === 'gcj02' ? gcj02ToWgs84(lat, lng) : [lat, lng];
}
