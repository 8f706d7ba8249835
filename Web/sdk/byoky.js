// byoky.js: the byoky browser SDK. A web app asks the person's own byoky wallet for a session and
// sends ordinary provider requests through it; the app never sees a key.
//
//   import { Byoky } from 'http://127.0.0.1:19280/sdk/byoky.js';
//   const byoky = new Byoky();
//   const session = await byoky.tryReconnect() ?? await byoky.connect({
//     providers: [{ id: 'anthropic', required: true }], modal: true });
//   const client = new Anthropic({ apiKey: 'byoky', fetch: session.createFetch('anthropic'),
//     dangerouslyAllowBrowser: true });

import { isAllowedRelayUrl } from './backend-relay.js';
import { ByokyError, ErrorCode } from './errors.js';
import { connectHosted, isHostedByWallet } from './hosted-session.js';
import { ConnectModal } from './modal.js';
import { PairedSession } from './paired-session.js';
import { createPairingPayload, PairedLink, pairingUrl } from './pairing.js';
import { PROVIDERS } from './providers.js';
import { ByokySession } from './session.js';
import * as storage from './storage.js';
import { callWallet, probeWallet } from './wallet-api.js';

export { ByokyError, ErrorCode } from './errors.js';
export { PROVIDERS } from './providers.js';
export { ByokySession } from './session.js';
export { PairedSession } from './paired-session.js';
export { HostedSession, isHostedByWallet } from './hosted-session.js';
export { pairingUrl } from './pairing.js';
export { bridgeUrl } from './proxy-fetch.js';
export { BackendRelay } from './backend-relay.js';
export { encodeQr, qrToSvg } from './qr.js';

/** The version of this SDK (the wallet's version that serves it). */
export const VERSION = '0.1.0';

/** The address `byoky serve` listens on by default. */
export const DEFAULT_WALLET_URL = 'http://127.0.0.1:19280';

/** Where people learn to install byoky. */
export const DEFAULT_STORE_URL = 'https://byoky.com/install';

/** The last result of a wallet probe, for {@link isExtensionInstalled}. */
let lastDetection = false;

/**
 * Whether the last probe found a wallet (the original SDK's name; there is no extension here).
 * Call `await byoky.detectWallet()` to probe.
 * @returns {boolean}
 */
export function isExtensionInstalled() {
  return lastDetection;
}

let storeUrl = DEFAULT_STORE_URL;

/** Where to send a person who has no wallet. @returns {string} */
export function getStoreUrl() {
  return storeUrl;
}

/**
 * @typedef {object} ByokyOptions
 * @property {number} [timeout] how long `connect` waits for the owner, in ms (default 120 000)
 * @property {string} [relayUrl] the relay for pairing (`wss://`, or `ws://` to loopback; default
 *   wss://relay.byoky.com; `''` turns pairing off, so the modal offers only the install link)
 * @property {string} [walletUrl] the wallet's bridge (default http://127.0.0.1:19280)
 * @property {string} [appName] the name the owner sees (default the page title)
 * @property {string} [storeUrl] the install page for people without a wallet
 */

/**
 * @typedef {object} ProviderRequirement
 * @property {string} id a provider id (see PROVIDERS)
 * @property {boolean} [required] fail with PROVIDER_UNAVAILABLE unless the owner grants it
 */

/**
 * @typedef {object} ConnectOptions
 * @property {ProviderRequirement[]} providers
 * @property {boolean | import('./modal.js').ModalOptions} [modal] show the built-in connect dialog
 * @property {(code: string) => void} [onPairingReady] for apps that draw their own pairing UI
 * @property {boolean} [useRelay] skip the local wallet and pair through the relay
 * @property {AbortSignal} [signal] cancels the attempt (USER_REJECTED)
 */

/** The SDK's entry point. */
export class Byoky {
  /** @type {ByokySession | null} */
  #session = null;
  /** @type {import('./hosted-session.js').HostedSession | null} */
  #hosted = null;

  /** @param {ByokyOptions} [options] */
  constructor(options = {}) {
    this.timeout = options.timeout ?? 120_000;
    this.walletUrl = (options.walletUrl ?? DEFAULT_WALLET_URL).replace(/\/$/, '');
    this.relayUrl = options.relayUrl ?? 'wss://relay.byoky.com';
    this.appName = options.appName ?? '';
    if (options.storeUrl) storeUrl = options.storeUrl;
    let parsed;
    try {
      parsed = new URL(this.walletUrl);
    } catch {
      throw new ByokyError(ErrorCode.INVALID_URL, `Invalid wallet URL: ${this.walletUrl}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ByokyError(ErrorCode.INVALID_URL, 'The wallet URL must use http:// or https://');
    }
    if (this.relayUrl && !isAllowedRelayUrl(this.relayUrl)) {
      throw new ByokyError(ErrorCode.INVALID_URL, 'The relay URL must use wss://, or ws:// to localhost');
    }
  }

  /** Probes the wallet; the answer is also what `isExtensionInstalled()` returns afterwards. */
  async detectWallet() {
    lastDetection = await probeWallet(this.walletUrl);
    return lastDetection;
  }

  /**
   * Asks the owner's wallet for the providers and waits for their approval.
   * @param {ConnectOptions} options
   * @returns {Promise<ByokySession | PairedSession>} a paired session when it went through the relay
   * @throws {ByokyError} WALLET_NOT_INSTALLED, USER_REJECTED, PROVIDER_UNAVAILABLE, TIMEOUT, …
   */
  async connect(options) {
    if (typeof window === 'undefined') {
      throw new ByokyError(ErrorCode.UNKNOWN, 'byoky.js needs a browser; use the Swift SDK in programs');
    }
    checkProviders(options?.providers);
    // An installed app opened inside the wallet's page asks that page, which asks the wallet.
    if (isHostedByWallet()) {
      this.#hosted = await connectHosted(options.providers);
      return this.#hosted;
    }
    if (options.modal) return this.#connectWithModal(options);
    if (options.useRelay) return this.#connectViaRelay(options, options.signal, options.onPairingReady);
    if (!(await this.detectWallet())) {
      if (options.onPairingReady) return this.#connectViaRelay(options, options.signal, options.onPairingReady);
      throw new ByokyError(
        ErrorCode.WALLET_NOT_INSTALLED,
        `No byoky wallet answers at ${this.walletUrl} — install byoky (${getStoreUrl()}) and run \`byoky serve\``,
      );
    }
    return this.#connectToWallet(options, options.signal, () => {});
  }

  /**
   * The session this page had, if the wallet still honours it: a vault session (when the vault
   * exists), this page's live session, then the one stored for this origin; `null` otherwise.
   * @returns {Promise<ByokySession | null>}
   */
  async tryReconnect() {
    if (typeof window === 'undefined') return null;
    // A hosted app keeps nothing between loads (its frame has no storage); it connects again.
    if (isHostedByWallet()) return (await this.#hosted?.isConnected()) ? this.#hosted : null;
    if (this.#session && (await this.#session.isConnected())) return this.#session;
    // The original's order: a vault session first, then the wallet's.
    for (const slot of [storage.VAULT_SESSION_SLOT, storage.sessionSlot(this.walletUrl)]) {
      const stored = storage.load(slot);
      if (!stored) continue;
      if (typeof stored.sessionKey !== 'string' || typeof stored.providers !== 'object' || !stored.proxyUrl) {
        storage.remove(slot);
        continue;
      }
      const session = this.#adopt(stored, slot);
      if (await session.isConnected()) return session;
      // An ended session has removed itself from storage; an unreachable one is kept for later.
      this.#session = null;
    }
    return null;
  }

  /**
   * Connects through the owner's byoky vault (for people with no wallet on this machine): logs in,
   * asks the account for the providers for this page's origin, and logs out again — the page
   * keeps only the app session, whose requests go to `<vaultUrl>/proxy/…`. The password is sent
   * to the vault only, never stored.
   * @param {{ vaultUrl: string, username: string, password: string, providers: ProviderRequirement[], appOrigin?: string }} options
   * @returns {Promise<ByokySession>}
   * @throws {ByokyError} INVALID_URL, SERVICE_UNAVAILABLE (no vault answers), INVALID_CREDENTIALS,
   *   RATE_LIMITED, PROVIDER_UNAVAILABLE, ORIGIN_MISMATCH, or the vault's own error
   */
  async connectViaVault(options) {
    if (typeof window === 'undefined') {
      throw new ByokyError(ErrorCode.UNKNOWN, 'byoky.js needs a browser; use the Swift SDK in programs');
    }
    checkProviders(options?.providers);
    const vaultUrl = String(options.vaultUrl ?? '').replace(/\/$/, '');
    if (!isAllowedServiceUrl(vaultUrl)) {
      throw new ByokyError(ErrorCode.INVALID_URL, 'The vault URL must use https:// (or http:// to this machine)');
    }
    const call = { unreachable: ErrorCode.SERVICE_UNAVAILABLE, service: 'vault' };
    const login = await callWallet(vaultUrl, 'POST', '/auth/login', {
      ...call,
      body: { username: String(options.username ?? ''), password: String(options.password ?? '') },
    });
    const logOut = () =>
      callWallet(vaultUrl, 'POST', '/auth/logout', { ...call, sessionKey: login.token }).catch(() => {});
    let granted;
    try {
      granted = await callWallet(vaultUrl, 'POST', '/connect', {
        ...call,
        sessionKey: login.token,
        body: {
          providers: options.providers.map((p) => ({ id: p.id, required: p.required === true })),
          appOrigin: options.appOrigin ?? location.origin,
          appName: (this.appName || document.title || location.host).slice(0, 100),
        },
      });
    } finally {
      // The app session stands on its own; the login is not kept.
      await logOut();
    }
    const session = this.#adopt({ ...granted, proxyUrl: vaultUrl + '/proxy' }, storage.VAULT_SESSION_SLOT);
    storage.save(storage.VAULT_SESSION_SLOT, session.toJSON());
    return session;
  }

  /**
   * @param {ConnectOptions} options
   * @param {AbortSignal | undefined} signal
   * @param {(ticket: {requestId: string}) => void} onWaiting
   * @returns {Promise<ByokySession>}
   */
  async #connectToWallet(options, signal, onWaiting) {
    const appName = this.appName || document.title || location.host;
    const ticket = await callWallet(this.walletUrl, 'POST', '/v1/connect', {
      body: {
        app: { name: appName.slice(0, 100), origin: location.origin },
        providers: options.providers.map((p) => ({ id: p.id, required: p.required === true })),
      },
      signal,
    });
    onWaiting(ticket);
    const deadline = Date.now() + this.timeout;
    while (Date.now() < deadline) {
      const wait = Math.max(1, Math.min(25, Math.floor((deadline - Date.now()) / 1000)));
      const status = await callWallet(
        this.walletUrl,
        'GET',
        `/v1/connect/${encodeURIComponent(ticket.requestId)}?wait=${wait}`,
        { signal, timeout: (wait + 10) * 1000 },
      );
      if (status.status === 'pending') continue;
      if (status.status !== 'approved' || !status.session) {
        throw new ByokyError(
          status.error?.code ?? ErrorCode.USER_REJECTED,
          status.error?.message ?? 'The wallet owner refused the connection',
        );
      }
      const session = this.#adopt(status.session);
      const missing = options.providers.filter((p) => p.required && !session.providers[p.id]?.available);
      if (missing.length > 0) {
        await session.disconnect().catch(() => {});
        throw new ByokyError(
          ErrorCode.PROVIDER_UNAVAILABLE,
          `The wallet did not grant ${missing.map((p) => p.id).join(', ')}`,
          { providerId: missing[0].id },
        );
      }
      storage.save(storage.sessionSlot(this.walletUrl), session.toJSON());
      return session;
    }
    throw new ByokyError(ErrorCode.TIMEOUT, 'The wallet owner did not answer in time');
  }

  /**
   * Pairs with a wallet elsewhere through the relay: `onPairingReady` gets the code to show; the
   * owner runs `byoky pair <code>` (or scans it) and approves.
   * @param {ConnectOptions} options
   * @param {AbortSignal | undefined} signal
   * @param {((code: string) => void) | undefined} onPairingReady
   * @returns {Promise<PairedSession>}
   */
  async #connectViaRelay(options, signal, onPairingReady) {
    const link = new PairedLink(createPairingPayload({ relayUrl: this.relayUrl, appOrigin: location.origin }));
    const offered = await link.pair({ timeout: this.timeout, signal, onPairingReady: onPairingReady ?? (() => {}) });
    const missing = options.providers.filter((p) => p.required && offered[p.id]?.available !== true);
    if (missing.length > 0) {
      link.close();
      throw new ByokyError(
        ErrorCode.PROVIDER_UNAVAILABLE,
        `The paired wallet does not offer ${missing.map((p) => p.id).join(', ')}`,
        { providerId: missing[0].id },
      );
    }
    return new PairedSession(link, offered);
  }

  /**
   * @param {ConnectOptions} options
   * @returns {Promise<ByokySession>}
   */
  #connectWithModal(options) {
    const modal = new ConnectModal(typeof options.modal === 'object' ? options.modal : {});
    const origin = location.origin;
    return new Promise((resolve, reject) => {
      modal.onCancel = reject;
      options.signal?.addEventListener('abort', () => modal.cancel(), { once: true });
      /** @type {AbortController | null} ends the previous attempt (and its pairing) on a retry */
      let current = null;
      const attempt = async () => {
        current?.abort();
        const thisAttempt = new AbortController();
        current = thisAttempt;
        const signal = AbortSignal.any([thisAttempt.signal, modal.cancelled.signal]);
        modal.showDetecting();
        try {
          let session;
          if (options.useRelay || !(await this.detectWallet())) {
            if (signal.aborted) return;
            if (!this.relayUrl) {
              modal.showNoWallet({ storeUrl: getStoreUrl(), walletUrl: this.walletUrl, onRetry: attempt });
              return;
            }
            session = await this.#connectViaRelay(options, signal, (code) => {
              options.onPairingReady?.(code);
              modal.showPairing({ code, link: pairingUrl(code), storeUrl: getStoreUrl(), onRetry: attempt });
            });
          } else {
            session = await this.#connectToWallet(options, signal, () =>
              modal.showApprove({ origin, appName: this.appName, providers: options.providers }),
            );
          }
          if (signal.aborted) {
            await session.disconnect().catch(() => {});
            return;
          }
          await modal.showConnected(session.providers);
          resolve(session);
        } catch (error) {
          if (signal.aborted) return;
          const failure =
            error instanceof ByokyError ? error : new ByokyError(ErrorCode.UNKNOWN, String(error?.message ?? error));
          modal.showError(failure, attempt);
        }
      };
      modal.open();
      void attempt();
    });
  }

  /**
   * Makes this page's session from the wallet's (or the vault's) grant, kept in `slot`.
   * @param {import('./session.js').StoredSession} granted
   * @param {string} [slot]
   */
  #adopt(granted, slot = storage.sessionSlot(this.walletUrl)) {
    const session = new ByokySession(
      { ...granted, proxyUrl: granted.proxyUrl || this.walletUrl },
      {
        onEnded: () => {
          storage.remove(slot);
          if (this.#session === session) this.#session = null;
        },
        onProvidersChanged: (changed) => storage.save(slot, changed.toJSON()),
      },
    );
    this.#session = session;
    return session;
  }
}

/**
 * Whether `url` may receive a password: https, or http to this machine.
 * @param {string} url
 */
function isAllowedServiceUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
}

/** @param {unknown} providers */
function checkProviders(providers) {
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new ByokyError(ErrorCode.INVALID_REQUEST, 'connect needs providers: [{ id, required }]');
  }
  for (const provider of providers) {
    if (!provider || typeof provider.id !== 'string' || !PROVIDERS[provider.id]) {
      throw new ByokyError(ErrorCode.PROVIDER_UNAVAILABLE, `Unknown provider "${provider?.id}"`, {
        providerId: provider?.id,
      });
    }
  }
}
