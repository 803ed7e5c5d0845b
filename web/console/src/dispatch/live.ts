import { LiveSocket, wsURL } from '../map/socket';
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

/** RequestState is what a request message says of a request: enough to know to reload it. */
export interface RequestState {
  id: number;
  status: string;
}

/** parseRequestMessage reads a websocket frame ({"type":"request","requests":[{id,status}]}, sent
 * to the requests' applicants and the dispatchers); null for anything else. */
export function parseRequestMessage(data: unknown): RequestState[] | null {
  let m: unknown = data;
  if (typeof data === 'string') {
    try {
      m = JSON.parse(data);
    } catch {
      return null;
    }
  }
  if (!m || typeof m !== 'object') return null;
  const msg = m as { type?: unknown; requests?: unknown };
  if (msg.type !== 'request' || !Array.isArray(msg.requests)) return null;
  const out: RequestState[] = [];
  for (const r of msg.requests as Record<string, unknown>[]) {
    const id = Number(r?.id);
    if (Number.isInteger(id) && id > 0 && typeof r.status === 'string') out.push({ id, status: r.status });
  }
  return out.length ? out : null;
}

export interface TaskFeedOptions {
  url?: string;
  create?: (url: string) => WebSocket;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  onTask: (t: Task) => void;
  /** Request messages: the signed-in applicant's requests (or, for a dispatcher, any) changed state. */
  onRequests?: (rs: RequestState[]) => void;
  /** open: subscribed; connecting: (re)connecting. */
  onState?: (s: 'open' | 'connecting') => void;
}

/** TaskFeed follows the tasks topic until stop(): a LiveSocket that hands on task messages. */
export class TaskFeed {
  private readonly socket: LiveSocket;

  constructor(opts: TaskFeedOptions) {
    this.socket = new LiveSocket({
      url: opts.url ?? wsURL(),
      frame: taskFrame,
      ...(opts.create && { create: opts.create }),
      ...(opts.setTimer && { setTimer: opts.setTimer }),
      ...(opts.clearTimer && { clearTimer: opts.clearTimer }),
      onState: opts.onState ?? (() => {}),
      onMessage: (data) => {
        const t = parseTaskMessage(data);
        if (t) {
          opts.onTask(t);
          return;
        }
        const rs = opts.onRequests && parseRequestMessage(data);
        if (rs) opts.onRequests?.(rs);
      },
    });
  }

  /** stop closes the connection for good (the page was left). */
  stop(): void {
    this.socket.close();
  }
}
