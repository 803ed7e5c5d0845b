import { h, replace } from '../dom';
import { t, tCode } from '../i18n';
import { formatTime } from '../time';
import { displayState, type LiveVehicle } from './state';

/** renderDetail fills the detail panel with one vehicle (or a hint when none is selected). */
export function renderDetail(el: HTMLElement, v: LiveVehicle | undefined): void {
  if (!v) {
    el.removeAttribute('data-vehicle-id');
    replace(el, h('p', { class: 'muted' }, t('map.pickVehicle')));
    return;
  }
  el.dataset.vehicleId = String(v.vehicle_id);
  const row = (label: string, value: string, key: string) => [h('dt', null, label), h('dd', { 'data-field': key }, value)];
  replace(
    el,
    h('h2', { class: 'detail-plate' }, v.plate),
    h(
      'dl',
      { class: 'detail-list' },
      row(t('map.speed'), t('map.kmh', { speed: v.speed_kmh.toFixed(1) }), 'speed'),
      row(t('map.course'), `${Math.round(v.course)}°`, 'course'),
      row(t('map.fixedAt'), formatTime(v.fixed_at), 'fixed_at'),
      row(t('map.link'), v.online ? t('map.online') : t('map.offline'), 'online'),
      row(t('map.state'), tCode('vstate', displayState(v)), 'state'),
    ),
  );
}
