import { backoffDelay, wsURL } from '../map/socket';
import type { LiveApproval } from './types';

// One /ws connection per signed-in session following the `approvals` topic: the server sends
// each user only their own approvals ({"type":"approval","approval":{…}}). The top bar's badge
// and the approvals pages listen here instead of opening sockets of their own.

/** approvalFrame is what the console sends to follow approvals. */
export const approvalFrame = JSON.stringify({ type: 'subscribe', topics: ['approvals'] });

/** parseApprovalMessage reads a websocket frame; null for anything but an approval message. */
export function parseApprovalMessage(data: unknown): LiveApproval | null {
  let m: unknown = data;
  if (typeof data === 'string') {
    try {
      m = JSON.parse(data);
    } catch {
      return null;
    }
  }
  if (!m || typeof m !== 'object') return null;
  const msg = m as { type?: unknown; approval?: unknown };
  if (msg.type !== 'approval' || !msg.approval || typeof msg.approval !== 'object') return null;
  const a = msg.approval as Record<string, unknown>;
  const id = Number(a.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  return {
    id,
    subject: typeof a.subject === 'string' ? a.subject : undefined,
    status: typeof a.status === 'string' ? a.status : undefined,
    step: (a.step as LiveApproval['step']) ?? null,
    event: typeof a.event === 'string' ? a.event : undefined,
  };
}

type Listener = (a: LiveApproval) => void;

export interface FeedOptions {
  url?: string;
  create?: (url: string) => WebSocket;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** ApprovalFeed keeps the subscribed connection open (reconnecting with backoff) until stop(). */
export class ApprovalFeed {
  private ws: WebSocket | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;
  private readonly listeners = new Set<Listener>();
  private readonly o: Required<FeedOptions>;

  constructor(opts: FeedOptions = {}) {
    this.o = {
      url: opts.url ?? wsURL(),
      create: opts.create ?? ((url) => new WebSocket(url)),
      setTimer: opts.setTimer ?? ((fn, ms) => window.setTimeout(fn, ms)),
      clearTimer: opts.clearTimer ?? ((t) => window.clearTimeout(t as number)),
    };
    this.connect();
  }

  /** listen calls fn for every approval message; the returned function stops that. */
  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private connect(): void {
    if (this.stopped) return;
    this.timer = null;
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
      ws.send(approvalFrame);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws) return;
      const a = parseApprovalMessage(ev.data);
      if (a) for (const fn of [...this.listeners]) fn(a);
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
    this.timer = this.o.setTimer(() => this.connect(), backoffDelay(this.attempt++));
  }

  /** stop closes the connection for good (sign-out). */
  stop(): void {
    this.stopped = true;
    this.listeners.clear();
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

let feed: ApprovalFeed | null = null;

/** approvalFeed returns the session's feed, opening it on first use. */
export function approvalFeed(): ApprovalFeed {
  if (!feed) feed = new ApprovalFeed();
  return feed;
}

/** stopApprovalFeed closes the session's feed (after sign-out). */
export function stopApprovalFeed(): void {
  feed?.stop();
  feed = null;
}
