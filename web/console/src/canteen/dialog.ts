import { ApiError, isAbort } from '../api';
import { h, type Child } from '../dom';
import { t, tCode } from '../i18n';
import { errorText } from '../page';

// A dialog for the canteen's forms that do not fit the resource form (checklists, the dishes of
// a meal, the settings): the body, a save button (#form-save) and the server's problems.

interface DialogOptions {
  id: string;
  title: string;
  body: Child[];
  signal: AbortSignal;
  /** Sends the form; throws ApiError to keep the dialog open with the problems shown. */
  submit: () => Promise<void>;
  saveLabel?: string;
}

/** openDialog shows a modal form and closes it when submit succeeds. */
export function openDialog(opts: DialogOptions): HTMLDialogElement {
  const message = h('div', { id: 'form-error', class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', id: 'form-save', class: 'btn primary' }, opts.saveLabel ?? t('common.save'));
  const form = h(
    'form',
    { id: opts.id, class: 'form cn-form', novalidate: true },
    h('h2', { class: 'dialog-title' }, opts.title),
    message,
    h('div', { class: 'cn-form-body' }, ...opts.body),
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', id: 'form-cancel', onclick: () => close() }, t('common.cancel')), save),
  );
  const dialog = h('dialog', { class: 'dialog form-dialog cn-dialog', 'aria-label': opts.title }, form);
  function close(): void {
    dialog.close();
    dialog.remove();
  }
  dialog.addEventListener('cancel', () => dialog.remove());
  opts.signal.addEventListener('abort', close);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    message.hidden = true;
    save.disabled = true;
    try {
      await opts.submit();
      close();
    } catch (err) {
      if (isAbort(err)) return;
      message.replaceChildren(...problems(err).map((l) => h('div', null, l)));
      message.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  return dialog;
}

/** problems turns a failed call into lines: the message, then each field named. */
export function problems(err: unknown): string[] {
  const lines = [errorText(err)];
  if (err instanceof ApiError) for (const [name, p] of Object.entries(err.fields)) lines.push(`${tCode('cnField', name)}：${tCode('field', p)}`);
  return lines;
}

/** field is a labelled control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 8)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}
