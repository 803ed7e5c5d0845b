import '../approvals.css';
import '../dispatch.css';
import { ApiError, isAbort } from '../api';
import { getInstance } from '../approvals/api';
import { approvalFeed } from '../approvals/live';
import { TaskFeed } from '../dispatch/live';
import type { Instance } from '../approvals/types';
import { facts, section, statusTag as approvalStatusTag, timelineList } from '../approvals/views';
import { confirmBox } from '../confirm';
import { getRequest, myRequests, rateRequest, requestAction } from '../dispatch/api';
import { rateBody } from '../dispatch/rating';
import { emptyRequest, requestDraftFrom } from '../dispatch/request-form';
import { defaultTimes, requestForm } from '../dispatch/request-form-view';
import { applicantMay, assignment, endedEarly, eventsOf, starsOf } from '../dispatch/status';
import type { Request } from '../dispatch/types';
import { historyList, placeList, priorityTag, progressStrip, routeText, starInput, starsShown, statusTag, telLink, timeSpan } from '../dispatch/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { navigate } from '../router';
import { formatTime } from '../time';

// Vehicle-use requests (用车申请) of the signed-in user, desktop and phone: /requests lists them,
// ?new=1 files one (?copy=N starts from an earlier one), ?id=N follows one: its progress, the
// approval, the plate, driver and phone once assigned; cancel before departure; rate afterwards.

/** pollMs is how often an open request's page asks again, in case a message was missed while the
 * socket reconnected: the server tells the applicant of each change of their requests. */
const pollMs = 60_000;

/** followRequests calls fn when the server says one of the applicant's requests changed state
 * (a TaskFeed: request messages, on the tasks topic); the returned function stops it. */
function followRequests(fn: (ids: number[]) => void): () => void {
  const feed = new TaskFeed({ onTask: () => {}, onRequests: (rs) => fn(rs.map((r) => r.id)) });
  return () => feed.stop();
}

/** requestsPage routes between the list, the form and one request. */
export function requestsPage(ctx: PageContext): void {
  ctx.root.classList.add('ap-page', 'rq-page');
  const q = new URLSearchParams(location.search);
  const id = Number(q.get('id'));
  if (Number.isInteger(id) && id > 0) detailView(ctx, id);
  else if (q.get('new') === '1' && ctx.writable) void newView(ctx, Number(q.get('copy')) || 0);
  else listView(ctx);
}

function listView(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const list = h('ul', { id: 'request-list', class: 'rq-list' });
  replace(
    root,
    pageHeader('req.title', writable && h('a', { href: '/requests?new=1', class: 'btn primary', id: 'request-new' }, `+ ${t('req.new')}`)),
    h('p', { class: 'muted' }, t('req.listHint')),
    status,
    list,
  );

  async function load(): Promise<void> {
    try {
      const r = await myRequests(signal);
      const rows = [...(r.items ?? [])].sort((a, b) => (Date.parse(b.depart_at) || 0) - (Date.parse(a.depart_at) || 0) || b.id - a.id);
      status.textContent = rows.length ? '' : t('req.none');
      status.className = rows.length ? 'status' : 'status empty';
      replace(list, rows.map(listItem));
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }
  const unlisten = approvalFeed().listen(() => void load());
  const unfollow = followRequests(() => void load());
  const timer = window.setInterval(() => {
    if (!document.hidden) void load();
  }, pollMs);
  signal.addEventListener('abort', () => {
    unlisten();
    unfollow();
    window.clearInterval(timer);
  });
  void load();
}

function listItem(r: Request): HTMLElement {
  const a = assignment(r);
  return h(
    'li',
    { 'data-id': r.id, 'data-status': r.status, class: 'rq-item' },
    h(
      'a',
      { href: `/requests?id=${r.id}`, class: 'rq-item-link' },
      h('div', { class: 'rq-item-top' }, h('span', { class: 'rq-purpose' }, r.purpose), priorityTag(r.priority), statusTag(r.status)),
      h('div', { class: 'rq-item-meta' }, h('span', { class: 'rq-when' }, timeSpan(r.depart_at, r.return_at)), h('span', null, t('req.passengersN', { n: r.passengers }))),
      h('div', { class: 'rq-item-route muted' }, routeText(r)),
      a && h('div', { class: 'rq-item-car' }, h('strong', { class: 'plate' }, a.plate), a.driver && ` · ${a.driver}`),
    ),
  );
}

async function newView(ctx: PageContext, copy: number): Promise<void> {
  const draft = emptyRequest();
  Object.assign(draft, defaultTimes());
  const status = h('div', { class: 'status', role: 'status' });
  replace(ctx.root, pageHeader('req.newTitle'), h('a', { href: '/requests', class: 'ap-back' }, `‹ ${t('req.backToList')}`), status);
  if (copy > 0) {
    try {
      const old = await getRequest(copy, ctx.signal);
      Object.assign(draft, { ...requestDraftFrom(old), ...defaultTimes() });
    } catch (err) {
      if (isAbort(err)) return;
      // A blank form then.
    }
  }
  if (ctx.signal.aborted) return;
  ctx.root.append(
    requestForm({
      draft,
      signal: ctx.signal,
      onSaved: (id, st) => {
        flash(st === 'approved' || st === 'submitted' ? t(`req.saved.${st}`) : t('req.saved.submitted'));
        navigate(`/requests?id=${id}`, { replace: true });
      },
    }),
  );
}

function detailView(ctx: PageContext, id: number): void {
  const { root, signal, user, writable } = ctx;
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const body = h('div', { id: 'request-detail', class: 'ap-detail rq-detail', 'aria-busy': 'true' });
  replace(root, pageHeader('req.detailTitle'), h('a', { href: '/requests', class: 'ap-back', id: 'request-back' }, `‹ ${t('req.backToList')}`), status, body);

  let req: Request | null = null;
  let inst: Instance | null = null;
  let busy = false;
  let stars = 0;
  let lastSig = '';

  async function load(): Promise<void> {
    try {
      const r = await getRequest(id, signal);
      let i: Instance | null = null;
      if (r.approval_id) {
        try {
          i = await getInstance(r.approval_id, signal);
        } catch (err) {
          if (isAbort(err)) return;
          // Not visible (an emergency approved after the fact by someone else's flow): no timeline.
          console.warn('fleet: approval of request', err);
        }
      }
      status.textContent = '';
      status.className = 'status';
      // Nothing changed since the last look: keep the page (and whatever is being typed) as it is.
      const sig = JSON.stringify([r, i?.status, i?.history?.length]);
      if (sig === lastSig) return;
      lastSig = sig;
      req = r;
      inst = i;
      if (!busy) draw();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(): void {
    if (!req) return;
    const r = req;
    const mine = r.applicant_id === undefined || r.applicant_id === user.id;
    const may = applicantMay(r);
    const a = assignment(r);
    const events = eventsOf(r);
    replace(
      body,
      h(
        'section',
        { class: 'card ap-head' },
        h('div', { class: 'ap-head-top' }, h('h2', { class: 'ap-title', id: 'request-purpose' }, r.purpose), priorityTag(r.priority), statusTag(r.status, 'request-status')),
        facts([
          ['req.when', h('span', { id: 'request-when' }, timeSpan(r.depart_at, r.return_at))],
          ['req.passengers', String(r.passengers)],
          ['req.vehicleClass', r.vehicle_class ? tCode('class', r.vehicle_class) : ''],
          ['approval.applicant', r.applicant ?? ''],
          ['approval.unit', r.unit || r.unit_name || ''],
          ['req.notes', r.notes ?? ''],
          ['req.createdAt', formatTime(r.created_at)],
        ]),
        !endedEarly.has(r.status) && progressStrip(r),
      ),
      a && assignmentCard(a),
      mine && writable && (may.cancel || may.rate) && actions(r),
      starsOf(r.rating) ? section('rate.title', starsShown(starsOf(r.rating), r.rating?.comment)) : null,
      section('req.route', placeList(r, 'request-stops')),
      r.approval_id &&
        section(
          'req.approval',
          inst && h('div', { class: 'rq-approval-head' }, approvalStatusTag(inst.status, 'request-approval-status'), ' ', inst.step?.name && h('span', { class: 'muted' }, inst.step.name)),
          inst && timelineList(inst.history),
          h('a', { href: `/approvals?id=${r.approval_id}`, id: 'request-approval-link', class: 'btn small' }, t('req.approvalLink')),
        ),
      events.length > 0 && section('req.history', historyList(events)),
      h('div', { class: 'rq-again' }, writable && h('a', { href: `/requests?new=1&copy=${r.id}`, class: 'btn link', id: 'request-copy' }, t('req.again'))),
    );
    body.setAttribute('aria-busy', 'false');
  }

  function assignmentCard(a: { plate: string; driver: string; phone: string }): HTMLElement {
    return h(
      'section',
      { class: 'card rq-car', id: 'request-assignment' },
      h('h3', null, t('req.assigned')),
      h(
        'div',
        { class: 'rq-car-row' },
        h('strong', { class: 'plate rq-car-plate', 'data-field': 'plate' }, a.plate || t('common.none')),
        h('span', { class: 'rq-car-driver', 'data-field': 'driver' }, a.driver || t('common.none')),
        h('span', { 'data-field': 'phone' }, telLink(a.phone, 'request-driver-phone')),
      ),
    );
  }

  function actions(r: Request): HTMLElement {
    const may = applicantMay(r);
    const box = h('section', { class: 'card rq-actions', id: 'request-actions' });
    if (may.rate) {
      const comment = h('textarea', { id: 'rate-comment', rows: 2, maxlength: 500, placeholder: t('rate.placeholder'), 'aria-label': t('rate.comment') });
      const problem = h('div', { id: 'rate-error', class: 'field-error', role: 'alert', hidden: true });
      const send = h('button', { type: 'button', id: 'rate-submit', class: 'btn primary' }, t('rate.submit'));
      send.addEventListener('click', async () => {
        problem.hidden = true;
        const built = rateBody(stars, comment.value);
        if (Object.keys(built.problems).length) {
          problem.textContent = built.problems.stars ? t('rate.needStars') : built.problems.comment === 'required' ? t('rate.needReason') : tCode('field', built.problems.comment);
          problem.hidden = false;
          return;
        }
        busy = true;
        send.disabled = true;
        try {
          await rateRequest(r.id, built.body, signal);
          flash(t('rate.thanks'));
          busy = false;
          await load();
        } catch (err) {
          if (isAbort(err)) return;
          problem.textContent = errorText(err);
          problem.hidden = false;
          send.disabled = false;
        } finally {
          busy = false;
        }
      });
      box.append(h('h3', null, t('rate.title')), starInput(stars, (n) => (stars = n)), comment, problem, h('div', { class: 'ap-buttons' }, send));
    }
    if (may.cancel) {
      const cancel = h('button', { type: 'button', id: 'request-cancel', class: 'btn danger' }, t('req.cancel'));
      cancel.addEventListener('click', async () => {
        if (busy || !(await confirmBox(t('req.confirmCancel', { purpose: r.purpose }), t('req.cancel'), signal))) return;
        busy = true;
        cancel.disabled = true;
        try {
          await requestAction(r.id, 'cancel', {}, signal);
          flash(t('req.cancelled'));
          busy = false;
          await load();
        } catch (err) {
          if (isAbort(err)) return;
          flash(errorText(err), 'error');
          cancel.disabled = false;
          if (err instanceof ApiError && err.status === 409) {
            busy = false;
            void load();
          }
        } finally {
          busy = false;
        }
      });
      box.append(h('div', { class: 'ap-buttons rq-cancel-row' }, h('span', { class: 'muted' }, t('req.cancelHint')), cancel));
    }
    return box;
  }

  // The approval moved on (approvals topic), or the request did (request messages: approved,
  // assigned, accepted, under way, back); a slow poll covers a message lost while reconnecting.
  const unlisten = approvalFeed().listen((ap) => {
    if (req?.approval_id === ap.id && !busy) void load();
  });
  const unfollow = followRequests((ids) => {
    if (ids.includes(id) && !busy) void load();
  });
  const timer = window.setInterval(() => {
    if (!document.hidden && !busy && req && !['completed', 'cancelled', 'rejected'].includes(req.status)) void load();
  }, pollMs);
  signal.addEventListener('abort', () => {
    unlisten();
    unfollow();
    window.clearInterval(timer);
  });
  void load();
}
