// The trip rating (1–5 stars and a comment) without the DOM: the value the stars show while
// hovering or after a click, keyboard moves on the star group, and the body of
// POST /api/requests/{id}/rate.

export const maxStars = 5;

/** clampStars keeps a rating within 0 (none) … 5. */
export function clampStars(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.max(0, Math.min(maxStars, Math.round(n)));
}

/** shownStars is how many stars light up: the hovered star while hovering, else the chosen value. */
export function shownStars(value: number, hover: number | null): number {
  return clampStars(hover ?? value);
}

/** keyStars is the value after a key press on the star group (arrows, Home, End, digits); null: not ours. */
export function keyStars(value: number, key: string): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return clampStars(Math.max(1, value + 1));
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampStars(Math.max(1, value - 1));
    case 'Home':
      return 1;
    case 'End':
      return maxStars;
    default:
      return /^[1-5]$/.test(key) ? Number(key) : null;
  }
}

/** starsText shows a rating as ★★★★☆. */
export function starsText(n: number | null | undefined): string {
  const v = clampStars(n ?? 0);
  return '★'.repeat(v) + '☆'.repeat(maxStars - v);
}

/** rateBody builds the rating's body; problems name what is missing. */
export function rateBody(stars: number, comment: string): { body: { stars: number; comment: string }; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const rating = clampStars(stars);
  if (rating < 1) problems.stars = 'required';
  const text = comment.trim();
  if (text.length > 500) problems.comment = 'too_long';
  // A low rating says why, so the fleet section can act on it.
  else if (rating > 0 && rating <= 2 && !text) problems.comment = 'required';
  return { body: { stars: rating, comment: text }, problems };
}
