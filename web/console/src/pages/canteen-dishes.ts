import '../office.css';
import '../canteen.css';
import { isAbort } from '../api';
import * as api from '../canteen/api';
import { allergens, categories, type Dish } from '../canteen/types';
import { allergenChips, canteenTabs } from '../canteen/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode, type Key } from '../i18n';
import { table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Field } from '../resource-form';

// The canteen's dishes (/canteen/dishes): name, category, allergens, price, a photo (uploaded,
// JPEG/PNG/WebP up to 5 MiB, or an outside link) and whether it is still cooked.

/** canteenDishesPage renders /canteen/dishes. */
export function canteenDishesPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const body = h('div');
  const picker = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', id: 'cn-photo-file', hidden: true });
  let photoFor = 0;
  root.classList.add('of-page', 'cn-page');
  replace(
    root,
    pageHeader('canteen.dishes.title', writable && h('button', { type: 'button', class: 'btn primary', id: 'cn-dish-add', onclick: () => edit(null) }, `+ ${t('canteen.dishes.add')}`)),
    canteenTabs('dishes'),
    status,
    body,
    picker,
  );

  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (!file || !photoFor) return;
    try {
      await api.uploadPhoto(photoFor, file, signal);
      flash(t('canteen.dishes.photoSaved'));
      await load();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  });

  async function load(): Promise<void> {
    try {
      const items = await api.dishes(signal);
      status.textContent = items.length ? '' : t('canteen.dishes.none');
      status.className = items.length ? 'status' : 'status empty';
      replace(
        body,
        items.length > 0 &&
          table<Dish>(
            'cn-dish-table',
            [
              { label: 'canteen.dishes.photo', cell: (d) => (d.photo ? h('img', { class: 'cn-thumb', src: d.photo, alt: d.name, referrerpolicy: 'no-referrer' }) : t('common.none')) },
              { label: 'canteen.dishes.name', cell: (d) => [h('strong', null, d.name), d.note ? h('div', { class: 'sub' }, d.note) : null] },
              { label: 'canteen.dishes.category', cell: (d) => tCode('category', d.category) },
              { label: 'canteen.allergens', cell: (d) => allergenChips(d) ?? t('common.none') },
              { label: 'canteen.dishes.price', cell: (d) => `¥${d.price.toFixed(2)}`, className: 'num' },
              { label: 'canteen.dishes.active', cell: (d) => h('span', { class: d.active ? 'badge user-active' : 'badge user-disabled' }, d.active ? t('canteen.dishes.cooked') : t('canteen.dishes.retired')) },
              {
                label: 'common.actions',
                className: 'actions',
                hidden: !writable,
                cell: (d) => [
                  h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', onclick: () => edit(d) }, t('common.edit')),
                  h('button', { type: 'button', class: 'btn small', 'data-action': 'photo', onclick: () => pick(d) }, t('canteen.dishes.upload')),
                  d.photo_uploaded && h('button', { type: 'button', class: 'btn small danger', 'data-action': 'unphoto', onclick: () => unphoto(d) }, t('canteen.dishes.removePhoto')),
                ],
              },
            ],
            items,
            (d) => ({ 'data-id': d.id, class: d.active ? null : 'cn-retired' }),
          ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function pick(d: Dish): void {
    photoFor = d.id;
    picker.click();
  }

  async function unphoto(d: Dish): Promise<void> {
    try {
      await api.removePhoto(d.id, signal);
      await load();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  }

  function edit(d: Dish | null): void {
    // Allergens are one checkbox each (allergen_gluten …), gathered into a list on save.
    const row = d ? { ...d, ...Object.fromEntries(allergens.map((a) => [`allergen_${a}`, d.allergens.includes(a)])) } : null;
    const fields: Field<Record<string, unknown>>[] = [
      { name: 'name', label: 'canteen.dishes.name', kind: 'text', required: true, maxLength: 100 },
      { name: 'category', label: 'canteen.dishes.category', kind: 'select', required: true, options: () => categories.map((c) => ({ value: c, label: tCode('category', c) })) },
      { name: 'price', label: 'canteen.dishes.price', kind: 'number', required: true, min: 0 },
      { name: 'photo_url', label: 'canteen.dishes.photoUrl', kind: 'text', maxLength: 500, hint: 'canteen.dishes.photoUrlHint' },
      { name: 'note', label: 'canteen.note', kind: 'text', maxLength: 1000 },
      { name: 'active', label: 'canteen.dishes.activeLabel', kind: 'checkbox' },
      ...allergens.map((a) => ({ name: `allergen_${a}`, label: `allergen.${a}` as Key, kind: 'checkbox' as const })),
    ];
    openForm<Record<string, unknown>>({
      id: 'cn-dish-form',
      title: d ? t('canteen.dishes.edit', { name: d.name }) : t('canteen.dishes.add'),
      row,
      defaults: { category: 'meat', active: true, price: 0 },
      signal,
      fields,
      submit: async (v) => {
        const body = {
          name: v.name,
          category: v.category,
          price: v.price,
          photo_url: v.photo_url ?? '',
          note: v.note ?? '',
          active: v.active,
          allergens: allergens.filter((a) => v[`allergen_${a}`]),
        };
        await api.saveDish(body, d?.id ?? null, signal);
        flash(t('common.saved'));
        await load();
      },
    });
  }

  void load();
}
