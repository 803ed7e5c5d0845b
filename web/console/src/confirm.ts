import { h } from './dom';
import { t } from './i18n';

/** confirmBox asks a yes/no question in a modal dialog (#confirm-ok, #confirm-cancel). */
export function confirmBox(text: string, okLabel: string, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'dialog confirm', 'aria-label': okLabel },
      h('p', { class: 'confirm-text' }, text),
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', id: 'confirm-cancel', class: 'btn', onclick: () => close(false) }, t('common.cancel')),
        h('button', { type: 'button', id: 'confirm-ok', class: 'btn danger', onclick: () => close(true) }, okLabel),
      ),
    );
    let answered = false;
    function close(answer: boolean): void {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(answer);
    }
    dialog.addEventListener('cancel', () => close(false));
    signal?.addEventListener('abort', () => close(false));
    document.body.appendChild(dialog);
    dialog.showModal();
    (dialog.querySelector('#confirm-cancel') as HTMLButtonElement).focus();
  });
}
