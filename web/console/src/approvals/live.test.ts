import { describe, expect, it } from 'vitest';
import { ApprovalFeed, approvalFrame, parseApprovalMessage } from './live';
import type { LiveApproval } from './types';

describe('parseApprovalMessage', () => {
  it('reads an approval frame', () => {
    const frame = JSON.stringify({ type: 'approval', approval: { id: 12, subject: '办公桌椅', status: 'pending', step: { index: 0, name: '单位负责人审批' }, event: 'pending' } });
    expect(parseApprovalMessage(frame)).toEqual({ id: 12, subject: '办公桌椅', status: 'pending', step: { index: 0, name: '单位负责人审批' }, event: 'pending' });
  });
  it('ignores every other frame', () => {
    for (const f of ['not json', '{"type":"positions","vehicles":[]}', '{"type":"approval"}', '{"type":"approval","approval":{"id":"x"}}', '{"type":"error","message":"no"}', 42]) {
      expect(parseApprovalMessage(f), String(f)).toBeNull();
    }
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

describe('ApprovalFeed', () => {
  it('subscribes to approvals, hands approval frames to listeners and reconnects after a close', () => {
    const sockets: FakeWS[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const feed = new ApprovalFeed({
      url: 'ws://x/ws',
      create: () => {
        const s = new FakeWS();
        sockets.push(s);
        return s as unknown as WebSocket;
      },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => {},
    });
    const got: LiveApproval[] = [];
    const stop = feed.listen((a) => got.push(a));
    sockets[0].onopen?.();
    expect(sockets[0].sent).toEqual([approvalFrame]);
    expect(JSON.parse(approvalFrame)).toEqual({ type: 'subscribe', topics: ['approvals'] });

    sockets[0].onmessage?.({ data: '{"type":"approval","approval":{"id":3,"status":"approved","event":"decided"}}' });
    sockets[0].onmessage?.({ data: '{"type":"positions"}' });
    expect(got.map((a) => a.id)).toEqual([3]);

    sockets[0].onclose?.();
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers[0].fn();
    sockets[1].onopen?.();
    expect(sockets[1].sent).toEqual([approvalFrame]);

    stop();
    sockets[1].onmessage?.({ data: '{"type":"approval","approval":{"id":4}}' });
    expect(got).toHaveLength(1);

    feed.stop();
    expect(sockets[1].closed).toBe(true);
  });
});
