// A session served by the owner's wallet elsewhere, through a relay pairing: what `connect()`
// returns after `useRelay`, `onPairingReady` or the modal's QR code. It has the same surface as a
// local session; requests travel sealed end to end.

import { BackendRelay } from './backend-relay.js';
import { ByokyError, ErrorCode } from './errors.js';
import { notifyAll } from './listeners.js';
import { createRelayFetch } from './relay-fetch.js';

/** A paired session. Requests made through it never see a key. */
export class PairedSession {
  #link;
  #ended = false;
  /** @type {Set<() => void>} */
  #disconnectListeners = new Set();
  /** @type {Set<(providers: Record<string, import('./session.js').ProviderGrant>) => void>} */
  #providerListeners = new Set();

  /**
   * @param {import('./pairing.js').PairedLink} link a link that has paired
   * @param {Record<string, import('./session.js').ProviderGrant>} providers what the wallet offered
   */
  constructor(link, providers) {
    this.#link = link;
    /** @type {Record<string, import('./session.js').ProviderGrant>} */
    this.providers = providers;
    /** The relay the session talks through. */
    this.proxyUrl = link.payload.relayUrl;
    /** 0: a paired session lasts while the wallet serves it. */
    this.expiresAt = 0;
    /** Whether requests go through a relay to a paired wallet. */
    this.isPaired = true;
    link.onProviders = (offered) => this.#updateProviders(offered);
    link.onEnded = () => this.#end();
  }

  /** The session's name (not a secret: the relay room's id; the room's secrets stay in the link). */
  get sessionKey() {
    return `relay_${this.#link.payload.roomId}`;
  }

  /**
   * A `fetch` for one provider: give it the provider's real URLs; it sends them through the wallet.
   * @param {string} providerId
   * @returns {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>}
   */
  createFetch(providerId) {
    const relayFetch = createRelayFetch(providerId, this.#link);
    return (input, init) => {
      if (this.#ended) return Promise.reject(new ByokyError(ErrorCode.NO_SESSION, 'This session has ended — connect again'));
      return relayFetch(input, init);
    };
  }

  /** Whether the relay is connected and the wallet is in the room. @returns {Promise<boolean>} */
  async isConnected() {
    return !this.#ended && this.#link.isConnected;
  }

  /** What this session has used so far, as the wallet last reported it. */
  async getUsage() {
    if (this.#ended) throw new ByokyError(ErrorCode.NO_SESSION, 'This session has ended — connect again');
    return this.#link.usage ?? { requests: 0, inputTokens: 0, outputTokens: 0, byProvider: {} };
  }

  /** Leaves the pairing room; the wallet stops serving once it notices. */
  async disconnect() {
    this.#end();
  }

  /** @param {() => void} callback @returns {() => void} unsubscribe */
  onDisconnect(callback) {
    this.#disconnectListeners.add(callback);
    return () => this.#disconnectListeners.delete(callback);
  }

  /** @param {(providers: Record<string, import('./session.js').ProviderGrant>) => void} callback @returns {() => void} */
  onProvidersUpdated(callback) {
    this.#providerListeners.add(callback);
    return () => this.#providerListeners.delete(callback);
  }

  /**
   * A backend relay served through this session (see `ByokySession.createRelay`).
   * @param {string} wsUrl
   * @param {{ correlationId?: string, pingInterval?: number }} [options]
   */
  createRelay(wsUrl, options) {
    if (this.#ended) throw new ByokyError(ErrorCode.NO_SESSION, 'This session has ended — connect again');
    return new BackendRelay(wsUrl, /** @type {any} */ (this), options);
  }

  /** @param {Record<string, import('./session.js').ProviderGrant>} providers */
  #updateProviders(providers) {
    if (JSON.stringify(providers) === JSON.stringify(this.providers)) return;
    this.providers = providers;
    notifyAll(this.#providerListeners, [providers], 'onProvidersUpdated');
  }

  #end() {
    if (this.#ended) return;
    this.#ended = true;
    this.#link.close();
    const listeners = [...this.#disconnectListeners];
    this.#disconnectListeners.clear();
    this.#providerListeners.clear();
    notifyAll(listeners, [], 'onDisconnect');
  }
}
