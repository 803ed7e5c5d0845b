// The /ws connection of the live map: subscribe, hand every frame on, and reconnect with
// a growing delay (1 s, 2 s, 4 s … at most 30 s) whenever the socket closes.

export type SocketState = 'open' | 'connecting';

const firstDelay = 1000;
const maxDelay = 30000;

/** backoffDelay is how long to wait (ms) before reconnect attempt n (0-based). */
export function backoffDelay(attempt: number): number {
  return Math.min(maxDelay, firstDelay * 2 ** Math.max(0, Math.min(attempt, 30)));
}

/** wsURL is the same-origin /ws address. */
export function wsURL(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export const subscribeFrame = JSON.stringify({ type: 'subscribe', topics: ['positions', 'events'] });

/** frameFor is the subscribe message for other topics (the dispatcher's map adds tasks). */
export function frameFor(topics: string[]): string {
  return JSON.stringify({ type: 'subscribe', topics });
}

export interface LiveSocketOptions {
  url: string;
  onMessage: (data: unknown) => void;
  onState: (s: SocketState) => void;
  /** The subscribe message; subscribeFrame when unset. */
  frame?: string;
  /** For tests: the WebSocket constructor and the timer functions. */
  create?: (url: string) => WebSocket;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** LiveSocket keeps one subscribed connection to /ws until close() is called. */
export class LiveSocket {
  private ws: WebSocket | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private closed = false;
  private readonly o: Required<LiveSocketOptions>;

  constructor(opts: LiveSocketOptions) {
    this.o = {
      create: (url) => new WebSocket(url),
      setTimer: (fn, ms) => window.setTimeout(fn, ms),
      clearTimer: (t) => window.clearTimeout(t as number),
      ...opts,
      frame: opts.frame ?? subscribeFrame,
    };
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
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
      ws.send(this.o.frame);
      this.o.onState('open');
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws === ws) this.o.onMessage(ev.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.retry();
    };
    // An error is always followed by close, which schedules the retry.
    ws.onerror = () => {};
  }

  private retry(): void {
    if (this.closed) return;
    this.o.onState('connecting');
    const delay = backoffDelay(this.attempt++);
    this.timer = this.o.setTimer(() => this.connect(), delay);
  }

  /** close ends the connection for good (the user left the page). */
  close(): void {
    this.closed = true;
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
