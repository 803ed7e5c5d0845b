import { isAbort } from '../api';
import { acceptMerge, autoAssign, merges } from '../dispatch/api';
import { inputToISO, isoToInput } from '../dispatch/clock';
import { formatScore, savedShare } from '../dispatch/candidates';
import type { AutoAssignAnswer, Merge, Proposal, Request } from '../dispatch/types';
import { routeText, timeSpan } from '../dispatch/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText } from '../page';

// Two dialogs of the dispatcher's queue: auto-assign (自动派车) every approved request of a window
// at once — preview the minimum-cost proposals with their total against greedy nearest-first,
// then apply — and trip merging (合并出行): requests whose times overlap and routes mostly coincide,
// proposed as one trip.

/** proposalsOf reads the proposals of an answer. */
export function proposalsOf(a: AutoAssignAnswer | null | undefined): Proposal[] {
  return a?.proposals ?? [];
}

/** openAutoAssign shows #auto-dialog; onApplied runs after the assignments are made. */
export function openAutoAssign(signal: AbortSignal, requestOf: (id: number) => Request | undefined, onApplied: () => void): void {
  const now = Date.now();
  const from = h('input', { type: 'datetime-local', id: 'auto-from', value: isoToInput(new Date(now).toISOString()) });
  const to = h('input', { type: 'datetime-local', id: 'auto-to', value: isoToInput(new Date(now + 24 * 3_600_000).toISOString()) });
  const note = h('div', { class: 'status', id: 'auto-note', role: 'status' });
  const summary = h('div', { id: 'auto-summary', class: 'auto-summary', hidden: true });
  const tbody = h('tbody', { id: 'auto-proposals' });
  const table = h(
    'div',
    { class: 'table-wrap auto-table' },
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        null,
        h('tr', null, h('th', null, t('auto.request')), h('th', null, t('auto.vehicle')), h('th', null, t('auto.driver')), h('th', { class: 'num' }, t('auto.cost')), h('th', null, t('auto.state'))),
      ),
      tbody,
    ),
  );
  const preview = h('button', { type: 'button', id: 'auto-preview', class: 'btn' }, t('auto.preview'));
  const apply = h('button', { type: 'button', id: 'auto-apply', class: 'btn primary', disabled: true }, t('auto.apply'));
  const dialog = h(
    'dialog',
    { class: 'dialog auto-dialog', id: 'auto-dialog', 'aria-label': t('auto.title') },
    h('h2', { class: 'dialog-title' }, t('auto.title')),
    h('p', { class: 'muted' }, t('auto.hint')),
    h('div', { class: 'auto-window' }, h('label', null, t('auto.from'), from), h('label', null, t('auto.to'), to), preview),
    note,
    summary,
    table,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, t('common.close')), apply),
  );
  let shown: AutoAssignAnswer | null = null;

  async function run(applyIt: boolean): Promise<void> {
    const body = { from: inputToISO(from.value), to: inputToISO(to.value), apply: applyIt };
    if (!body.from || !body.to || Date.parse(body.to) <= Date.parse(body.from)) {
      note.textContent = t('auto.badWindow');
      note.className = 'status error';
      return;
    }
    preview.disabled = apply.disabled = true;
    note.textContent = t(applyIt ? 'auto.applying' : 'common.loading');
    note.className = 'status';
    try {
      const a = await autoAssign(body, signal);
      shown = a;
      draw(a, applyIt);
      if (applyIt) {
        flash(t('auto.applied', { n: a.assigned ?? proposalsOf(a).length }));
        onApplied();
        apply.disabled = true;
      } else {
        apply.disabled = proposalsOf(a).length === 0;
      }
    } catch (err) {
      if (isAbort(err)) return;
      note.textContent = errorText(err);
      note.className = 'status error';
      apply.disabled = !shown || proposalsOf(shown).length === 0;
    } finally {
      preview.disabled = false;
    }
  }

  function draw(a: AutoAssignAnswer, applied: boolean): void {
    const ps = proposalsOf(a);
    note.textContent = ps.length ? '' : t('auto.none');
    note.className = ps.length ? 'status' : 'status empty';
    const unassigned = a.unserved?.length ?? 0;
    summary.hidden = ps.length === 0 && unassigned === 0;
    summary.dataset.applied = String(applied);
    const share = savedShare(a);
    replace(
      summary,
      h('span', null, t('auto.count', { n: ps.length })),
      typeof a.total_cost === 'number' && h('span', { 'data-field': 'total' }, t('auto.total', { cost: formatScore(a.total_cost) })),
      typeof a.greedy_cost === 'number' &&
        h('span', { 'data-field': 'greedy' }, t('auto.greedy', { cost: formatScore(a.greedy_cost) }), typeof a.greedy_assigned === 'number' && a.greedy_assigned !== ps.length ? ` ${t('auto.greedyServes', { n: a.greedy_assigned })}` : ''),
      typeof a.greedy_cost === 'number' && h('strong', { 'data-field': 'saved', class: 'auto-saved' }, t('auto.saved', { pct: (share * 100).toFixed(1) })),
      unassigned > 0 && h('span', { class: 'warn' }, t('auto.unassigned', { n: unassigned })),
      applied && h('span', { class: 'badge tone-ok', id: 'auto-done' }, t('auto.done', { n: a.assigned ?? 0 })),
      applied && (a.skipped ?? 0) > 0 && h('span', { class: 'warn' }, t('auto.skipped', { n: a.skipped ?? 0 })),
    );
    replace(
      tbody,
      ps.map((p) => {
        const r = requestOf(p.request_id);
        const more = (p.request_ids?.length ?? 1) > 1 ? ` ${t('auto.merged', { n: p.request_ids!.length })}` : '';
        return h(
          'tr',
          { 'data-request-id': p.request_id, 'data-vehicle-id': p.vehicle_id, 'data-driver-id': p.driver_id, 'data-status': p.status ?? '' },
          h('td', null, h('div', null, (r?.purpose || `#${p.request_id}`) + more), p.depart_at && h('div', { class: 'sub' }, timeSpan(p.depart_at, ''))),
          h('td', null, h('strong', { class: 'plate' }, p.plate || `#${p.vehicle_id}`)),
          h('td', null, p.driver || `#${p.driver_id}`),
          h('td', { class: 'num' }, formatScore(p.score)),
          h('td', null, p.status ? tCode('proposal', p.status) : '', p.reason && h('div', { class: 'sub' }, p.reason)),
        );
      }),
      (a.unserved ?? []).map((u) => {
        const r = requestOf(u.request_id);
        return h(
          'tr',
          { 'data-request-id': u.request_id, 'data-status': 'unserved', class: 'auto-unserved' },
          h('td', null, r?.purpose || `#${u.request_id}`, r && h('div', { class: 'sub' }, timeSpan(r.depart_at, ''))),
          h('td', { colspan: 3, class: 'muted' }, u.reason || ''),
          h('td', null, tCode('proposal', 'unserved')),
        );
      }),
    );
  }

  function close(): void {
    dialog.close();
    dialog.remove();
  }
  preview.addEventListener('click', () => void run(false));
  apply.addEventListener('click', () => void run(true));
  dialog.addEventListener('close', () => dialog.remove());
  signal.addEventListener('abort', close);
  document.body.append(dialog);
  dialog.showModal();
}

/** openMerges shows #merge-dialog with the proposals to run requests as one trip. */
export function openMerges(signal: AbortSignal, requestOf: (id: number) => Request | undefined, onAccepted: () => void): void {
  const note = h('div', { class: 'status', id: 'merge-note', role: 'status' }, t('common.loading'));
  const list = h('ul', { id: 'merge-list', class: 'merge-list' });
  const dialog = h(
    'dialog',
    { class: 'dialog merge-dialog', id: 'merge-dialog', 'aria-label': t('merge.title') },
    h('h2', { class: 'dialog-title' }, t('merge.title')),
    h('p', { class: 'muted' }, t('merge.hint')),
    note,
    list,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, t('common.close'))),
  );

  async function load(): Promise<void> {
    try {
      const a = await merges(signal);
      const items = a.items ?? [];
      note.textContent = items.length ? '' : t('merge.none');
      note.className = items.length ? 'status' : 'status empty';
      replace(list, items.map(item));
    } catch (err) {
      if (isAbort(err)) return;
      note.textContent = errorText(err);
      note.className = 'status error';
    }
  }

  function item(m: Merge): HTMLElement {
    const reqs = m.request_ids.map((id) => requestOf(id));
    const pax = m.passengers ?? reqs.reduce((s, r) => s + (r?.passengers || 0), 0);
    const btn = h('button', { type: 'button', class: 'btn small primary', 'data-action': 'accept-merge' }, t('merge.accept'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        await acceptMerge(m, signal);
        flash(t('merge.accepted'));
        onAccepted();
        void load();
      } catch (err) {
        if (isAbort(err)) return;
        flash(errorText(err), 'error');
        btn.disabled = false;
      }
    });
    return h(
      'li',
      { class: 'merge card', 'data-requests': m.request_ids.join(',') },
      h(
        'div',
        { class: 'merge-head' },
        h('strong', null, t('merge.requests', { n: m.request_ids.length })),
        pax ? h('span', null, t('merge.passengers', { n: pax })) : null,
        m.depart_at && h('span', { class: 'dq-when' }, timeSpan(m.depart_at, m.return_at ?? '')),
        typeof m.saved_km === 'number' && h('span', { class: 'auto-saved' }, t('merge.saved', { km: m.saved_km.toFixed(1), from: (m.separate_km ?? 0).toFixed(1), to: (m.merged_km ?? 0).toFixed(1) })),
        m.rule && h('span', { class: 'badge' }, tCode('mergeRule', m.rule)),
        btn,
      ),
      h(
        'ul',
        { class: 'merge-requests' },
        m.request_ids.map((id, i) => {
          const r = reqs[i];
          return h('li', { 'data-request-id': id }, r ? [r.purpose, ' · ', [r.unit, r.applicant, t('req.passengersN', { n: r.passengers })].filter(Boolean).join(' '), h('div', { class: 'muted' }, routeText(r))] : `#${id}`);
        }),
      ),
    );
  }

  function close(): void {
    dialog.close();
    dialog.remove();
  }
  dialog.addEventListener('close', () => dialog.remove());
  signal.addEventListener('abort', close);
  document.body.append(dialog);
  dialog.showModal();
  void load();
}
