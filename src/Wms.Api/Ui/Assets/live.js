// A Server-Sent Events stream read with fetch(), since EventSource cannot send an Authorization header. It follows
// the format's rules (event, data, id, retry fields; comments; a blank line ends an event), and after a drop it
// connects again with the last event's id in Last-Event-ID, so that the service resumes where it left off.

import { askForToken, authorization, errorText } from './api.js';

const SILENCE_LIMIT_MS = 45_000; // three keep-alives missed: the connection is dead even if no error says so
const LONGEST_WAIT_MS = 30_000;

/** Reads one response body as events; calls onEvent(type, data, id) for each. Returns when the stream ends. */
async function readEvents(body, state, onEvent, onActivity) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = '';
  let data = [];
  const line = (text) => {
    if (text === '') {
      if (data.length > 0) {
        onEvent(type || 'message', data.join('\n'), state.lastEventId);
      }
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) {
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let item = colon < 0 ? '' : text.slice(colon + 1);
    if (item.startsWith(' ')) {
      item = item.slice(1);
    }
    if (field === 'event') {
      type = item;
    } else if (field === 'data') {
      data.push(item);
    } else if (field === 'id' && !item.includes('\0')) {
      state.lastEventId = item;
    } else if (field === 'retry' && /^\d+$/.test(item)) {
      state.retryMs = Number(item);
    }
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    onActivity();
    buffer += value;
    // A \r at the very end may be the first half of a \r\n: it waits for the next read, as does a half line.
    const held = buffer.endsWith('\r') ? '\r' : '';
    const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
    buffer = lines.pop() + held;
    lines.forEach(line);
  }
}

/**
 * Watches the stream at `path` until stop() is called. onState gets 'connecting', 'live', 'reconnecting' or
 * 'unavailable' (the service has no such stream: 404, or an answer that is not a stream) with a note.
 */
export function watch(path, { onEvent, onState }) {
  const state = { lastEventId: null, retryMs: 2000 };
  let stopped = false;
  let controller = null;
  let failures = 0;

  const run = async () => {
    onState('connecting', 'Connecting…');
    while (!stopped) {
      controller = new AbortController();
      let watchdog = null;
      const activity = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), SILENCE_LIMIT_MS);
      };
      try {
        const headers = { Accept: 'text/event-stream', ...authorization() };
        if (state.lastEventId !== null) {
          headers['Last-Event-ID'] = state.lastEventId;
        }
        activity();
        const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit', signal: controller.signal });
        if (response.status === 401 || response.status === 403) {
          clearTimeout(watchdog);
          onState('reconnecting', 'Waiting for a token…');
          await askForToken(await errorText(response));
          continue;
        }
        const type = response.headers.get('Content-Type') ?? '';
        if (response.status === 404 || (response.ok && !type.startsWith('text/event-stream'))) {
          clearTimeout(watchdog);
          onState('unavailable', 'Live updates not available');
          return;
        }
        if (!response.ok) {
          throw new Error(await errorText(response));
        }
        failures = 0;
        onState('live', 'Live');
        await readEvents(response.body, state, onEvent, activity);
      } catch (failure) {
        if (stopped) {
          return;
        }
        failures += 1;
        console.info('live updates interrupted:', failure?.message ?? failure);
      } finally {
        clearTimeout(watchdog);
      }
      if (stopped) {
        return;
      }
      onState('reconnecting', 'Reconnecting…');
      // The service's retry to begin with, longer after each failure in a row, with some jitter so that many pages
      // do not come back at once.
      const wait = Math.min(LONGEST_WAIT_MS, state.retryMs * 2 ** Math.min(failures, 4)) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  run();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
    get lastEventId() {
      return state.lastEventId;
    },
  };
}
