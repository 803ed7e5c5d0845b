// The pure side of the H3 density layer: which resolution a zoom level asks for, how opaque a
// cell is for its count, and which cells of GET /api/live/density are drawable.

/** DensityCell is one H3 cell of GET /api/live/density; boundary is WGS-84 [lat, lng] pairs. */
export interface DensityCell {
  cell: string;
  count: number;
  online: number;
  boundary: [number, number][];
}

/** Density is GET /api/live/density?res=R. */
export interface Density {
  res: number;
  cells: DensityCell[];
}

/** resForZoom is the H3 resolution for a map zoom: coarse cells when zoomed out. */
export function resForZoom(zoom: number): number {
  if (zoom <= 10) return 6;
  if (zoom <= 12) return 7;
  return 8;
}

export const minOpacity = 0.15;
export const maxOpacity = 0.7;

/**
 * densityOpacity is a cell's fill opacity: from minOpacity for one vehicle to maxOpacity for the
 * busiest cell, on a square-root scale so that a few crowded cells do not wash out the rest.
 */
export function densityOpacity(count: number, max: number): number {
  if (!(count > 0) || !(max > 0)) return 0;
  if (max <= 1) return maxOpacity;
  const f = Math.sqrt(Math.min(count, max) - 1) / Math.sqrt(max - 1);
  return Math.round((minOpacity + (maxOpacity - minOpacity) * f) * 1000) / 1000;
}

const isPoint = (p: unknown): p is [number, number] =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 180;

/** drawableCells keeps the cells with a count and a boundary of at least three valid points. */
export function drawableCells(d: Partial<Density> | null | undefined): DensityCell[] {
  const cells = Array.isArray(d?.cells) ? d.cells : [];
  return cells.filter((c) => c && typeof c.count === 'number' && c.count > 0 && Array.isArray(c.boundary) && c.boundary.filter(isPoint).length >= 3);
}

/** densityURL is the request for a zoom level. */
export function densityURL(zoom: number): string {
  return `/api/live/density?res=${resForZoom(zoom)}`;
}
