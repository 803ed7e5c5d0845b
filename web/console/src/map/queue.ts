import { ApiError, isAbort, listAll } from '../api';
import { confirmBox } from '../confirm';
import { assign, cancelTask, candidates, dispatchCancel, queue } from '../dispatch/api';
import { breakdown, formatScore, rankCandidates } from '../dispatch/candidates';
import { assignable, bucket, cancellable, counts, isLate, lateMinutes, queueTabs, type Buckets, type QueueTab } from '../dispatch/queue';
import { assignment } from '../dispatch/status';
import type { Candidate, Request, Task } from '../dispatch/types';
import { placeList, priorityTag, routeText, statusTag, telLink, timeSpan } from '../dispatch/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText } from '../page';
import type { Driver } from '../types';

// The dispatcher's request queue beside the live map (GET /api/dispatch/queue): five tabs —
// waiting for approval, to assign, assigned, running, late. Selecting a request shows its route
// on the map and its candidates (GET …/candidates, best first, each score broken down) ringed on
// the map; one click assigns (POST …/assign; a 409 says why it could not be booked). Assigned
// requests can be reassigned or cancelled. The list refreshes on task messages and every 30 s.

export const refreshMs = 30_000;

/** Ranked is a candidate with its rank and the names the page found for it. */
export type Ranked = Candidate & { rank: number; key: string; plateText: string; driverText: string };

export interface QueueOptions {
  signal: AbortSignal;
  writable: boolean;
  /** The plate of a vehicle the page knows (from /api/live or /api/vehicles). */
  plateOf: (vehicleID: number) => string | undefined;
  /** The selected request changed (null: none); the page draws it. */
  onRequest: (r: Request | null) => void;
  /** The candidates shown changed; the page rings them on the map. */
  onCandidates: (list: Ranked[]) => void;
  /** A candidate row is hovered or picked: the page highlights its vehicle. */
  onHighlight: (vehicleID: number | null, pan: boolean) => void;
  /** The counts of the tabs changed (the page's tab badge shows what needs a hand). */
  onCounts?: (c: Record<QueueTab, number>) => void;
}

export class QueuePanel {
  readonly el: HTMLElement;
  private readonly tabs = new Map<QueueTab, HTMLElement>();
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly detail: HTMLElement;
  private tab: QueueTab = 'approved';
  private buckets: Buckets = { pending: [], approved: [], assigned: [], running: [], late: [] };
  private selected: Request | null = null;
  private cands: Ranked[] = [];
  private excluded: Record<string, number> = {};
  private drivers = new Map<number, Driver>();
  private seq = 0;
  private candSeq = 0;
  private timer = 0;
  private reloadTimer = 0;
  private busy = false;

  constructor(private readonly o: QueueOptions) {
    this.status = h('div', { class: 'status dq-status', role: 'status' }, t('common.loading'));
    this.list = h('ul', { id: 'queue-list', class: 'dq-list', 'data-tab': this.tab });
    this.detail = h('div', { id: 'queue-detail', class: 'dq-detail', hidden: true });
    const tabRow = h(
      'nav',
      { class: 'dq-tabs', role: 'tablist', 'aria-label': t('dq.title') },
      queueTabs.map((k) => {
        const n = h('span', { class: 'dq-count' }, '0');
        const b = h('button', { type: 'button', role: 'tab', class: `dq-tab${k === this.tab ? ' active' : ''}`, 'data-tab': k, 'aria-selected': String(k === this.tab), onclick: () => this.setTab(k) }, t(`dq.tab.${k}`), n);
        this.tabs.set(k, b);
        return b;
      }),
    );
    this.el = h(
      'div',
      { id: 'dispatch-queue', class: 'map-queue' },
      h('div', { class: 'map-panel-head' }, h('h2', null, t('dq.title')), h('button', { type: 'button', class: 'btn link small', id: 'queue-refresh', title: t('dq.refresh'), onclick: () => void this.load() }, '↻')),
      tabRow,
      this.status,
      this.list,
      this.detail,
    );
    this.list.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest<HTMLElement>('[data-request-id]');
      if (li) this.select(Number(li.dataset.requestId));
    });
    this.timer = window.setInterval(() => {
      if (!document.hidden) void this.load();
    }, refreshMs);
    o.signal.addEventListener('abort', () => {
      window.clearInterval(this.timer);
      window.clearTimeout(this.reloadTimer);
    });
    void this.loadDrivers();
    void this.load();
  }

  /** onTask takes a task message: the queue is fetched again (debounced), the open candidates too. */
  onTask(task: Task): void {
    window.clearTimeout(this.reloadTimer);
    this.reloadTimer = window.setTimeout(() => {
      void this.load();
      const s = this.selected;
      if (s && (task.request_id === s.id || task.request_ids?.includes(s.id)) && !this.busy) void this.loadCandidates(s);
    }, 300);
  }

  /** onRequests takes a request message (filed, approved, cancelled…): the queue is fetched again (debounced). */
  onRequests(): void {
    window.clearTimeout(this.reloadTimer);
    this.reloadTimer = window.setTimeout(() => void this.load(), 300);
  }

  /** requestOf returns a request of the queue by id. */
  requestOf(id: number): Request | undefined {
    return this.find(id);
  }

  /** openRequest selects a request by id (from ?request= in the address). */
  openRequest(id: number): void {
    this.pending = id;
    this.select(id);
  }

  private pending = 0;

  private setTab(k: QueueTab): void {
    this.tab = k;
    for (const [key, b] of this.tabs) {
      b.classList.toggle('active', key === k);
      b.setAttribute('aria-selected', String(key === k));
    }
    this.list.dataset.tab = k;
    this.back();
    this.drawList();
  }

  async load(): Promise<void> {
    const mine = ++this.seq;
    try {
      const a = await queue(this.o.signal);
      if (mine !== this.seq) return;
      this.buckets = bucket(a, Date.now());
      const c = counts(this.buckets);
      for (const [k, b] of this.tabs) {
        const n = b.querySelector('.dq-count')!;
        n.textContent = String(c[k]);
        b.classList.toggle('has', c[k] > 0);
      }
      this.o.onCounts?.(c);
      this.status.textContent = '';
      this.drawList();
      // The selected request moved on: show it as it is now.
      if (this.selected) {
        const now = this.find(this.selected.id);
        if (now && now.status !== this.selected.status) {
          this.selected = now;
          this.drawDetail();
          if (assignable(now)) void this.loadCandidates(now);
        }
      } else if (this.pending) {
        this.select(this.pending);
      }
    } catch (err) {
      if (isAbort(err) || mine !== this.seq) return;
      this.status.textContent = t('error.load', { message: errorText(err) });
      this.status.className = 'status dq-status error';
    }
  }

  private async loadDrivers(): Promise<void> {
    try {
      const ds = await listAll<Driver>('/api/drivers', this.o.signal);
      this.drivers = new Map(ds.map((d) => [d.id, d]));
      if (this.cands.length) this.drawCandidates();
    } catch (err) {
      if (!isAbort(err)) console.warn('fleet: drivers for candidates', err);
    }
  }

  private find(id: number): Request | undefined {
    for (const k of queueTabs) {
      const r = this.buckets[k].find((x) => x.id === id);
      if (r) return r;
    }
    return undefined;
  }

  private drawList(): void {
    const rows = this.buckets[this.tab];
    const now = Date.now();
    if (!this.selected) {
      this.status.textContent = rows.length ? '' : t(`dq.empty.${this.tab}`);
      this.status.className = rows.length ? 'status dq-status' : 'status dq-status empty';
    }
    replace(
      this.list,
      rows.map((r) => {
        const late = lateMinutes(r, now);
        const a = assignment(r);
        return h(
          'li',
          { class: `dq-item${this.selected?.id === r.id ? ' selected' : ''}${r.priority === 'emergency' ? ' emergency' : ''}`, 'data-request-id': r.id, 'data-status': r.status, tabindex: 0 },
          h('div', { class: 'dq-item-top' }, h('span', { class: 'dq-when' }, timeSpan(r.depart_at, r.return_at, now)), priorityTag(r.priority), statusTag(r.status)),
          h('div', { class: 'dq-purpose' }, r.purpose),
          h('div', { class: 'dq-meta muted' }, [r.unit, r.applicant, t('req.passengersN', { n: r.passengers }), r.vehicle_class && tCode('class', r.vehicle_class)].filter(Boolean).join(' · ')),
          h('div', { class: 'dq-route muted' }, routeText(r)),
          a && h('div', { class: 'dq-car' }, h('strong', { class: 'plate' }, a.plate), a.driver && ` · ${a.driver}`),
          (isLate(r, now) || late > 0) && h('div', { class: 'dq-late' }, t('dq.lateBy', { m: late || 1 })),
        );
      }),
    );
  }

  private select(id: number): void {
    const r = this.find(id);
    if (!r) return;
    this.pending = 0;
    this.selected = r;
    this.cands = [];
    this.o.onCandidates([]);
    this.o.onRequest(r);
    this.list.hidden = true;
    this.status.textContent = '';
    this.detail.hidden = false;
    this.drawDetail();
    if (assignable(r)) void this.loadCandidates(r);
  }

  private back(): void {
    if (!this.selected) return;
    this.selected = null;
    this.cands = [];
    this.candSeq++;
    this.detail.hidden = true;
    this.list.hidden = false;
    this.o.onCandidates([]);
    this.o.onRequest(null);
    this.drawList();
  }

  private drawDetail(): void {
    const r = this.selected;
    if (!r) return;
    const a = assignment(r);
    this.detail.dataset.requestId = String(r.id);
    this.detail.dataset.status = r.status;
    replace(
      this.detail,
      h('button', { type: 'button', class: 'btn link dq-back', id: 'queue-back', onclick: () => this.back() }, `‹ ${t('dq.back')}`),
      h('div', { class: 'dq-head' }, h('h3', { class: 'dq-title' }, r.purpose), priorityTag(r.priority), statusTag(r.status, 'queue-request-status')),
      h(
        'dl',
        { class: 'detail-list dq-facts' },
        h('dt', null, t('req.when')),
        h('dd', null, timeSpan(r.depart_at, r.return_at)),
        h('dt', null, t('approval.applicant')),
        h('dd', null, [r.applicant, r.unit].filter(Boolean).join(' · ') || t('common.none'), r.applicant_phone && ' ', r.applicant_phone && telLink(r.applicant_phone)),
        h('dt', null, t('req.passengers')),
        h('dd', null, `${r.passengers} · ${r.vehicle_class ? tCode('class', r.vehicle_class) : t('common.none')}`),
        r.approval_status && h('dt', null, t('req.approval')),
        r.approval_status && h('dd', null, tCode('astatus', r.approval_status)),
        a && h('dt', null, t('dq.current')),
        a && h('dd', { id: 'queue-current' }, h('strong', { class: 'plate' }, a.plate), ` · ${a.driver}`),
        r.notes && h('dt', null, t('req.notes')),
        r.notes && h('dd', null, r.notes),
      ),
      h('div', { id: 'assign-error', class: 'form-error', role: 'alert', hidden: true }),
      assignable(r)
        ? h(
            'section',
            { class: 'dq-cands' },
            h('h4', null, a ? t('dq.reassignTitle') : t('dq.candidates'), ' ', h('span', { class: 'muted', id: 'candidate-count' })),
            h('ul', { id: 'candidate-list', class: 'cand-list' }, h('li', { class: 'muted' }, t('common.loading'))),
          )
        : r.status === 'submitted'
          ? h('p', { class: 'muted dq-wait' }, t('dq.waitApproval'))
          : null,
      placeList(r, 'queue-stops'),
      this.o.writable &&
        h(
          'div',
          { class: 'dq-actions' },
          r.task && r.status !== 'departed' && h('button', { type: 'button', class: 'btn small', id: 'queue-unassign', onclick: () => void this.unassign(r) }, t('dq.unassign')),
          cancellable(r) && h('button', { type: 'button', class: 'btn small danger', id: 'queue-cancel', onclick: () => void this.cancel(r) }, t('dq.cancel')),
          h('a', { class: 'btn small', href: `/requests?id=${r.id}`, target: '_blank', rel: 'noopener' }, t('dq.openRequest')),
        ),
    );
  }

  private async loadCandidates(r: Request): Promise<void> {
    const mine = ++this.candSeq;
    try {
      const a = await candidates(r.id, this.o.signal);
      if (mine !== this.candSeq || this.selected?.id !== r.id) return;
      this.excluded = a.excluded ?? {};
      this.cands = rankCandidates(a.items).map((c) => ({
        ...c,
        plateText: c.plate || this.o.plateOf(c.vehicle_id) || `#${c.vehicle_id}`,
        driverText: c.driver || this.drivers.get(c.driver_id)?.name || `#${c.driver_id}`,
      }));
      this.drawCandidates();
      this.o.onCandidates(this.cands);
    } catch (err) {
      if (isAbort(err) || mine !== this.candSeq) return;
      const ul = this.detail.querySelector('#candidate-list');
      if (ul) replace(ul, h('li', { class: 'status error' }, t('error.load', { message: errorText(err) })));
    }
  }

  private drawCandidates(): void {
    const ul = this.detail.querySelector<HTMLElement>('#candidate-list');
    if (!ul) return;
    const count = this.detail.querySelector('#candidate-count');
    if (count) count.textContent = t('dq.candidateCount', { n: this.cands.length });
    for (const c of this.cands) {
      c.plateText = c.plate || this.o.plateOf(c.vehicle_id) || `#${c.vehicle_id}`;
      c.driverText = c.driver || this.drivers.get(c.driver_id)?.name || `#${c.driver_id}`;
    }
    if (!this.cands.length) {
      const why = Object.entries(this.excluded)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]);
      replace(
        ul,
        h(
          'li',
          { class: 'status empty', id: 'candidate-none' },
          t('dq.noCandidates'),
          why.length > 0 && h('ul', { class: 'cand-excluded' }, why.map(([k, n]) => h('li', { 'data-reason': k }, `${tCode('excluded', k)}：${n}`))),
          this.selected &&
            h('div', null, h('button', { type: 'button', class: 'btn small', id: 'candidate-retry', onclick: () => this.selected && void this.loadCandidates(this.selected) }, t('dq.retry'))),
        ),
      );
      return;
    }
    const current = this.selected?.task;
    replace(
      ul,
      this.cands.map((c) => {
        // The parts that count (a zero part says nothing about this pair).
        const parts = breakdown(c.reasons).filter((p) => p.value !== 0);
        const isCurrent = current && current.vehicle_id === c.vehicle_id && current.driver_id === c.driver_id;
        const phone = c.driver_phone || this.drivers.get(c.driver_id)?.phone || '';
        return h(
          'li',
          {
            class: `cand${c.rank === 1 ? ' best' : ''}`,
            'data-vehicle-id': c.vehicle_id,
            'data-driver-id': c.driver_id,
            'data-rank': c.rank,
            onmouseenter: () => this.o.onHighlight(c.vehicle_id, false),
            onmouseleave: () => this.o.onHighlight(null, false),
          },
          h(
            'div',
            { class: 'cand-top' },
            h('span', { class: 'cand-rank' }, c.rank),
            h('button', { type: 'button', class: 'btn link cand-plate', title: t('dq.showOnMap'), onclick: () => this.o.onHighlight(c.vehicle_id, true) }, h('strong', { class: 'plate' }, c.plateText)),
            h('span', { class: 'cand-driver' }, c.driverText),
            h('span', { class: 'cand-score', title: t('dq.scoreHint') }, formatScore(c.score)),
          ),
          h(
            'div',
            { class: 'cand-sub muted' },
            [
              typeof c.distance_km === 'number' ? t('dq.km', { km: c.distance_km.toFixed(1) }) : '',
              c.from && c.from !== 'live' ? tCode('candFrom', c.from) : '',
              c.seats ? t('dq.seats', { n: c.seats }) : '',
              c.energy ? tCode('energy', c.energy) : '',
              phone,
            ]
              .filter(Boolean)
              .join(' · '),
          ),
          c.note && h('div', { class: 'cand-sub warn' }, c.note),
          parts.length > 0 &&
            h(
              'ul',
              { class: 'cand-parts' },
              parts.map((p) =>
                h(
                  'li',
                  { 'data-code': p.code },
                  h('span', { class: 'cand-part-name' }, p.code && tCode('reason', p.code) !== p.code ? tCode('reason', p.code) : p.text),
                  p.detail && h('span', { class: 'muted' }, ` ${p.detail}`),
                  p.value !== null && h('span', { class: `cand-part-value${p.value < 0 ? ' bonus' : ''}` }, p.value > 0 ? `+${formatScore(p.value)}` : formatScore(p.value)),
                ),
              ),
            ),
          this.o.writable &&
            h(
              'div',
              { class: 'cand-actions' },
              isCurrent
                ? h('span', { class: 'badge muted' }, t('dq.isCurrent'))
                : h('button', { type: 'button', class: 'btn small primary', 'data-action': 'assign', onclick: () => void this.assign(c) }, current ? t('dq.reassign') : t('dq.assign')),
            ),
        );
      }),
    );
  }

  private async assign(c: Ranked): Promise<void> {
    const r = this.selected;
    if (!r || this.busy) return;
    const err = this.detail.querySelector<HTMLElement>('#assign-error');
    if (err) err.hidden = true;
    if (r.task && !(await confirmBox(t('dq.confirmReassign', { plate: c.plateText, driver: c.driverText }), t('dq.reassign'), this.o.signal))) return;
    this.busy = true;
    for (const b of this.detail.querySelectorAll<HTMLButtonElement>('[data-action="assign"]')) b.disabled = true;
    try {
      await assign(r.id, c.vehicle_id, c.driver_id, Boolean(r.task), this.o.signal);
      flash(t('dq.assigned', { plate: c.plateText, driver: c.driverText }));
      this.busy = false;
      this.back();
      await this.load();
    } catch (e) {
      if (isAbort(e)) return;
      if (err) {
        err.textContent = e instanceof ApiError && e.status === 409 ? t('dq.conflict', { message: e.message }) : errorText(e);
        err.hidden = false;
        err.dataset.status = e instanceof ApiError ? String(e.status) : '';
        err.scrollIntoView?.({ block: 'nearest' });
      }
      for (const b of this.detail.querySelectorAll<HTMLButtonElement>('[data-action="assign"]')) b.disabled = false;
      // Booked meanwhile: the list is stale, ask again.
      if (e instanceof ApiError && e.status === 409) {
        this.busy = false;
        void this.loadCandidates(r);
      }
    } finally {
      this.busy = false;
    }
  }

  /** unassign withdraws the assignment before departure: the request goes back to be assigned. */
  private async unassign(r: Request): Promise<void> {
    if (this.busy || !r.task) return;
    if (!(await confirmBox(t('dq.confirmUnassign', { plate: r.task.plate ?? '', driver: r.task.driver ?? '' }), t('dq.unassign'), this.o.signal))) return;
    this.busy = true;
    try {
      await cancelTask(r.task.id, t('dq.cancelReason'), this.o.signal);
      flash(t('dq.unassigned'));
      this.busy = false;
      await this.load();
      const now = this.find(r.id);
      if (now) {
        this.selected = now;
        this.drawDetail();
        void this.loadCandidates(now);
      } else this.back();
    } catch (e) {
      if (isAbort(e)) return;
      flash(errorText(e), 'error');
    } finally {
      this.busy = false;
    }
  }

  private async cancel(r: Request): Promise<void> {
    if (this.busy) return;
    if (!(await confirmBox(t('dq.confirmCancel', { purpose: r.purpose }), t('dq.cancel'), this.o.signal))) return;
    this.busy = true;
    try {
      await dispatchCancel(r.id, t('dq.cancelReason'), this.o.signal);
      flash(t('req.cancelled'));
      this.busy = false;
      this.back();
      await this.load();
    } catch (e) {
      if (isAbort(e)) return;
      flash(errorText(e), 'error');
    } finally {
      this.busy = false;
    }
  }
}
