import '../office.css';
import '../canteen.css';
import { isAbort } from '../api';
import * as api from '../canteen/api';
import { checklistEditor, checklistSummary } from '../canteen/checklist';
import { field, openDialog } from '../canteen/dialog';
import { addDays, todayIn } from '../canteen/plan';
import type { Evaluation, Evaluations, Waste, WastePeriod, WasteReport } from '../canteen/types';
import { canteenTabs, kindName } from '../canteen/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t } from '../i18n';
import { table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';

// Waste (/canteen/waste, 光盘行动): grams per diner week by week against the target, every
// weighed meal, and the quarterly anti-food-waste evaluations with their checklist and score.

/** canteenWastePage renders /canteen/waste. */
export function canteenWastePage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const to = todayIn();
  const from = addDays(to, -55);
  const chart = h('div', { id: 'cn-waste-chart' }, t('common.loading'));
  const meals = h('div', { id: 'cn-waste-meals' });
  const evalBox = h('div', { id: 'cn-evaluations' });
  const due = h('p', { id: 'cn-eval-due', hidden: true });
  let evals: Evaluations | null = null;
  root.classList.add('of-page', 'cn-page');
  replace(
    root,
    pageHeader('canteen.waste.title'),
    canteenTabs('waste'),
    h('h2', { class: 'section-title' }, t('canteen.waste.trend', { from, to })),
    chart,
    h('h2', { class: 'section-title' }, t('canteen.waste.meals')),
    meals,
    h(
      'div',
      { class: 'of-section-head' },
      h('h2', { class: 'section-title' }, t('canteen.eval.title')),
      writable && h('button', { type: 'button', class: 'btn primary', id: 'cn-eval-new', onclick: () => edit(null) }, `+ ${t('canteen.eval.new')}`),
    ),
    h('p', { class: 'muted' }, t('canteen.eval.hint')),
    due,
    evalBox,
  );

  async function loadWaste(): Promise<void> {
    try {
      const rep = await api.waste(from, to, signal);
      replace(chart, rep.weeks.length ? weekChart(rep) : h('p', { class: 'status empty' }, t('canteen.waste.none')));
      replace(
        meals,
        rep.items.length > 0 &&
          table<Waste>(
            'cn-waste-table',
            [
              { label: 'canteen.meal', cell: (w) => `${w.date} ${kindName(w.kind ?? '')}`, className: 'nowrap' },
              { label: 'canteen.diners', cell: (w) => String(w.diners), className: 'num' },
              { label: 'canteen.plateKg', cell: (w) => String(w.plate_kg), className: 'num' },
              { label: 'canteen.kitchenKg', cell: (w) => String(w.kitchen_kg), className: 'num' },
              { label: 'canteen.waste.perDiner', cell: (w) => h('span', { class: w.over_target ? 'warn-strong' : 'cn-ok' }, `${w.g_per_diner} g`), className: 'num' },
              { label: 'canteen.note', cell: (w) => w.note },
            ],
            [...rep.items].reverse(),
            (w) => ({ 'data-meal-id': w.meal_id }),
          ),
      );
    } catch (err) {
      if (!isAbort(err)) replace(chart, h('p', { class: 'status error' }, errorText(err)));
    }
  }

  async function loadEvaluations(): Promise<void> {
    try {
      evals = await api.evaluations(signal);
      due.hidden = !evals.due;
      if (evals.due) {
        due.className = evals.due.overdue ? 'warn-strong' : 'warn';
        due.textContent = t(evals.due.overdue ? 'canteen.eval.overdue' : 'canteen.eval.due', { year: evals.due.year, q: evals.due.quarter, day: evals.due.due_on });
      }
      replace(
        evalBox,
        evals.items.length
          ? table<Evaluation>(
              'cn-eval-table',
              [
                { label: 'canteen.eval.quarter', cell: (e) => `${e.year} Q${e.quarter}`, className: 'nowrap' },
                { label: 'canteen.eval.score', cell: (e) => h('strong', { class: e.score < 80 ? 'warn-strong' : 'cn-ok' }, String(e.score)), className: 'num' },
                { label: 'canteen.eval.figures', cell: (e) => t('canteen.eval.figureLine', { diners: e.diners, kg: e.waste_kg, g: e.g_per_diner, target: e.target_g }) },
                { label: 'canteen.eval.unmet', cell: (e) => checklistSummary(e.items) },
                { label: 'canteen.eval.conclusion', cell: (e) => [e.conclusion, e.measures ? h('div', { class: 'sub' }, t('canteen.eval.measuresLine', { text: e.measures })) : null] },
                { label: 'canteen.eval.by', cell: (e) => [e.evaluator, h('div', { class: 'sub' }, e.evaluated_on)] },
                { label: 'common.actions', className: 'actions', hidden: !writable, cell: (e) => h('button', { type: 'button', class: 'btn small', onclick: () => edit(e) }, t('common.edit')) },
              ],
              evals.items,
              (e) => ({ 'data-id': e.id }),
            )
          : h('p', { class: 'status empty' }, t('canteen.eval.none')),
      );
    } catch (err) {
      if (!isAbort(err)) replace(evalBox, h('p', { class: 'status error' }, errorText(err)));
    }
  }

  function edit(e: Evaluation | null): void {
    const list = e ? e.items.map((i) => i.item) : (evals?.checklist ?? []);
    const cl = checklistEditor(list);
    if (e) {
      cl.el.querySelectorAll<HTMLInputElement>('input[type=checkbox]').forEach((b, i) => {
        b.checked = e.items[i]?.ok ?? true;
        b.dispatchEvent(new Event('change'));
      });
      cl.el.querySelectorAll<HTMLInputElement>('input.cl-note').forEach((n, i) => (n.value = e.items[i]?.note ?? ''));
    }
    const [y, q] = e ? [e.year, e.quarter] : [evals?.due?.year ?? Number(to.slice(0, 4)), evals?.due?.quarter ?? Math.floor((Number(to.slice(5, 7)) - 1) / 3) + 1];
    const year = h('input', { type: 'number', id: 'cn-eval-year', min: 2024, value: y, disabled: Boolean(e) });
    const quarter = h('select', { id: 'cn-eval-quarter', disabled: Boolean(e) }, [1, 2, 3, 4].map((n) => h('option', { value: String(n) }, `Q${n}`)));
    quarter.value = String(q);
    const conclusion = h('textarea', { id: 'cn-eval-conclusion', rows: 2, maxlength: 2000 }, e?.conclusion ?? '');
    const measures = h('textarea', { id: 'cn-eval-measures', rows: 2, maxlength: 2000 }, e?.measures ?? '');
    const evaluator = h('input', { type: 'text', id: 'cn-eval-evaluator', maxlength: 100, value: e?.evaluator ?? '' });
    const on = h('input', { type: 'date', id: 'cn-eval-on', value: e?.evaluated_on ?? to });
    openDialog({
      id: 'cn-eval-form',
      title: e ? t('canteen.eval.editTitle', { year: e.year, q: e.quarter }) : t('canteen.eval.new'),
      signal,
      body: [
        h('div', { class: 'cn-row' }, field(t('canteen.eval.year'), year), field(t('canteen.eval.quarter'), quarter), field(t('canteen.eval.on'), on)),
        h('h3', null, t('canteen.eval.checklist')),
        cl.el,
        field(t('canteen.eval.conclusion'), conclusion),
        field(t('canteen.eval.measures'), measures),
        field(t('canteen.eval.evaluator'), evaluator),
      ],
      submit: async () => {
        await api.saveEvaluation(
          { year: Number(year.value), quarter: Number(quarter.value), items: cl.read(), conclusion: conclusion.value, measures: measures.value, evaluator: evaluator.value, evaluated_on: on.value },
          e?.id ?? null,
          signal,
        );
        flash(t('common.saved'));
        await loadEvaluations();
      },
    });
  }

  void loadWaste();
  void loadEvaluations();
}

/** weekChart draws grams per diner of each week as bars, with the target as a line. */
function weekChart(rep: WasteReport): HTMLElement {
  const top = Math.max(rep.target_g * 1.5, ...rep.weeks.map((w) => w.g_per_diner)) || 1;
  const bar = (w: WastePeriod) =>
    h(
      'div',
      { class: 'cn-wbar-col', 'data-week': w.start, title: t('canteen.waste.weekTitle', { week: w.start, g: w.g_per_diner, kg: w.total_kg, diners: w.diners }) },
      h('span', { class: 'cn-wbar-val' }, `${w.g_per_diner}`),
      h('span', { class: w.over_target ? 'cn-wbar over' : 'cn-wbar', style: `height:${Math.round((w.g_per_diner / top) * 140)}px` }),
      h('span', { class: 'cn-wbar-label' }, w.start.slice(5)),
    );
  return h(
    'div',
    { class: 'card cn-chart' },
    h(
      'div',
      { class: 'cn-wbars', style: `--target:${Math.round((rep.target_g / top) * 140)}px` },
      h('span', { class: 'cn-target', title: t('canteen.waste.target', { g: rep.target_g }) }),
      rep.weeks.map(bar),
    ),
    h(
      'p',
      { class: rep.total.over_target ? 'warn-strong' : 'cn-ok', id: 'cn-waste-total' },
      t('canteen.waste.total', { g: rep.total.g_per_diner, target: rep.target_g, kg: rep.total.total_kg, diners: rep.total.diners, meals: rep.total.meals }),
    ),
  );
}
