import { ApiError, isAbort } from './api';
import { h } from './dom';
import { t, tCode, type Key } from './i18n';
import { errorText } from './page';

// The create / edit dialog of a resource page. Server-side validation decides; the form
// shows its message and marks the fields it names.

export interface Option {
  value: string;
  label: string;
}

/** Field is one input of the form; name is the JSON field it edits. */
export interface Field<T> {
  name: string;
  label: Key;
  kind: 'text' | 'password' | 'tel' | 'number' | 'date' | 'select' | 'checkbox';
  /** Choices of a select; row is null when creating. */
  options?: (row: T | null) => Option[];
  /** A select's first choice meaning "none" (sent as null). */
  empty?: Key;
  /** A select of ids: values are sent as numbers. */
  numeric?: boolean;
  required?: boolean;
  /** Shown only when creating or only when editing. */
  only?: 'create' | 'edit';
  hint?: Key;
  placeholder?: Key;
  min?: number;
  max?: number;
  maxLength?: number;
  autocomplete?: string;
  inputMode?: string;
}

interface FormOptions<T> {
  title: string;
  fields: Field<T>[];
  row: T | null;
  defaults: Record<string, unknown>;
  signal: AbortSignal;
  /** Sends the values; throws ApiError to keep the dialog open with the problems shown. */
  submit: (values: Record<string, unknown>) => Promise<void>;
  /** The form's id when a page's tests need its own (default resource-form). */
  id?: string;
}

/** openForm shows the dialog (form #resource-form, save #form-save, message #form-error). */
export function openForm<T>(opts: FormOptions<T>): void {
  const mode = opts.row ? 'edit' : 'create';
  const fields = opts.fields.filter((f) => !f.only || f.only === mode);
  const initial = (f: Field<T>): unknown =>
    opts.row ? (opts.row as Record<string, unknown>)[f.name] : opts.defaults[f.name];

  const message = h('div', { id: 'form-error', class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', id: 'form-save', class: 'btn primary' }, t('common.save'));
  const form = h(
    'form',
    { id: opts.id ?? 'resource-form', class: 'form', novalidate: true, 'data-mode': mode },
    h('h2', { class: 'dialog-title' }, opts.title),
    message,
    h('div', { class: 'fields' }, fields.map((f) => fieldRow(f, initial(f), opts.row))),
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'btn', id: 'form-cancel', onclick: () => close() }, t('common.cancel')),
      save,
    ),
  );
  const dialog = h('dialog', { class: 'dialog form-dialog', 'aria-label': opts.title }, form);

  function close(): void {
    dialog.close();
    dialog.remove();
  }
  dialog.addEventListener('cancel', () => dialog.remove());
  opts.signal.addEventListener('abort', close);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearProblems(form, message);
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      await opts.submit(readValues(form, fields));
      close();
    } catch (err) {
      if (isAbort(err)) return;
      showProblems(form, message, err);
    } finally {
      save.disabled = false;
      save.textContent = t('common.save');
    }
  });

  document.body.appendChild(dialog);
  dialog.showModal();
  form.querySelector<HTMLElement>('input:not([type=checkbox]), select')?.focus();
}

function fieldRow<T>(f: Field<T>, value: unknown, row: T | null): HTMLElement {
  const id = `f-${f.name}`;
  const hint = f.hint && h('small', { class: 'hint', id: `${id}-hint` }, t(f.hint));
  const problem = h('small', { class: 'field-error', id: `${id}-error` });
  const described = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');

  if (f.kind === 'checkbox') {
    return h(
      'div',
      { class: 'field checkbox', 'data-field': f.name },
      h('label', { for: id }, h('input', { type: 'checkbox', id, name: f.name, checked: Boolean(value), 'aria-describedby': described }), ' ', t(f.label)),
      hint,
      problem,
    );
  }

  let control: HTMLInputElement | HTMLSelectElement;
  if (f.kind === 'select') {
    const options = f.options?.(row) ?? [];
    const current = value === null || value === undefined ? '' : String(value);
    control = h(
      'select',
      { id, name: f.name, 'aria-describedby': described },
      f.empty && h('option', { value: '' }, t(f.empty)),
      // Keep a value the list does not know (a unit this role cannot list) instead of losing it.
      current && !options.some((o) => o.value === current) && h('option', { value: current }, `#${current}`),
      options.map((o) => h('option', { value: o.value }, o.label)),
    );
    control.value = current;
  } else {
    let v = value === null || value === undefined ? '' : String(value);
    if (f.kind === 'date') v = v.slice(0, 10);
    if (f.kind === 'password') v = '';
    control = h('input', {
      type: f.kind,
      id,
      name: f.name,
      value: v,
      min: f.min,
      max: f.max,
      maxlength: f.maxLength,
      placeholder: f.placeholder && t(f.placeholder),
      autocomplete: f.autocomplete ?? (f.kind === 'password' ? 'new-password' : 'off'),
      inputmode: f.inputMode,
      'aria-describedby': described,
    });
  }
  return h(
    'div',
    { class: 'field', 'data-field': f.name },
    h('label', { for: id }, t(f.label), f.required && h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    control,
    hint,
    problem,
  );
}

/** readValues collects the form as JSON values: numbers for number inputs and id selects, null for empty. */
function readValues<T>(form: HTMLFormElement, fields: Field<T>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const el = form.elements.namedItem(f.name) as HTMLInputElement | HTMLSelectElement | null;
    if (!el) continue;
    if (f.kind === 'checkbox') {
      out[f.name] = (el as HTMLInputElement).checked;
      continue;
    }
    const raw = f.kind === 'password' ? el.value : el.value.trim();
    if (f.kind === 'number' || (f.kind === 'select' && f.numeric)) out[f.name] = raw === '' ? null : Number(raw);
    else if (f.kind === 'select' && f.empty && raw === '') out[f.name] = null;
    else out[f.name] = raw;
  }
  return out;
}

function clearProblems(form: HTMLFormElement, message: HTMLElement): void {
  message.hidden = true;
  message.replaceChildren();
  for (const row of form.querySelectorAll('.field.invalid')) {
    row.classList.remove('invalid');
    row.querySelector('.field-error')!.textContent = '';
    row.querySelector('input, select')?.removeAttribute('aria-invalid');
  }
}

function showProblems(form: HTMLFormElement, message: HTMLElement, err: unknown): void {
  const lines: string[] = [];
  if (err instanceof ApiError && err.status === 400 && Object.keys(err.fields).length) {
    lines.push(err.message || t('error.invalid'));
    let first: HTMLElement | null = null;
    for (const [name, problem] of Object.entries(err.fields)) {
      const row = form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(name)}"]`);
      const text = tCode('field', problem);
      if (!row) {
        lines.push(`${name}: ${text}`);
        continue;
      }
      row.classList.add('invalid');
      row.querySelector('.field-error')!.textContent = text;
      const input = row.querySelector<HTMLElement>('input, select');
      input?.setAttribute('aria-invalid', 'true');
      first ??= input;
    }
    (first as HTMLElement | null)?.focus();
  } else {
    lines.push(errorText(err));
  }
  message.replaceChildren(...lines.map((l) => h('div', null, l)));
  message.hidden = false;
}
