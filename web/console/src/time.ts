// Times arrive as UTC (RFC 3339) and are shown in the county's time zone.
// TODO: take the zone from the server's settings once there is an API for them.
const countyZone = 'Asia/Shanghai';

/** formatTime shows an RFC 3339 time as local county time, e.g. 2025-03-04 09:30:15. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // sv-SE formats as YYYY-MM-DD HH:MM:SS, which reads well in both languages.
  return d.toLocaleString('sv-SE', { timeZone: countyZone, hour12: false });
}
