import { h } from '../dom';
import { t, tCode } from '../i18n';
import { formatTime } from '../time';
import { loadUnits, unitName, unitOptions } from '../lookups';
import type { PageContext } from '../page';
import { resourcePage, rowAction } from '../resource';
import { ranks } from '../office/types';
import { roles, type Unit, type User } from '../types';

/** usersPage lists the accounts; admins create, change, disable and enable them. */
export function usersPage(ctx: PageContext): void {
  let units: Unit[] = [];

  resourcePage<User>(ctx, {
    path: '/api/users',
    title: 'nav.users',
    noun: 'noun.user',
    label: (u) => u.name || u.username,
    deletable: false, // accounts are disabled, never deleted: the audit log names them
    prepare: async (signal) => {
      units = await loadUnits(signal);
    },
    columns: [
      { label: 'user.username', cell: (u) => h('span', { class: 'mono' }, u.username) },
      { label: 'user.name', cell: (u) => u.name },
      { label: 'user.phone', cell: (u) => u.phone || t('common.none'), className: 'mono' },
      { label: 'user.role', cell: (u) => tCode('role', u.role) },
      { label: 'user.unit', cell: (u) => u.unit_name || unitName(units, u.unit_id) || t('common.none') },
      { label: 'user.rank', cell: (u) => (u.rank ? tCode('rank', u.rank) : t('common.none')) },
      {
        label: 'user.state',
        cell: (u) =>
          u.disabled ? h('span', { class: 'badge user-disabled' }, t('user.disabled')) : h('span', { class: 'badge user-active' }, t('user.active')),
      },
      { label: 'user.createdAt', cell: (u) => formatTime(u.created_at) },
    ],
    defaults: { role: 'staff' },
    fields: [
      { name: 'username', label: 'user.username', kind: 'text', required: true, only: 'create', maxLength: 32, autocomplete: 'off' },
      { name: 'password', label: 'user.password', kind: 'password', required: true, only: 'create' },
      { name: 'password', label: 'user.newPassword', kind: 'password', only: 'edit', hint: 'user.newPasswordHint' },
      { name: 'name', label: 'user.name', kind: 'text', required: true, maxLength: 32 },
      { name: 'phone', label: 'user.phone', kind: 'tel', maxLength: 20 },
      { name: 'role', label: 'user.role', kind: 'select', required: true, options: () => roles.map((r) => ({ value: r, label: tCode('role', r) })) },
      { name: 'unit_id', label: 'user.unit', kind: 'select', required: true, numeric: true, empty: 'common.none', options: () => unitOptions(units) },
      {
        name: 'rank',
        label: 'user.rank',
        kind: 'select',
        hint: 'user.rankHint',
        // '' clears the rank; the office standards read it (办公用房).
        options: () => [{ value: '', label: t('office.rankUnset') }, ...ranks.map((r) => ({ value: r, label: tCode('rank', r) }))],
      },
    ],
    body: (values, row) => {
      // An empty new password keeps the old one.
      if (row && !values.password) {
        const { password: _, ...rest } = values;
        return rest;
      }
      return values;
    },
    rowActions: ctx.writable
      ? (u, reload, signal) =>
          u.disabled
            ? rowAction({ action: 'enable', label: t('user.enable'), path: `/api/users/${u.id}/enable`, done: t('user.enabledDone'), reload, signal })
            : u.id !== ctx.user.id &&
              rowAction({
                action: 'disable',
                label: t('user.disable'),
                path: `/api/users/${u.id}/disable`,
                done: t('user.disabledDone'),
                question: t('user.confirmDisable', { name: u.name || u.username }),
                danger: true,
                reload,
                signal,
              })
      : undefined,
  });
}
