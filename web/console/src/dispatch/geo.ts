// The phone's positions for a vehicle without a terminal: fixes from the Geolocation API
// (watchPosition) are thinned (a new point after 30 s or 25 m, bad fixes dropped), gathered and
// sent to POST /api/driver/tasks/{id}/positions under the driver's session. A batch that
// fails stays queued (bounded) and goes with the next one.

/** Fix is what the console keeps of a GeolocationPosition. */
export interface Fix {
  lat: number;
  lng: number;
  /** Metres. */
  accuracy: number;
  /** m/s, null when the phone does not know. */
  speed: number | null;
  /** Degrees from north, null when unknown. */
  heading: number | null;
  /** ms since the epoch. */
  at: number;
}

/** DevicePosition is one point of the ingest body. */
export interface DevicePosition {
  lat: number;
  lng: number;
  fixed_at: string;
  speed_kmh: number;
  course: number;
}

export const minIntervalMs = 30_000;
export const minMoveM = 25;
export const maxAccuracyM = 200;
export const maxQueued = 500;

/** metres is the haversine distance between two points. */
export function metres(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLng = (bLng - aLng) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** toDevice turns a fix into an ingest point (speed in km/h, one decimal). */
export function toDevice(f: Fix): DevicePosition {
  const kmh = f.speed !== null && Number.isFinite(f.speed) && f.speed >= 0 ? Math.round(f.speed * 36) / 10 : 0;
  const course = f.heading !== null && Number.isFinite(f.heading) ? Math.round(((f.heading % 360) + 360) % 360) : 0;
  return { lat: f.lat, lng: f.lng, fixed_at: new Date(f.at).toISOString(), speed_kmh: kmh, course };
}

/** Track thins fixes and queues them until they are sent. */
export class Track {
  private last: Fix | null = null;
  private queue: DevicePosition[] = [];

  /** offer takes a fix; true when it was kept. */
  offer(f: Fix): boolean {
    if (!Number.isFinite(f.lat) || !Number.isFinite(f.lng) || f.accuracy > maxAccuracyM) return false;
    const l = this.last;
    if (l && f.at <= l.at) return false;
    if (l && f.at - l.at < minIntervalMs && metres(l.lat, l.lng, f.lat, f.lng) < minMoveM) return false;
    this.last = f;
    this.queue.push(toDevice(f));
    if (this.queue.length > maxQueued) this.queue.splice(0, this.queue.length - maxQueued);
    return true;
  }

  /** take hands out the queued points (to send); give them back with putBack when sending fails. */
  take(): DevicePosition[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }

  /** putBack queues unsent points again, before any newer ones. */
  putBack(points: DevicePosition[]): void {
    this.queue = [...points, ...this.queue].slice(-maxQueued);
  }

  /** pending is how many points wait to be sent. */
  pending(): number {
    return this.queue.length;
  }
}
