import type { zhCN } from './zh-CN';

/** Key names a visible string; zh-CN.ts is the reference list. */
export type Key = keyof typeof zhCN;

/** Dict is one language's dictionary: every key, no other. */
export type Dict = Record<Key, string>;
