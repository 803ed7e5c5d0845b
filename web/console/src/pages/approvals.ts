import '../approvals.css';
import { ApiError, isAbort } from '../api';
import { act, candidates, getInstance, getProcurement, inbox } from '../approvals/api';
import { approvalCount, onApprovalCount, refreshApprovalCount } from '../approvals/badge';
import { formatYuan, isVehicleKind } from '../approvals/form';
import { approvalFeed } from '../approvals/live';
import { applicantMay, stepLabel } from '../approvals/timeline';
import { inboxTabs, type Approver, type InboxItem, type InboxTab, type Instance, type Procurement } from '../approvals/types';
import {
  attachmentsList,
  checksList,
  facts,
  failing,
  itemsTable,
  section,
  statusTag,
  timelineList,
  vehicleFacts,
} from '../approvals/views';
import { confirmBox } from '../confirm';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { formatTime } from '../time';

// The approvals inbox: the leader's phone page /m/approvals (375 px first, no side menu) and the
// same page inside the desktop console at /approvals. ?tab=pending|done|mine picks the list,
// ?id=N opens one request with its items, checks, attachments, timeline and the decision buttons.

/** approvalsPage renders the inbox or, with ?id=, one request. */
export function approvalsPage(ctx: PageContext): void {
  ctx.root.classList.add('ap-page');
  const q = new URLSearchParams(location.search);
  const base = location.pathname.replace(/\/+$/, '');
  const id = Number(q.get('id'));
  if (Number.isInteger(id) && id > 0) {
    detailView(ctx, base, id);
    return;
  }
  const tab = (inboxTabs as readonly string[]).includes(q.get('tab') ?? '') ? (q.get('tab') as InboxTab) : 'pending';
  listView(ctx, base, tab);
}

function listView(ctx: PageContext, base: string, tab: InboxTab): void {
  const { root, signal } = ctx;
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const list = h('ul', { id: 'approval-list', class: 'ap-list', 'data-tab': tab });
  const pill = h('span', { class: 'count-pill tab-count', id: 'approval-tab-count', hidden: approvalCount() === 0 }, approvalCount());
  const tabs = h(
    'nav',
    { class: 'ap-tabs', role: 'tablist', 'aria-label': t('approval.tabs') },
    inboxTabs.map((k) =>
      h(
        'a',
        {
          href: `${base}?tab=${k}`,
          role: 'tab',
          class: k === tab ? 'ap-tab active' : 'ap-tab',
          'aria-selected': String(k === tab),
          'data-tab': k,
        },
        t(`approval.tab.${k}`),
        k === 'pending' && pill,
      ),
    ),
  );
  replace(root, pageHeader('approval.title', fullConsoleLink(base)), tabs, status, list);

  const stopCount = onApprovalCount((n) => {
    pill.textContent = String(n);
    pill.hidden = n === 0;
  });

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const r = await inbox(tab, signal);
      if (mine !== seq) return;
      const items = r.items ?? [];
      status.textContent = items.length ? '' : t(`approval.empty.${tab}`);
      status.className = items.length ? 'status' : 'status empty';
      replace(list, items.map((it) => listItem(it, base, tab)));
    } catch (err) {
      if (isAbort(err) || mine !== seq) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  // A new or decided approval: fetch the list again (the badge refreshes itself).
  let timer = 0;
  const unlisten = approvalFeed().listen(() => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load(), 200);
  });
  signal.addEventListener('abort', () => {
    window.clearTimeout(timer);
    unlisten();
    stopCount();
  });
  void refreshApprovalCount();
  void load();
}

function listItem(it: InboxItem, base: string, tab: InboxTab): HTMLElement {
  const amount = it.amount ?? (typeof it.fields?.amount === 'number' ? (it.fields.amount as number) : undefined);
  const step = stepLabel(it.step ?? null);
  const href = `${base}?id=${it.id}`;
  return h(
    'li',
    { 'data-id': it.id, 'data-status': it.status ?? '', class: 'ap-item' },
    h(
      'a',
      { href, class: 'ap-item-link' },
      h('div', { class: 'ap-item-top' }, h('span', { class: 'ap-subject' }, it.subject), it.status && tab !== 'pending' && statusTag(it.status)),
      h(
        'div',
        { class: 'ap-item-meta' },
        it.applicant && h('span', null, it.applicant),
        step && tab !== 'done' && h('span', null, step),
        amount !== undefined && h('span', { class: 'ap-amount' }, formatYuan(amount)),
      ),
      (it.updated_at || it.created_at) && h('div', { class: 'ap-item-time muted' }, formatTime(it.updated_at || it.created_at)),
    ),
  );
}

function fullConsoleLink(base: string): HTMLElement | null {
  return base.startsWith('/m/') ? h('a', { href: '/', class: 'btn small', id: 'full-console' }, t('approval.fullConsole')) : null;
}

function detailView(ctx: PageContext, base: string, id: number): void {
  const { root, signal, user } = ctx;
  const back = h('a', { href: `${base}?tab=pending`, class: 'ap-back', id: 'approval-back' }, `‹ ${t('approval.back')}`);
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const body = h('div', { id: 'approval-detail', class: 'ap-detail', 'aria-busy': 'true' });
  replace(root, pageHeader('approval.detailTitle'), back, status, body);

  let inst: Instance | null = null;
  let proc: Procurement | null = null;
  let busy = false;

  async function load(): Promise<void> {
    try {
      inst = await getInstance(id, signal);
      proc = null;
      if (inst.ref_type === 'procurement' && inst.ref_id) {
        try {
          proc = await getProcurement(inst.ref_id, signal);
        } catch (err) {
          if (isAbort(err)) return;
          console.warn('fleet: procurement of approval', err);
        }
      }
      status.textContent = '';
      draw();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(): void {
    if (!inst) return;
    const i = inst;
    const p = proc;
    const amount = p?.amount ?? (typeof i.fields?.amount === 'number' ? (i.fields.amount as number) : undefined);
    const kind = p?.kind ?? (typeof i.fields?.kind === 'string' ? (i.fields.kind as string) : '');
    const approvers = (i.step?.approvers ?? []).map((a) => a.name).join('、');
    const head = h(
      'section',
      { class: 'card ap-head' },
      h('div', { class: 'ap-head-top' }, h('h2', { class: 'ap-title', id: 'approval-subject' }, i.subject), statusTag(i.status, 'approval-status')),
      facts([
        ['approval.applicant', i.applicant || (p?.applicant ?? '')],
        ['approval.unit', p?.unit || i.unit_name || (i.unit_id ? `#${i.unit_id}` : '')],
        ['proc.amount', amount !== undefined ? h('strong', { class: 'ap-amount', id: 'approval-amount' }, formatYuan(amount)) : ''],
        ['proc.kind', kind ? tCode('procKind', kind) : ''],
        ['approval.submittedAt', formatTime(i.created_at)],
        ['approval.currentStep', i.step ? [stepLabel(i.step), approvers && h('span', { class: 'muted' }, `（${approvers}）`)] : ''],
        ['approval.deadline', i.step?.deadline_at ? formatTime(i.step.deadline_at) : ''],
      ]),
    );
    const checks = p?.checks ?? (Array.isArray(i.fields?.checks) ? (i.fields.checks as Procurement['checks']) : undefined);
    const bad = failing(checks);
    replace(
      body,
      head,
      i.can_act ? decisionBox(i) : null,
      i.applicant_id === user.id ? applicantBox(i) : null,
      p?.reason && section('proc.reason', h('p', { class: 'ap-reason' }, p.reason)),
      p && section('proc.items', itemsTable(p.items)),
      p?.vehicle && section('proc.vehicle', vehicleFacts(p.vehicle)),
      checks &&
        (checks.length > 0 || isVehicleKind(kind)) &&
        section(
          'proc.checks',
          bad > 0 && h('p', { class: 'ap-warn' }, t('proc.checksFailed', { n: bad })),
          checksList(checks, 'approval-checks'),
          p?.justification && h('div', { class: 'justification', id: 'approval-justification' }, h('strong', null, t('proc.justification')), h('p', null, p.justification)),
        ),
      p && section('proc.attachments', attachmentsList(p.attachments)),
      section('approval.timeline', timelineList(i.history)),
    );
    body.setAttribute('aria-busy', 'false');
  }

  function decisionBox(i: Instance): HTMLElement {
    const comment = h('textarea', {
      id: 'approval-comment',
      class: 'ap-comment',
      rows: 2,
      maxlength: 500,
      placeholder: t('approval.commentPlaceholder'),
      'aria-label': t('approval.comment'),
    });
    const problem = h('div', { id: 'approval-error', class: 'field-error', role: 'alert', hidden: true });
    const button = (action: 'approve' | 'reject' | 'return', cls: string) =>
      h('button', { type: 'button', id: action, class: `btn ${cls}`, 'data-action': action, onclick: () => void decide(action) }, t(`approval.do.${action}`));
    const buttons = [button('return', 'ap-return'), button('reject', 'danger'), button('approve', 'primary')];
    // Return to the applicant (default) or, past the first step, to the step before.
    const returnTo =
      (i.step?.index ?? 0) > 0
        ? h(
            'select',
            { id: 'return-to', class: 'ap-return-to', 'aria-label': t('approval.returnTo') },
            h('option', { value: 'applicant' }, t('approval.returnTo.applicant')),
            h('option', { value: 'previous' }, t('approval.returnTo.previous')),
          )
        : null;
    const transfer = h(
      'button',
      { type: 'button', id: 'transfer', class: 'btn link ap-transfer', onclick: () => void transferTo(i, comment.value.trim()) },
      t('approval.do.transfer'),
    );

    async function decide(action: 'approve' | 'reject' | 'return'): Promise<void> {
      if (busy) return;
      const text = comment.value.trim();
      problem.hidden = true;
      if (action !== 'approve' && !text) {
        problem.textContent = t('approval.commentRequired');
        problem.hidden = false;
        comment.focus();
        return;
      }
      if (action !== 'approve' && !(await confirmBox(t(`approval.confirm.${action}`, { subject: i.subject }), t(`approval.do.${action}`), signal))) return;
      busy = true;
      buttons.forEach((b) => (b.disabled = true));
      try {
        const to = action === 'return' && returnTo?.value === 'previous' ? 'previous' : undefined;
        inst = await act(i.id, { action, comment: text || undefined, to }, signal);
        flash(t(`approval.done.${action}`));
        void refreshApprovalCount();
        if (proc) proc = await getProcurement(proc.id, signal).catch(() => proc);
        draw();
      } catch (err) {
        if (isAbort(err)) return;
        problem.textContent = actionError(err);
        problem.hidden = false;
        buttons.forEach((b) => (b.disabled = false));
        // The step moved on or the instance finished meanwhile: show it as it is now.
        if (err instanceof ApiError && err.status === 409) void load();
      } finally {
        busy = false;
      }
    }

    return h(
      'section',
      { class: 'card ap-decide', id: 'approval-actions' },
      h('label', { for: 'approval-comment', class: 'ap-decide-label' }, t('approval.comment')),
      comment,
      problem,
      h('div', { class: 'ap-buttons' }, buttons),
      h('div', { class: 'ap-more' }, returnTo && h('label', { class: 'ap-return-label' }, t('approval.returnTo'), ' ', returnTo), transfer),
    );
  }

  /** transferTo hands the caller's part of the step to another user (转交), chosen in a dialog. */
  async function transferTo(i: Instance, text: string): Promise<void> {
    const who = await pickCandidate(i.id, signal);
    if (!who || busy) return;
    busy = true;
    try {
      inst = await act(i.id, { action: 'transfer', to_user_id: who.id, comment: text || undefined }, signal);
      flash(t('approval.done.transfer', { name: who.name }));
      void refreshApprovalCount();
      draw();
    } catch (err) {
      if (isAbort(err)) return;
      flash(actionError(err), 'error');
      if (err instanceof ApiError && err.status === 409) void load();
    } finally {
      busy = false;
    }
  }

  function applicantBox(i: Instance): HTMLElement | null {
    const may = applicantMay(i);
    if (!may.withdraw && !may.remind && !may.revise) return null;
    const run = async (action: 'withdraw' | 'remind') => {
      if (busy) return;
      if (action === 'withdraw' && !(await confirmBox(t('approval.confirm.withdraw', { subject: i.subject }), t('approval.do.withdraw'), signal))) return;
      busy = true;
      try {
        inst = await act(i.id, { action }, signal);
        flash(t(`approval.done.${action}`));
        draw();
      } catch (err) {
        if (isAbort(err)) return;
        flash(actionError(err), 'error');
        if (err instanceof ApiError && err.status === 409) void load();
      } finally {
        busy = false;
      }
    };
    return h(
      'section',
      { class: 'card ap-mine' },
      h(
        'div',
        { class: 'ap-buttons' },
        may.remind && h('button', { type: 'button', id: 'remind', class: 'btn', onclick: () => void run('remind') }, t('approval.do.remind')),
        may.withdraw && h('button', { type: 'button', id: 'withdraw', class: 'btn danger', onclick: () => void run('withdraw') }, t('approval.do.withdraw')),
        may.revise &&
          i.ref_type === 'procurement' &&
          h('a', { class: 'btn primary', id: 'revise', href: `/procurements?id=${i.ref_id}&revise=1` }, t('proc.revise')),
      ),
    );
  }

  // Someone else acted on this request: show the new state unless the user is mid-decision.
  const unlisten = approvalFeed().listen((a) => {
    if (a.id === id && !busy) void load();
  });
  signal.addEventListener('abort', unlisten);
  void load();
}

/** pickCandidate asks whom to transfer to: a search box and the matching users (#transfer-dialog). */
function pickCandidate(id: number, signal: AbortSignal): Promise<Approver | null> {
  return new Promise((resolve) => {
    const search = h('input', { type: 'search', id: 'transfer-search', placeholder: t('approval.transferSearch'), 'aria-label': t('approval.transferSearch') });
    const list = h('ul', { id: 'transfer-list', class: 'ap-candidates' });
    const note = h('div', { class: 'status', role: 'status' });
    const dialog = h(
      'dialog',
      { class: 'dialog', id: 'transfer-dialog', 'aria-label': t('approval.do.transfer') },
      h('h2', { class: 'dialog-title' }, t('approval.transferTitle')),
      search,
      note,
      list,
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))),
    );
    let done = false;
    function close(who: Approver | null): void {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(who);
    }
    let seq = 0;
    let timer = 0;
    async function load(): Promise<void> {
      const mine = ++seq;
      note.textContent = t('common.loading');
      try {
        const r = await candidates(id, search.value.trim(), signal);
        if (mine !== seq) return;
        const items = r.items ?? [];
        note.textContent = items.length ? '' : t('common.empty');
        replace(
          list,
          items.map((u) =>
            h('li', null, h('button', { type: 'button', class: 'btn block', 'data-user-id': u.id, onclick: () => close({ id: u.id, name: u.name }) }, u.name, h('span', { class: 'muted' }, ` ${u.username ?? ''}`))),
          ),
        );
      } catch (err) {
        if (isAbort(err) || mine !== seq) return;
        note.textContent = errorText(err);
      }
    }
    search.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void load(), 250);
    });
    dialog.addEventListener('cancel', () => close(null));
    signal.addEventListener('abort', () => close(null));
    document.body.appendChild(dialog);
    dialog.showModal();
    search.focus();
    void load();
  });
}

/** actionError words a failed action: 409 (moved on), 403 (not yours) or the server's message. */
export function actionError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 409) return t('approval.conflict', { message: err.message || '' });
    if (err.status === 403) return t('approval.notYours');
  }
  return errorText(err);
}
