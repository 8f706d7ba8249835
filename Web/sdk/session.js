// A connected session: what `byoky.connect()` returns.

import { BackendRelay } from './backend-relay.js';
import { ByokyError, ErrorCode } from './errors.js';
import { EventStream } from './events.js';
import { notifyAll } from './listeners.js';
import { createProxyFetch } from './proxy-fetch.js';
import { callWallet } from './wallet-api.js';

/**
 * @typedef {object} ProviderGrant
 * @property {boolean} available
 * @property {'api_key'|'oauth'} authMethod
 * @property {boolean} [gift]
 */

/**
 * @typedef {object} SessionUsage
 * @property {number} requests
 * @property {number} inputTokens
 * @property {number} outputTokens
 * @property {Record<string, {requests: number, inputTokens: number, outputTokens: number}>} byProvider
 */

/**
 * @typedef {object} StoredSession
 * @property {string} sessionKey
 * @property {string} proxyUrl
 * @property {Record<string, ProviderGrant>} providers
 * @property {number} expiresAt Unix milliseconds
 */

/** A session with the owner's wallet. Requests made through it never see a key. */
export class ByokySession {
  #key;
  #ended = false;
  /** @type {Set<() => void>} */
  #disconnectListeners = new Set();
  /** @type {Set<(providers: Record<string, ProviderGrant>) => void>} */
  #providerListeners = new Set();
  /** @type {EventStream | null} */
  #events = null;
  #onEnded;

  /**
   * @param {StoredSession} granted
   * @param {{ onEnded?: () => void, onProvidersChanged?: (session: ByokySession) => void }} [hooks]
   */
  constructor(granted, hooks = {}) {
    this.#key = granted.sessionKey;
    /** The wallet's address; every request of this session goes there. */
    this.proxyUrl = granted.proxyUrl.replace(/\/$/, '');
    /** @type {Record<string, ProviderGrant>} What the owner granted, per provider. */
    this.providers = granted.providers;
    /** Unix milliseconds after which the wallet refuses the session. */
    this.expiresAt = granted.expiresAt;
    this.#onEnded = hooks.onEnded;
    this.onProvidersChanged = hooks.onProvidersChanged;
  }

  /** The session key: a bearer secret that stands in for an API key. Never log it. */
  get sessionKey() {
    return this.#key;
  }

  /** The session as stored between page loads. @returns {StoredSession} */
  toJSON() {
    return { sessionKey: this.#key, proxyUrl: this.proxyUrl, providers: this.providers, expiresAt: this.expiresAt };
  }

  /**
   * A `fetch` for one provider: give it the provider's real URLs; it sends them through the wallet.
   * @param {string} providerId
   * @returns {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>}
   */
  createFetch(providerId) {
    const proxyFetch = createProxyFetch({
      providerId,
      walletUrl: () => this.proxyUrl,
      sessionKey: () => this.#key,
      onSessionEnded: () => this.#end(),
      onNetworkError: async () => {
        if ((await this.#probe()) === 'ended') {
          throw new ByokyError(ErrorCode.NO_SESSION, 'The wallet ended this session — connect again');
        }
      },
    });
    // A session known to have ended sends nothing (the browser may still hold a CORS preflight
    // granted while it was live, so the wallet's refusal would not come as a network error).
    return (input, init) => {
      if (this.#ended) return Promise.reject(new ByokyError(ErrorCode.NO_SESSION, 'This session has ended — connect again'));
      return proxyFetch(input, init);
    };
  }

  /** Whether the wallet still honours this session. @returns {Promise<boolean>} */
  async isConnected() {
    return (await this.#probe()) === 'connected';
  }

  /**
   * Asks the wallet about the session; an ended session ends here too.
   * @returns {Promise<'connected'|'ended'|'unreachable'>}
   */
  async #probe() {
    if (this.#ended) return 'ended';
    let status;
    try {
      status = await callWallet(this.proxyUrl, 'GET', '/v1/session', { sessionKey: this.#key, timeout: 5000 });
    } catch {
      return 'unreachable';
    }
    if (status?.connected !== true) {
      this.#end();
      return 'ended';
    }
    if (status.providers) this.#updateProviders(status.providers);
    return 'connected';
  }

  /** What this session has used so far. @returns {Promise<SessionUsage>} */
  async getUsage() {
    this.#checkLive();
    return callWallet(this.proxyUrl, 'GET', '/v1/session/usage', {
      sessionKey: this.#key,
      unreachable: ErrorCode.PROXY_ERROR,
    });
  }

  /** Ends the session in the wallet (the owner sees it revoked) and forgets it here. */
  async disconnect() {
    if (this.#ended) return;
    try {
      await callWallet(this.proxyUrl, 'POST', '/v1/session/disconnect', {
        sessionKey: this.#key,
        timeout: 5000,
        unreachable: ErrorCode.PROXY_ERROR,
      });
    } finally {
      this.#end();
    }
  }

  /**
   * Called once when the session ends: disconnected here, revoked or expired in the wallet.
   * @param {() => void} callback
   * @returns {() => void} unsubscribe
   */
  onDisconnect(callback) {
    this.#disconnectListeners.add(callback);
    this.#watch();
    return () => this.#disconnectListeners.delete(callback);
  }

  /**
   * Called when what the session may use changes (the owner added a key, changed routing…).
   * @param {(providers: Record<string, ProviderGrant>) => void} callback
   * @returns {() => void} unsubscribe
   */
  onProvidersUpdated(callback) {
    this.#providerListeners.add(callback);
    this.#watch();
    return () => this.#providerListeners.delete(callback);
  }

  /**
   * A backend relay: the app's own server sends provider requests over a WebSocket to this page,
   * which serves them through this session (the server never holds a key). Reconnects by itself.
   * @param {string} wsUrl `wss://…`, or `ws://` to localhost
   * @param {{ correlationId?: string, pingInterval?: number }} [options] `correlationId` is
   *   announced to the server so it can tell which of its users the connection is
   * @returns {BackendRelay}
   */
  createRelay(wsUrl, options) {
    this.#checkLive();
    return new BackendRelay(wsUrl, this, options);
  }

  #checkLive() {
    if (this.#ended) throw new ByokyError(ErrorCode.NO_SESSION, 'This session has ended — connect again');
  }

  #watch() {
    if (this.#events || this.#ended) return;
    this.#events = new EventStream({
      url: () => this.proxyUrl + '/v1/events',
      sessionKey: () => this.#key,
      onEvent: (type, event) => {
        if (type === 'session.revoked') this.#end();
        else if (type === 'providers.updated' && event?.providers) this.#updateProviders(event.providers);
      },
      onRefused: () => this.#end(),
      // After a wallet restart, catch up on what changed while it was away.
      onReconnected: () => void this.isConnected(),
    });
    this.#events.start();
  }

  /** @param {Record<string, ProviderGrant>} providers */
  #updateProviders(providers) {
    if (JSON.stringify(providers) === JSON.stringify(this.providers)) return;
    this.providers = providers;
    this.onProvidersChanged?.(this);
    notifyAll(this.#providerListeners, [providers], 'onProvidersUpdated');
  }

  #end() {
    if (this.#ended) return;
    this.#ended = true;
    this.#events?.stop();
    this.#onEnded?.();
    const listeners = [...this.#disconnectListeners];
    this.#disconnectListeners.clear();
    this.#providerListeners.clear();
    notifyAll(listeners, [], 'onDisconnect');
  }
}
