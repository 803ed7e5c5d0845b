import { call, isAbort, list, listAll } from './api';
import { confirmBox } from './confirm';
import { h, replace, type Child } from './dom';
import { flash } from './flash';
import { t, type Key } from './i18n';
import { errorText, pageHeader, type PageContext } from './page';
import { openForm, type Field } from './resource-form';

export type { Field, Option } from './resource-form';

// One admin resource as a page: a searchable, paged table, and (for roles that may write)
// add / edit / delete through a form dialog. Each resource page only describes its columns
// and fields.

/** Column is one table column. */
export interface Column<T> {
  label: Key;
  cell: (row: T) => Child;
  className?: string;
}

/** Resource describes one collection of the admin API, e.g. /api/vehicles. */
export interface Resource<T extends { id: number }> {
  path: string;
  title: Key;
  /** What one row is, for dialog titles ("New vehicle"). */
  noun: Key;
  columns: Column<T>[];
  fields: Field<T>[];
  /** Names a row in the delete question. */
  label: (row: T) => string;
  deletable?: boolean;
  searchable?: boolean;
  /** Initial values of the create form. */
  defaults?: Record<string, unknown>;
  /** Loads lookups (units, say) before the first rows are shown. */
  prepare?: (signal: AbortSignal) => Promise<void>;
  /** Fetches every row at once and orders them (the unit tree) instead of paging. */
  arrange?: (rows: T[]) => T[];
  /** Turns form values into the request body; the default sends them as they are. */
  body?: (values: Record<string, unknown>, row: T | null) => unknown;
  /** More buttons of a row (disable / enable); call reload after a change. */
  rowActions?: (row: T, reload: () => void, signal: AbortSignal) => Child;
}

const pageSize = 20;

/** resourcePage renders res into ctx.root. */
export function resourcePage<T extends { id: number }>(ctx: PageContext, res: Resource<T>): void {
  const { root, signal, writable } = ctx;
  const deletable = writable && res.deletable !== false;
  let offset = 0;
  let q = '';

  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const tbody = h('tbody');
  const pager = h('div', { class: 'pager' });
  const hasActions = writable || Boolean(res.rowActions);
  const table = h(
    'table',
    { class: 'data', 'data-resource': res.path },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        res.columns.map((c) => h('th', { scope: 'col', class: c.className }, t(c.label))),
        hasActions && h('th', { scope: 'col', class: 'actions' }, t('common.actions')),
      ),
    ),
    tbody,
  );

  const addButton =
    writable &&
    h('button', { type: 'button', class: 'btn primary', id: 'add', 'data-action': 'add', onclick: () => edit(null) }, `+ ${t('common.add')}`);
  const readOnly = !writable && h('span', { class: 'badge muted', id: 'read-only' }, t('common.readOnly'));

  let timer = 0;
  const search =
    res.searchable !== false &&
    h(
      'form',
      {
        class: 'toolbar',
        role: 'search',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          window.clearTimeout(timer);
          runSearch();
        },
      },
      h('input', {
        type: 'search',
        id: 'search',
        name: 'q',
        placeholder: t('common.searchPlaceholder'),
        'aria-label': t('common.search'),
        oninput: () => {
          window.clearTimeout(timer);
          timer = window.setTimeout(runSearch, 300);
        },
      }),
      h('button', { type: 'submit', class: 'btn' }, t('common.search')),
    );

  function runSearch(): void {
    const input = root.querySelector<HTMLInputElement>('#search');
    q = input?.value.trim() ?? '';
    offset = 0;
    void load();
  }

  replace(root, pageHeader(res.title, readOnly, addButton), search, status, h('div', { class: 'table-wrap' }, table), pager);

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    status.textContent = t('common.loading');
    status.className = 'status';
    try {
      let rows: T[];
      let total: number;
      if (res.arrange) {
        rows = res.arrange(await listAll<T>(res.path, signal, q));
        total = rows.length;
      } else {
        const r = await list<T>(res.path, { limit: pageSize, offset, q }, signal);
        rows = r.items ?? [];
        total = r.total ?? rows.length;
        if (rows.length === 0 && offset > 0 && total > 0) {
          // The last row of the last page went away: step back a page.
          offset = Math.max(0, offset - pageSize);
          return load();
        }
      }
      if (mine !== seq) return;
      show(rows, total);
    } catch (err) {
      if (isAbort(err) || mine !== seq) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function show(rows: T[], total: number): void {
    status.textContent = rows.length ? '' : t('common.empty');
    status.className = rows.length ? 'status' : 'status empty';
    replace(
      tbody,
      rows.map((row) =>
        h(
          'tr',
          { 'data-id': row.id },
          res.columns.map((c) => h('td', { class: c.className, 'data-label': t(c.label) }, c.cell(row))),
          hasActions &&
            h(
              'td',
              { class: 'actions' },
              writable && h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', onclick: () => edit(row) }, t('common.edit')),
              res.rowActions?.(row, () => void load(), signal),
              deletable &&
                h('button', { type: 'button', class: 'btn small danger', 'data-action': 'delete', onclick: () => remove(row) }, t('common.delete')),
            ),
        ),
      ),
    );
    if (res.arrange || total <= pageSize) {
      replace(pager);
      return;
    }
    replace(
      pager,
      h('button', { type: 'button', class: 'btn small', disabled: offset === 0, onclick: () => page(-1) }, t('common.prev')),
      h('span', { class: 'page-info' }, t('common.pageInfo', { from: offset + 1, to: offset + rows.length, total })),
      h('button', { type: 'button', class: 'btn small', disabled: offset + rows.length >= total, onclick: () => page(1) }, t('common.next')),
    );
  }

  function page(dir: number): void {
    offset = Math.max(0, offset + dir * pageSize);
    void load();
  }

  function edit(row: T | null): void {
    openForm({
      title: t(row ? 'common.editTitle' : 'common.newTitle', { noun: t(res.noun) }),
      fields: res.fields,
      row,
      defaults: res.defaults ?? {},
      signal,
      submit: async (values) => {
        const body = res.body ? res.body(values, row) : values;
        if (row) await call('PUT', `${res.path}/${row.id}`, body, { signal });
        else await call('POST', res.path, body, { signal });
        flash(t('common.saved'));
        void load();
      },
    });
  }

  async function remove(row: T): Promise<void> {
    const ok = await confirmBox(t('common.confirmDelete', { noun: t(res.noun), name: res.label(row) }), t('common.delete'), signal);
    if (!ok) return;
    try {
      await call('DELETE', `${res.path}/${row.id}`, undefined, { signal });
      flash(t('common.deleted'));
    } catch (err) {
      if (isAbort(err)) return;
      flash(errorText(err), 'error');
    }
    void load();
  }

  void (async () => {
    try {
      await res.prepare?.(signal);
    } catch (err) {
      if (isAbort(err)) return;
      // Lookups are a nicety: show the rows with ids rather than nothing.
      console.warn('fleet: lookups', err);
    }
    await load();
  })();
}

/** rowAction is a row button that posts to path and reloads, asking first when question is set. */
export function rowAction(opts: {
  action: string;
  label: string;
  path: string;
  done: string;
  question?: string;
  danger?: boolean;
  reload: () => void;
  signal: AbortSignal;
}): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: opts.danger ? 'btn small danger' : 'btn small',
      'data-action': opts.action,
      onclick: async () => {
        if (opts.question && !(await confirmBox(opts.question, opts.label, opts.signal))) return;
        try {
          await call('POST', opts.path, undefined, { signal: opts.signal });
          flash(opts.done);
        } catch (err) {
          if (isAbort(err)) return;
          flash(errorText(err), 'error');
        }
        opts.reload();
      },
    },
    opts.label,
  );
}
