import '../approvals.css';
import { ApiError, call, isAbort, listAll } from '../api';
import { getDefinition, listDefinitions, listGroups } from '../approvals/api';
import { editable, jsonProblem } from '../approvals/json';
import type { Definition, Group } from '../approvals/types';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { formatTime } from '../time';
import type { User } from '../types';

// The admin's approval settings: process definitions edited as JSON (saving makes a new version;
// running requests keep theirs) and the approval groups (such as 公务用车更新购置审批领导小组)
// that steps can name.

const template = {
  key: 'new_process',
  name: '新流程',
  steps: [{ name: '单位负责人审批', approvers: { type: 'unit_head' }, mode: 'any' }],
};

/** approvalDefsPage lists definitions and groups and edits them. */
export function approvalDefsPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const defStatus = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const defRows = h('tbody');
  const editor = h('div', { id: 'def-editor' });
  const groupStatus = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const groupRows = h('tbody');
  const groupEditor = h('div', { id: 'group-editor' });
  let users: User[] = [];

  replace(
    root,
    pageHeader('nav.approvalDefs'),
    h(
      'div',
      { class: 'page-head sub-head' },
      h('h2', { class: 'section-title' }, t('defs.definitions')),
      writable && h('button', { type: 'button', class: 'btn', id: 'def-new', onclick: () => openEditor(null) }, `+ ${t('defs.new')}`),
    ),
    defStatus,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'def-list' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, t('defs.key')),
            h('th', { scope: 'col' }, t('defs.name')),
            h('th', { scope: 'col', class: 'num' }, t('defs.version')),
            h('th', { scope: 'col' }, t('defs.updatedAt')),
            h('th', { scope: 'col', class: 'actions' }, t('common.actions')),
          ),
        ),
        defRows,
      ),
    ),
    editor,
    h(
      'div',
      { class: 'page-head sub-head' },
      h('h2', { class: 'section-title' }, t('defs.groups')),
      writable && h('button', { type: 'button', class: 'btn', id: 'group-new', onclick: () => openGroup(null) }, `+ ${t('defs.newGroup')}`),
    ),
    groupStatus,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'group-list' },
        h(
          'thead',
          null,
          h('tr', null, h('th', { scope: 'col' }, t('defs.groupName')), h('th', { scope: 'col' }, t('defs.members')), h('th', { scope: 'col', class: 'actions' }, t('common.actions'))),
        ),
        groupRows,
      ),
    ),
    groupEditor,
  );

  async function loadDefs(): Promise<void> {
    try {
      const r = await listDefinitions(signal);
      const rows = r.items ?? [];
      defStatus.textContent = rows.length ? '' : t('common.empty');
      defStatus.className = rows.length ? 'status' : 'status empty';
      replace(
        defRows,
        rows.map((d) =>
          h(
            'tr',
            { 'data-id': d.key, 'data-key': d.key },
            h('td', { class: 'mono' }, d.key),
            h('td', null, d.name),
            h('td', { class: 'num' }, `v${d.version}`),
            h('td', { class: 'nowrap' }, formatTime(d.updated_at ?? (d.created_at as string | undefined))),
            h('td', { class: 'actions' }, h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', onclick: () => openEditor(d.key) }, writable ? t('common.edit') : t('defs.view'))),
          ),
        ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      defStatus.textContent = t('error.load', { message: errorText(err) });
      defStatus.className = 'status error';
    }
  }

  async function openEditor(key: string | null): Promise<void> {
    let def: Definition | null = null;
    if (key) {
      try {
        def = await getDefinition(key, signal);
      } catch (err) {
        if (!isAbort(err)) flash(errorText(err), 'error');
        return;
      }
    }
    const text = h('textarea', { id: 'def-json', class: 'json-editor mono', rows: 22, spellcheck: 'false', readonly: !writable, 'aria-label': t('defs.json') });
    text.value = def ? editable(def) : JSON.stringify(template, null, 2);
    const check = h('div', { id: 'def-json-status', class: 'json-status', role: 'status' });
    const problems = h('div', { id: 'def-error', class: 'form-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'button', id: 'def-save', class: 'btn primary' }, def ? t('defs.saveVersion') : t('common.save'));
    const validate = (): boolean => {
      const p = jsonProblem(text.value);
      check.className = p ? 'json-status bad' : 'json-status ok';
      check.textContent = p ? t('defs.jsonBad', { line: p.line, column: p.column, message: p.message }) : t('defs.jsonOk');
      save.disabled = !!p;
      return !p;
    };
    text.addEventListener('input', validate);
    save.addEventListener('click', async () => {
      if (!validate()) return;
      problems.hidden = true;
      const body = JSON.parse(text.value) as Record<string, unknown>;
      save.disabled = true;
      try {
        const saved = def
          ? await call<Definition>('PUT', `/api/approval-definitions/${encodeURIComponent(def.key)}`, body, { signal })
          : await call<Definition>('POST', '/api/approval-definitions', body, { signal });
        flash(saved?.version ? t('defs.savedVersion', { version: saved.version }) : t('common.saved'));
        replace(editor);
        void loadDefs();
      } catch (err) {
        if (isAbort(err)) return;
        replace(
          problems,
          h('p', null, errorText(err)),
          err instanceof ApiError &&
            Object.keys(err.fields).length > 0 &&
            h(
              'ul',
              { class: 'def-problems' },
              Object.entries(err.fields).map(([field, code]) => h('li', { 'data-field': field }, h('code', null, field), `：${tCode('field', code)}`)),
            ),
        );
        problems.hidden = false;
      } finally {
        save.disabled = !jsonProblem(text.value) ? false : true;
      }
    });
    replace(
      editor,
      h(
        'section',
        { class: 'card def-editor' },
        h('h3', null, def ? t('defs.editing', { key: def.key, version: def.version }) : t('defs.new')),
        h('p', { class: 'muted' }, t('defs.hint')),
        problems,
        text,
        check,
        h(
          'div',
          { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn', id: 'def-cancel', onclick: () => replace(editor) }, t('common.cancel')),
          writable && save,
        ),
      ),
    );
    validate();
    editor.scrollIntoView?.({ block: 'start' });
  }

  async function loadGroups(): Promise<void> {
    try {
      const r = await listGroups(signal);
      const rows = r.items ?? [];
      groupStatus.textContent = rows.length ? '' : t('common.empty');
      groupStatus.className = rows.length ? 'status' : 'status empty';
      replace(
        groupRows,
        rows.map((g) =>
          h(
            'tr',
            { 'data-id': g.id },
            h('td', null, g.name, g.key && h('div', { class: 'sub mono' }, g.key)),
            h('td', null, memberNames(g) || t('common.none')),
            h('td', { class: 'actions' }, writable && h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', onclick: () => openGroup(g) }, t('common.edit'))),
          ),
        ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      groupStatus.textContent = t('error.load', { message: errorText(err) });
      groupStatus.className = 'status error';
    }
  }

  function memberNames(g: Group): string {
    if (g.members?.length) return g.members.map((m) => m.name).join('、');
    return (g.member_ids ?? []).map((id) => users.find((u) => u.id === id)?.name ?? `#${id}`).join('、');
  }

  function openGroup(g: Group | null): void {
    const chosen = new Set<number>(g?.members?.map((m) => m.id) ?? g?.member_ids ?? []);
    const name = h('input', { type: 'text', id: 'group-name', value: g?.name ?? '', maxlength: 60 });
    const key = h('input', { type: 'text', id: 'group-key', value: g?.key ?? '', maxlength: 40, class: 'mono', readonly: Boolean(g) });
    const filter = h('input', { type: 'search', id: 'group-filter', placeholder: t('defs.filterUsers') });
    const list = h('div', { class: 'member-list', id: 'group-members' });
    const problems = h('div', { id: 'group-error', class: 'form-error', role: 'alert', hidden: true });
    const draw = () => {
      const q = filter.value.trim().toLowerCase();
      replace(
        list,
        users
          .filter((u) => !u.disabled)
          .filter((u) => !q || `${u.name} ${u.username} ${u.unit_name}`.toLowerCase().includes(q) || chosen.has(u.id))
          .map((u) =>
            h(
              'label',
              { class: 'member', 'data-user-id': u.id },
              h('input', {
                type: 'checkbox',
                value: u.id,
                checked: chosen.has(u.id),
                onchange: (ev: Event) => ((ev.target as HTMLInputElement).checked ? chosen.add(u.id) : chosen.delete(u.id)),
              }),
              ` ${u.name || u.username}`,
              h('span', { class: 'muted' }, ` ${tCode('role', u.role)} · ${u.unit_name || ''}`),
            ),
          ),
      );
    };
    filter.addEventListener('input', draw);
    const save = h('button', { type: 'button', class: 'btn primary', id: 'group-save' }, t('common.save'));
    save.addEventListener('click', async () => {
      problems.hidden = true;
      const body = { key: key.value.trim() || undefined, name: name.value.trim(), member_ids: [...chosen] };
      save.disabled = true;
      try {
        if (g) await call('PUT', `/api/approval-groups/${g.id}`, body, { signal });
        else await call('POST', '/api/approval-groups', body, { signal });
        flash(t('common.saved'));
        replace(groupEditor);
        void loadGroups();
      } catch (err) {
        if (isAbort(err)) return;
        const fields = err instanceof ApiError ? Object.entries(err.fields).map(([f, c]) => `${f}：${tCode('field', c)}`) : [];
        problems.textContent = [errorText(err), ...fields].join('；');
        problems.hidden = false;
      } finally {
        save.disabled = false;
      }
    });
    replace(
      groupEditor,
      h(
        'section',
        { class: 'card group-editor form' },
        h('h3', null, g ? t('defs.editGroup', { name: g.name }) : t('defs.newGroup')),
        problems,
        h('div', { class: 'field' }, h('label', { for: 'group-name' }, t('defs.groupName')), name),
        h('div', { class: 'field' }, h('label', { for: 'group-key' }, t('defs.groupKey')), key, h('small', { class: 'hint' }, t('defs.groupKeyHint'))),
        h('div', { class: 'field' }, h('label', { for: 'group-filter' }, t('defs.members')), filter, list),
        h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => replace(groupEditor) }, t('common.cancel')), save),
      ),
    );
    draw();
  }

  void loadDefs();
  void (async () => {
    try {
      users = await listAll<User>('/api/users', signal);
    } catch (err) {
      if (!isAbort(err)) console.warn('fleet: users for groups', err);
    }
    await loadGroups();
  })();
}
