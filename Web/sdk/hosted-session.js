// A session for an app the owner opened inside the wallet's own page (an installed app, in a
// sandboxed frame with an opaque origin: no storage, no cookies, no way into the page). Requests
// go to the hosting page by `postMessage`; it forwards them to the wallet with the app's origin,
// and streams the answers back chunk by chunk. The session key stays with the page.

import { ByokyError, ErrorCode } from './errors.js';
import { notifyAll } from './listeners.js';
import { bridgeUrl } from './proxy-fetch.js';
import { APP_AUTH_HEADERS, PROVIDERS } from './providers.js';

/** The mark the wallet page adds to the frame's address. */
const HOSTED_MARK = 'byoky-hosted';

/** How long to wait for the hosting page to answer the first message. */
const HELLO_TIMEOUT = 5_000;

/** Whether this page runs inside the wallet's page (framed, with the wallet's mark). */
export function isHostedByWallet() {
  try {
    return window.parent !== window && new URLSearchParams(location.hash.slice(1)).get(HOSTED_MARK) === '1';
  } catch {
    return false;
  }
}

/** The message link to the hosting page. Only messages from the parent window are read. */
class HostLink {
  #origin = null;
  #nextId = 1;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void, stream?: ReadableStreamDefaultController }>} */
  #pending = new Map();
  /** @type {() => void} */
  onEnded = () => {};

  constructor() {
    window.addEventListener('message', (event) => this.#receive(event));
  }

  /** Waits for the page to answer, learning its origin (later messages go to it alone). */
  async open() {
    if (this.#origin) return;
    const answered = new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve, reject });
      setTimeout(() => reject(new ByokyError(ErrorCode.WALLET_NOT_INSTALLED, 'The wallet page did not answer')), HELLO_TIMEOUT);
    });
    // Nothing secret in it; the answer tells us where the page is.
    window.parent.postMessage({ byoky: 1, type: 'hello', id: 0 }, '*');
    await answered;
  }

  /**
   * Sends a message and waits for its answer (or, for `fetch`, its response head).
   * @param {Record<string, unknown>} message
   * @param {Transferable[]} [transfer]
   * @returns {[number, Promise<any>]}
   */
  send(message, transfer = []) {
    const id = this.#nextId++;
    const answer = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    window.parent.postMessage({ byoky: 1, id, ...message }, this.#origin ?? '*', transfer);
    return [id, answer];
  }

  /** Tells the page to stop an exchange. @param {number} id */
  abort(id) {
    window.parent.postMessage({ byoky: 1, type: 'abort', id }, this.#origin ?? '*');
  }

  /** @param {number} id @param {ReadableStreamDefaultController} stream */
  attachStream(id, stream, reject) {
    this.#pending.set(id, { resolve: () => {}, reject, stream });
  }

  /** @param {MessageEvent} event */
  #receive(event) {
    if (event.source !== window.parent) return;
    const message = event.data;
    if (!message || message.byoky !== 1 || typeof message.type !== 'string') return;
    if (message.type === 'ready' && message.id === 0) {
      this.#origin = event.origin;
      this.#pending.get(0)?.resolve(null);
      this.#pending.delete(0);
      return;
    }
    if (this.#origin && event.origin !== this.#origin) return;
    if (message.type === 'ended') return this.onEnded();
    const waiting = this.#pending.get(message.id);
    if (!waiting) return;
    switch (message.type) {
      case 'answer':
      case 'response':
        waiting.resolve(message);
        if (message.type === 'answer') this.#pending.delete(message.id);
        break;
      case 'chunk':
        waiting.stream?.enqueue(new Uint8Array(message.chunk));
        break;
      case 'end':
        waiting.stream?.close();
        this.#pending.delete(message.id);
        break;
      case 'error': {
        const error = new ByokyError(message.code || ErrorCode.PROXY_ERROR, message.message || 'The wallet page refused');
        if (waiting.stream) waiting.stream.error(error);
        else waiting.reject(error);
        this.#pending.delete(message.id);
        break;
      }
    }
  }
}

/**
 * Connects through the hosting wallet page.
 * @param {{ id: string, required?: boolean }[]} providers
 * @returns {Promise<HostedSession>}
 */
export async function connectHosted(providers) {
  const link = new HostLink();
  await link.open();
  const [, answer] = link.send({
    type: 'connect',
    providers: providers.map((p) => ({ id: p.id, required: p.required === true })),
  });
  const reply = await answer;
  const status = reply.status;
  if (status?.status !== 'approved' || !status.session) {
    throw new ByokyError(
      status?.error?.code ?? ErrorCode.USER_REJECTED,
      status?.error?.message ?? 'The wallet refused the connection',
    );
  }
  return new HostedSession(link, status.session);
}

/** A session of an app hosted in the wallet's page. Requests made through it never see a key. */
export class HostedSession {
  #link;
  #ended = false;
  /** @type {Set<() => void>} */
  #disconnectListeners = new Set();

  /**
   * @param {HostLink} link
   * @param {{ providers: Record<string, import('./session.js').ProviderGrant>, expiresAt: number }} granted
   */
  constructor(link, granted) {
    this.#link = link;
    /** @type {Record<string, import('./session.js').ProviderGrant>} */
    this.providers = granted.providers;
    this.expiresAt = granted.expiresAt;
    /** The wallet page forwards this session's requests; there is no address to call directly. */
    this.proxyUrl = '';
    /** Whether the session runs inside the wallet's page. */
    this.isHosted = true;
    link.onEnded = () => this.#end();
  }

  /** Hosted sessions have no key in the app: the wallet page holds it. */
  get sessionKey() {
    return 'hosted';
  }

  /**
   * A `fetch` for one provider: give it the provider's real URLs; the wallet page sends them.
   * @param {string} providerId
   * @returns {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>}
   */
  createFetch(providerId) {
    const provider = PROVIDERS[providerId];
    if (!provider) {
      throw new ByokyError(ErrorCode.PROVIDER_UNAVAILABLE, `Unknown provider "${providerId}"`, { providerId });
    }
    return async (input, init) => {
      if (this.#ended) throw new ByokyError(ErrorCode.NO_SESSION, 'This session has ended — connect again');
      const request = new Request(input, init);
      // Checked here too, so a wrong URL fails the same way as in a normal session.
      bridgeUrl(request.url, provider, 'http://wallet.invalid');
      const headers = [...request.headers].filter(([name]) => !APP_AUTH_HEADERS.includes(name));
      const body =
        request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
      if (request.signal.aborted) throw new DOMException('The request was aborted', 'AbortError');
      const [id, head] = this.#link.send(
        { type: 'fetch', provider: providerId, url: request.url, method: request.method, headers, body },
        body ? [body] : [],
      );
      const onAbort = () => this.#link.abort(id);
      request.signal.addEventListener('abort', onAbort, { once: true });
      const reply = await new Promise((resolve, reject) => {
        head.then(resolve, reject);
        request.signal.addEventListener(
          'abort',
          () => reject(new DOMException('The request was aborted', 'AbortError')),
          { once: true },
        );
      });
      const stream = new ReadableStream({
        start: (controller) => this.#link.attachStream(id, controller, () => {}),
        cancel: onAbort,
      });
      return new Response(stream, { status: reply.status, statusText: reply.statusText, headers: reply.headers });
    };
  }

  /** Whether the wallet still honours the session. @returns {Promise<boolean>} */
  async isConnected() {
    return !this.#ended;
  }

  /** What this session has used so far. */
  async getUsage() {
    if (this.#ended) throw new ByokyError(ErrorCode.NO_SESSION, 'This session has ended — connect again');
    const [, answer] = this.#link.send({ type: 'usage' });
    return (await answer).usage;
  }

  /** Ends the session (the wallet revokes it). */
  async disconnect() {
    if (this.#ended) return;
    const [, answer] = this.#link.send({ type: 'disconnect' });
    await answer.catch(() => {});
    this.#end();
  }

  /** @param {() => void} callback @returns {() => void} unsubscribe */
  onDisconnect(callback) {
    this.#disconnectListeners.add(callback);
    return () => this.#disconnectListeners.delete(callback);
  }

  /** Provider changes are not pushed to hosted apps; reopening the app picks them up. */
  onProvidersUpdated() {
    return () => {};
  }

  /** A hosted app cannot open a backend relay (its frame has no origin to bind it to). */
  createRelay() {
    throw new ByokyError(ErrorCode.NOT_IMPLEMENTED, 'Apps hosted in the wallet page cannot open a backend relay');
  }

  #end() {
    if (this.#ended) return;
    this.#ended = true;
    notifyAll(this.#disconnectListeners, [], 'onDisconnect');
  }
}
