import { h } from '../dom';
import { flash } from '../flash';
import { t, type Key } from '../i18n';
import * as api from './api';
import { field, openDialog } from './dialog';
import { fromClock, toClock } from './plan';
import { kinds, type Kind, type Settings } from './types';

// The canteen's settings: the day next week's menu is due, each meal's default cut-off (maybe
// the day before) and serving time, and the waste target in grams per diner.

/** settingsDialog loads the settings and opens their form; onSaved runs after a save. */
export async function settingsDialog(signal: AbortSignal, onSaved: () => void): Promise<void> {
  const s = await api.settings(signal);
  const weekday = h('select', { id: 'cn-set-weekday' }, [1, 2, 3, 4, 5, 6, 7].map((d) => h('option', { value: String(d) }, t(`canteen.weekday.${d - 1}` as Key))));
  weekday.value = String(s.publish_weekday);
  const target = h('input', { type: 'number', id: 'cn-set-target', min: 1, max: 2000, value: s.waste_target_g });
  const rows = kinds.map((k) => kindRow(k, s));
  openDialog({
    id: 'cn-settings-form',
    title: t('canteen.settings'),
    signal,
    body: [
      field(t('canteen.set.publishDay'), weekday, t('canteen.set.publishHint')),
      field(t('canteen.set.target'), target, t('canteen.set.targetHint')),
      h('table', { class: 'data cn-set-table' }, h('thead', null, h('tr', null, [t('canteen.meal'), t('canteen.set.cutoff'), t('canteen.set.dayBefore'), t('canteen.set.serve')].map((x) => h('th', null, x)))), h('tbody', null, rows.map((r) => r.el))),
    ],
    submit: async () => {
      const next: Settings = { publish_weekday: Number(weekday.value), waste_target_g: Number(target.value), cutoff_minutes: { ...s.cutoff_minutes }, serve_minutes: { ...s.serve_minutes } };
      for (const r of rows) {
        const cut = fromClock({ time: r.cut.value, dayBefore: r.before.checked });
        const serve = fromClock({ time: r.serve.value, dayBefore: false });
        if (cut === null || serve === null) throw new Error(t('canteen.set.badTime'));
        next.cutoff_minutes[r.kind] = cut;
        next.serve_minutes[r.kind] = serve;
      }
      await api.saveSettings(next, signal);
      flash(t('common.saved'));
      onSaved();
    },
  });
}

function kindRow(k: Kind, s: Settings) {
  const c = toClock(s.cutoff_minutes[k]);
  const cut = h('input', { type: 'time', id: `cn-set-cut-${k}`, value: c.time });
  const before = h('input', { type: 'checkbox', id: `cn-set-before-${k}`, checked: c.dayBefore, 'aria-label': t('canteen.set.dayBefore') });
  const serve = h('input', { type: 'time', id: `cn-set-serve-${k}`, value: toClock(s.serve_minutes[k]).time });
  const el = h('tr', null, h('th', null, t(`mealKind.${k}` as Key)), h('td', null, cut), h('td', null, before), h('td', null, serve));
  return { kind: k, cut, before, serve, el };
}
