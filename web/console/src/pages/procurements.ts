import '../approvals.css';
import { canSee } from '../access';
import { call, isAbort } from '../api';
import { act, getInstance, getProcurement, myProcurements } from '../approvals/api';
import { draftFrom, emptyDraft, formatYuan } from '../approvals/form';
import { approvalFeed } from '../approvals/live';
import { procurementForm } from '../approvals/procurement-form';
import { applicantMay, lastDecision, stepLabel } from '../approvals/timeline';
import type { Attachment, Instance, Procurement } from '../approvals/types';
import {
  attachmentsList,
  checksList,
  facts,
  failing,
  humanSize,
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
import { navigate } from '../router';
import { formatTime } from '../time';
import { actionError } from './approvals';

// Purchase requests (采购申请) of the signed-in user: /procurements lists them, ?new=1 files one,
// ?id=N shows one with its timeline (withdraw, remind, upload attachments), and ?id=N&revise=1
// revises a returned one and sends it again.

/** procurementsPage routes between the list, the new-request form and one request. */
export function procurementsPage(ctx: PageContext): void {
  ctx.root.classList.add('ap-page', 'proc-page');
  const q = new URLSearchParams(location.search);
  const id = Number(q.get('id'));
  if (Number.isInteger(id) && id > 0) {
    if (q.get('revise') === '1') reviseView(ctx, id);
    else detailView(ctx, id);
  } else if (q.get('new') === '1' && ctx.writable) newView(ctx);
  else listView(ctx);
}

function listView(ctx: PageContext): void {
  const { root, signal, writable, user } = ctx;
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'data', id: 'procurement-list' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('proc.titleLabel')),
        h('th', { scope: 'col' }, t('proc.kind')),
        h('th', { scope: 'col', class: 'num' }, t('proc.amount')),
        h('th', { scope: 'col' }, t('proc.status')),
        h('th', { scope: 'col' }, t('proc.createdAt')),
      ),
    ),
    tbody,
  );
  replace(
    root,
    pageHeader(
      'proc.title',
      canSee(user.role, 'procurementSummary') && h('a', { href: '/procurements/summary', class: 'btn' }, t('nav.procurementSummary')),
      writable && h('a', { href: '/procurements?new=1', class: 'btn primary', id: 'procurement-new' }, `+ ${t('proc.new')}`),
    ),
    h('p', { class: 'muted' }, t('proc.listHint')),
    status,
    h('div', { class: 'table-wrap' }, table),
  );

  async function load(): Promise<void> {
    try {
      const r = await myProcurements(signal);
      const rows = r.items ?? [];
      status.textContent = rows.length ? '' : t('proc.none');
      status.className = rows.length ? 'status' : 'status empty';
      replace(
        tbody,
        rows.map((p) =>
          h(
            'tr',
            { 'data-id': p.id, 'data-status': p.status, class: 'clickable', onclick: () => navigate(`/procurements?id=${p.id}`) },
            h('td', null, h('a', { href: `/procurements?id=${p.id}` }, p.title)),
            h('td', null, tCode('procKind', p.kind)),
            h('td', { class: 'num nowrap' }, formatYuan(p.amount)),
            h('td', null, statusTag(p.status)),
            h('td', { class: 'nowrap' }, formatTime(p.submitted_at || p.created_at)),
          ),
        ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }
  // A decision on one of mine: show the new status.
  const unlisten = approvalFeed().listen(() => void load());
  signal.addEventListener('abort', unlisten);
  void load();
}

function newView(ctx: PageContext): void {
  replace(
    ctx.root,
    pageHeader('proc.newTitle'),
    h('a', { href: '/procurements', class: 'ap-back' }, `‹ ${t('proc.backToList')}`),
    procurementForm({
      user: ctx.user,
      draft: emptyDraft(),
      signal: ctx.signal,
      onSaved: (a) => {
        flash(t('proc.submitted'));
        navigate(`/procurements?id=${a.id}`, { replace: true });
      },
    }),
  );
}

function reviseView(ctx: PageContext, id: number): void {
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  replace(ctx.root, pageHeader('proc.reviseTitle'), h('a', { href: `/procurements?id=${id}`, class: 'ap-back' }, `‹ ${t('proc.backToRequest')}`), status);
  void (async () => {
    try {
      const p = await getProcurement(id, ctx.signal);
      const inst = p.approval_id ? await getInstance(p.approval_id, ctx.signal).catch(() => null) : null;
      const decision = lastDecision(inst?.history);
      status.textContent = '';
      ctx.root.append(
        decision?.action === 'return' && decision.comment ? h('div', { class: 'card ap-returned' }, h('strong', null, t('proc.returnedBecause', { who: decision.user ?? '' })), h('p', null, decision.comment)) : '',
        procurementForm({
          user: ctx.user,
          draft: draftFrom(p),
          id,
          checks: p.checks,
          signal: ctx.signal,
          onSaved: () => {
            flash(t('proc.resubmitted'));
            navigate(`/procurements?id=${id}`, { replace: true });
          },
        }),
      );
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  })();
}

function detailView(ctx: PageContext, id: number): void {
  const { root, signal, user } = ctx;
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const body = h('div', { id: 'procurement-detail', class: 'ap-detail' });
  replace(root, pageHeader('proc.detailTitle'), h('a', { href: '/procurements', class: 'ap-back' }, `‹ ${t('proc.backToList')}`), status, body);
  let busy = false;

  async function load(): Promise<void> {
    try {
      const p = await getProcurement(id, signal);
      let inst: Instance | null = null;
      if (p.approval_id) {
        try {
          inst = await getInstance(p.approval_id, signal);
        } catch (err) {
          if (isAbort(err)) return;
          console.warn('fleet: approval of procurement', err);
        }
      }
      status.textContent = '';
      draw(p, inst);
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(p: Procurement, inst: Instance | null): void {
    const mine = p.applicant_id === undefined ? inst?.applicant_id === user.id : p.applicant_id === user.id;
    const st = inst?.status ?? p.status;
    const decision = lastDecision(inst?.history);
    const bad = failing(p.checks);
    replace(
      body,
      h(
        'section',
        { class: 'card ap-head' },
        h('div', { class: 'ap-head-top' }, h('h2', { class: 'ap-title' }, p.title), statusTag(st, 'approval-status')),
        facts([
          ['proc.kind', tCode('procKind', p.kind)],
          ['proc.amount', h('strong', { class: 'ap-amount' }, formatYuan(p.amount))],
          ['approval.applicant', p.applicant || inst?.applicant || ''],
          ['approval.unit', p.unit || inst?.unit_name || ''],
          ['proc.createdAt', formatTime(p.submitted_at || p.created_at)],
          ['approval.currentStep', inst?.step ? [stepLabel(inst.step), ...approverNames(inst)] : ''],
          [
            'approval.lastDecision',
            decision ? h('span', { id: 'approval-decision' }, `${decision.user ?? ''} ${tCode('approvalAction', decision.action)}${decision.comment ? `：${decision.comment}` : ''}`) : '',
          ],
        ]),
      ),
      mine && inst ? applicantButtons(p, inst) : null,
      section('proc.reason', h('p', { class: 'ap-reason' }, p.reason)),
      section('proc.items', itemsTable(p.items)),
      p.vehicle && section('proc.vehicle', vehicleFacts(p.vehicle)),
      (p.checks?.length ?? 0) > 0 &&
        section(
          'proc.checks',
          bad > 0 && h('p', { class: 'ap-warn' }, t('proc.checksFailed', { n: bad })),
          checksList(p.checks, 'approval-checks'),
          p.justification && h('div', { class: 'justification' }, h('strong', null, t('proc.justification')), h('p', null, p.justification)),
        ),
      section('proc.attachments', attachmentsList(p.attachments), mine && (st === 'pending' || st === 'returned') ? uploader(p) : null),
      inst && section('approval.timeline', timelineList(inst.history)),
    );
  }

  function approverNames(inst: Instance): (HTMLElement | string)[] {
    const names = (inst.step?.approvers ?? []).map((a) => a.name).join('、');
    return names ? [h('span', { class: 'muted' }, `（${names}）`)] : [];
  }

  function applicantButtons(p: Procurement, inst: Instance): HTMLElement | null {
    const may = applicantMay(inst);
    if (!may.withdraw && !may.remind && !may.revise) return null;
    const run = async (action: 'withdraw' | 'remind') => {
      if (busy) return;
      if (action === 'withdraw' && !(await confirmBox(t('approval.confirm.withdraw', { subject: p.title }), t('approval.do.withdraw'), signal))) return;
      busy = true;
      try {
        await act(inst.id, { action }, signal);
        flash(t(`approval.done.${action}`));
        await load();
      } catch (err) {
        if (isAbort(err)) return;
        flash(actionError(err), 'error');
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
        may.revise && h('a', { class: 'btn primary', id: 'revise', href: `/procurements?id=${p.id}&revise=1` }, t('proc.revise')),
        may.remind && h('button', { type: 'button', id: 'remind', class: 'btn', onclick: () => void run('remind') }, t('approval.do.remind')),
        may.withdraw && h('button', { type: 'button', id: 'withdraw', class: 'btn danger', onclick: () => void run('withdraw') }, t('approval.do.withdraw')),
      ),
    );
  }

  function uploader(p: Procurement): HTMLElement {
    const file = h('input', { type: 'file', id: 'proc-file', name: 'file', accept: '.pdf,.jpg,.jpeg,.png,.xlsx,.docx' });
    const problem = h('div', { id: 'proc-upload-error', class: 'field-error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button', id: 'proc-upload', class: 'btn small' }, t('proc.upload'));
    button.addEventListener('click', async () => {
      problem.hidden = true;
      const f = file.files?.[0];
      if (!f) {
        problem.textContent = t('proc.pickFile');
        problem.hidden = false;
        return;
      }
      const data = new FormData();
      data.append('file', f, f.name);
      button.disabled = true;
      button.textContent = t('proc.uploading');
      try {
        const a = await call<Attachment>('POST', `/api/procurements/${p.id}/attachments`, data, { signal });
        flash(t('proc.uploaded', { name: a.name || f.name, size: humanSize(a.size ?? f.size) }));
        await load();
      } catch (err) {
        if (isAbort(err)) return;
        // Too large, or not a type the server takes (it checks the content, not the name).
        problem.textContent = errorText(err);
        problem.hidden = false;
      } finally {
        button.disabled = false;
        button.textContent = t('proc.upload');
      }
    });
    return h('div', { class: 'uploader' }, h('label', { for: 'proc-file' }, t('proc.addAttachment')), h('div', { class: 'uploader-row' }, file, button), h('small', { class: 'muted' }, t('proc.uploadHint')), problem);
  }

  const unlisten = approvalFeed().listen(() => {
    if (!busy) void load();
  });
  signal.addEventListener('abort', unlisten);
  void load();
}
