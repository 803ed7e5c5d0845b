import { describe, expect, it } from 'vitest';
import { badRowCount, columnKey, rowErrors, sortRowErrors } from './report';

describe('import report', () => {
  const rows = [
    { sheet: '台账', line: 12, field: '面积', reason: '须大于 0' },
    { sheet: '办公楼', line: 3, field: '楼名', reason: '必填' },
    { sheet: '台账', line: 4, field: '职级', reason: '标准表中没有此职级' },
    { sheet: '台账', line: 4, field: '房间号', reason: '重复' },
  ];

  it('finds the rows in a successful answer or a rejection', () => {
    expect(rowErrors({ imported: 0, errors: rows })).toHaveLength(4);
    // What POST /api/office/ledger/import answers with 400: the error and the result side by side.
    const rejected = { error: { code: 'invalid', message: 'the file has bad rows; nothing was imported', request_id: 'x' }, imported: 0, skipped: 0, errors: rows };
    expect(rowErrors(rejected)?.map((r) => r.line)).toEqual([12, 3, 4, 4]);
    expect(rowErrors({ error: { code: 'invalid', message: 'bad rows', errors: rows } })).toHaveLength(4);
    expect(rowErrors({ error: { code: 'invalid', details: { errors: rows } } })).toHaveLength(4);
    expect(rowErrors({ error: { code: 'invalid', message: 'not an XLSX file' } })).toBeNull();
    expect(rowErrors({ errors: [] })).toBeNull();
    expect(rowErrors(null)).toBeNull();
  });

  it('counts rows, not problems', () => {
    expect(badRowCount(rows)).toBe(3);
    expect(badRowCount([])).toBe(0);
  });

  it('names the column of a problem', () => {
    expect(columnKey({ sheet: '办公用房使用情况台账', line: 5, field: 'name', reason: 'no user' })).toBe('name');
    expect(columnKey({ sheet: '建筑物', line: 2, field: 'name', reason: 'required' })).toBe('building');
    expect(columnKey({ line: 2, reason: 'could not be stored' })).toBe('');
  });

  it('orders them as the file reads: sheet, row, column', () => {
    expect(sortRowErrors(rows).map((r) => `${r.sheet}:${r.line}:${r.field}`)).toEqual(['办公楼:3:楼名', '台账:4:房间号', '台账:4:职级', '台账:12:面积']);
    expect(sortRowErrors(null)).toEqual([]);
  });
});
