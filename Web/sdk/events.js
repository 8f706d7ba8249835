// The wallet's event stream (`GET /v1/events`, server-sent events) read with a streaming fetch,
// since `EventSource` cannot send the session key in a header. Reconnects with back-off when
// the wallet restarts.

/**
 * @typedef {object} EventStreamOptions
 * @property {() => string} url
 * @property {() => string} sessionKey
 * @property {(type: string, data: any) => void} onEvent
 * @property {() => void} onRefused the wallet refused the session (revoked or unknown)
 * @property {() => void} [onReconnected] the stream is open again after a break
 */

export class EventStream {
  /** @param {EventStreamOptions} options */
  constructor(options) {
    this.options = options;
    this.controller = new AbortController();
    this.running = false;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.#run();
  }

  stop() {
    this.running = false;
    this.controller.abort();
  }

  async #run() {
    let delay = 250;
    let breaks = 0;
    while (this.running) {
      let opened = false;
      try {
        const response = await fetch(this.options.url(), {
          headers: { authorization: `Bearer ${this.options.sessionKey()}` },
          signal: this.controller.signal,
          credentials: 'omit',
          cache: 'no-store',
        });
        if (response.status === 401 || response.status === 403) {
          this.running = false;
          this.options.onRefused();
          return;
        }
        if (response.ok && response.body) {
          opened = true;
          delay = 250;
          if (breaks > 0) this.options.onReconnected?.();
          await this.#read(response.body);
        }
      } catch {
        // The wallet went away (restart, sleep); try again below.
      }
      if (!this.running) return;
      breaks += 1;
      await new Promise((resolve) => setTimeout(resolve, opened ? 100 : delay));
      if (!opened) delay = Math.min(delay * 2, 5000);
    }
  }

  /** @param {ReadableStream<Uint8Array>} body */
  async #read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let type = 'message';
    let data = [];
    while (this.running) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      if (buffer.length > 1 << 20) return; // a broken stream; reconnect
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A CR at the end may be the first half of a CRLF split across reads.
        if (newline === buffer.length - 1 && buffer.endsWith('\r')) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) this.#dispatch(type, data.join('\n'));
          type = 'message';
          data = [];
        } else if (line.startsWith('event:')) {
          type = line.slice(6).trimStart();
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
      }
    }
  }

  /**
   * @param {string} type
   * @param {string} text
   */
  #dispatch(type, text) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    this.options.onEvent(type, parsed);
  }
}
