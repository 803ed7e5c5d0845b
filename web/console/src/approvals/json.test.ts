import { describe, expect, it } from 'vitest';
import { editable, jsonProblem, lineColumn, locate } from './json';

describe('jsonProblem', () => {
  it('accepts an object', () => {
    expect(jsonProblem('{"key":"procurement","steps":[]}')).toBeNull();
  });
  it('says where the text stops being JSON', () => {
    const p = jsonProblem('{\n  "key": "x",\n  "steps": [\n}');
    expect(p).not.toBeNull();
    expect(p!.line).toBe(4);
  });
  it('reads the place from the messages of the engines', () => {
    const text = '{\n  "a": 1,\n  x\n}';
    expect(locate(text, 'Expected double-quoted property name in JSON at position 14 (line 3 column 3)')).toEqual({ line: 3, column: 3 });
    expect(locate(text, 'Unexpected token x in JSON at position 14')).toEqual({ line: 3, column: 3 });
    expect(locate(text, 'Unexpected token')).toEqual({ line: 4, column: 2 });
  });
  it('refuses what is JSON but not an object', () => {
    expect(jsonProblem('[1,2]')).toMatchObject({ line: 1, column: 1 });
    expect(jsonProblem('null')).not.toBeNull();
  });
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('editable', () => {
  it('leaves out what the server owns', () => {
    const text = editable({ id: 3, key: 'procurement', name: '采购', version: 4, steps: [], created_at: 'x', updated_at: 'y' });
    expect(JSON.parse(text)).toEqual({ key: 'procurement', name: '采购', steps: [] });
  });
});
