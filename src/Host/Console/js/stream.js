// The live stream (text/event-stream) read with fetch rather than EventSource, so that it carries the bearer token.
import { headers, problemDetail } from './api.js';

const RetryAfter = { first: 1000, most: 30000 };

/**
 * Reads `path` until `signal` aborts, reconnecting after a lost connection (1 s, then doubling up to 30 s).
 * Calls onMessage(event, data) for each message and onState(state, detail) with connecting, open, retrying,
 * unauthorized or unavailable.
 */
export async function follow(path, { onMessage, onState }, signal) {
  let wait = RetryAfter.first;
  while (!signal.aborted) {
    onState('connecting');
    try {
      const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), cache: 'no-store', signal });
      if (response.ok) {
        onState('open');
        wait = RetryAfter.first;
        await read(response.body, onMessage);
        onState('retrying', 'the stream ended');
      } else {
        const detail = await problemDetail(response);
        onState(response.status === 401 ? 'unauthorized' : response.status === 404 ? 'unavailable' : 'retrying', detail);
        if (response.status === 401 || response.status === 404) wait = RetryAfter.most;
      }
    } catch (error) {
      if (signal.aborted) return;
      onState('retrying', error.message);
    }
    await sleep(wait, signal);
    wait = Math.min(wait * 2, RetryAfter.most);
  }
}

/** Parses server-sent events: "event:" and "data:" lines, a blank line ends a message, ":" starts a comment. */
async function read(body, onMessage) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) onMessage(event, data.join('\n'));
        event = 'message';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
      }
    }
  }
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
