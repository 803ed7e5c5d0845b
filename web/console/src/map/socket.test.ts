import { describe, expect, it } from 'vitest';
import { backoffDelay, LiveSocket, subscribeFrame, wsURL, type SocketState } from './socket';

describe('backoffDelay', () => {
  it('doubles from 1 s up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });
});

describe('wsURL', () => {
  it('follows the page protocol', () => {
    expect(wsURL({ protocol: 'http:', host: 'a:8080' })).toBe('ws://a:8080/ws');
    expect(wsURL({ protocol: 'https:', host: 'fleet.example' })).toBe('wss://fleet.example/ws');
  });
});

class FakeWS {
  sent: string[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  send(s: string) {
    this.sent.push(s);
  }
  close() {
    this.closed = true;
  }
}

describe('LiveSocket', () => {
  it('subscribes, reconnects with backoff and resets it after a successful open', () => {
    const sockets: FakeWS[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const states: SocketState[] = [];
    const got: unknown[] = [];
    const s = new LiveSocket({
      url: 'ws://x/ws',
      onMessage: (d) => got.push(d),
      onState: (st) => states.push(st),
      create: () => {
        const w = new FakeWS();
        sockets.push(w);
        return w as unknown as WebSocket;
      },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => {},
    });
    expect(sockets).toHaveLength(1);
    // The server refuses twice: 1 s, then 2 s.
    sockets[0].onclose?.();
    timers.shift()!.fn();
    sockets[1].onclose?.();
    expect(timers.map((t) => t.ms)).toEqual([2000]);
    timers.shift()!.fn();
    sockets[2].onopen?.();
    expect(sockets[2].sent).toEqual([subscribeFrame]);
    expect(JSON.parse(subscribeFrame)).toEqual({ type: 'subscribe', topics: ['positions', 'events'] });
    expect(states.at(-1)).toBe('open');
    sockets[2].onmessage?.({ data: '{"type":"positions","items":[]}' });
    expect(got).toEqual(['{"type":"positions","items":[]}']);
    // After a good connection the delay starts at 1 s again.
    sockets[2].onclose?.();
    expect(states.at(-1)).toBe('connecting');
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    s.close();
    timers.shift()!.fn();
    expect(sockets).toHaveLength(3);
  });

  it('close stops the socket and ignores its late events', () => {
    const sockets: FakeWS[] = [];
    const got: unknown[] = [];
    const s = new LiveSocket({
      url: 'ws://x/ws',
      onMessage: (d) => got.push(d),
      onState: () => {},
      create: () => {
        const w = new FakeWS();
        sockets.push(w);
        return w as unknown as WebSocket;
      },
      setTimer: () => 0,
      clearTimer: () => {},
    });
    const w = sockets[0];
    const onmessage = w.onmessage;
    s.close();
    expect(w.closed).toBe(true);
    onmessage?.({ data: 'late' });
    expect(got).toEqual([]);
  });
});
