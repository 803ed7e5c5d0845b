// The definition editor's client-side JSON check: where the text stops being JSON, as a line and
// column the admin can find, before anything goes to the server.

/** JsonProblem is what JSON.parse objected to and where (1-based line and column). */
export interface JsonProblem {
  message: string;
  line: number;
  column: number;
}

/** lineColumn turns an offset into text into a 1-based line and column. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * locate reads where JSON.parse stopped from its message: "(line 3 column 5)" (newer V8),
 * "at position 45" (older V8, Firefox gives line and column too); else the end of the text.
 */
export function locate(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  return lineColumn(text, pos ? Number(pos[1]) : text.length);
}

/** jsonProblem returns null for valid JSON that is an object, else where it goes wrong. */
export function jsonProblem(text: string): JsonProblem | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { message, ...locate(text, message) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { message: 'not an object', line: 1, column: 1 };
  }
  return null;
}

/** editable is a definition as the editor shows it: without the fields the server owns. */
export function editable(def: Record<string, unknown>): string {
  const { id: _id, version: _v, created_at: _c, updated_at: _u, created_by: _b, ...rest } = def;
  return JSON.stringify(rest, null, 2);
}
