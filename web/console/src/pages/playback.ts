import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { call, isAbort, list } from '../api';
import { h, replace } from '../dom';
import { t, type Key } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { formatTime } from '../time';
import type { List, Vehicle } from '../types';
import { setCRS, shown, type TileCRS } from '../map/crs';
import {
  colouredRuns,
  localInput,
  lowerBound,
  maxSpan,
  positionAt,
  presetPeriod,
  presets,
  summarize,
  timesOf,
  toleranceFor,
  type Stop,
  type TrackPoint,
  type Trip,
} from '../map/playback-core';
import { drawFences, durationText, TrackLayer } from '../map/playback-layer';
import type { LiveEvent } from '../map/state';

// Track playback: a vehicle's stored track over a period, coloured by speed, with its trips,
// stops and events, and a vehicle that drives it again at 1× to 300×. Opened from the menu or
// from the live map as /playback?vehicle=ID&from=ISO&to=ISO, which loads at once.

const countyCentre: L.LatLngTuple = [27.8, 114.4];
const countyZoom = 11;
const rates = [1, 10, 60, 300] as const;
const defaultRate = 60;
const maxEvents = 500;
/** fitPadding keeps a fitted track clear of the legend in the bottom-left corner (pixels). */
const fitPadding: L.FitBoundsOptions = { paddingTopLeft: [110, 24], paddingBottomRight: [24, 24] };

/** Loaded is one period's answer, kept for the player and the trip table. */
interface Loaded {
  points: TrackPoint[];
  times: number[]; // ms, one per point
  trips: Trip[];
  tripTimes: [number, number][]; // each trip's start and end, ms
}

export function playbackPage(ctx: PageContext): void {
  const query = new URLSearchParams(location.search);

  const vehicleSel = h('select', { id: 'playback-vehicle' }, h('option', { value: '' }, t('playback.pickVehicle')));
  const fromIn = h('input', { type: 'datetime-local', id: 'playback-from' });
  const toIn = h('input', { type: 'datetime-local', id: 'playback-to' });
  const loadBtn = h('button', { type: 'submit', id: 'playback-load', class: 'btn primary' }, t('playback.load'));
  const note = h('div', { id: 'playback-note', class: 'status pb-note', role: 'status' });
  const mapEl = h('div', { id: 'playback-map', class: 'pb-map' });
  const playBtn = h('button', { type: 'button', id: 'playback-play', class: 'btn primary pb-play', disabled: true, onclick: () => (playing ? pause() : play()) }, t('playback.play'));
  const slider = h('input', { type: 'range', id: 'playback-slider', class: 'pb-slider', min: 0, max: 0, step: 1, value: 0, disabled: true, 'aria-label': t('playback.slider') });
  const speedSel = h(
    'select',
    { id: 'playback-speed', class: 'pb-speed', 'aria-label': t('playback.speed'), title: t('playback.speed') },
    rates.map((r) => h('option', { value: r, selected: r === defaultRate }, `${r}×`)),
  );
  const timeEl = h('output', { id: 'playback-time', class: 'pb-time' });
  const summaryEl = h('div', { id: 'playback-summary', class: 'pb-summary' }, h('p', { class: 'muted' }, t('playback.hint')));
  const tripsBody = h('tbody', { id: 'playback-trips' });

  const field = (label: Key, input: HTMLElement) => h('label', { class: 'pb-field' }, h('span', null, t(label)), input);
  const form = h(
    'form',
    {
      class: 'pb-form',
      onsubmit: (ev: SubmitEvent) => {
        ev.preventDefault();
        void load();
      },
    },
    field('playback.vehicle', vehicleSel),
    field('playback.from', fromIn),
    field('playback.to', toIn),
    h(
      'div',
      { class: 'pb-presets' },
      presets.map((p) => h('button', { type: 'button', class: 'btn small', 'data-preset': p, onclick: () => setPeriod(presetPeriod(p, new Date())) }, t(`playback.${p}`))),
    ),
    loadBtn,
  );
  const th = (key: Key, cls?: string) => h('th', { class: cls }, t(key));

  ctx.root.classList.add('playback-page');
  replace(
    ctx.root,
    pageHeader('nav.playback'),
    form,
    note,
    h(
      'div',
      { class: 'pb-body' },
      h('div', { class: 'pb-main' }, h('div', { class: 'pb-stage' }, mapEl), h('div', { class: 'pb-player' }, playBtn, slider, speedSel, timeEl)),
      h(
        'div',
        { class: 'pb-side' },
        h('div', { class: 'pb-panel' }, h('h2', null, t('playback.summary')), summaryEl),
        h(
          'div',
          { class: 'pb-panel pb-trips' },
          h('h2', null, t('playback.trips')),
          h(
            'div',
            { class: 'pb-trips-wrap' },
            h(
              'table',
              { class: 'data' },
              h('thead', null, h('tr', null, th('playback.tripNo', 'num'), th('playback.tripStart'), th('playback.tripEnd'), th('playback.distance', 'num'), th('playback.duration'), th('playback.maxSpeed', 'num'))),
              tripsBody,
            ),
          ),
        ),
      ),
    ),
  );

  // The period on screen and the player's state.
  let shownTrack: Loaded | null = null;
  let loadSeq = 0;
  let now = 0; // the playback's moment, ms
  let playing = false;
  let frameID = 0;
  let lastFrame = 0;
  let currentTrip = -1;

  const renderer = L.canvas({ padding: 0.5 });
  const map = L.map(mapEl, { preferCanvas: true, renderer, zoomControl: true, attributionControl: false }).setView(countyCentre, countyZoom);
  if (window.FLEET_TILE_URL) L.tileLayer(window.FLEET_TILE_URL, { maxZoom: 19 }).addTo(map);
  const layer = new TrackLayer(map, renderer);
  // As on the live map: nothing is drawn before the tile datum is known, and the geofences
  // (the county outline) go in first so the track is drawn over them.
  setCRS('wgs84');
  const mapReady = call<{ map?: { tile_url?: string; tile_crs?: TileCRS } }>('GET', '/api/meta', undefined, { signal: ctx.signal })
    .then((meta) => {
      const m = meta.map;
      if (!m) return;
      setCRS(m.tile_crs === 'gcj02' ? 'gcj02' : 'wgs84');
      if (m.tile_url && !window.FLEET_TILE_URL) L.tileLayer(m.tile_url, { maxZoom: 19 }).addTo(map);
    })
    .catch(() => {})
    .then(() => drawFences(map, renderer, ctx.signal))
    .then((county) => {
      // Without animation: Leaflet drops a fit asked for while it is still zooming.
      if (county && loadSeq === 0) map.fitBounds(county, { animate: false });
    })
    .catch((err) => {
      if (!isAbort(err)) console.warn('fleet: /api/geofences', err);
    });

  requestAnimationFrame(() => map.invalidateSize());
  const onResize = () => map.invalidateSize();
  window.addEventListener('resize', onResize);

  function setPeriod(p: { from: Date; to: Date }): void {
    fromIn.value = localInput(p.from);
    toIn.value = localInput(p.to);
  }

  function setNote(text: string, kind: '' | 'error' | 'empty' = ''): void {
    note.textContent = text;
    note.className = `status pb-note${kind ? ` ${kind}` : ''}`;
  }

  /** load fetches and draws the chosen vehicle's period; a newer load makes an older answer moot. */
  async function load(): Promise<void> {
    const id = Number(vehicleSel.value);
    const from = new Date(fromIn.value);
    const to = new Date(toIn.value);
    const problem: Key | null = !id
      ? 'playback.needVehicle'
      : Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from
        ? 'playback.badPeriod'
        : to.getTime() - from.getTime() > maxSpan
          ? 'playback.tooLong'
          : null;
    if (problem) {
      setNote(t(problem), 'error');
      return;
    }

    const seq = ++loadSeq;
    pause();
    setNote(t('playback.loading'));
    loadBtn.disabled = true;
    const range = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    // The address names the period, so it can be reloaded or passed on.
    history.replaceState(null, '', `/playback?vehicle=${id}&${range}`);
    const tol = toleranceFor(to.getTime() - from.getTime());
    const opts = { signal: ctx.signal };
    try {
      const [track, trips, events] = await Promise.all([
        call<{ points: TrackPoint[] | null }>('GET', `/api/vehicles/${id}/track?${range}${tol ? `&tolerance_m=${tol}` : ''}`, undefined, opts),
        call<{ trips: Trip[] | null; stops: Stop[] | null }>('GET', `/api/vehicles/${id}/trips?${range}`, undefined, opts),
        loadEvents(id, range, ctx.signal),
        mapReady,
      ]);
      if (seq !== loadSeq) return;
      show(track.points ?? [], trips.trips ?? [], trips.stops ?? [], events);
    } catch (err) {
      if (isAbort(err) || seq !== loadSeq) return;
      setNote(t('error.load', { message: errorText(err) }), 'error');
    } finally {
      if (seq === loadSeq) loadBtn.disabled = false;
    }
  }

  function show(points: TrackPoint[], trips: Trip[], stops: Stop[], events: List<LiveEvent>): void {
    const marked = layer.draw(points, colouredRuns(points), stops, events.items);
    mapEl.dataset.points = String(points.length);
    mapEl.dataset.events = String(marked);
    shownTrack = { points, times: timesOf(points), trips, tripTimes: trips.map((tr) => [Date.parse(tr.start_at), Date.parse(tr.end_at)]) };
    renderSummary(trips, stops, points.length);
    renderTrips(trips);

    const ready = points.length > 0;
    playBtn.disabled = !ready;
    slider.disabled = !ready;
    if (!ready) {
      setNote(t('playback.noTrack'), 'empty');
      slider.max = '0';
      timeEl.textContent = '';
      return;
    }
    const capped = events.total > events.items.length;
    setNote(capped ? t('playback.eventsCapped', { shown: events.items.length, total: events.total }) : '');
    map.fitBounds(L.latLngBounds(points.map((p) => shown(p.lat, p.lng))), { ...fitPadding, maxZoom: 16, animate: false });
    const { times } = shownTrack;
    slider.max = String(Math.ceil((times[times.length - 1] - times[0]) / 1000));
    seek(times[0]);
  }

  function renderSummary(trips: Trip[], stops: Stop[], points: number): void {
    const s = summarize(trips, stops);
    const row = (label: Key, value: string, key: string) => [h('dt', null, t(label)), h('dd', { 'data-field': key }, value)];
    replace(
      summaryEl,
      h(
        'dl',
        { class: 'pb-stats' },
        row('playback.totalKm', t('playback.km', { km: s.km.toFixed(1) }), 'km'),
        row('playback.tripCount', t('playback.times', { n: s.trips }), 'trips'),
        row('playback.drivingTime', durationText(s.drivingS), 'driving'),
        row('playback.topSpeed', t('map.kmh', { speed: s.maxKmh.toFixed(0) }), 'max_speed'),
        row('playback.stopCount', t('playback.stopTotal', { n: s.stops, duration: durationText(s.stoppedS) }), 'stops'),
        row('playback.points', String(points), 'points'),
      ),
    );
  }

  function renderTrips(trips: Trip[]): void {
    currentTrip = -1;
    if (!trips.length) {
      replace(tripsBody, h('tr', { class: 'pb-empty' }, h('td', { colspan: 6, class: 'muted' }, t('playback.noTrips'))));
      return;
    }
    replace(
      tripsBody,
      trips.map((tr, i) =>
        h(
          'tr',
          { 'data-trip': i, tabindex: 0, onclick: () => pickTrip(i), onkeydown: (ev: KeyboardEvent) => ev.key === 'Enter' && pickTrip(i) },
          h('td', { class: 'num' }, i + 1),
          h('td', { class: 'nowrap', title: formatTime(tr.start_at) }, shortTime(tr.start_at)),
          tr.open ? h('td', { class: 'nowrap' }, t('playback.inProgress')) : h('td', { class: 'nowrap', title: formatTime(tr.end_at) }, shortTime(tr.end_at)),
          h('td', { class: 'num' }, tr.distance_km.toFixed(1)),
          h('td', { class: 'nowrap' }, durationText(tr.duration_s)),
          h('td', { class: 'num' }, tr.max_speed_kmh.toFixed(0)),
        ),
      ),
    );
  }

  /** pickTrip zooms to a trip and moves the playback to its start. */
  function pickTrip(i: number): void {
    const tr = shownTrack?.trips[i];
    if (!shownTrack || !tr) return;
    const { points, times } = shownTrack;
    const [start, end] = shownTrack.tripTimes[i];
    const first = lowerBound(times, start);
    const last = lowerBound(times, end + 1);
    const along = points.slice(first, last).map((p) => shown(p.lat, p.lng));
    const bounds = L.latLngBounds([shown(tr.start.lat, tr.start.lng), shown(tr.end.lat, tr.end.lng), ...along]);
    map.fitBounds(bounds, { ...fitPadding, maxZoom: 17 });
    seek(start);
  }

  /** seek moves the playback to moment ms: the vehicle, the slider, the readout and the trip row. */
  function seek(ms: number, fromSlider = false): void {
    if (!shownTrack) return;
    const { points, times, tripTimes } = shownTrack;
    now = Math.min(Math.max(ms, times[0]), times[times.length - 1]);
    const pos = positionAt(points, times, now);
    if (!pos) return;
    layer.moveVehicle(pos);
    if (playing) {
      const at = L.latLng(shown(pos.lat, pos.lng));
      if (!map.getBounds().contains(at)) map.panTo(at);
    }
    if (!fromSlider) slider.value = String(Math.floor((now - times[0]) / 1000));
    const iso = new Date(now).toISOString();
    timeEl.dataset.time = iso;
    timeEl.textContent = `${formatTime(iso)} · ${t('map.kmh', { speed: pos.speedKmh.toFixed(0) })}`;
    const trip = tripTimes.findIndex(([start, end]) => now >= start && now <= end);
    if (trip !== currentTrip) {
      tripsBody.querySelector(`tr[data-trip="${currentTrip}"]`)?.classList.remove('current');
      tripsBody.querySelector(`tr[data-trip="${trip}"]`)?.classList.add('current');
      currentTrip = trip;
    }
  }

  function play(): void {
    if (!shownTrack || playing) return;
    const { times } = shownTrack;
    if (now >= times[times.length - 1]) seek(times[0]); // from the start again
    playing = true;
    lastFrame = 0;
    playBtn.textContent = t('playback.pause');
    playBtn.setAttribute('aria-pressed', 'true');
    frameID = requestAnimationFrame(frame);
  }

  function pause(): void {
    playing = false;
    cancelAnimationFrame(frameID);
    playBtn.textContent = t('playback.play');
    playBtn.setAttribute('aria-pressed', 'false');
  }

  /** frame advances the playback by the real time since the last frame times the chosen rate. */
  function frame(ts: number): void {
    if (!playing || !shownTrack) return;
    const elapsed = lastFrame ? ts - lastFrame : 0;
    lastFrame = ts;
    seek(now + elapsed * Number(speedSel.value));
    const { times } = shownTrack;
    if (now >= times[times.length - 1]) pause();
    else frameID = requestAnimationFrame(frame);
  }

  slider.addEventListener('input', () => {
    if (shownTrack) seek(shownTrack.times[0] + Number(slider.value) * 1000, true);
  });

  ctx.signal.addEventListener('abort', () => {
    loadSeq++;
    pause();
    window.removeEventListener('resize', onResize);
    map.remove();
    ctx.root.classList.remove('playback-page');
  });

  // The period: from the address when it names one, else today so far.
  const qFrom = new Date(query.get('from') ?? '');
  const qTo = new Date(query.get('to') ?? '');
  if (!Number.isNaN(qFrom.getTime()) && !Number.isNaN(qTo.getTime())) setPeriod({ from: qFrom, to: qTo });
  else setPeriod(presetPeriod('today', new Date()));

  void (async () => {
    const wanted = Number(query.get('vehicle')) || 0;
    try {
      const r = await list<Vehicle>('/api/vehicles', { limit: 500 }, ctx.signal);
      const vs = (r.items ?? []).slice().sort((a, b) => a.plate.localeCompare(b.plate, 'zh-CN'));
      vehicleSel.append(...vs.map((v) => h('option', { value: v.id }, v.plate)));
    } catch (err) {
      if (isAbort(err)) return;
      setNote(t('error.load', { message: errorText(err) }), 'error');
    }
    if (!wanted) return;
    // A vehicle beyond the first 500 is still offered by its id.
    if (![...vehicleSel.options].some((o) => o.value === String(wanted))) vehicleSel.append(h('option', { value: wanted }, `#${wanted}`));
    vehicleSel.value = String(wanted);
    await load();
  })();
}

/** shortTime is formatTime to the minute without the year ("03-04 09:30"), for the narrow trip table. */
function shortTime(iso: string): string {
  return formatTime(iso).slice(5, 16);
}

/** loadEvents fetches the period's events of a vehicle; without them the track still shows. */
async function loadEvents(vehicleID: number, range: string, signal: AbortSignal): Promise<List<LiveEvent>> {
  try {
    const r = await call<List<LiveEvent>>('GET', `/api/events?vehicle=${vehicleID}&${range}&limit=${maxEvents}`, undefined, { signal });
    return { items: r.items ?? [], total: r.total ?? 0 };
  } catch (err) {
    if (isAbort(err)) throw err;
    console.warn('fleet: /api/events', err);
    return { items: [], total: 0 };
  }
}
