import { ApiError, login } from '../api';
import { h, replace } from '../dom';
import { t, tCode } from '../i18n';
import { langSwitch } from '../layout';
import { errorText } from '../page';
import type { Me } from '../types';

/**
 * loginPage shows the sign-in form; onSignedIn runs with the user after a successful login.
 * notice is shown in #login-error from the start (an expired session, say).
 */
export function loginPage(root: HTMLElement, onSignedIn: (user: Me) => void, notice?: string): void {
  document.title = `${t('login.title')} · ${t('app.name')}`;
  const error = h('div', { id: 'login-error', class: 'form-error', role: 'alert', hidden: !notice }, notice ?? '');
  const submit = h('button', { type: 'submit', id: 'login-submit', class: 'btn primary block' }, t('login.submit'));
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password' });

  const form = h(
    'form',
    { id: 'login-form', class: 'form', novalidate: true },
    field('username', t('login.username'), username),
    field('password', t('login.password'), password),
    error,
    submit,
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    form.querySelectorAll('.field.invalid').forEach((f) => {
      f.classList.remove('invalid');
      f.querySelector('.field-error')!.textContent = '';
    });
    submit.disabled = true;
    submit.textContent = t('login.submitting');
    try {
      const user = await login(username.value.trim(), password.value);
      onSignedIn(user);
      return;
    } catch (err) {
      error.textContent = loginError(err, form);
      error.hidden = false;
      if (err instanceof ApiError && err.status === 401) {
        password.value = '';
        password.focus();
      }
    }
    submit.disabled = false;
    submit.textContent = t('login.submit');
  });

  replace(
    root,
    h(
      'div',
      { class: 'login-page' },
      h(
        'div',
        { class: 'login-card' },
        h(
          'header',
          { class: 'login-head' },
          h('span', { class: 'brand-mark large', 'aria-hidden': 'true' }, '公'),
          h('h1', { class: 'login-title' }, t('app.name')),
          h('p', { class: 'login-org' }, t('app.org')),
        ),
        h('h2', { class: 'login-sub' }, t('login.title')),
        form,
        h('div', { class: 'login-foot' }, h('span', { class: 'muted' }, t('login.footer')), langSwitch('btn link')),
      ),
    ),
  );
  username.focus();
}

function field(name: string, label: string, input: HTMLInputElement): HTMLElement {
  return h('div', { class: 'field', 'data-field': name }, h('label', { for: input.id }, label), input, h('small', { class: 'field-error' }));
}

/** loginError words a failed sign-in and marks the fields the server names. */
function loginError(err: unknown, form: HTMLFormElement): string {
  if (!(err instanceof ApiError)) return errorText(err);
  switch (err.status) {
    case 401:
      return t('login.wrong');
    case 429:
      return err.retryAfter ? t('login.locked', { minutes: Math.max(1, Math.ceil(err.retryAfter / 60)) }) : t('login.lockedNoTime');
    case 400:
      for (const [name, problem] of Object.entries(err.fields)) {
        const f = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
        f?.classList.add('invalid');
        const e = f?.querySelector('.field-error');
        if (e) e.textContent = tCode('field', problem);
      }
      return err.message || t('error.invalid');
  }
  return errorText(err);
}
