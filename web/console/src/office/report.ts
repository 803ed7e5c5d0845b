import type { RowError } from './types';

// The per-row error report of an XLSX import, without the DOM.

/** rowErrors finds the rows' problems in a rejected import's answer, wherever the server put them. */
export function rowErrors(body: unknown): RowError[] | null {
  const b = body as { errors?: unknown; error?: { errors?: unknown; rows?: unknown; details?: { errors?: unknown } } } | null;
  const rows = b?.errors ?? b?.error?.errors ?? b?.error?.rows ?? b?.error?.details?.errors;
  return Array.isArray(rows) && rows.length ? (rows as RowError[]) : null;
}

const names = new Intl.Collator('zh-CN');

/** sortRowErrors orders problems by sheet, then row, then column, as one reads the file. */
export function sortRowErrors(errors: RowError[] | null | undefined): RowError[] {
  return [...(errors ?? [])].sort((a, b) => names.compare(a.sheet ?? '', b.sheet ?? '') || a.line - b.line || names.compare(a.field ?? '', b.field ?? ''));
}

/** badRowCount is how many rows of the file have a problem (a row may have several, one line of the report each). */
export function badRowCount(errors: RowError[]): number {
  return new Set(errors.map((e) => `${e.sheet ?? ''}:${e.line}`)).size;
}

/** columnKey names the column of a problem for the dictionary (importField.*): a name on the buildings sheet is the building's. */
export function columnKey(e: RowError): string {
  return e.sheet === '建筑物' && e.field === 'name' ? 'building' : (e.field ?? '');
}
