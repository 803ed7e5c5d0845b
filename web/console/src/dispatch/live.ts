import { backoffDelay, wsURL } from '../map/socket';
import type { Task } from './types';

// Driver tasks over the websocket: the server sends {"type":"task","task":{…}} on the `tasks`
// topic to the assigned driver's user and to dispatchers. TaskFeed keeps one subscribed connection
// (reconnecting with backoff) for the page that listens; approvals keep their own (approvals/live.ts).

/** taskFrame is what the console sends to follow tasks. */
export const taskFrame = JSON.stringify({ type: 'subscribe', topics: ['tasks'] });

/** parseTaskMessage reads a websocket frame; null for anything but a task message. */
export function parseTaskMessage(data: unknown): Task | null {
  let m: unknown = data;
  if (typeof data === 'string') {
    try {
      m = JSON.parse(data);
    } catch {
      return null;
    }
  }
  if (!m || typeof m !== 'object') return null;
  const msg = m as { type?: unknown; task?: unknown };
  if (msg.type !== 'task' || !msg.task || typeof msg.task !== 'object') return null;
  const t = msg.task as Record<string, unknown>;
  const id = Number(t.id);
  if (!Number.isInteger(id) || id <= 0 || typeof t.status !== 'string') return null;
  return { ...(t as unknown as Task), id };
}

export interface TaskFeedOptions {
  url?: string;
  create?: (url: string) => WebSocket;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  onTask: (t: Task) => void;
  /** open: subscribed; connecting: (re)connecting. */
  onState?: (s: 'open' | 'connecting') => void;
}

/** TaskFeed follows the tasks topic until stop(). */
export class TaskFeed {
  private ws: WebSocket | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;
  private readonly o: Required<TaskFeedOptions>;

  constructor(opts: TaskFeedOptions) {
    this.o = {
      url: opts.url ?? wsURL(),
      create: opts.create ?? ((url) => new WebSocket(url)),
      setTimer: opts.setTimer ?? ((fn, ms) => window.setTimeout(fn, ms)),
      clearTimer: opts.clearTimer ?? ((t) => window.clearTimeout(t as number)),
      onTask: opts.onTask,
      onState: opts.onState ?? (() => {}),
    };
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.timer = null;
    this.o.onState('connecting');
    let ws: WebSocket;
    try {
      ws = this.o.create(this.o.url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      ws.send(taskFrame);
      this.o.onState('open');
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws) return;
      const t = parseTaskMessage(ev.data);
      if (t) this.o.onTask(t);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.retry();
    };
    ws.onerror = () => {};
  }

  private retry(): void {
    if (this.stopped) return;
    this.o.onState('connecting');
    this.timer = this.o.setTimer(() => this.connect(), backoffDelay(this.attempt++));
  }

  /** stop closes the connection for good (the page was left). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.clearTimer(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        // already closing
      }
    }
  }
}
