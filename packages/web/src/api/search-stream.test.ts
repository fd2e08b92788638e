import { describe, expect, it } from 'vitest';
import { parseEvents } from './search-stream';

describe("O2's search event-stream framing", () => {
  it('splits whole events and keeps a partial one for the next chunk', () => {
    const chunk =
      'event: search_response_metadata\ndata: {"results":{"total":3}}\n\n' +
      'event: search_response_hits\ndata: {"hits":[{"a":1}]}\n\ndata: [[DO';
    const first = parseEvents(chunk);
    expect(first.events).toEqual([
      { name: 'search_response_metadata', data: '{"results":{"total":3}}' },
      { name: 'search_response_hits', data: '{"hits":[{"a":1}]}' },
    ]);
    expect(parseEvents(`${first.rest}NE]]\n\n`).events).toEqual([
      { name: 'message', data: '[[DONE]]' },
    ]);
  });
});
