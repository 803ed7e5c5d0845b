import { phonePositions } from './api';
import { Track } from './geo';

// Reports the phone's position for a running task whose vehicle has no terminal: watchPosition
// feeds a Track (geo.ts), and every flushMs the kept points go to POST
// /api/driver/tasks/{id}/positions under the driver's session. The state is shown on the page.

export type ReporterState = 'waiting' | 'on' | 'denied' | 'unavailable' | 'error';

export const flushMs = 15_000;

export class PositionReporter {
  private watch: number | null = null;
  private timer = 0;
  private readonly track = new Track();
  private sending = false;
  sent = 0;

  constructor(
    private readonly taskID: number,
    private readonly onState: (s: ReporterState, sent: number) => void,
  ) {
    if (!('geolocation' in navigator)) {
      onState('unavailable', 0);
      return;
    }
    onState('waiting', 0);
    this.watch = navigator.geolocation.watchPosition(
      (pos) => {
        const c = pos.coords;
        this.track.offer({ lat: c.latitude, lng: c.longitude, accuracy: c.accuracy, speed: c.speed, heading: c.heading, at: pos.timestamp || Date.now() });
        if (this.sent === 0 && this.track.pending() === 1) void this.flush(); // the first fix at once
        this.onState('on', this.sent);
      },
      (err) => this.onState(err.code === err.PERMISSION_DENIED ? 'denied' : 'error', this.sent),
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
    );
    this.timer = window.setInterval(() => void this.flush(), flushMs);
  }

  private async flush(): Promise<void> {
    if (this.sending || this.track.pending() === 0) return;
    this.sending = true;
    const pts = this.track.take();
    try {
      const r = await phonePositions(this.taskID, pts);
      this.sent += r?.stored ?? pts.length;
      this.onState('on', this.sent);
    } catch (err) {
      // Offline for a moment: keep the points for the next try.
      this.track.putBack(pts);
      console.warn('fleet: phone positions', err);
      this.onState('error', this.sent);
    } finally {
      this.sending = false;
    }
  }

  /** stop ends reporting (sending what is left). */
  stop(): void {
    if (this.watch !== null) navigator.geolocation.clearWatch(this.watch);
    this.watch = null;
    window.clearInterval(this.timer);
    void this.flush();
  }
}
