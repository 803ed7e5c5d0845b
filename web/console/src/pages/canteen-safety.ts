import '../office.css';
import '../canteen.css';
import { isAbort } from '../api';
import * as api from '../canteen/api';
import { checklistEditor, checklistSummary } from '../canteen/checklist';
import { field, openDialog } from '../canteen/dialog';
import { addDays, todayIn } from '../canteen/plan';
import type { HygieneCheck, Meal, Overview, Purchase, Sample, Supplier } from '../canteen/types';
import { canteenTabs, kindName } from '../canteen/views';
import { warningList } from '../canteen/warnings';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Option } from '../resource-form';
import { formatTime } from '../time';

// Food safety (/canteen/safety): samples kept of every dish (留样: ≥125 g, refrigerated, 48 h),
// suppliers with their licences, the inspection of deliveries (进货查验), and the weekly
// kitchen hygiene check, each with its warnings.

/** canteenSafetyPage renders /canteen/safety. */
export function canteenSafetyPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const warnings = h('section', { id: 'cn-warnings', class: 'cn-warnings', hidden: true });
  const samplesBox = h('div', { id: 'cn-samples' }, t('common.loading'));
  const supplierBox = h('div', { id: 'cn-suppliers' });
  const purchaseBox = h('div', { id: 'cn-purchases' });
  const hygieneState = h('p', { id: 'cn-hygiene-state' });
  const hygieneBox = h('div', { id: 'cn-hygiene' });
  let overview: Overview | null = null;
  let suppliers: Supplier[] = [];
  const head = (title: string, ...buttons: (HTMLElement | false)[]) => h('div', { class: 'of-section-head' }, h('h2', { class: 'section-title' }, title), ...buttons.filter(Boolean));
  const button = (id: string, label: string, fn: () => void) => writable && h('button', { type: 'button', class: 'btn', id, onclick: fn }, `+ ${label}`);
  root.classList.add('of-page', 'cn-page');
  replace(
    root,
    pageHeader('canteen.safety.title'),
    canteenTabs('safety'),
    warnings,
    head(t('canteen.samples.title'), button('cn-sample-new', t('canteen.samples.new'), () => void newSample())),
    h('p', { class: 'muted' }, t('canteen.samples.rule')),
    samplesBox,
    head(t('canteen.hygiene.title'), button('cn-hygiene-new', t('canteen.hygiene.new'), () => newHygiene())),
    hygieneState,
    hygieneBox,
    head(t('canteen.suppliers.title'), button('cn-supplier-new', t('canteen.suppliers.new'), () => editSupplier(null))),
    supplierBox,
    head(t('canteen.purchases.title'), button('cn-purchase-new', t('canteen.purchases.new'), () => newPurchase())),
    purchaseBox,
  );

  const warnText = (ws: string[], prefix: string) => ws.map((w) => h('span', { class: 'badge cn-badge-warn' }, tCode('cnWarn', prefix + w)));

  async function loadAll(): Promise<void> {
    try {
      const [ov, ss, sups, ps, hs] = await Promise.all([api.warnings(signal), api.samples(false, signal), api.suppliers(signal), api.purchases(signal), api.hygiene(signal)]);
      overview = ov;
      suppliers = sups;
      warningList(warnings, ov);
      drawSamples(ss);
      drawSuppliers(sups);
      drawPurchases(ps);
      drawHygiene(hs, ov);
    } catch (err) {
      if (!isAbort(err)) replace(samplesBox, h('p', { class: 'status error' }, t('error.load', { message: errorText(err) })));
    }
  }

  function drawSamples(items: Sample[]): void {
    replace(
      samplesBox,
      items.length
        ? table<Sample>(
            'cn-sample-table',
            [
              { label: 'canteen.meal', cell: (s) => `${s.date} ${s.kind ? kindName(s.kind) : ''}`, className: 'nowrap' },
              { label: 'canteen.dishes.name', cell: (s) => s.dish },
              { label: 'canteen.samples.weight', cell: (s) => `${s.weight_g} g`, className: 'num' },
              { label: 'canteen.samples.taken', cell: (s) => [formatTime(s.taken_at), h('div', { class: 'sub' }, s.taken_by)], className: 'nowrap' },
              { label: 'canteen.samples.keepUntil', cell: (s) => formatTime(s.keep_until), className: 'nowrap' },
              { label: 'canteen.samples.discarded', cell: (s) => (s.discarded_at ? [formatTime(s.discarded_at), h('div', { class: 'sub' }, `${s.discarded_by} ${s.discard_reason}`)] : t('canteen.samples.kept')) },
              { label: 'canteen.warnings', cell: (s) => warnText(s.warnings, 'sample_') },
              {
                label: 'common.actions',
                className: 'actions',
                hidden: !writable,
                cell: (s) => !s.discarded_at && h('button', { type: 'button', class: 'btn small', 'data-action': 'discard', onclick: () => discard(s) }, t('canteen.samples.discard')),
              },
            ],
            items,
            (s) => ({ 'data-id': s.id, class: s.warnings.length ? 'of-late' : null }),
          )
        : h('p', { class: 'status empty' }, t('canteen.samples.none')),
    );
  }

  /** newSample offers the dishes of today's and yesterday's meals, or a dish named freely. */
  async function newSample(): Promise<void> {
    const today = todayIn();
    const [w1, w2] = await Promise.all([api.week(addDays(today, -1), signal), api.week(today, signal)]);
    const meals = new Map<number, Meal>();
    for (const m of [...w1.meals, ...w2.meals]) if ((m.date === today || m.date === addDays(today, -1)) && m.status === 'open') meals.set(m.id, m);
    const options: Option[] = [...meals.values()].flatMap((m) => m.dishes.map((d) => ({ value: `${m.id}:${d.id}`, label: `${m.date} ${kindName(m.kind)} · ${d.name}` })));
    openForm<Record<string, unknown>>({
      id: 'cn-sample-form',
      title: t('canteen.samples.new'),
      row: null,
      defaults: { weight_g: 150, refrigerated: true },
      signal,
      fields: [
        { name: 'pick', label: 'canteen.samples.pick', kind: 'select', empty: 'canteen.samples.other', options: () => options },
        { name: 'dish', label: 'canteen.samples.dishFree', kind: 'text', maxLength: 100, hint: 'canteen.samples.dishFreeHint' },
        { name: 'weight_g', label: 'canteen.samples.weight', kind: 'number', required: true, min: 1, hint: 'canteen.samples.weightHint' },
        { name: 'taken_by', label: 'canteen.samples.takenBy', kind: 'text', required: true, maxLength: 100 },
        { name: 'refrigerated', label: 'canteen.samples.refrigerated', kind: 'checkbox' },
        { name: 'note', label: 'canteen.note', kind: 'text', maxLength: 500 },
      ],
      submit: async (v) => {
        const [meal, dish] = typeof v.pick === 'string' && v.pick ? v.pick.split(':').map(Number) : [null, null];
        const s = await api.recordSample({ meal_id: meal, dish_id: dish, dish: v.dish ?? '', weight_g: v.weight_g, refrigerated: v.refrigerated, taken_by: v.taken_by, note: v.note ?? '' }, signal);
        flash(s.warnings.length ? t('canteen.samples.savedWarn') : t('common.saved'), s.warnings.length ? 'error' : 'ok');
        await loadAll();
      },
    });
  }

  function discard(s: Sample): void {
    const by = h('input', { type: 'text', id: 'cn-discard-by', maxlength: 100 });
    const reason = h('input', { type: 'text', id: 'cn-discard-reason', maxlength: 500 });
    const early = Date.parse(s.keep_until) > Date.now();
    openDialog({
      id: 'cn-discard-form',
      title: t('canteen.samples.discardTitle', { dish: s.dish }),
      signal,
      body: [early && h('p', { class: 'warn-strong' }, t('canteen.samples.earlyWarn')), field(t('canteen.samples.discardedBy'), by), field(t('canteen.samples.reason'), reason)],
      submit: async () => {
        await api.discardSample(s.id, { discarded_by: by.value, reason: reason.value }, signal);
        flash(t('common.saved'));
        await loadAll();
      },
    });
  }

  function drawHygiene(items: HygieneCheck[], ov: Overview): void {
    hygieneState.className = ov.hygiene.overdue ? 'warn-strong' : 'muted';
    hygieneState.textContent = ov.hygiene.last_on ? t(ov.hygiene.overdue ? 'canteen.hygiene.overdue' : 'canteen.hygiene.next', { last: ov.hygiene.last_on, due: ov.hygiene.due_on }) : t('canteen.hygiene.never');
    replace(
      hygieneBox,
      items.length > 0 &&
        table<HygieneCheck>(
          'cn-hygiene-table',
          [
            { label: 'canteen.hygiene.on', cell: (c) => c.checked_on, className: 'nowrap' },
            { label: 'canteen.hygiene.inspector', cell: (c) => c.inspector },
            { label: 'canteen.hygiene.result', cell: (c) => h('span', { class: c.result === 'pass' ? 'badge user-active' : 'badge vstatus-repair' }, tCode('hygieneResult', c.result)) },
            { label: 'canteen.eval.unmet', cell: (c) => checklistSummary(c.items) },
            { label: 'canteen.note', cell: (c) => c.note },
          ],
          items,
          (c) => ({ 'data-id': c.id }),
        ),
    );
  }

  function newHygiene(): void {
    const cl = checklistEditor(overview?.hygiene_checklist ?? []);
    const on = h('input', { type: 'date', id: 'cn-hygiene-on', value: todayIn() });
    const inspector = h('input', { type: 'text', id: 'cn-hygiene-inspector', maxlength: 100 });
    const note = h('input', { type: 'text', id: 'cn-hygiene-note', maxlength: 1000 });
    openDialog({
      id: 'cn-hygiene-form',
      title: t('canteen.hygiene.new'),
      signal,
      body: [h('div', { class: 'cn-row' }, field(t('canteen.hygiene.on'), on), field(t('canteen.hygiene.inspector'), inspector)), cl.el, field(t('canteen.note'), note)],
      submit: async () => {
        await api.recordHygiene({ checked_on: on.value, inspector: inspector.value, items: cl.read(), note: note.value }, signal);
        flash(t('common.saved'));
        await loadAll();
      },
    });
  }

  function drawSuppliers(items: Supplier[]): void {
    replace(
      supplierBox,
      items.length
        ? table<Supplier>(
            'cn-supplier-table',
            [
              { label: 'canteen.suppliers.name', cell: (s) => [h('strong', null, s.name), s.active ? null : h('span', { class: 'badge user-disabled' }, t('canteen.suppliers.inactive'))] },
              { label: 'canteen.suppliers.license', cell: (s) => [s.license_no, h('div', { class: 'sub' }, s.license_expiry || t('canteen.suppliers.noExpiry'))] },
              { label: 'canteen.suppliers.goods', cell: (s) => s.goods },
              { label: 'canteen.suppliers.contact', cell: (s) => `${s.contact} ${s.phone}` },
              { label: 'canteen.warnings', cell: (s) => warnText(s.warnings, '') },
              { label: 'common.actions', className: 'actions', hidden: !writable, cell: (s) => h('button', { type: 'button', class: 'btn small', onclick: () => editSupplier(s) }, t('common.edit')) },
            ],
            items,
            (s) => ({ 'data-id': s.id }),
          )
        : h('p', { class: 'status empty' }, t('canteen.suppliers.none')),
    );
  }

  function editSupplier(s: Supplier | null): void {
    openForm<Supplier>({
      id: 'cn-supplier-form',
      title: s ? s.name : t('canteen.suppliers.new'),
      row: s,
      defaults: { active: true },
      signal,
      fields: [
        { name: 'name', label: 'canteen.suppliers.name', kind: 'text', required: true, maxLength: 100 },
        { name: 'license_no', label: 'canteen.suppliers.license', kind: 'text', required: true, maxLength: 64 },
        { name: 'license_expiry', label: 'canteen.suppliers.expiry', kind: 'date' },
        { name: 'goods', label: 'canteen.suppliers.goods', kind: 'text', maxLength: 255 },
        { name: 'contact', label: 'canteen.suppliers.contactName', kind: 'text', maxLength: 100 },
        { name: 'phone', label: 'canteen.suppliers.phone', kind: 'tel', maxLength: 32 },
        { name: 'note', label: 'canteen.note', kind: 'text', maxLength: 1000 },
        { name: 'active', label: 'canteen.suppliers.activeLabel', kind: 'checkbox' },
      ],
      submit: async (v) => {
        await api.saveSupplier(v, s?.id ?? null, signal);
        flash(t('common.saved'));
        await loadAll();
      },
    });
  }

  function drawPurchases(items: Purchase[]): void {
    replace(
      purchaseBox,
      items.length
        ? table<Purchase>(
            'cn-purchase-table',
            [
              { label: 'canteen.purchases.on', cell: (p) => p.received_on, className: 'nowrap' },
              { label: 'canteen.purchases.item', cell: (p) => [h('strong', null, p.item), h('div', { class: 'sub' }, `${p.quantity} ${p.batch}`)] },
              { label: 'canteen.suppliers.name', cell: (p) => p.supplier },
              { label: 'canteen.purchases.expires', cell: (p) => p.expires_on || t('common.none') },
              { label: 'canteen.purchases.certificate', cell: (p) => (p.certificate ? '✓' : '✗') },
              { label: 'canteen.purchases.result', cell: (p) => h('span', { class: p.result === 'accepted' ? 'badge user-active' : 'badge vstatus-repair' }, tCode('purchaseResult', p.result)) },
              { label: 'canteen.purchases.inspector', cell: (p) => [p.inspector, p.note ? h('div', { class: 'sub' }, p.note) : null] },
              { label: 'canteen.warnings', cell: (p) => warnText(p.warnings, 'purchase_') },
            ],
            items,
            (p) => ({ 'data-id': p.id }),
          )
        : h('p', { class: 'status empty' }, t('canteen.purchases.none')),
    );
  }

  function newPurchase(): void {
    openForm<Record<string, unknown>>({
      id: 'cn-purchase-form',
      title: t('canteen.purchases.new'),
      row: null,
      defaults: { received_on: todayIn(), result: 'accepted', certificate: true },
      signal,
      fields: [
        { name: 'supplier_id', label: 'canteen.suppliers.name', kind: 'select', numeric: true, required: true, options: () => suppliers.filter((s) => s.active).map((s) => ({ value: String(s.id), label: s.name })) },
        { name: 'received_on', label: 'canteen.purchases.on', kind: 'date', required: true },
        { name: 'item', label: 'canteen.purchases.item', kind: 'text', required: true, maxLength: 100 },
        { name: 'quantity', label: 'canteen.purchases.quantity', kind: 'text', maxLength: 32 },
        { name: 'batch', label: 'canteen.purchases.batch', kind: 'text', maxLength: 64 },
        { name: 'expires_on', label: 'canteen.purchases.expires', kind: 'date' },
        { name: 'certificate', label: 'canteen.purchases.certificateLabel', kind: 'checkbox' },
        { name: 'result', label: 'canteen.purchases.result', kind: 'select', required: true, options: () => ['accepted', 'rejected'].map((r) => ({ value: r, label: tCode('purchaseResult', r) })) },
        { name: 'inspector', label: 'canteen.purchases.inspector', kind: 'text', required: true, maxLength: 100 },
        { name: 'note', label: 'canteen.note', kind: 'text', maxLength: 1000, hint: 'canteen.purchases.noteHint' },
      ],
      submit: async (v) => {
        await api.recordPurchase({ ...v, quantity: v.quantity ?? '', batch: v.batch ?? '', expires_on: v.expires_on ?? '', note: v.note ?? '' }, signal);
        flash(t('common.saved'));
        await loadAll();
      },
    });
  }

  void loadAll();
}
