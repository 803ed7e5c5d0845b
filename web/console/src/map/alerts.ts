import { call } from '../api';
import { h } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText } from '../page';
import { formatTime } from '../time';
import type { LiveEvent } from './state';

// The alerts panel: live events, newest first, each with an acknowledge button for the
// roles that may acknowledge (POST /api/events/{id}/ack).

const maxItems = 100;

export class AlertsPanel {
  readonly el: HTMLElement;
  private readonly ul: HTMLUListElement;
  private readonly items = new Map<number, HTMLLIElement>();

  constructor(
    private readonly plateOf: (vehicleID: number) => string,
    private readonly canAck: boolean,
    private readonly onPick: (ev: LiveEvent) => void,
  ) {
    this.ul = h('ul', { class: 'alert-list' });
    this.el = h('div', { id: 'alerts', class: 'map-alerts' }, h('div', { class: 'map-panel-head' }, h('h2', null, t('map.alerts'))), this.ul, h('p', { class: 'muted alert-empty' }, t('map.noAlerts')));
  }

  /** add shows an event (again, when it was updated), newest first. */
  add(ev: LiveEvent): void {
    const old = this.items.get(ev.id);
    const li = h(
      'li',
      { 'data-event-id': ev.id, 'data-type': ev.type, class: `alert-item${ev.ack_at ? ' acked' : ''}` },
      h(
        'button',
        { type: 'button', class: 'alert-main', onclick: () => this.onPick(ev) },
        h('span', { class: `alert-type etype-${ev.type}` }, tCode('event', ev.type)),
        h('span', { class: 'alert-plate' }, this.plateOf(ev.vehicle_id)),
        h('time', { class: 'alert-time', datetime: ev.started_at }, formatTime(ev.started_at)),
      ),
      ev.ack_at
        ? h('span', { class: 'alert-acked' }, t('map.acked'))
        : this.canAck && h('button', { type: 'button', class: 'btn small', 'data-action': 'ack', onclick: () => void this.ack(ev, li) }, t('map.ack')),
    );
    if (old) old.replaceWith(li);
    else this.ul.prepend(li);
    this.items.set(ev.id, li);
    while (this.items.size > maxItems) {
      const last = this.ul.lastElementChild as HTMLLIElement | null;
      if (!last) break;
      this.items.delete(Number(last.dataset.eventId));
      last.remove();
    }
  }

  private async ack(ev: LiveEvent, li: HTMLLIElement): Promise<void> {
    const btn = li.querySelector<HTMLButtonElement>('[data-action=ack]');
    if (btn) btn.disabled = true;
    try {
      const saved = await call<LiveEvent | undefined>('POST', `/api/events/${ev.id}/ack`, { note: '' });
      this.add({ ...ev, ...(saved ?? {}), ack_at: saved?.ack_at ?? new Date().toISOString() });
      flash(t('map.ackDone'));
    } catch (err) {
      if (btn) btn.disabled = false;
      flash(errorText(err), 'error');
    }
  }
}
