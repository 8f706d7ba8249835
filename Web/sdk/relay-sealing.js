// End-to-end sealing of relay frames between a paired page and the owner's wallet, the same
// scheme as the wallet's (Swift `RelaySealing`): each request is sealed with HPKE in PSK mode to
// the wallet's X25519 key (the pre-shared key travels only in the pairing code), and every frame
// of the answer is sealed under a key both ends export from that HPKE context, with a nonce made
// from the frame's number and the request id as associated data. The relay sees ciphertext only.

import { bytesEqual, fromBase64, toBase64Url, utf8 } from './bytes.js';
import { setupRecipient, setupSender } from './hpke.js';

const subtle = globalThis.crypto.subtle;
const RESPONSE_CONTEXT = utf8('byoky relay v2 response');
const PSK_ID = utf8('byoky pairing');

/** The cipher a page asks for in its pairing codes. */
export const PAGE_CIPHER = 'aes-256-gcm';

/** The HPKE `info` of a room. @param {string} roomId */
const roomInfo = (roomId) => utf8(`byoky relay v2 room ${roomId}`);

/** The 12-byte nonce of answer frame `sequence`. @param {number} sequence */
function frameNonce(sequence) {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(sequence));
  return nonce;
}

/**
 * The wallet's proof that it read the pairing code: HMAC-SHA256 of its public key under the
 * code's pre-shared key, base64url.
 * @param {string} publicKey base64url
 * @param {Uint8Array} psk
 */
export async function pairingProof(publicKey, psk) {
  const key = await subtle.importKey('raw', psk, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64Url(new Uint8Array(await subtle.sign('HMAC', key, utf8(`byoky pairing hello ${publicKey}`))));
}

/**
 * Whether `proof` is right for `publicKey` (compared in constant time) and the key is an X25519 key.
 * @param {string} proof @param {string} publicKey @param {Uint8Array} psk
 */
export async function verifyPairingProof(proof, publicKey, psk) {
  const raw = fromBase64(publicKey);
  if (typeof proof !== 'string' || !raw || raw.length !== 32) return false;
  return bytesEqual(utf8(await pairingProof(publicKey, psk)), utf8(proof));
}

async function frameKey(context) {
  const bytes = await context.export(RESPONSE_CONTEXT, 32);
  return subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** Opens the frames of one answer, which must arrive in order. */
export class ResponseOpener {
  #key;
  #aad;
  #next = 0;

  /** @param {CryptoKey} key @param {string} requestId */
  constructor(key, requestId) {
    this.#key = key;
    this.#aad = utf8(requestId);
  }

  /**
   * Opens frame `sequence`.
   * @param {number} sequence @param {string} ciphertext base64url
   * @returns {Promise<Uint8Array>}
   * @throws when the frame is out of order, for another request, or altered
   */
  async open(sequence, ciphertext) {
    const bytes = fromBase64(ciphertext);
    if (sequence !== this.#next || !bytes || bytes.length < 16) throw new Error('A sealed relay frame did not open');
    const iv = frameNonce(this.#next);
    const plaintext = await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: this.#aad }, this.#key, bytes);
    this.#next += 1;
    return new Uint8Array(plaintext);
  }
}

/** Seals the frames of one answer, numbering them from 0 (the wallet's side; used by tests). */
export class ResponseSealer {
  #key;
  #aad;
  #next = 0;

  /** @param {CryptoKey} key @param {string} requestId */
  constructor(key, requestId) {
    this.#key = key;
    this.#aad = utf8(requestId);
  }

  /** @param {Uint8Array} plaintext @returns {Promise<{ sequence: number, ciphertext: string }>} */
  async seal(plaintext) {
    const sequence = this.#next;
    this.#next += 1;
    const iv = frameNonce(sequence);
    const sealed = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: this.#aad }, this.#key, plaintext);
    return { sequence, ciphertext: toBase64Url(new Uint8Array(sealed)) };
  }
}

/**
 * @typedef {object} RoomKeys
 * @property {string} roomId
 * @property {Uint8Array} psk the pairing code's pre-shared key
 * @property {string} [aead] default `aes-256-gcm`
 */

/**
 * Seals a whole `relay:request` frame to the wallet's public key.
 * @param {Uint8Array} frame
 * @param {string} publicKey the wallet's, base64url
 * @param {string} requestId
 * @param {RoomKeys} room
 * @returns {Promise<{ enc: string, ct: string, opener: ResponseOpener }>}
 */
export async function sealRequest(frame, publicKey, requestId, { roomId, psk, aead = PAGE_CIPHER }) {
  const raw = fromBase64(publicKey);
  if (!raw || raw.length !== 32) throw new Error('The wallet sent a malformed public key');
  const { enc, context } = await setupSender(raw, { aead, info: roomInfo(roomId), psk, pskId: PSK_ID });
  const ct = await context.seal(frame);
  return { enc: toBase64Url(enc), ct: toBase64Url(ct), opener: new ResponseOpener(await frameKey(context), requestId) };
}

/**
 * The wallet's side (used by tests): opens a sealed request with the wallet's key pair.
 * @param {string} enc @param {string} ct base64url
 * @param {{ privateKey: CryptoKey, publicKey: Uint8Array }} wallet
 * @param {RoomKeys} room
 * @returns {Promise<{ plaintext: Uint8Array, sealer: (requestId: string) => ResponseSealer }>}
 */
export async function openRequest(enc, ct, wallet, { roomId, psk, aead = PAGE_CIPHER }) {
  const encBytes = fromBase64(enc);
  const sealed = fromBase64(ct);
  if (!encBytes || !sealed) throw new Error('A sealed relay frame did not open');
  const context = await setupRecipient(wallet, encBytes, { aead, info: roomInfo(roomId), psk, pskId: PSK_ID });
  const plaintext = await context.open(sealed);
  const key = await frameKey(context);
  return { plaintext, sealer: (requestId) => new ResponseSealer(key, requestId) };
}

