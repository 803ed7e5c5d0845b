import { h } from '../dom';
import { t } from '../i18n';
import { unitName, unitOptions } from '../lookups';
import type { PageContext } from '../page';
import { resourcePage } from '../resource';
import type { Unit } from '../types';
import { descendants, unitTree } from '../units-tree';

/** unitsPage shows the county's units as a tree; admins add, change and remove units. */
export function unitsPage(ctx: PageContext): void {
  let units: Unit[] = [];
  const depth = new Map<number, number>();

  resourcePage<Unit>(ctx, {
    path: '/api/units',
    title: 'nav.units',
    noun: 'noun.unit',
    label: (u) => u.name,
    // The whole list at once so children sit under their parents.
    arrange: (rows) => {
      units = rows;
      depth.clear();
      return unitTree(rows).map((n) => {
        depth.set(n.unit.id, n.depth);
        return n.unit;
      });
    },
    columns: [
      {
        label: 'unit.name',
        cell: (u) => h('span', { class: 'tree-name', style: `--depth: ${depth.get(u.id) ?? 0}` }, u.name),
      },
      { label: 'unit.code', cell: (u) => u.code || t('common.none'), className: 'mono' },
      { label: 'unit.parent', cell: (u) => unitName(units, u.parent_id) || t('common.none') },
    ],
    fields: [
      { name: 'name', label: 'unit.name', kind: 'text', required: true, maxLength: 64 },
      { name: 'code', label: 'unit.code', kind: 'text', maxLength: 32 },
      {
        name: 'parent_id',
        label: 'unit.parent',
        kind: 'select',
        numeric: true,
        empty: 'unit.noParent',
        // A unit cannot move under itself or under one of its own children.
        options: (row) => unitOptions(units, row ? descendants(units, row.id) : undefined),
      },
    ],
  });
}
