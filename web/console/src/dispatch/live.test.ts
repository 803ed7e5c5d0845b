import { describe, expect, it } from 'vitest';
import { parseRequestMessage, parseTaskMessage } from './live';

describe('request messages', () => {
  it('reads the states of the requests a message names', () => {
    expect(parseRequestMessage('{"type":"request","requests":[{"id":7,"status":"approved"},{"id":8,"status":"assigned"}]}')).toEqual([
      { id: 7, status: 'approved' },
      { id: 8, status: 'assigned' },
    ]);
  });
  it('ignores other messages and malformed ones', () => {
    expect(parseRequestMessage('{"type":"task","task":{"id":1,"status":"assigned"}}')).toBeNull();
    expect(parseRequestMessage('{"type":"request","requests":[{"id":"x","status":"approved"}]}')).toBeNull();
    expect(parseRequestMessage('{"type":"request","requests":{}}')).toBeNull();
    expect(parseRequestMessage('not json')).toBeNull();
    expect(parseTaskMessage('{"type":"request","requests":[{"id":7,"status":"approved"}]}')).toBeNull();
  });
});
