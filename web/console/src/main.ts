import './styles.css';
import { canSee, canWrite } from './access';
import { me, logout, setUnauthorizedHandler } from './api';
import { h, replace } from './dom';
import { lang, onLangChange, t } from './i18n';
import { forgetLayout, showLayout } from './layout';
import { forbiddenPage, notFoundPage } from './pages/notice';
import { loginPage } from './pages/login';
import { navigate, refresh, startRouter } from './router';
import { routes } from './routes';
import { currentUser, setCurrentUser } from './session';
import type { Role } from './types';

// Start-up: find out who is signed in (/api/me also hands over the CSRF token), then route.

const root = document.getElementById('root')!;
let pageAbort: AbortController | null = null;
let expiredNotice: string | undefined;

function render(path: string, query: URLSearchParams): void {
  pageAbort?.abort();
  pageAbort = new AbortController();
  const user = currentUser();
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;

  if (clean === '/login') {
    if (user) {
      navigate(safeNext(query.get('next'), user.role), { replace: true });
      return;
    }
    forgetLayout();
    const notice = expiredNotice;
    expiredNotice = undefined;
    loginPage(
      root,
      (u) => {
        setCurrentUser(u);
        navigate(safeNext(query.get('next'), u.role), { replace: true });
      },
      notice,
    );
    return;
  }
  if (!user) {
    const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
    navigate(`/login${next}`, { replace: true });
    return;
  }

  const route = routes[clean];
  const ctx = {
    root: showLayout(root, user, route?.nav ?? null, signOut, { bare: route?.bare }),
    user,
    signal: pageAbort.signal,
    writable: route ? canWrite(user.role, route.nav) : false,
  };
  if (!route) notFoundPage(ctx);
  else if (!canSee(user.role, route.nav)) forbiddenPage(ctx);
  else route.page(ctx);
}

/** safeNext keeps a post-login redirect inside the console; without one, the role's landing page. */
function safeNext(next: string | null, role: Role): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : landing(role);
}

/** landing is where a role starts: leaders decide and drivers drive on their phones, everyone else at the overview. */
function landing(role: Role): string {
  if (role === 'leader') return '/m/approvals';
  if (role === 'driver') return '/m/driver';
  return '/';
}

async function signOut(): Promise<void> {
  try {
    await logout();
  } catch (err) {
    // The session is dropped on this side whatever the server said.
    console.warn('fleet: logout', err);
  }
  setCurrentUser(null);
  forgetLayout();
  navigate('/login');
}

// A call that finds the session gone (expired, signed out elsewhere) leads back to sign-in.
setUnauthorizedHandler(() => {
  if (!currentUser()) return;
  setCurrentUser(null);
  forgetLayout();
  expiredNotice = t('login.expired');
  navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
});

onLangChange(refresh);

async function boot(): Promise<void> {
  document.documentElement.lang = lang();
  replace(root, h('div', { class: 'boot' }, t('app.loading')));
  try {
    setCurrentUser(await me());
  } catch (err) {
    // Server unreachable: the sign-in page says so when the user tries.
    console.warn('fleet: /api/me', err);
    setCurrentUser(null);
  }
  startRouter(render);
}

void boot();
