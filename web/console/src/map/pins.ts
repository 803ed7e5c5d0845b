import L from 'leaflet';

// The pin of a request's place on a map: a teardrop with a label (起 for the origin, 1, 2 … for
// the destinations), its point on the place. The body is rotated inside the icon so Leaflet's own
// positioning transform is left alone.

/** pinIcon draws a place's pin; active marks the place being picked. */
export function pinIcon(label: string, origin: boolean, active = false): L.DivIcon {
  return L.divIcon({
    className: `rq-pin${origin ? ' rq-pin-origin' : ''}${active ? ' active' : ''}`,
    html: `<div class="rq-pin-body"><span>${label}</span></div>`,
    iconSize: [26, 26],
    // The point of the drop, 13·√2 below the body's centre.
    iconAnchor: [13, 31],
    tooltipAnchor: [0, -24],
  });
}
