// `session.createRelay(wsUrl)`: the page keeps a WebSocket open to the app's own backend and
// serves the backend's provider requests through its session, so the backend never holds a key.
// The frames are the relay protocol's (`relay:hello`, `relay:request`, `relay:request:cancel`,
// `relay:response:meta|chunk|done|error`, `relay:ping`/`relay:pong`); the Swift SDK's
// `ByokyServer` is the backend's side.

import { ByokyError, ErrorCode } from './errors.js';

/** The largest frame read from the backend. */
const MAXIMUM_FRAME = 10 * 1024 * 1024;

/**
 * Whether `url` may carry a relay: `wss:`, or `ws:` to this machine.
 * @param {string} url
 */
export function isAllowedRelayUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  return parsed.protocol === 'wss:' || (parsed.protocol === 'ws:' && loopback);
}

/** The page's end of a backend relay; reconnects with back-off until `close()`. */
export class BackendRelay {
  /** @type {'connecting'|'connected'|'disconnected'|'closed'} */
  status = 'connecting';
  /** How many times the WebSocket has opened. */
  connectionCount = 0;
  /** Requests served so far. */
  servedCount = 0;
  /** @type {WebSocket | null} */
  #socket = null;
  /** @type {Map<string, AbortController>} */
  #inFlight = new Map();
  /** @type {Set<(reason: string) => void>} */
  #closeListeners = new Set();
  #timer = 0;

  /**
   * @param {string} url
   * @param {import('./session.js').ByokySession} session
   * @param {{ correlationId?: string, pingInterval?: number }} [options]
   */
  constructor(url, session, options = {}) {
    if (!isAllowedRelayUrl(url)) {
      throw new ByokyError(ErrorCode.INVALID_URL, 'A relay URL must use wss://, or ws:// to localhost');
    }
    this.url = url;
    this.session = session;
    this.correlationId = options.correlationId;
    this.pingInterval = options.pingInterval ?? 30_000;
    /** The id announced in `relay:hello` (random; never the session key). */
    this.sessionId = 'relay_' + [...crypto.getRandomValues(new Uint8Array(16))]
      .map((b) => b.toString(16).padStart(2, '0')).join('');
    this.#open(250);
  }

  /**
   * Called when the relay closes for good (`close()`), with the reason.
   * @param {(reason: string) => void} callback
   * @returns {() => void} unsubscribe
   */
  onClose(callback) {
    this.#closeListeners.add(callback);
    return () => this.#closeListeners.delete(callback);
  }

  /** Closes the relay for good; requests being served are cancelled. */
  close(reason = 'Closed by the app') {
    if (this.status === 'closed') return;
    this.status = 'closed';
    clearInterval(this.#timer);
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
    this.#socket?.close(1000, 'closed');
    for (const listener of [...this.#closeListeners]) listener(reason);
  }

  /** @param {number} backoff */
  #open(backoff) {
    if (this.status === 'closed') return;
    this.status = 'connecting';
    const socket = new WebSocket(this.url);
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.status = 'connected';
      this.connectionCount += 1;
      this.#send({ type: 'relay:hello', sessionId: this.sessionId, providers: this.session.providers,
        ...(this.correlationId ? { correlationId: this.correlationId } : {}) });
      clearInterval(this.#timer);
      this.#timer = setInterval(() => this.#send({ type: 'relay:ping', ts: Date.now() }), this.pingInterval);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string' || event.data.length > MAXIMUM_FRAME) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.#receive(frame);
    };
    socket.onclose = () => {
      clearInterval(this.#timer);
      for (const controller of this.#inFlight.values()) controller.abort();
      this.#inFlight.clear();
      if (this.status === 'closed') return;
      this.status = 'disconnected';
      const wait = opened ? 250 : backoff;
      setTimeout(() => this.#open(opened ? 250 : Math.min(backoff * 2, 30_000)), wait);
    };
  }

  /** @param {any} frame */
  #receive(frame) {
    if (!frame || typeof frame.type !== 'string') return;
    if (frame.type === 'relay:ping' && typeof frame.ts === 'number') {
      this.#send({ type: 'relay:pong', ts: frame.ts });
    } else if (frame.type === 'relay:request:cancel' && typeof frame.requestId === 'string') {
      this.#inFlight.get(frame.requestId)?.abort();
    } else if (frame.type === 'relay:request' && typeof frame.requestId === 'string') {
      void this.#serve(frame);
    }
  }

  /** Runs one request through the session and streams the answer back. @param {any} request */
  async #serve(request) {
    const id = request.requestId;
    const controller = new AbortController();
    this.#inFlight.set(id, controller);
    try {
      const providerId = String(request.providerId ?? '');
      if (this.session.providers[providerId]?.available !== true) {
        throw new ByokyError(ErrorCode.PROVIDER_UNAVAILABLE, `Provider "${providerId}" is not available`);
      }
      let body;
      if (typeof request.body === 'string') {
        body = request.bodyEncoding === 'base64' ? Uint8Array.from(atob(request.body), (c) => c.charCodeAt(0)) : request.body;
      }
      const headers = request.headers && typeof request.headers === 'object' ? request.headers : {};
      const response = await this.session.createFetch(providerId)(String(request.url), {
        method: String(request.method ?? 'POST'),
        headers,
        body,
        signal: controller.signal,
      });
      const answerHeaders = {};
      response.headers.forEach((value, name) => { answerHeaders[name] = value; });
      this.#send({ type: 'relay:response:meta', requestId: id, status: response.status,
        statusText: response.statusText, headers: answerHeaders });
      const framer = new BodyFramer(id);
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const frame = framer.frame(value);
          if (frame) this.#send(frame);
        }
      }
      for (const frame of framer.finish()) this.#send(frame);
      this.servedCount += 1;
    } catch (error) {
      const failure = error instanceof ByokyError ? error
        : new ByokyError(ErrorCode.PROXY_ERROR, controller.signal.aborted ? 'The request was cancelled' : 'The wallet could not serve the request');
      this.#send({ type: 'relay:response:error', requestId: id, error: { code: failure.code, message: failure.message } });
    } finally {
      this.#inFlight.delete(id);
    }
  }

  /** @param {object} frame */
  #send(frame) {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
  }
}

/**
 * Turns a response body into `relay:response:chunk` frames: UTF-8 text never cut inside a
 * character, and base64 data once the body proves not to be UTF-8.
 */
export class BodyFramer {
  /** @param {string} requestId */
  constructor(requestId) {
    this.requestId = requestId;
    this.binary = false;
    /** @type {Uint8Array} */
    this.carry = new Uint8Array(0);
  }

  /** @param {Uint8Array} chunk */
  frame(chunk) {
    const bytes = concat(this.carry, chunk);
    this.carry = new Uint8Array(0);
    if (this.binary) return this.#data(bytes);
    const cut = completeLength(bytes);
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, cut));
      this.carry = bytes.slice(cut);
      return text ? { type: 'relay:response:chunk', requestId: this.requestId, chunk: text } : null;
    } catch {
      this.binary = true;
      return this.#data(bytes);
    }
  }

  /** The frames that end the body. */
  finish() {
    const rest = this.carry.length ? [this.#data(this.carry)] : [];
    this.carry = new Uint8Array(0);
    return [...rest, { type: 'relay:response:done', requestId: this.requestId }];
  }

  /** @param {Uint8Array} bytes */
  #data(bytes) {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { type: 'relay:response:chunk', requestId: this.requestId, chunk: btoa(text), encoding: 'base64' };
  }
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function concat(a, b) {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The length of `bytes` without a UTF-8 sequence that is cut off at the end. @param {Uint8Array} bytes */
function completeLength(bytes) {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
