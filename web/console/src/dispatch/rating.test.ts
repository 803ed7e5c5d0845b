import { describe, expect, it } from 'vitest';
import { clampStars, keyStars, rateBody, shownStars, starsText } from './rating';

describe('star rating', () => {
  it('shows the hovered star while hovering, else the value', () => {
    expect(shownStars(3, null)).toBe(3);
    expect(shownStars(3, 5)).toBe(5);
    expect(shownStars(0, null)).toBe(0);
  });
  it('moves with the keyboard within 1–5', () => {
    expect([keyStars(0, 'ArrowRight'), keyStars(5, 'ArrowRight'), keyStars(1, 'ArrowLeft'), keyStars(3, 'Home'), keyStars(3, 'End'), keyStars(3, '4')]).toEqual([1, 5, 1, 1, 5, 4]);
    expect(keyStars(3, 'a')).toBeNull();
    expect(keyStars(3, '9')).toBeNull();
  });
  it('clamps and draws', () => {
    expect([clampStars(7), clampStars(-1), clampStars(2.6), clampStars(NaN)]).toEqual([5, 0, 3, 0]);
    expect(starsText(4)).toBe('★★★★☆');
    expect(starsText(null)).toBe('☆☆☆☆☆');
  });
  it('needs a star, and a reason for a low one', () => {
    expect(rateBody(0, '').problems).toEqual({ stars: 'required' });
    expect(rateBody(2, ' ').problems).toEqual({ comment: 'required' });
    expect(rateBody(5, ' 准时 ')).toEqual({ body: { stars: 5, comment: '准时' }, problems: {} });
    expect(rateBody(4, 'x'.repeat(501)).problems).toEqual({ comment: 'too_long' });
  });
});
