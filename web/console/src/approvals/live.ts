import { LiveSocket, wsURL } from '../map/socket';
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

/** ApprovalFeed keeps the subscribed connection open (a LiveSocket, reconnecting with backoff)
 * until stop(). */
export class ApprovalFeed {
  private readonly listeners = new Set<Listener>();
  private readonly socket: LiveSocket;

  constructor(opts: FeedOptions = {}) {
    this.socket = new LiveSocket({
      url: opts.url ?? wsURL(),
      frame: approvalFrame,
      ...(opts.create && { create: opts.create }),
      ...(opts.setTimer && { setTimer: opts.setTimer }),
      ...(opts.clearTimer && { clearTimer: opts.clearTimer }),
      onState: () => {},
      onMessage: (data) => {
        const a = parseApprovalMessage(data);
        if (a) for (const fn of [...this.listeners]) fn(a);
      },
    });
  }

  /** listen calls fn for every approval message; the returned function stops that. */
  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** stop closes the connection for good (sign-out). */
  stop(): void {
    this.listeners.clear();
    this.socket.close();
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
