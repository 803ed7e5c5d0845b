import { describe, expect, it } from 'vitest';
import { allOk, allPassed, answer, checkBody, checkProblems, defaultChecks, initChecklist, note, progressOf } from './checklist';

const label = (k: string) => `«${k}»`;

describe('pre-trip check', () => {
  it('starts from the item names the server sends, dropping duplicates', () => {
    const s = initChecklist(['轮胎', '灯光', '轮胎', { key: '', label: '灭火器' }], label);
    expect(s.items).toEqual([
      { key: '轮胎', label: '轮胎', ok: null, note: '' },
      { key: '灯光', label: '灯光', ok: null, note: '' },
      { key: '灭火器', label: '灭火器', ok: null, note: '' },
    ]);
  });
  it('keeps the answers of an earlier check', () => {
    const s = initChecklist(['轮胎', '灯光'], label, { items: [{ item: '灯光', ok: false, note: '左转向灯不亮' }], passed: false, note: '已报修' });
    expect(s.items[1]).toEqual({ key: '灯光', label: '灯光', ok: false, note: '左转向灯不亮' });
    expect(s.note).toBe('已报修');
  });
  it('falls back to the default items when the server sends none', () => {
    expect(initChecklist(null, label).items.map((i) => i.key)).toEqual([...defaultChecks]);
    expect(initChecklist([], label).items[0].label).toBe('«tyres»');
  });
  it('needs every item answered, and a note for each one not ok', () => {
    let s = initChecklist(['a', 'b', 'c'], label);
    expect(checkProblems(s)).toEqual({ a: 'required', b: 'required', c: 'required' });
    s = answer(answer(s, 'a', true), 'b', false);
    expect(checkProblems(s)).toEqual({ b: 'note_required', c: 'required' });
    s = note(answer(s, 'c', true), 'b', ' 左前轮气压低 ');
    expect(checkProblems(s)).toEqual({});
    expect(progressOf(s)).toEqual({ answered: 3, failed: 1, total: 3 });
    expect(allPassed(s)).toBe(false);
    expect(checkBody({ ...s, note: ' 已补气 ' })).toEqual({
      items: [
        { item: 'a', ok: true },
        { item: 'b', ok: false, note: '左前轮气压低' },
        { item: 'c', ok: true },
      ],
      note: '已补气',
    });
  });
  it('marks all ok in one tap without touching the old state', () => {
    const s = initChecklist(['a'], label);
    const t = allOk(s);
    expect(s.items[0].ok).toBeNull();
    expect(allPassed(t)).toBe(true);
  });
});
