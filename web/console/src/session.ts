import type { Me } from './types';

// The signed-in user, held in memory for the life of the page.

let user: Me | null = null;

export function currentUser(): Me | null {
  return user;
}

export function setCurrentUser(u: Me | null): void {
  user = u;
}
