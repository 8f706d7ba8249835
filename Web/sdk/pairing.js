// Pairing from a page: the page joins a relay room as the recipient and shows a pairing code; the
// owner's wallet (`byoky pair <code>`) joins as the sender, proves it read the code, and then
// serves the page's requests. Every request and answer is sealed end to end (relay-sealing.js),
// so the relay routes only ciphertext. A dropped relay connection is reopened with back-off.

import { toBase64Url } from './bytes.js';
import { ByokyError, ErrorCode } from './errors.js';
import { PAGE_CIPHER, sealRequest, verifyPairingProof } from './relay-sealing.js';

/** The largest frame read from the relay (the relay's own limit). */
const MAXIMUM_FRAME = 20 * 1024 * 1024;

/** The link form of a pairing code, which wallets accept as well. @param {string} code */
export const pairingUrl = (code) => `byoky://pair/${code}`;

/**
 * @typedef {object} PairingPayload
 * @property {string} relayUrl
 * @property {string} roomId
 * @property {string} authToken the room secret (a bearer secret: shown only to the owner)
 * @property {string} appOrigin
 * @property {Uint8Array} psk the pre-shared key (a secret, carried only in the code)
 * @property {string} code what the owner types or scans
 */

/**
 * The relay URL with the room in its query: a proxy in front of several relays hashes on it, so
 * both peers of a room reach the same relay (the relay itself reads the room from `relay:auth`).
 * @param {string} relayUrl
 * @param {string} roomId
 */
export function routedUrl(relayUrl, roomId) {
  const url = new URL(relayUrl);
  url.searchParams.append('room', roomId);
  return url.toString();
}

/**
 * A new version 2 pairing payload: a random room, 256-bit room token and pre-shared key, and
 * the cipher a browser has (AES-256-GCM).
 * @param {{ relayUrl: string, appOrigin: string }} options
 * @returns {PairingPayload}
 */
export function createPairingPayload({ relayUrl, appOrigin }) {
  const random = (count) => crypto.getRandomValues(new Uint8Array(count));
  const roomId = crypto.randomUUID();
  const authToken = [...random(32)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const psk = random(32);
  const json = JSON.stringify({ v: 2, r: relayUrl, id: roomId, t: authToken, o: appOrigin, k: toBase64Url(psk), a: PAGE_CIPHER });
  return { relayUrl, roomId, authToken, appOrigin, psk, code: toBase64Url(new TextEncoder().encode(json)) };
}

/**
 * @typedef {object} PendingRequest
 * @property {import('./relay-sealing.js').ResponseOpener} opener
 * @property {(frame: any) => void} onFrame an opened answer frame (meta, chunk, done, error)
 * @property {(error: ByokyError) => void} onFailure the request cannot finish
 */

/** The page's end of a pairing. */
export class PairedLink {
  /** @type {WebSocket | null} */
  #socket = null;
  #closed = false;
  #paired = false;
  #peerOnline = false;
  /** @type {string | null} the wallet's public key, once its hello checked out */
  #walletKey = null;
  /** @type {Map<string, PendingRequest>} */
  #pending = new Map();
  /** Frames are handled one at a time, in arrival order (opening them is asynchronous). */
  #queue = Promise.resolve();
  #pingTimer = 0;
  #nextRequest = 0;
  /** @type {{ resolve: (providers: Record<string, any>) => void, reject: (error: ByokyError) => void } | null} */
  #waiter = null;
  /** @type {(() => void) | null} */
  #onAuthorized = null;

  /** @param {PairingPayload} payload */
  constructor(payload) {
    this.payload = payload;
    /** @type {{requests: number, inputTokens: number, outputTokens: number, byProvider: Record<string, any>} | null} */
    this.usage = null;
    /** @type {(providers: Record<string, any>) => void} */
    this.onProviders = () => {};
    /** @type {(error: ByokyError) => void} called when the relay refuses the room for good */
    this.onEnded = () => {};
  }

  /** Whether the relay connection is open and the wallet is in the room. */
  get isConnected() {
    return !this.#closed && this.#socket?.readyState === WebSocket.OPEN && this.#peerOnline && this.#walletKey !== null;
  }

  /**
   * Joins the room, calls `onPairingReady` with the code, and waits for the wallet's offer.
   * @param {{ timeout: number, signal?: AbortSignal, onPairingReady: (code: string) => void }} options
   * @returns {Promise<Record<string, {available: boolean, authMethod: string, gift?: boolean}>>}
   */
  pair({ timeout, signal, onPairingReady }) {
    return new Promise((resolve, reject) => {
      const fail = (/** @type {ByokyError} */ error) => {
        clearTimeout(timer);
        this.close();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new ByokyError(ErrorCode.TIMEOUT, 'Pairing timed out: no wallet joined with the pairing code')),
        timeout,
      );
      signal?.addEventListener('abort', () => fail(new ByokyError(ErrorCode.USER_REJECTED, 'The pairing was cancelled')), {
        once: true,
      });
      this.#waiter = {
        resolve: (providers) => {
          clearTimeout(timer);
          resolve(providers);
        },
        reject: fail,
      };
      this.#onAuthorized = () => {
        this.#onAuthorized = null;
        try {
          onPairingReady(this.payload.code);
        } catch (error) {
          console.error('byoky: onPairingReady threw', error);
        }
      };
      this.#open(250);
    });
  }

  /**
   * Sends one request frame sealed to the wallet; the answer's frames go to `handlers`.
   * @param {(requestId: string) => object} makeFrame the whole `relay:request` frame for this id
   * @param {{ onFrame: (frame: any) => void, onFailure: (error: ByokyError) => void }} handlers
   * @returns {Promise<string>} the request id
   */
  async send(makeFrame, handlers) {
    if (!this.isConnected) {
      throw new ByokyError(ErrorCode.RELAY_DISCONNECTED, 'The paired wallet is not reachable right now; try again soon');
    }
    this.#nextRequest += 1;
    const requestId = `p${this.#nextRequest}_${crypto.randomUUID().slice(0, 8)}`;
    const frame = new TextEncoder().encode(JSON.stringify(makeFrame(requestId)));
    const sealed = await sealRequest(frame, /** @type {string} */ (this.#walletKey), requestId, this.payload);
    this.#pending.set(requestId, { opener: sealed.opener, ...handlers });
    this.#write({ type: 'relay:request:sealed', requestId, enc: sealed.enc, ct: sealed.ct });
    return requestId;
  }

  /** Tells the wallet to stop working on a request and forgets it. @param {string} requestId */
  cancel(requestId) {
    if (this.#pending.delete(requestId)) this.#write({ type: 'relay:request:cancel', requestId });
  }

  /** Closes the link for good; requests in flight fail. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pingTimer);
    this.#socket?.close(1000, 'closed');
    this.#failAll(new ByokyError(ErrorCode.RELAY_DISCONNECTED, 'The pairing was closed'));
  }

  /** @param {number} delay the back-off before the next attempt after this one drops */
  #open(delay) {
    if (this.#closed) return;
    let socket;
    try {
      socket = new WebSocket(routedUrl(this.payload.relayUrl, this.payload.roomId));
    } catch {
      this.#waiter?.reject(new ByokyError(ErrorCode.RELAY_CONNECTION_FAILED, 'The relay address is not valid'));
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.#write({ type: 'relay:auth', roomId: this.payload.roomId, authToken: this.payload.authToken, role: 'recipient' });
      clearInterval(this.#pingTimer);
      this.#pingTimer = setInterval(() => this.#write({ type: 'relay:ping', ts: Date.now() }), 25_000);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string' || event.data.length > MAXIMUM_FRAME) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.#queue = this.#queue.then(() => this.#receive(frame)).catch((error) => console.error('byoky:', error));
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      clearInterval(this.#pingTimer);
      this.#peerOnline = false;
      this.#failAll(new ByokyError(ErrorCode.RELAY_DISCONNECTED, 'The relay connection dropped; reconnecting'));
      if (this.#closed) return;
      if (!this.#paired) {
        this.#waiter?.reject(new ByokyError(ErrorCode.RELAY_CONNECTION_FAILED, 'Could not reach the relay'));
        return;
      }
      const next = opened ? 250 : Math.min(delay * 2, 10_000);
      setTimeout(() => this.#open(next), opened ? 250 : delay);
    };
  }

  /** @param {any} frame */
  async #receive(frame) {
    if (!frame || typeof frame.type !== 'string') return;
    switch (frame.type) {
      case 'relay:auth:result':
        if (frame.success === true) {
          this.#peerOnline = frame.peerOnline === true;
          this.#onAuthorized?.();
        } else {
          const error = new ByokyError(
            ErrorCode.RELAY_CONNECTION_FAILED,
            `The relay refused the pairing room: ${String(frame.error ?? 'no reason given').slice(0, 200)}`,
          );
          if (this.#waiter) this.#waiter.reject(error);
          else {
            this.close();
            this.onEnded(error);
          }
        }
        break;
      case 'relay:pair:hello':
        await this.#hello(frame);
        break;
      case 'relay:peer:status':
        this.#peerOnline = frame.online === true;
        if (!this.#peerOnline) this.#failAll(new ByokyError(ErrorCode.RELAY_DISCONNECTED, 'The wallet went offline'));
        break;
      case 'relay:pair:usage':
        if (typeof frame.requests === 'number') {
          const { type, ...usage } = frame;
          void type;
          this.usage = usage;
        }
        break;
      case 'relay:ping':
        if (typeof frame.ts === 'number') this.#write({ type: 'relay:pong', ts: frame.ts });
        break;
      case 'relay:response:sealed':
        await this.#openAnswer(frame);
        break;
      case 'relay:response:error': {
        // In the clear only when the wallet could not open the request (nothing to seal to).
        const pending = this.#pending.get(String(frame.requestId));
        if (!pending) break;
        this.#pending.delete(String(frame.requestId));
        pending.onFailure(
          new ByokyError(String(frame.error?.code ?? ErrorCode.PROXY_ERROR), String(frame.error?.message ?? 'The wallet refused the request')),
        );
        break;
      }
      default:
        break; // Answers in the clear are never trusted: the relay could have written them.
    }
  }

  /** The wallet's offer: accepted only with a proof made with the code's pre-shared key. @param {any} frame */
  async #hello(frame) {
    if (typeof frame.publicKey !== 'string' || !(await verifyPairingProof(frame.proof, frame.publicKey, this.payload.psk))) {
      return;
    }
    if (this.#walletKey && this.#walletKey !== frame.publicKey) this.#failAll(new ByokyError(ErrorCode.RELAY_DISCONNECTED, 'The wallet restarted'));
    this.#walletKey = frame.publicKey;
    this.#peerOnline = true;
    /** @type {Record<string, any>} */
    const providers = {};
    for (const [id, grant] of Object.entries(frame.providers ?? {})) {
      const offer = /** @type {any} */ (grant);
      if (offer && (offer.authMethod === 'api_key' || offer.authMethod === 'oauth')) {
        providers[id] = { available: offer.available === true, authMethod: offer.authMethod, ...(offer.gift ? { gift: true } : {}) };
      }
    }
    this.#paired = true;
    this.#write({ type: 'relay:pair:ack' });
    const waiter = this.#waiter;
    this.#waiter = null;
    if (waiter) waiter.resolve(providers);
    else this.onProviders(providers);
  }

  /** @param {any} frame */
  async #openAnswer(frame) {
    const requestId = String(frame.requestId);
    const pending = this.#pending.get(requestId);
    if (!pending) return;
    let inner;
    try {
      const plaintext = await pending.opener.open(Number(frame.seq), String(frame.ct));
      inner = JSON.parse(new TextDecoder().decode(plaintext));
      if (inner?.requestId !== requestId) throw new Error('not this request');
    } catch {
      this.#pending.delete(requestId);
      pending.onFailure(new ByokyError(ErrorCode.PROXY_ERROR, 'An end-to-end encrypted answer did not open; the relay may have altered it'));
      return;
    }
    if (inner.type === 'relay:response:done' || inner.type === 'relay:response:error') this.#pending.delete(requestId);
    pending.onFrame(inner);
  }

  /** @param {ByokyError} error */
  #failAll(error) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) request.onFailure(error);
  }

  /** @param {object} frame */
  #write(frame) {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
  }
}

