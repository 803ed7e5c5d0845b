import { en } from './en';
import type { Dict, Key } from './keys';
import { zhCN } from './zh-CN';

export type { Key } from './keys';

/** Lang is a console language; zh-CN is the default. */
export type Lang = 'zh-CN' | 'en';

export const dictionaries: Record<Lang, Dict> = { 'zh-CN': zhCN, en };

const storageKey = 'fleet.lang';
let current: Lang = readStored();
const listeners = new Set<() => void>();

function readStored(): Lang {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** lang returns the language in use. */
export function lang(): Lang {
  return current;
}

/** setLang switches language, remembers it and tells every listener. */
export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn());
}

/** onLangChange calls fn after every language switch. */
export function onLangChange(fn: () => void): void {
  listeners.add(fn);
}

/** format fills {name} parameters of a dictionary string. */
export function format(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** t returns the string for key in the current language. */
export function t(key: Key, params?: Record<string, string | number>): string {
  return format(dictionaries[current][key], params);
}

/**
 * tCode translates a code from the server (a role, a status, a field problem) under prefix,
 * falling back to the code itself when the dictionary does not know it.
 */
export function tCode(prefix: string, code: string | null | undefined): string {
  if (!code) return dictionaries[current]['common.none'];
  const key = `${prefix}.${code}`;
  return key in dictionaries[current] ? dictionaries[current][key as Key] : code;
}
