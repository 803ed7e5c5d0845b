import { describe, expect, it } from 'vitest';
import { buildBody, checksOf, draftFrom, emptyDraft, formatFen, formatYuan, isVehicleKind, lineFen, parseNumber, toFen, totalFen } from './form';
import type { Procurement } from './types';

describe('parseNumber', () => {
  it('reads plain, grouped and full-width numbers', () => {
    expect(['12', ' 3.5 ', '1,200.50', '１２', '12．5', '.5'].map(parseNumber)).toEqual([12, 3.5, 1200.5, 12, 12.5, 0.5]);
  });
  it('refuses what is not a number', () => {
    for (const s of ['', 'abc', '1.2.3', '12元', '--1']) expect(parseNumber(s), s).toBeNaN();
  });
});

describe('money', () => {
  it('multiplies in whole fen, so 3 × 0.1 is 0.30', () => {
    expect(lineFen('3', '0.1')).toBe(30);
    expect(lineFen('1.5', '0.33')).toBe(50); // 49.5 fen rounds half away from zero
    expect(lineFen('2', '168000')).toBe(33_600_000);
    expect(lineFen('x', '1')).toBeNaN();
  });
  it('totals the rows that have an amount, ignoring rows still being typed', () => {
    expect(
      totalFen([
        { quantity: '3', unit_price: '0.1' },
        { quantity: '2', unit_price: '0.2' },
        { quantity: '', unit_price: '9' },
      ]),
    ).toBe(70);
  });
  it('rounds yuan to fen half away from zero', () => {
    expect([toFen(0.125), toFen(1.005), toFen(-0.125)]).toEqual([13, 101, -13]);
  });
  it('formats with thousands separators and two decimals', () => {
    expect(formatFen(16_800_000)).toBe('¥168,000.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(-123456)).toBe('-¥1,234.56');
    expect(formatYuan(1234.5)).toBe('¥1,234.50');
    expect(formatYuan(null)).toBe('—');
  });
});

describe('buildBody', () => {
  const goods = () => {
    const d = emptyDraft('goods');
    d.title = ' 办公桌椅 ';
    d.reason = '新增人员办公';
    d.items = [
      { name: '办公桌', quantity: '2', unit_price: '1,200' },
      { name: '', quantity: '1', unit_price: '' }, // an untouched extra row
    ];
    return d;
  };

  it('builds the contract body for goods, trimmed, without a vehicle', () => {
    const { body, problems } = buildBody(goods());
    expect(problems).toEqual({});
    expect(body).toEqual({ kind: 'goods', title: '办公桌椅', reason: '新增人员办公', items: [{ name: '办公桌', quantity: 2, unit_price: 1200 }] });
  });

  it('names each bad field by its path', () => {
    const d = goods();
    d.title = '';
    d.items = [{ name: '', quantity: '-1', unit_price: 'abc' }];
    expect(buildBody(d).problems).toEqual({
      title: 'required',
      'items[0].name': 'required',
      'items[0].quantity': 'out_of_range',
      'items[0].unit_price': 'invalid',
    });
  });

  it('adds the vehicle for a renewal, with the vehicle it replaces', () => {
    const d = emptyDraft('vehicle_renewal');
    d.title = '更新机要通信用车';
    d.reason = '原车已达更新年限';
    d.items = [{ name: '机要通信用车', quantity: '1', unit_price: '118000' }];
    d.vehicle = { class: 'confidential_comm', displacement_l: '1.5', price: '118000', energy: 'gasoline', body: 'sedan', make_domestic: true, for_leader_fixed: false, replaces_vehicle_id: '7' };
    d.justification = '  ';
    const { body, problems } = buildBody(d);
    expect(problems).toEqual({});
    expect(body.vehicle).toEqual({
      class: 'confidential_comm',
      displacement_l: 1.5,
      price: 118000,
      energy: 'gasoline',
      body: 'sedan',
      make_domestic: true,
      for_leader_fixed: false,
      replaces_vehicle_id: 7,
    });
    expect(body).not.toHaveProperty('justification');
  });

  it('needs the replaced vehicle for a renewal but not for an addition', () => {
    const d = emptyDraft('vehicle_renewal');
    Object.assign(d, { title: 't', reason: 'r', items: [{ name: 'car', quantity: '1', unit_price: '100000' }] });
    d.vehicle.price = '100000';
    expect(buildBody(d).problems).toEqual({ 'vehicle.replaces_vehicle_id': 'required' });
    d.kind = 'vehicle_addition';
    const { body, problems } = buildBody(d);
    expect(problems).toEqual({});
    expect((body.vehicle as Record<string, unknown>).replaces_vehicle_id).toBeNull();
  });

  it('sends a justification once there is one', () => {
    const d = goods();
    d.justification = '  特殊需要 ';
    expect(buildBody(d).body.justification).toBe('特殊需要');
  });

  it('knows the vehicle kinds', () => {
    expect(['vehicle_renewal', 'vehicle_addition', 'goods', 'services'].map(isVehicleKind)).toEqual([true, true, false, false]);
  });
});

describe('draftFrom', () => {
  it('fills the form from a returned request and builds the same body again', () => {
    const p: Procurement = {
      id: 4,
      approval_id: 9,
      kind: 'vehicle_addition',
      title: '新增应急保障用车',
      reason: '防汛',
      status: 'returned',
      amount: 150000,
      items: [{ name: '越野车', quantity: 1, unit_price: 150000 }],
      vehicle: { class: 'emergency', displacement_l: 2, price: 150000, energy: 'diesel', body: 'offroad', make_domestic: true, for_leader_fixed: false },
      justification: '山区道路',
    };
    const { body, problems } = buildBody(draftFrom(p));
    expect(problems).toEqual({});
    expect(body).toMatchObject({ kind: 'vehicle_addition', items: [{ name: '越野车', quantity: 1, unit_price: 150000 }], justification: '山区道路' });
    expect(body.vehicle).toMatchObject({ class: 'emergency', displacement_l: 2, energy: 'diesel', body: 'offroad' });
  });
});

describe('checksOf', () => {
  const checks = [{ rule: 'price_limit', ok: false, message: '车价 130000 元，超过 120000 元', source: '《党政机关公务用车管理办法》' }];
  it('finds the checks in a 201 answer and in a 400 error', () => {
    expect(checksOf({ id: 1, checks })).toEqual(checks);
    expect(checksOf({ error: { code: 'invalid', fields: { justification: 'required' }, checks } })).toEqual(checks);
  });
  it('returns null when there are none', () => {
    expect(checksOf({ error: { code: 'invalid' } })).toBeNull();
    expect(checksOf(null)).toBeNull();
  });
});
