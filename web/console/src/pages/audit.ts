import { h } from '../dom';
import { t } from '../i18n';
import type { PageContext } from '../page';
import { resourcePage } from '../resource';
import { formatTime } from '../time';
import type { AuditEntry } from '../types';

/** auditPage lists the audit log, newest first as the server sends it; nobody changes it. */
export function auditPage(ctx: PageContext): void {
  resourcePage<AuditEntry>(
    { ...ctx, writable: false },
    {
      path: '/api/audit',
      title: 'nav.audit',
      noun: 'nav.audit',
      label: (e) => String(e.id),
      searchable: false,
      fields: [],
      columns: [
        { label: 'audit.at', cell: (e) => formatTime(e.at), className: 'nowrap' },
        { label: 'audit.actor', cell: (e) => e.actor_name || (e.actor_id ? `#${e.actor_id}` : t('common.none')) },
        { label: 'audit.action', cell: (e) => h('code', null, e.action) },
        { label: 'audit.target', cell: (e) => e.target || t('common.none') },
        { label: 'audit.detail', cell: (e) => h('span', { class: 'detail' }, e.detail || '') },
        { label: 'audit.ip', cell: (e) => e.ip || t('common.none'), className: 'mono' },
      ],
    },
  );
}
