import '../approvals.css';
import '../dispatch.css';
import { ApiError, isAbort } from '../api';
import { audioReady, beep, buzz, unlockAudio } from '../dispatch/alert';
import { checklist as loadChecklist, driverTasks, myShifts, taskAction, type TaskAction } from '../dispatch/api';
import { allOk, allPassed, answer, checkBody, checkProblems, initChecklist, note, progressOf, type ChecklistState } from '../dispatch/checklist';
import { TaskFeed } from '../dispatch/live';
import { PositionReporter, type ReporterState } from '../dispatch/reporter';
import { endBody, fuelFields, isNewOffer, mergeTask, reportsPosition, sortTasks, stageOf } from '../dispatch/task';
import type { Task } from '../dispatch/types';
import { placeList, priorityTag, statusTag, telLink, timeSpan } from '../dispatch/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { shortTime } from '../dispatch/clock';

// The driver's phone page /m/driver (375 px first; drivers land here after signing in): the
// current task and the upcoming ones, pushed live over the websocket's `tasks` topic with a beep
// and a vibration; accept or decline with a reason; the pre-trip safety check; start the trip;
// while it runs, the phone reports its position when the vehicle has no terminal; end the trip
// with the odometer and fuel or charge; the history of past tasks.

/** driverPage renders /m/driver. */
export function driverPage(ctx: PageContext): void {
  const { root, signal } = ctx;
  root.classList.add('ap-page', 'dv-page');

  let tasks: Task[] = [];
  let checklist: (string | { key: string; label: string })[] | null = null;
  let loaded = false;
  let busy = false;
  let currentKey = '';
  let reporter: { id: number; r: PositionReporter } | null = null;
  let wake: { release: () => Promise<void> } | null = null;

  const wsDot = h('span', { id: 'task-ws', class: 'ws-status', 'data-state': 'connecting' }, t('map.connecting'));
  const sound = h(
    'button',
    { type: 'button', id: 'sound-enable', class: 'dv-sound', hidden: audioReady() },
    t('driver.enableSound'),
  );
  sound.addEventListener('click', async () => {
    if (await unlockAudio()) {
      sound.hidden = true;
      beep(1);
    }
  });
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const current = h('section', { id: 'task-current', class: 'dv-current' });
  const upcoming = h('ul', { id: 'task-upcoming', class: 'dv-list' });
  const history = h('ul', { id: 'task-history', class: 'dv-list dv-history' });
  const upcomingBox = h('section', { class: 'dv-section', hidden: true }, h('h2', { class: 'dv-h' }, t('driver.upcoming')), upcoming);
  const historyBox = h('section', { class: 'dv-section', hidden: true }, h('h2', { class: 'dv-h' }, t('driver.history')), history);
  const shifts = h('ul', { id: 'my-shifts', class: 'dv-shifts' });
  const shiftsBox = h('section', { class: 'dv-section', hidden: true }, h('h2', { class: 'dv-h' }, t('driver.shifts')), shifts);
  replace(
    root,
    pageHeader('driver.title', wsDot, h('a', { href: '/', class: 'btn small', id: 'full-console' }, t('approval.fullConsole'))),
    sound,
    status,
    current,
    upcomingBox,
    shiftsBox,
    historyBox,
  );

  async function load(): Promise<void> {
    try {
      const r = await driverTasks(signal);
      tasks = r.items ?? [];
      if (r.checklist?.length) checklist = r.checklist;
      loaded = true;
      status.textContent = '';
      status.className = 'status';
      render();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  let reloadTimer = 0;
  function scheduleReload(): void {
    window.clearTimeout(reloadTimer);
    reloadTimer = window.setTimeout(() => void load(), 400);
  }

  function render(): void {
    if (!loaded) return;
    const s = sortTasks(tasks);
    const c = s.current;
    const key = c ? `${c.id}:${c.status}:${c.check ? 'checked' : ''}` : '';
    if (key !== currentKey || !current.firstChild) {
      currentKey = key;
      if (c) replace(current, currentCard(c));
      else replace(current, h('div', { class: 'status empty dv-none', id: 'task-none' }, t('driver.noTask')));
      current.dataset.taskId = c ? String(c.id) : '';
      current.dataset.status = c?.status ?? '';
      current.dataset.stage = c ? stageOf(c) : '';
    } else if (c) {
      // Same step: refresh the facts only, keeping whatever is being typed.
      const info = current.querySelector('.dv-info');
      info?.replaceWith(taskInfo(c));
    }
    upcomingBox.hidden = s.upcoming.length === 0;
    replace(upcoming, s.upcoming.map(upcomingItem));
    historyBox.hidden = s.history.length === 0;
    replace(history, s.history.slice(0, 30).map(historyItem));
    follow(c);
  }

  /** follow starts or stops phone positions and the screen wake lock with the running task. */
  function follow(c: Task | null): void {
    const want = c && reportsPosition(c) ? c : null;
    if (reporter && reporter.id !== want?.id) {
      reporter.r.stop();
      reporter = null;
    }
    if (want && !reporter) reporter = { id: want.id, r: new PositionReporter(want.id, showGps) };
    const running = c && stageOf(c) === 'running';
    if (running && !wake && 'wakeLock' in navigator) {
      (navigator as Navigator & { wakeLock: { request: (k: string) => Promise<{ release: () => Promise<void> }> } }).wakeLock
        .request('screen')
        .then((w) => (wake = w))
        .catch(() => {});
    } else if (!running && wake) {
      void wake.release().catch(() => {});
      wake = null;
    }
  }

  function showGps(s: ReporterState, sent: number): void {
    const el = current.querySelector<HTMLElement>('#gps-status');
    if (!el) return;
    el.dataset.state = s;
    el.textContent = t(`driver.gps.${s}`, { n: sent });
  }

  // ---------- the current task ----------

  function currentCard(tk: Task): HTMLElement {
    const stage = stageOf(tk);
    const card = h('article', { class: `card dv-card stage-${stage}`, 'data-task-id': tk.id, 'data-status': tk.status });
    const error = h('div', { id: 'task-error', class: 'form-error', role: 'alert', hidden: true });
    const fail = (err: unknown) => {
      error.textContent = errorText(err);
      error.hidden = false;
      error.scrollIntoView?.({ block: 'nearest' });
    };
    card.append(h('div', { class: 'dv-card-top' }, h('span', { class: 'dv-stage' }, t(`driver.stage.${stage}`)), priorityTag(tk.priority), statusTag(tk.status, 'task-status', 'tstatus')), taskInfo(tk), error);

    if (stage === 'offer') {
      card.append(
        h(
          'div',
          { class: 'dv-buttons' },
          h('button', { type: 'button', id: 'task-decline', class: 'btn dv-big', onclick: () => void decline(tk, fail) }, t('driver.decline')),
          h('button', { type: 'button', id: 'task-accept', class: 'btn primary dv-big', onclick: () => void act(tk, 'accept', undefined, fail) }, t('driver.accept')),
        ),
      );
    } else if (stage === 'check') {
      card.append(checkForm(tk, fail));
    } else if (stage === 'ready') {
      card.append(
        tk.check && !tk.check.passed
          ? h('p', { class: 'dv-warn', id: 'check-done', 'data-passed': 'false' }, '⚠ ', t('driver.checkedWithIssues'))
          : h('p', { class: 'dv-ok', id: 'check-done', 'data-passed': 'true' }, '✓ ', t('driver.checked'), tk.check?.at ? ` · ${shortTime(tk.check.at)}` : ''),
        h('div', { class: 'dv-buttons' }, h('button', { type: 'button', id: 'task-depart', class: 'btn primary dv-big', onclick: () => void act(tk, 'depart', {}, fail) }, t('driver.depart'))),
      );
    } else if (stage === 'running') {
      card.append(runningBox(tk), endForm(tk));
    }
    return card;
  }

  function taskInfo(tk: Task): HTMLElement {
    return h(
      'div',
      { class: 'dv-info' },
      h('div', { class: 'dv-when', 'data-field': 'when' }, timeSpan(tk.depart_at, tk.return_at)),
      h(
        'div',
        { class: 'dv-car' },
        h('strong', { class: 'plate', 'data-field': 'plate' }, tk.plate),
        tk.vehicle_class && h('span', { class: 'muted' }, tCode('class', tk.vehicle_class)),
      ),
      h('p', { class: 'dv-purpose', 'data-field': 'purpose' }, tk.purpose),
      h(
        'div',
        { class: 'dv-who' },
        h('span', null, t('driver.applicant'), '：', h('span', { 'data-field': 'applicant' }, tk.applicant || t('common.none'))),
        tk.applicant_phone && h('span', { 'data-field': 'applicant_phone' }, telLink(tk.applicant_phone)),
        h('span', null, t('req.passengersN', { n: tk.passengers })),
      ),
      placeList(tk),
      tk.notes && h('p', { class: 'dv-notes muted' }, tk.notes),
    );
  }

  function checkForm(tk: Task, fail: (err: unknown) => void): HTMLElement {
    let state: ChecklistState = initChecklist(tk.checklist ?? checklist, (k) => tCode('check', k), tk.check);
    const list = h('ul', { id: 'task-checklist', class: 'dv-checks' });
    const count = h('span', { class: 'muted', id: 'check-count' });
    const general = h('textarea', { id: 'check-note', rows: 2, maxlength: 500, placeholder: t('driver.checkGeneralNote'), 'aria-label': t('driver.checkGeneralNote') });
    general.value = state.note;
    general.addEventListener('input', () => (state = { ...state, note: general.value }));
    const submit = h('button', { type: 'submit', id: 'check-submit', class: 'btn primary dv-big' }, t('driver.checkSubmit'));
    // The disinfection done before the trip goes into the vehicle's records (消毒记录).
    const disinfected = h('input', { type: 'checkbox', id: 'check-disinfected' });
    const form = h(
      'form',
      { id: 'check-form', class: 'dv-check-form', novalidate: true },
      h('div', { class: 'dv-check-head' }, h('h3', null, t('driver.check')), count, h('button', { type: 'button', id: 'check-all-ok', class: 'btn small', onclick: () => set(allOk(state)) }, t('driver.allOk'))),
      list,
      h('label', { class: 'dv-check-disinfected' }, disinfected, ' ', t('driver.disinfected')),
      general,
      h('div', { class: 'dv-buttons' }, submit),
    );

    function set(next: ChecklistState, redraw = true): void {
      state = next;
      if (redraw) draw();
      else tally();
    }
    function tally(): void {
      const p = progressOf(state);
      count.textContent = t('driver.checkCount', { done: p.answered, total: p.total });
    }
    function draw(problems: Record<string, string> = {}): void {
      replace(
        list,
        state.items.map((a) => {
          const noteInput = h('input', { type: 'text', class: 'dv-check-note', 'data-key': a.key, value: a.note, maxlength: 200, placeholder: t('driver.checkNote'), 'aria-label': t('driver.checkNote'), hidden: a.ok !== false });
          noteInput.addEventListener('input', () => set(note(state, a.key, noteInput.value), false));
          const btn = (ok: boolean) =>
            h(
              'button',
              { type: 'button', class: `btn small dv-ok-btn${a.ok === ok ? ' on' : ''}`, 'data-ok': String(ok), 'aria-pressed': String(a.ok === ok), onclick: () => set(answer(state, a.key, ok)) },
              ok ? t('driver.ok') : t('driver.notOk'),
            );
          return h(
            'li',
            { class: `dv-check${problems[a.key] ? ' invalid' : ''}`, 'data-key': a.key, 'data-ok': a.ok === null ? '' : String(a.ok) },
            h('span', { class: 'dv-check-label' }, a.label),
            h('span', { class: 'dv-check-buttons' }, btn(true), btn(false)),
            noteInput,
            problems[a.key] && h('small', { class: 'field-error' }, t(problems[a.key] === 'note_required' ? 'driver.noteRequired' : 'driver.answerRequired')),
          );
        }),
      );
      tally();
    }
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const problems = checkProblems(state);
      if (Object.keys(problems).length) {
        draw(problems);
        list.querySelector('.invalid')?.scrollIntoView?.({ block: 'nearest' });
        return;
      }
      if (!allPassed(state)) flash(t('driver.checkIssues'), 'error');
      void act(tk, 'check', { ...checkBody(state), disinfected: disinfected.checked }, fail);
    });
    draw();
    return form;
  }

  function runningBox(tk: Task): HTMLElement {
    // Whether the phone reports: only when the server says the vehicle has no terminal (the
    // positions go to the task's own route, under the driver's session).
    const gps = reportsPosition(tk)
      ? h('span', { id: 'gps-status', class: 'dv-gps', 'data-state': 'waiting' }, t('driver.gps.waiting', { n: 0 }))
      : tk.has_terminal === true
        ? h('span', { id: 'gps-status', class: 'dv-gps', 'data-state': 'terminal' }, t('driver.gps.terminal', { n: 0 }))
        : tk.has_terminal === false
          ? h('span', { id: 'gps-status', class: 'dv-gps', 'data-state': 'none' }, t('driver.gps.none', { n: 0 }))
          : null;
    return h(
      'div',
      { class: 'dv-running' },
      h('div', null, h('span', { class: 'dv-live-dot', 'aria-hidden': 'true' }), t('driver.runningSince', { time: shortTime(tk.departed_at || tk.depart_at) })),
      gps,
    );
  }

  function endForm(tk: Task): HTMLElement {
    const want = fuelFields(tk.energy);
    const startKm = tk.odometer_start_km ?? tk.odometer_km ?? null;
    const odo = h('input', { type: 'text', inputmode: 'decimal', id: 'end-odometer', 'data-path': 'odometer_km', placeholder: startKm !== null ? t('driver.odometerFrom', { km: startKm }) : '' });
    const fuel = h('input', { type: 'text', inputmode: 'decimal', id: 'end-fuel', 'data-path': 'fuel_l' });
    const charge = h('input', { type: 'text', inputmode: 'decimal', id: 'end-charge', 'data-path': 'charge_kwh' });
    const problem = h('div', { id: 'end-error', class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', id: 'task-return', class: 'btn primary dv-big' }, t('driver.return'));
    const row = (label: string, input: HTMLElement, unit: string, path: string, required = false) =>
      h(
        'div',
        { class: 'field dv-field', 'data-field': path },
        h('label', { for: input.id }, label, required && h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
        h('div', { class: 'dv-unit-input' }, input, h('span', { class: 'dv-unit' }, unit)),
        h('small', { class: 'field-error' }),
      );
    const form = h(
      'form',
      { id: 'end-form', class: 'form dv-end', novalidate: true },
      h('h3', null, t('driver.end')),
      problem,
      row(t('driver.odometer'), odo, 'km', 'odometer_km', true),
      want.fuel && row(t('driver.fuel'), fuel, 'L', 'fuel_l'),
      want.charge && row(t('driver.charge'), charge, 'kWh', 'charge_kwh'),
      h('div', { class: 'dv-buttons' }, submit),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      problem.hidden = true;
      for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
      for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
      const built = endBody({ odometer_km: odo.value, fuel_l: fuel.value, charge_kwh: charge.value }, tk.energy, startKm);
      if (Object.keys(built.problems).length) {
        for (const [path, code] of Object.entries(built.problems)) {
          const f = form.querySelector<HTMLElement>(`.field[data-field="${path}"]`);
          f?.classList.add('invalid');
          const msg = f?.querySelector<HTMLElement>('.field-error');
          if (msg) msg.textContent = code === 'backwards' ? t('driver.odometerBackwards', { km: startKm ?? 0 }) : tCode('field', code);
        }
        return;
      }
      void act(tk, 'return', built.body, (err) => {
        if (err instanceof ApiError && Object.keys(err.fields).length) {
          for (const [path, msg] of Object.entries(err.fields)) {
            const f = form.querySelector<HTMLElement>(`.field[data-field="${path}"]`);
            f?.classList.add('invalid');
            const m = f?.querySelector<HTMLElement>('.field-error');
            if (m) m.textContent = tCode('field', msg);
          }
        }
        problem.textContent = errorText(err);
        problem.hidden = false;
      });
    });
    return form;
  }

  // ---------- lists ----------

  function upcomingItem(tk: Task): HTMLElement {
    const offer = stageOf(tk) === 'offer';
    const fail = (err: unknown) => flash(errorText(err), 'error');
    return h(
      'li',
      { class: 'dv-item card', 'data-task-id': tk.id, 'data-status': tk.status },
      h('div', { class: 'dv-item-top' }, h('span', { class: 'dv-item-when' }, timeSpan(tk.depart_at, tk.return_at)), statusTag(tk.status, undefined, 'tstatus')),
      h('div', { class: 'dv-item-main' }, h('strong', { class: 'plate' }, tk.plate), ' · ', tk.purpose),
      h('div', { class: 'muted dv-item-route' }, [tk.origin?.address, ...(tk.destinations ?? []).map((d) => d.address)].filter(Boolean).join(' → ')),
      offer &&
        h(
          'div',
          { class: 'dv-buttons small' },
          h('button', { type: 'button', class: 'btn', 'data-action': 'decline', onclick: () => void decline(tk, fail) }, t('driver.decline')),
          h('button', { type: 'button', class: 'btn primary', 'data-action': 'accept', onclick: () => void act(tk, 'accept', undefined, fail) }, t('driver.accept')),
        ),
    );
  }

  function historyItem(tk: Task): HTMLElement {
    const km =
      typeof tk.odometer_end_km === 'number' && typeof tk.odometer_start_km === 'number'
        ? tk.odometer_end_km - tk.odometer_start_km
        : typeof tk.gps_km === 'number'
          ? tk.gps_km
          : null;
    return h(
      'li',
      { class: 'dv-item dv-past', 'data-task-id': tk.id, 'data-status': tk.status },
      h('div', { class: 'dv-item-top' }, h('span', { class: 'dv-item-when' }, timeSpan(tk.depart_at, tk.return_at)), statusTag(tk.status, undefined, 'tstatus')),
      h('div', { class: 'dv-item-main' }, h('strong', { class: 'plate' }, tk.plate), ' · ', tk.purpose, km !== null && km >= 0 && h('span', { class: 'muted' }, ` · ${Math.round(km * 10) / 10} km`)),
      tk.decline_reason && h('div', { class: 'muted' }, t('driver.declinedBecause', { reason: tk.decline_reason })),
    );
  }

  // ---------- actions ----------

  async function act(tk: Task, action: TaskAction, body: unknown, fail: (err: unknown) => void): Promise<void> {
    if (busy) return;
    busy = true;
    for (const b of root.querySelectorAll<HTMLButtonElement>(`[data-task-id="${tk.id}"] button`)) b.disabled = true;
    try {
      const updated = await taskAction(tk.id, action, body, signal);
      // Keep the page in step at once; the list is fetched again for anything else that moved.
      if (updated && typeof updated === 'object' && 'id' in updated) tasks = mergeTask(tasks, updated);
      flash(t(`driver.done.${action}`));
      busy = false;
      if (action === 'depart' || action === 'accept') void unlockAudio();
      await load();
    } catch (err) {
      if (isAbort(err)) return;
      busy = false;
      fail(err);
      for (const b of root.querySelectorAll<HTMLButtonElement>(`[data-task-id="${tk.id}"] button`)) b.disabled = false;
      // Reassigned or cancelled meanwhile: show it as it is now.
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        currentKey = '';
        void load();
      }
    } finally {
      busy = false;
    }
  }

  async function decline(tk: Task, fail: (err: unknown) => void): Promise<void> {
    const reason = await askReason(signal);
    if (reason === null) return;
    await act(tk, 'decline', { reason }, fail);
  }

  // ---------- live ----------

  function announce(tk: Task): void {
    const rang = beep(2);
    buzz();
    flash(t('driver.newTask', { when: shortTime(tk.depart_at), plate: tk.plate }));
    if (!rang) sound.hidden = false;
    document.title = `(${t('driver.new')}) ${t('driver.title')}`;
    window.setTimeout(() => (document.title = `${t('driver.title')} · ${t('app.name')}`), 8000);
  }

  const feed = new TaskFeed({
    onTask: (tk) => {
      if (!loaded) return;
      const before = tasks;
      tasks = mergeTask(tasks, tk);
      if (isNewOffer(before, tk)) announce(tk);
      render();
      scheduleReload();
    },
    onState: (s) => {
      wsDot.dataset.state = s;
      wsDot.textContent = t(s === 'open' ? 'map.connected' : 'map.connecting');
      // Back after a gap: fetch what was missed.
      if (s === 'open' && loaded) scheduleReload();
    },
  });
  const onVisible = () => {
    if (!document.hidden) scheduleReload();
  };
  document.addEventListener('visibilitychange', onVisible);
  signal.addEventListener('abort', () => {
    feed.stop();
    window.clearTimeout(reloadTimer);
    document.removeEventListener('visibilitychange', onVisible);
    reporter?.r.stop();
    reporter = null;
    void wake?.release().catch(() => {});
    wake = null;
  });
  // The driver's own roster for the coming week (shifts and 24-hour standbys).
  void (async () => {
    try {
      const from = new Date();
      const r = await myShifts(from.toISOString(), new Date(from.getTime() + 7 * 86_400_000).toISOString(), signal);
      const items = (r.items ?? []).sort((a, b) => a.start.localeCompare(b.start));
      shiftsBox.hidden = items.length === 0;
      replace(
        shifts,
        items.map((s) =>
          h(
            'li',
            { class: `dv-shift kind-${s.kind}`, 'data-shift-id': s.id },
            h('span', { class: `shift-chip kind-${s.kind}` }, tCode('shiftKind', s.kind)),
            ' ',
            timeSpan(s.start, s.end),
          ),
        ),
      );
    } catch (err) {
      if (!isAbort(err)) console.warn('fleet: my roster', err);
    }
  })();

  // The county's checklist (the server sends item names; the dictionary's defaults stand in).
  void loadChecklist(signal)
    .then((items) => {
      if (items.length) checklist = items;
    })
    .catch((err) => {
      if (!isAbort(err)) console.warn('fleet: checklist', err);
    });
  void load();
}

/** askReason asks why the driver declines (#decline-dialog, #decline-reason, #decline-confirm); null: cancelled. */
function askReason(signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const text = h('textarea', { id: 'decline-reason', rows: 3, maxlength: 200, placeholder: t('driver.declinePlaceholder'), 'aria-label': t('driver.declineReason') });
    const problem = h('div', { class: 'field-error', role: 'alert', hidden: true }, t('driver.declineNeedReason'));
    const quick = ['sick', 'vehicle', 'conflict'].map((k) =>
      h('button', { type: 'button', class: 'btn small', onclick: () => (text.value = tCode('declineReason', k)) }, tCode('declineReason', k)),
    );
    const dialog = h(
      'dialog',
      { class: 'dialog dv-dialog', id: 'decline-dialog', 'aria-label': t('driver.decline') },
      h('h2', { class: 'dialog-title' }, t('driver.declineTitle')),
      h('div', { class: 'dv-quick' }, quick),
      text,
      problem,
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel')),
        h(
          'button',
          {
            type: 'button',
            id: 'decline-confirm',
            class: 'btn danger',
            onclick: () => {
              if (!text.value.trim()) {
                problem.hidden = false;
                text.focus();
                return;
              }
              close(text.value.trim());
            },
          },
          t('driver.decline'),
        ),
      ),
    );
    let done = false;
    function close(v: string | null): void {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(v);
    }
    dialog.addEventListener('cancel', () => close(null));
    signal.addEventListener('abort', () => close(null));
    document.body.append(dialog);
    dialog.showModal();
    text.focus();
  });
}
