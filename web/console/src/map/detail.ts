import { ApiError, call, isAbort } from '../api';
import { h, replace, type Child } from '../dom';
import { t, tCode } from '../i18n';
import { formatTime } from '../time';
import { displayState, type LiveVehicle } from './state';

// The detail panel of the selected vehicle: the live fix and state, its unit and class, and
// what GET /api/vehicles/{id}/today says (driver, task, mileage). That is fetched on select and
// again every refreshMs while the vehicle stays selected; a fetch for a vehicle no longer
// selected is aborted.

export const refreshMs = 30_000;

/** Today is GET /api/vehicles/{id}/today. */
export interface Today {
  vehicle_id: number;
  day: string; // YYYY-MM-DD, county time
  distance_km: number;
  driving_s: number;
  trips: number;
  task: { id: number; title: string; driver_id: number | null; driver: string | null } | null;
}

/** Described is what the page knows about a vehicle besides its fix: unit and class names. */
export interface Described {
  unit: string;
  cls: string; // a class code
}

/** formatKm shows a distance with one decimal. */
export function formatKm(km: number | null | undefined): string {
  return typeof km === 'number' && Number.isFinite(km) ? t('map.km', { km: km.toFixed(1) }) : t('common.none');
}

/** formatDuration shows seconds as hours and minutes (or minutes only below an hour). */
export function formatDuration(s: number | null | undefined): string {
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) return t('common.none');
  const m = Math.round(s / 60);
  return m < 60 ? t('map.minutes', { m }) : t('map.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
}

/** taskText names the vehicle's task: the title /today gives, else the id /ws gives, else none. */
export function taskText(today: Today | null, taskID: number | null | undefined): string {
  if (today?.task) return today.task.title ? `${today.task.title} (#${today.task.id})` : `#${today.task.id}`;
  return taskID ? `#${taskID}` : t('common.none');
}

/** playbackHref is the track playback page of a vehicle. */
export function playbackHref(id: number): string {
  return `/playback?vehicle=${id}`;
}

export class DetailPanel {
  private vehicle: LiveVehicle | undefined;
  private today: Today | null = null;
  private todayFor = 0; // the vehicle id today belongs to
  private fetching: AbortController | null = null;
  private timer = 0;

  constructor(
    private readonly el: HTMLElement,
    private readonly signal: AbortSignal,
    private readonly describe: (id: number) => Described | undefined,
  ) {
    signal.addEventListener('abort', () => this.stop());
    this.render();
  }

  /** show renders vehicle v (undefined: none selected); selecting another vehicle fetches its day. */
  show(v: LiveVehicle | undefined): void {
    const id = v?.vehicle_id ?? 0;
    const prev = this.vehicle?.vehicle_id ?? 0;
    this.vehicle = v;
    if (id !== prev) {
      this.stop();
      if (this.todayFor !== id) this.today = null;
      if (id) {
        void this.load(id);
        this.timer = window.setInterval(() => void this.load(id, true), refreshMs);
      }
    }
    this.render();
  }

  private stop(): void {
    window.clearInterval(this.timer);
    this.timer = 0;
    this.fetching?.abort();
    this.fetching = null;
  }

  private async load(id: number, periodic = false): Promise<void> {
    if (this.signal.aborted || (periodic && document.hidden)) return;
    this.fetching?.abort();
    const ac = new AbortController();
    this.fetching = ac;
    const onPageAbort = () => ac.abort();
    this.signal.addEventListener('abort', onPageAbort);
    try {
      const r = await call<Today>('GET', `/api/vehicles/${id}/today`, undefined, { signal: ac.signal });
      if (ac.signal.aborted || this.vehicle?.vehicle_id !== id) return;
      this.today = r ?? null;
      this.todayFor = id;
      this.render();
    } catch (err) {
      if (isAbort(err) || ac.signal.aborted) return;
      // 404: the server does not offer the day summary (yet); the fields stay "—".
      if (!(err instanceof ApiError && err.status === 404)) console.warn('fleet: /today', err);
    } finally {
      this.signal.removeEventListener('abort', onPageAbort);
      if (this.fetching === ac) this.fetching = null;
    }
  }

  private render(): void {
    const v = this.vehicle;
    const el = this.el;
    if (!v) {
      el.removeAttribute('data-vehicle-id');
      replace(el, h('p', { class: 'muted' }, t('map.pickVehicle')));
      return;
    }
    el.dataset.vehicleId = String(v.vehicle_id);
    const d = this.describe(v.vehicle_id);
    const today = this.todayFor === v.vehicle_id ? this.today : null;
    const none = t('common.none');
    const span = (key: string, value: string) => h('span', { 'data-field': key }, value);
    const row = (label: string, ...value: Child[]) => [h('dt', null, label), h('dd', null, ...value)];
    const shown = displayState(v);
    replace(
      el,
      h(
        'div',
        { class: 'detail-head' },
        h('h2', { class: 'detail-plate' }, v.plate),
        h('span', { class: `detail-state vstate-${shown}`, 'data-field': 'state', 'data-state': shown, title: t('map.state') }, tCode('vstate', shown)),
        h('a', { href: playbackHref(v.vehicle_id), id: 'playback-link', class: 'btn small', 'data-action': 'playback' }, t('map.playback')),
      ),
      h(
        'dl',
        { class: 'detail-list' },
        row(t('map.speed'), span('speed', t('map.kmh', { speed: v.speed_kmh.toFixed(1) })), ' · ', h('span', { 'data-field': 'course', title: t('map.course') }, `${Math.round(v.course)}°`)),
        row(t('map.fixedAt'), span('fixed_at', formatTime(v.fixed_at))),
        row(t('map.link'), span('online', v.online ? t('map.online') : t('map.offline'))),
        row(t('map.unit'), span('unit', d?.unit || none)),
        row(t('map.class'), span('class', d?.cls ? tCode('class', d.cls) : none)),
        row(t('map.driver'), span('driver', today?.task?.driver || none)),
        row(t('map.task'), span('task', taskText(today, v.task_id))),
        row(
          t('map.todayKm'),
          span('today_km', today ? formatKm(today.distance_km) : none),
          today && h('span', { class: 'muted', 'data-field': 'today_trips' }, ' · ', t('map.tripsDriving', { trips: today.trips, time: formatDuration(today.driving_s) })),
        ),
      ),
    );
  }
}
