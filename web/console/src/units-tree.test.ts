import { describe, expect, it } from 'vitest';
import type { Unit } from './types';
import { descendants, unitTree } from './units-tree';

const u = (id: number, name: string, parent_id: number | null, code = ''): Unit => ({ id, name, parent_id, code });

describe('unitTree', () => {
  it('puts children under their parents, depth first', () => {
    const units = [u(3, '财政局', 1, '02'), u(1, '县政府', null, '01'), u(2, '县政府办', 1, '01'), u(4, '综合股', 2, '01')];
    expect(unitTree(units).map((n) => `${n.depth}:${n.unit.name}`)).toEqual(['0:县政府', '1:县政府办', '2:综合股', '1:财政局']);
  });

  it('shows a unit whose parent is missing at the top level', () => {
    expect(unitTree([u(5, '孤立单位', 99)]).map((n) => n.depth)).toEqual([0]);
  });

  it('survives a cycle', () => {
    const out = unitTree([u(1, 'a', 2), u(2, 'b', 1)]);
    expect(out.map((n) => n.unit.id).sort()).toEqual([1, 2]);
  });
});

describe('descendants', () => {
  it('holds the unit and everything below it', () => {
    const units = [u(1, 'a', null), u(2, 'b', 1), u(3, 'c', 2), u(4, 'd', null)];
    expect([...descendants(units, 1)].sort()).toEqual([1, 2, 3]);
  });
});
