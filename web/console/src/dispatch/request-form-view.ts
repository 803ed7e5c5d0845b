import { ApiError, isAbort } from '../api';
import { h } from '../dom';
import { t, tCode } from '../i18n';
import { errorText } from '../page';
import { vehicleClasses } from '../types';
import { createRequest, requestAction } from './api';
import { isoToInput } from './clock';
import { PlacePicker } from './place-picker';
import { buildRequest, emptyPlace, fieldOfServer, splitPair, type PlaceDraft, type RequestDraft } from './request-form';
import { priorities } from './types';

// The vehicle-use request form (desktop and phone): the trip's places with a small map to pick
// them on, the times, passengers, class wanted, priority, purpose and notes. Sends
// POST /api/requests (and /submit when the server keeps it as a draft).

export interface RequestFormOptions {
  draft: RequestDraft;
  signal: AbortSignal;
  onSaved: (id: number, status: string) => void;
}

/** defaultTimes proposes a departure at the next half hour an hour from now, back three hours later. */
export function defaultTimes(now = Date.now()): { depart: string; return: string } {
  const half = 30 * 60_000;
  const depart = Math.ceil((now + 60 * 60_000) / half) * half;
  return { depart: isoToInput(new Date(depart).toISOString()), return: isoToInput(new Date(depart + 3 * 3_600_000).toISOString()) };
}

/** requestForm builds #req-form. */
export function requestForm(o: RequestFormOptions): HTMLFormElement {
  const d = o.draft;
  const error = h('div', { id: 'req-error', class: 'form-error', role: 'alert', hidden: true });

  const picker = new PlacePicker(o.signal, (index, lat, lng) => {
    const row = rowOf(index);
    if (!row) return;
    input(row, 'lat').value = String(lat);
    input(row, 'lng').value = String(lng);
    row.classList.remove('invalid');
    syncPins();
    // The next empty place is the one to pick after this.
    const next = nextEmpty(index);
    setPicking(next);
  });

  const origin = placeRow(-1, d.origin);
  const dests = h('div', { id: 'req-dests', class: 'rq-dests' });
  const addDest = h('button', { type: 'button', id: 'req-add-dest', class: 'btn small', onclick: () => addDestRow(emptyPlace(), true) }, `+ ${t('req.addDestination')}`);

  const depart = h('input', { type: 'datetime-local', id: 'req-depart', value: d.depart, 'data-path': 'depart_at', step: 60 });
  const back = h('input', { type: 'datetime-local', id: 'req-return', value: d.return, 'data-path': 'return_at', step: 60 });
  const passengers = h('input', { type: 'number', id: 'req-passengers', min: 1, max: 99, inputmode: 'numeric', value: d.passengers, 'data-path': 'passengers' });
  const cls = h('select', { id: 'req-class', 'data-path': 'vehicle_class' }, vehicleClasses.map((c) => h('option', { value: c }, tCode('class', c))));
  cls.value = d.vehicle_class;
  const prio = h(
    'div',
    { id: 'req-priority', class: 'rq-priority', role: 'radiogroup', 'aria-label': t('req.priority'), 'data-path': 'priority' },
    priorities.map((p) =>
      h(
        'label',
        { class: `rq-prio rq-prio-${p}` },
        h('input', { type: 'radio', name: 'priority', value: p, id: `req-priority-${p}`, checked: d.priority === p }),
        h('span', null, tCode('priority', p)),
      ),
    ),
  );
  const emergencyHint = h('p', { class: 'rq-emergency-hint', id: 'req-emergency-hint', hidden: d.priority !== 'emergency' }, t('req.emergencyHint'));
  const purpose = h('textarea', { id: 'req-purpose', rows: 2, maxlength: 500, 'data-path': 'purpose', placeholder: t('req.purposePlaceholder') });
  purpose.value = d.purpose;
  const notes = h('textarea', { id: 'req-notes', rows: 2, maxlength: 500, 'data-path': 'notes', placeholder: t('req.notesPlaceholder') });
  notes.value = d.notes;
  const submit = h('button', { type: 'submit', id: 'req-submit', class: 'btn primary' }, t('req.submit'));

  const form = h(
    'form',
    { id: 'req-form', class: 'form rq-form card', novalidate: true },
    error,
    h(
      'fieldset',
      { class: 'rq-set rq-route' },
      h('legend', null, t('req.route')),
      origin,
      dests,
      h('div', { class: 'rq-dests-foot' }, addDest, h('span', { class: 'muted rq-coord-hint' }, t('req.coordHint'))),
      picker.el,
    ),
    h(
      'fieldset',
      { class: 'rq-set' },
      h('legend', null, t('req.trip')),
      h(
        'div',
        { class: 'rq-grid' },
        field(t('req.departAt'), depart, 'depart_at', true),
        field(t('req.returnAt'), back, 'return_at', true),
        field(t('req.passengers'), passengers, 'passengers', true),
        field(t('req.vehicleClass'), cls, 'vehicle_class', true),
      ),
      field(t('req.priority'), prio, 'priority'),
      emergencyHint,
      field(t('req.purpose'), purpose, 'purpose', true),
      field(t('req.notes'), notes, 'notes'),
    ),
    h('div', { class: 'form-actions' }, submit),
  );

  function placeRow(index: number, p: PlaceDraft): HTMLElement {
    const isOrigin = index < 0;
    const base = isOrigin ? 'origin' : `destinations[${index}]`;
    const ids = (f: string) => (isOrigin ? { id: `req-origin-${f}` } : {});
    const address = h('input', { type: 'text', ...ids('address'), 'data-field': 'address', 'data-path': `${base}.address`, value: p.address, maxlength: 200, placeholder: t(isOrigin ? 'req.originPlaceholder' : 'req.destinationPlaceholder'), 'aria-label': t('req.address') });
    const lat = h('input', { type: 'text', ...ids('lat'), 'data-field': 'lat', 'data-path': `${base}.lat`, value: p.lat, inputmode: 'decimal', placeholder: t('req.lat'), 'aria-label': t('req.lat'), class: 'rq-coord' });
    const lng = h('input', { type: 'text', ...ids('lng'), 'data-field': 'lng', 'data-path': `${base}.lng`, value: p.lng, inputmode: 'decimal', placeholder: t('req.lng'), 'aria-label': t('req.lng'), class: 'rq-coord' });
    const row = h(
      'div',
      { class: `rq-place field ${isOrigin ? 'rq-origin' : 'rq-dest'}`, 'data-index': index },
      h(
        'label',
        { class: 'rq-place-label' },
        h('span', { class: `rq-badge${isOrigin ? ' origin' : ''}` }, isOrigin ? t('req.originShort') : index + 1),
        h('span', { class: 'rq-place-name' }, isOrigin ? t('req.origin') : t('req.destinationN', { n: index + 1 })),
        h('span', { class: 'req', 'aria-hidden': 'true' }, ' *'),
      ),
      h(
        'div',
        { class: 'rq-place-inputs' },
        address,
        h('div', { class: 'rq-coords' }, lat, lng),
        h(
          'div',
          { class: 'rq-place-buttons' },
          h('button', { type: 'button', class: 'btn small', 'data-action': 'pick', title: t('req.pickOnMap') }, t('req.pick')),
          'geolocation' in navigator && isOrigin && h('button', { type: 'button', class: 'btn small', 'data-action': 'locate', title: t('req.here') }, t('req.hereShort')),
          !isOrigin && h('button', { type: 'button', class: 'btn small danger', 'data-action': 'remove-dest', title: t('req.removeDestination'), 'aria-label': t('req.removeDestination') }, '×'),
        ),
      ),
      h('small', { class: 'field-error' }),
    );
    return row;
  }

  function addDestRow(p: PlaceDraft, focus = false): void {
    const row = placeRow(dests.children.length, p);
    dests.append(row);
    renumber();
    syncPins();
    if (focus) input(row, 'address').focus();
  }

  function renumber(): void {
    [...dests.children].forEach((row, i) => {
      const el = row as HTMLElement;
      el.dataset.index = String(i);
      const badge = el.querySelector('.rq-badge');
      if (badge) badge.textContent = String(i + 1);
      const name = el.querySelector('.rq-place-name');
      if (name) name.textContent = t('req.destinationN', { n: i + 1 });
      for (const inp of el.querySelectorAll<HTMLInputElement>('input[data-field]')) inp.dataset.path = `destinations[${i}].${inp.dataset.field}`;
      el.querySelector<HTMLButtonElement>('[data-action="remove-dest"]')!.hidden = dests.children.length === 1;
    });
  }

  function rowOf(index: number): HTMLElement | null {
    return index < 0 ? origin : ((dests.children[index] as HTMLElement | undefined) ?? null);
  }

  function input(row: HTMLElement, f: 'address' | 'lat' | 'lng'): HTMLInputElement {
    return row.querySelector<HTMLInputElement>(`input[data-field="${f}"]`)!;
  }

  function readPlace(row: HTMLElement): PlaceDraft {
    return { address: input(row, 'address').value, lat: input(row, 'lat').value, lng: input(row, 'lng').value };
  }

  function nextEmpty(after: number): number | null {
    const rows = [origin, ...([...dests.children] as HTMLElement[])];
    for (const row of rows) {
      const i = Number(row.dataset.index);
      if (i > after && (!input(row, 'lat').value.trim() || !input(row, 'lng').value.trim())) return i;
    }
    return null;
  }

  let picking: number | null = null;
  function setPicking(index: number | null): void {
    picking = index;
    for (const row of form.querySelectorAll<HTMLElement>('.rq-place')) row.classList.toggle('picking', index !== null && Number(row.dataset.index) === index);
    picker.pick(index);
  }

  function syncPins(): void {
    const rows = [origin, ...([...dests.children] as HTMLElement[])];
    picker.setPlaces(
      rows.map((row) => {
        const p = readPlace(row);
        const pair = splitPair(p.lat);
        const lat = pair && !p.lng.trim() ? pair[0] : Number(p.lat.trim() === '' ? NaN : p.lat);
        const lng = pair && !p.lng.trim() ? pair[1] : Number(p.lng.trim() === '' ? NaN : p.lng);
        return { index: Number(row.dataset.index), lat: Number.isFinite(lat) ? lat : null, lng: Number.isFinite(lng) ? lng : null };
      }),
    );
  }

  form.addEventListener('click', (ev) => {
    const btn = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const row = btn?.closest<HTMLElement>('.rq-place');
    if (!btn || !row) return;
    const index = Number(row.dataset.index);
    if (btn.dataset.action === 'pick') {
      setPicking(picking === index ? null : index);
      picker.el.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
    } else if (btn.dataset.action === 'remove-dest') {
      row.remove();
      if (!dests.children.length) addDestRow(emptyPlace());
      renumber();
      syncPins();
      setPicking(null);
    } else if (btn.dataset.action === 'locate') {
      btn.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          btn.disabled = false;
          input(row, 'lat').value = String(Math.round(pos.coords.latitude * 1e6) / 1e6);
          input(row, 'lng').value = String(Math.round(pos.coords.longitude * 1e6) / 1e6);
          syncPins();
          picker.centre(pos.coords.latitude, pos.coords.longitude);
        },
        () => {
          btn.disabled = false;
          error.textContent = t('req.noLocation');
          error.hidden = false;
        },
        { enableHighAccuracy: true, timeout: 10_000 },
      );
    }
  });
  form.addEventListener('input', (ev) => {
    const el = ev.target as HTMLElement;
    if (el.matches('.rq-place input')) syncPins();
  });
  form.addEventListener('change', (ev) => {
    const el = ev.target as HTMLElement;
    if (el.matches('.rq-place input[data-field="lat"], .rq-place input[data-field="lng"]')) picker.fit();
    if (el.matches('input[name="priority"]')) emergencyHint.hidden = priorityValue() !== 'emergency';
  });

  function priorityValue(): string {
    return form.querySelector<HTMLInputElement>('input[name="priority"]:checked')?.value ?? 'normal';
  }

  function read(): RequestDraft {
    return {
      passengers: passengers.value,
      purpose: purpose.value,
      origin: readPlace(origin),
      destinations: ([...dests.children] as HTMLElement[]).map(readPlace),
      depart: depart.value,
      return: back.value,
      vehicle_class: cls.value,
      priority: priorityValue(),
      notes: notes.value,
    };
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear();
    const built = buildRequest(read());
    if (Object.keys(built.problems).length) {
      mark(built.problems);
      error.textContent = t('error.invalid');
      error.hidden = false;
      error.scrollIntoView?.({ block: 'nearest' });
      return;
    }
    submit.disabled = true;
    submit.textContent = t('req.submitting');
    try {
      const a = await createRequest(built.body, o.signal);
      let status = a.status;
      if (status === 'draft') status = (await requestAction(a.id, 'submit', undefined, o.signal))?.status ?? 'submitted';
      o.onSaved(a.id, status);
      return;
    } catch (err) {
      if (isAbort(err)) return;
      error.textContent = errorText(err);
      error.hidden = false;
      if (err instanceof ApiError) mark(err.fields);
      error.scrollIntoView?.({ block: 'nearest' });
    } finally {
      submit.disabled = false;
      submit.textContent = t('req.submit');
    }
  });

  function clear(): void {
    error.hidden = true;
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
    for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
  }

  /** mark flags the inputs a problem names; a place row shows one message for its inputs. */
  function mark(problems: Record<string, string>): void {
    for (const [raw, code] of Object.entries(problems)) {
      const path = fieldOfServer(raw);
      const el = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`) ?? form.querySelector<HTMLElement>(`[data-path="${CSS.escape(path.replace(/\.(lat|lng|address)$/, '.address'))}"]`);
      if (!el) continue;
      el.classList.add('invalid');
      const holder = el.closest<HTMLElement>('.field');
      holder?.classList.add('invalid');
      const msg = holder?.querySelector<HTMLElement>(':scope > .field-error');
      if (msg) {
        const what = el.dataset.field ? `${t(`req.${el.dataset.field}` as 'req.lat')}：` : '';
        const text = `${what}${tCode('field', code)}`;
        msg.textContent = msg.textContent ? `${msg.textContent}；${text}` : text;
      }
    }
  }

  for (const p of d.destinations) addDestRow(p);
  syncPins();
  requestAnimationFrame(() => picker.fit());
  return form;
}

function field(label: string, control: HTMLElement, path: string, required = false): HTMLElement {
  const id = control.id && control.tagName !== 'DIV' ? control.id : undefined;
  return h(
    'div',
    { class: 'field', 'data-field': path },
    h('label', { for: id }, label, required && h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    control,
    h('small', { class: 'field-error' }),
  );
}
