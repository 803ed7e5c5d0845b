import { canSee } from '../access';
import { ApiError, isAbort, listAll } from '../api';
import { h, replace } from '../dom';
import { t, tCode } from '../i18n';
import { errorText } from '../page';
import { energies, vehicleClasses, type Me, type Vehicle } from '../types';
import { createProcurement, previewChecks, reviseProcurement, type CreateAnswer } from './api';
import { buildBody, checksOf, emptyItem, formatFen, isVehicleKind, lineFen, totalFen, type Draft, type ItemDraft } from './form';
import { bodyTypes, procurementKinds, type Check } from './types';
import { checksList, failing } from './views';

// The procurement request form (new, or revise a returned one): kind, title, reason, the items
// with a live total, the vehicle fieldset for vehicle kinds, and — when the server says a
// standards rule fails — the checks and a justification box, then send again.

export interface FormOptions {
  user: Me;
  draft: Draft;
  /** Set when revising: PUT /api/procurements/{id}. */
  id?: number;
  signal: AbortSignal;
  /** Checks to show from the start (a returned request's). */
  checks?: Check[];
  onSaved: (answer: CreateAnswer) => void;
}

/** procurementForm builds the form element (#proc-form). */
export function procurementForm(o: FormOptions): HTMLFormElement {
  const d = o.draft;
  const error = h('div', { id: 'proc-error', class: 'form-error', role: 'alert', hidden: true });
  const kind = h(
    'select',
    { id: 'proc-kind', name: 'kind', 'data-path': 'kind' },
    procurementKinds.map((k) => h('option', { value: k }, tCode('procKind', k))),
  );
  kind.value = d.kind;
  const title = h('input', { type: 'text', id: 'proc-title', name: 'title', maxlength: 100, value: d.title, 'data-path': 'title', placeholder: t('proc.titlePlaceholder') });
  const reason = h('textarea', { id: 'proc-reason', name: 'reason', rows: 3, maxlength: 2000, 'data-path': 'reason', placeholder: t('proc.reasonPlaceholder') });
  reason.value = d.reason;

  const rows = h('tbody', { id: 'proc-items' });
  const total = h('strong', { id: 'proc-total', class: 'proc-total' }, formatFen(0));
  const addItem = h('button', { type: 'button', id: 'proc-add-item', class: 'btn small', onclick: () => addRow(emptyItem(), true) }, `+ ${t('proc.addItem')}`);

  // Vehicle fieldset.
  const vClass = h('select', { id: 'proc-v-class', 'data-path': 'vehicle.class' }, vehicleClasses.map((c) => h('option', { value: c }, tCode('class', c))));
  vClass.value = d.vehicle.class;
  const vEnergy = h('select', { id: 'proc-v-energy', 'data-path': 'vehicle.energy' }, energies.map((c) => h('option', { value: c }, tCode('energy', c))));
  vEnergy.value = d.vehicle.energy;
  const vBody = h('select', { id: 'proc-v-body', 'data-path': 'vehicle.body' }, bodyTypes.map((c) => h('option', { value: c }, tCode('body', c))));
  vBody.value = d.vehicle.body;
  const vDisp = h('input', { type: 'text', inputmode: 'decimal', id: 'proc-v-displacement', value: d.vehicle.displacement_l, 'data-path': 'vehicle.displacement_l', placeholder: t('proc.displacementPlaceholder') });
  const vPrice = h('input', { type: 'text', inputmode: 'decimal', id: 'proc-v-price', value: d.vehicle.price, 'data-path': 'vehicle.price' });
  const vDomestic = h('input', { type: 'checkbox', id: 'proc-v-domestic', checked: d.vehicle.make_domestic, 'data-path': 'vehicle.make_domestic' });
  const vLeader = h('input', { type: 'checkbox', id: 'proc-v-leader', checked: d.vehicle.for_leader_fixed, 'data-path': 'vehicle.for_leader_fixed' });
  const replacesHolder = h('div', { class: 'replaces-holder' });
  let replaces: HTMLInputElement | HTMLSelectElement = h('input', {
    type: 'text',
    inputmode: 'numeric',
    id: 'proc-v-replaces',
    value: d.vehicle.replaces_vehicle_id,
    'data-path': 'vehicle.replaces_vehicle_id',
    placeholder: t('proc.replacesIdPlaceholder'),
  });
  replacesHolder.append(replaces);
  const replacesField = field(t('proc.vReplaces'), replacesHolder, 'vehicle.replaces_vehicle_id', true);
  const vehicle = h(
    'fieldset',
    { id: 'proc-vehicle', class: 'proc-vehicle' },
    h('legend', null, t('proc.vehicle')),
    h(
      'div',
      { class: 'proc-grid' },
      field(t('proc.vClass'), vClass, 'vehicle.class', true),
      field(t('proc.vEnergy'), vEnergy, 'vehicle.energy', true),
      field(t('proc.vBody'), vBody, 'vehicle.body'),
      field(t('proc.vDisplacement'), vDisp, 'vehicle.displacement_l'),
      field(t('proc.vPrice'), vPrice, 'vehicle.price', true),
      replacesField,
    ),
    h(
      'div',
      { class: 'proc-checkboxes' },
      h('label', { class: 'check-label' }, vDomestic, ' ', t('proc.vDomestic')),
      h('label', { class: 'check-label' }, vLeader, ' ', t('proc.vLeaderFixed')),
    ),
  );

  const checksBox = h('div', { id: 'proc-checks-box', class: 'proc-checks-box', hidden: true });
  const justification = h('textarea', {
    id: 'proc-justification',
    name: 'justification',
    rows: 3,
    maxlength: 2000,
    'data-path': 'justification',
    placeholder: t('proc.justificationPlaceholder'),
  });
  justification.value = d.justification;
  const justificationField = field(t('proc.justification'), justification, 'justification', true);
  justificationField.hidden = !d.justification;

  const submit = h('button', { type: 'submit', id: 'proc-submit', class: 'btn primary' }, o.id ? t('proc.resubmit') : t('proc.submit'));

  const form = h(
    'form',
    { id: 'proc-form', class: 'form proc-form card', novalidate: true },
    error,
    h('div', { class: 'proc-grid' }, field(t('proc.kind'), kind, 'kind', true), field(t('proc.titleLabel'), title, 'title', true)),
    field(t('proc.reason'), reason, 'reason', true),
    h(
      'fieldset',
      { class: 'proc-items-set', 'data-path': 'items' },
      h('legend', null, t('proc.items')),
      h('small', { class: 'field-error', 'data-error-for': 'items' }),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data proc-items-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t('proc.itemName')),
              h('th', { scope: 'col', class: 'num' }, t('proc.quantity')),
              h('th', { scope: 'col', class: 'num' }, t('proc.unitPriceYuan')),
              h('th', { scope: 'col', class: 'num' }, t('proc.amount')),
              h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('common.actions'))),
            ),
          ),
          rows,
        ),
      ),
      h('div', { class: 'proc-items-foot' }, addItem, h('span', { class: 'proc-total-line' }, t('proc.total'), ' ', total)),
    ),
    vehicle,
    checksBox,
    justificationField,
    h('div', { class: 'form-actions' }, submit),
  );

  function addRow(it: ItemDraft, focus = false): void {
    const name = h('input', { type: 'text', 'data-field': 'name', value: it.name, maxlength: 100, 'aria-label': t('proc.itemName') });
    const qty = h('input', { type: 'text', inputmode: 'decimal', 'data-field': 'quantity', value: it.quantity, 'aria-label': t('proc.quantity'), class: 'num' });
    const price = h('input', { type: 'text', inputmode: 'decimal', 'data-field': 'unit_price', value: it.unit_price, 'aria-label': t('proc.unitPriceYuan'), class: 'num' });
    const amount = h('td', { class: 'num line-amount', 'data-label': t('proc.amount') });
    const tr = h(
      'tr',
      { class: 'proc-item' },
      h('td', { 'data-label': t('proc.itemName') }, name),
      h('td', { class: 'num', 'data-label': t('proc.quantity') }, qty),
      h('td', { class: 'num', 'data-label': t('proc.unitPriceYuan') }, price),
      amount,
      h(
        'td',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn small danger',
            'data-action': 'remove-item',
            title: t('proc.removeItem'),
            'aria-label': t('proc.removeItem'),
            onclick: () => {
              tr.remove();
              if (!rows.children.length) addRow(emptyItem());
              renumber();
              recalc();
            },
          },
          '×',
        ),
      ),
    );
    rows.append(tr);
    renumber();
    recalc();
    if (focus) name.focus();
  }

  /** renumber keeps each row's data-path (items[i].field) in step with its position. */
  function renumber(): void {
    [...rows.children].forEach((tr, i) => {
      for (const input of tr.querySelectorAll<HTMLInputElement>('input[data-field]')) input.dataset.path = `items[${i}].${input.dataset.field}`;
    });
  }

  function readItems(): ItemDraft[] {
    return [...rows.children].map((tr) => {
      const v = (f: string) => tr.querySelector<HTMLInputElement>(`input[data-field="${f}"]`)?.value ?? '';
      return { name: v('name'), quantity: v('quantity'), unit_price: v('unit_price') };
    });
  }

  function recalc(): void {
    const items = readItems();
    [...rows.children].forEach((tr, i) => {
      const f = lineFen(items[i].quantity, items[i].unit_price);
      const cell = tr.querySelector('.line-amount');
      if (cell) cell.textContent = Number.isFinite(f) ? formatFen(f) : '—';
    });
    total.textContent = formatFen(totalFen(items));
  }

  function read(): Draft {
    return {
      kind: kind.value,
      title: title.value,
      reason: reason.value,
      items: readItems(),
      vehicle: {
        class: vClass.value,
        displacement_l: vDisp.value,
        price: vPrice.value,
        energy: vEnergy.value,
        body: vBody.value,
        make_domestic: vDomestic.checked,
        for_leader_fixed: vLeader.checked,
        replaces_vehicle_id: replaces.value,
      },
      justification: justificationField.hidden ? '' : justification.value,
    };
  }

  function showKind(): void {
    vehicle.hidden = !isVehicleKind(kind.value);
    replacesField.hidden = kind.value !== 'vehicle_renewal';
  }

  function showChecks(checks: Check[] | null): void {
    if (!checks || !checks.length) {
      checksBox.hidden = true;
      replace(checksBox);
      return;
    }
    const bad = failing(checks);
    replace(
      checksBox,
      h('h3', null, t('proc.checks')),
      bad > 0 && h('p', { class: 'ap-warn' }, t('proc.checksFailed', { n: bad })),
      checksList(checks, 'proc-checks'),
    );
    checksBox.hidden = false;
    if (bad > 0) justificationField.hidden = false;
    else if (!justification.value.trim()) justificationField.hidden = true;
  }

  // A vehicle request shows its standards checks while it is being filled in.
  let previewTimer = 0;
  let previewSeq = 0;
  function schedulePreview(): void {
    window.clearTimeout(previewTimer);
    if (!isVehicleKind(kind.value)) return;
    previewTimer = window.setTimeout(() => void preview(), 600);
  }
  async function preview(): Promise<void> {
    const built = buildBody(read());
    if (Object.keys(built.problems).length) return;
    const mine = ++previewSeq;
    try {
      const checks = await previewChecks(built.body, o.signal);
      if (mine === previewSeq) showChecks(checks);
    } catch (err) {
      // Not complete yet, or not checkable: the submit will say what is wrong.
      if (!isAbort(err) && !(err instanceof ApiError)) console.warn('fleet: standards preview', err);
    }
  }
  o.signal.addEventListener('abort', () => window.clearTimeout(previewTimer));

  form.addEventListener('input', (ev) => {
    if ((ev.target as HTMLElement).closest('#proc-items')) recalc();
    if ((ev.target as HTMLElement).closest('#proc-vehicle, #proc-items')) schedulePreview();
  });
  form.addEventListener('change', (ev) => {
    if ((ev.target as HTMLElement).closest('#proc-vehicle')) schedulePreview();
  });
  kind.addEventListener('change', () => {
    showKind();
    if (isVehicleKind(kind.value)) schedulePreview();
    else showChecks(null);
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear();
    const built = buildBody(read());
    if (Object.keys(built.problems).length) {
      mark(built.problems);
      error.textContent = t('error.invalid');
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = t('proc.submitting');
    try {
      const answer = o.id ? await reviseProcurement(o.id, built.body, o.signal) : await createProcurement(built.body, o.signal);
      o.onSaved(answer);
      return;
    } catch (err) {
      if (isAbort(err)) return;
      error.textContent = errorText(err);
      error.hidden = false;
      if (err instanceof ApiError && err.status === 400) {
        const checks = checksOf(err.body);
        if (checks) showChecks(checks);
        else if (err.fields.justification) {
          // The refusal names the rules in its message; the checks themselves come from /check.
          previewSeq++;
          showChecks(await previewChecks(built.body, o.signal).catch(() => null));
        }
        if (err.fields.justification) {
          justificationField.hidden = false;
          error.textContent = t('proc.needJustification');
          justification.focus();
        }
        mark(err.fields);
      }
      error.scrollIntoView?.({ block: 'nearest' });
    } finally {
      submit.disabled = false;
      submit.textContent = o.id ? t('proc.resubmit') : t('proc.submit');
    }
  });

  function clear(): void {
    error.hidden = true;
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
    for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
  }

  /** mark flags the inputs a problem names (items.0.quantity and items[0].quantity alike). */
  function mark(problems: Record<string, string>): void {
    for (const [raw, code] of Object.entries(problems)) {
      const path = raw.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
      const el = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
      if (!el) continue;
      el.classList.add('invalid');
      const holder = el.closest('.field, fieldset');
      const msg = holder?.querySelector<HTMLElement>(`.field-error[data-error-for="${CSS.escape(path)}"]`) ?? (holder?.classList.contains('field') ? holder.querySelector<HTMLElement>('.field-error') : null);
      holder?.classList.add('invalid');
      if (msg) msg.textContent = tCode('field', code);
    }
  }

  for (const it of d.items) addRow(it);
  showKind();
  showChecks(o.checks ?? null);
  if (o.checks && failing(o.checks) > 0) justificationField.hidden = false;

  // Renewals name the vehicle they replace: a list of plates for roles that may read vehicles.
  if (canSee(o.user.role, 'vehicles')) {
    void (async () => {
      try {
        const vehicles = await listAll<Vehicle>('/api/vehicles', o.signal);
        const select = h(
          'select',
          { id: 'proc-v-replaces', 'data-path': 'vehicle.replaces_vehicle_id' },
          h('option', { value: '' }, t('proc.pickVehicle')),
          vehicles
            .filter((v) => v.status !== 'retired')
            .map((v) => h('option', { value: String(v.id) }, `${v.plate} · ${tCode('class', v.class)}`)),
        );
        select.value = replaces.value;
        replaces.replaceWith(select);
        replaces = select;
      } catch (err) {
        // The numeric id input stays.
        if (!isAbort(err)) console.warn('fleet: vehicles for renewal', err);
      }
    })();
  }
  return form;
}

function field(label: string, control: HTMLElement, path: string, required = false): HTMLElement {
  const id = control.id || undefined;
  return h(
    'div',
    { class: 'field', 'data-field': path },
    h('label', { for: id }, label, required && h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    control,
    h('small', { class: 'field-error', 'data-error-for': path }),
  );
}
