// HPKE (RFC 9180) as relay pairing uses it, on WebCrypto: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256
// and AES-GCM, in base or PSK mode, single-shot contexts. WebCrypto has no ChaCha20-Poly1305, so
// a page's pairing code asks the wallet for AES-256-GCM (the wallet's Swift side is swift-crypto's
// HPKE with the same suite).

import { concatBytes, utf8 } from './bytes.js';

const subtle = globalThis.crypto.subtle;
const KEM_ID = 0x0020;
const KDF_ID = 0x0001;
const HASH_LENGTH = 32;
const NONCE_LENGTH = 12;

/** HPKE's AEAD identifiers and key lengths for the ciphers WebCrypto has. */
export const AEADS = {
  'aes-128-gcm': { id: 0x0001, keyLength: 16 },
  'aes-256-gcm': { id: 0x0002, keyLength: 32 },
};

/** @param {number} value @param {number} length big-endian */
function i2osp(value, length) {
  const out = new Uint8Array(length);
  for (let index = length - 1, rest = value; index >= 0 && rest > 0; index -= 1, rest = Math.floor(rest / 256)) {
    out[index] = rest % 256;
  }
  return out;
}

/** HMAC-SHA256; an empty key is HMAC's zero-padded key (WebCrypto refuses empty keys). */
async function hmac(/** @type {Uint8Array} */ key, /** @type {Uint8Array} */ data) {
  const material = key.length ? key : new Uint8Array(HASH_LENGTH);
  const cryptoKey = await subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', cryptoKey, data));
}

async function expand(/** @type {Uint8Array} */ prk, /** @type {Uint8Array} */ info, /** @type {number} */ length) {
  const blocks = [];
  let previous = new Uint8Array(0);
  for (let counter = 1; blocks.length * HASH_LENGTH < length; counter += 1) {
    previous = await hmac(prk, concatBytes(previous, info, Uint8Array.of(counter)));
    blocks.push(previous);
  }
  return concatBytes(...blocks).slice(0, length);
}

const labeledExtract = (suiteId, salt, label, ikm) =>
  hmac(salt, concatBytes(utf8('HPKE-v1'), suiteId, utf8(label), ikm));

const labeledExpand = (suiteId, prk, label, info, length) =>
  expand(prk, concatBytes(i2osp(length, 2), utf8('HPKE-v1'), suiteId, utf8(label), info), length);

const KEM_SUITE = concatBytes(utf8('KEM'), i2osp(KEM_ID, 2));

/** @param {Uint8Array} raw a 32-byte X25519 public key */
const importPublicKey = (raw) => subtle.importKey('raw', raw, { name: 'X25519' }, true, []);

async function sharedSecret(/** @type {CryptoKey} */ privateKey, /** @type {Uint8Array} */ peer, enc, recipient) {
  const dh = new Uint8Array(
    await subtle.deriveBits({ name: 'X25519', public: await importPublicKey(peer) }, privateKey, 256),
  );
  const prk = await labeledExtract(KEM_SUITE, new Uint8Array(0), 'eae_prk', dh);
  return labeledExpand(KEM_SUITE, prk, 'shared_secret', concatBytes(enc, recipient), HASH_LENGTH);
}

/** A fresh X25519 key pair; `publicKey` is its raw 32 bytes. */
export async function generateKeyPair() {
  const pair = /** @type {CryptoKeyPair} */ (await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']));
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)) };
}

/**
 * An HPKE encryption context (single-shot use: one `seal` or `open`, then `export`).
 */
class Context {
  #key;
  #baseNonce;
  #exporterSecret;
  #suiteId;
  #sequence = 0;

  constructor(key, baseNonce, exporterSecret, suiteId) {
    this.#key = key;
    this.#baseNonce = baseNonce;
    this.#exporterSecret = exporterSecret;
    this.#suiteId = suiteId;
  }

  #nextNonce() {
    const nonce = i2osp(this.#sequence, NONCE_LENGTH);
    for (let index = 0; index < NONCE_LENGTH; index += 1) nonce[index] ^= this.#baseNonce[index];
    this.#sequence += 1;
    return nonce;
  }

  /** @param {Uint8Array} plaintext @param {Uint8Array} [aad] */
  async seal(plaintext, aad = new Uint8Array(0)) {
    const iv = this.#nextNonce();
    return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, this.#key, plaintext));
  }

  /** @param {Uint8Array} ciphertext @param {Uint8Array} [aad] @throws when it does not open */
  async open(ciphertext, aad = new Uint8Array(0)) {
    const iv = this.#nextNonce();
    return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, this.#key, ciphertext));
  }

  /** A secret derived from the context (RFC 9180 §5.3). @param {Uint8Array} context @param {number} length */
  export(context, length) {
    return labeledExpand(this.#suiteId, this.#exporterSecret, 'sec', context, length);
  }
}

async function keySchedule(shared, { aead, info, psk, pskId }) {
  const cipher = AEADS[aead];
  if (!cipher) throw new Error(`HPKE: no AEAD "${aead}" here`);
  const hasPsk = psk !== undefined;
  if (hasPsk !== (pskId !== undefined)) throw new Error('HPKE: a PSK needs its identifier, and the other way round');
  const suiteId = concatBytes(utf8('HPKE'), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2), i2osp(cipher.id, 2));
  const empty = new Uint8Array(0);
  const context = concatBytes(
    Uint8Array.of(hasPsk ? 1 : 0),
    await labeledExtract(suiteId, empty, 'psk_id_hash', pskId ?? empty),
    await labeledExtract(suiteId, empty, 'info_hash', info),
  );
  const secret = await labeledExtract(suiteId, shared, 'secret', psk ?? empty);
  const keyBytes = await labeledExpand(suiteId, secret, 'key', context, cipher.keyLength);
  const key = await subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  return new Context(
    key,
    await labeledExpand(suiteId, secret, 'base_nonce', context, NONCE_LENGTH),
    await labeledExpand(suiteId, secret, 'exp', context, HASH_LENGTH),
    suiteId,
  );
}

/**
 * @typedef {object} SuiteOptions
 * @property {keyof typeof AEADS} aead
 * @property {Uint8Array} info
 * @property {Uint8Array} [psk] PSK mode when given (with `pskId`)
 * @property {Uint8Array} [pskId]
 */

/**
 * The sender's side: a context sealed to `recipientPublicKey` and the encapsulated key to send.
 * @param {Uint8Array} recipientPublicKey raw X25519 public key
 * @param {SuiteOptions} options
 * @returns {Promise<{ enc: Uint8Array, context: Context }>}
 */
export async function setupSender(recipientPublicKey, options) {
  const ephemeral = await generateKeyPair();
  const shared = await sharedSecret(ephemeral.privateKey, recipientPublicKey, ephemeral.publicKey, recipientPublicKey);
  return { enc: ephemeral.publicKey, context: await keySchedule(shared, options) };
}

/**
 * The recipient's side, for a sender's encapsulated key `enc`.
 * @param {{ privateKey: CryptoKey, publicKey: Uint8Array }} recipient
 * @param {Uint8Array} enc
 * @param {SuiteOptions} options
 * @returns {Promise<Context>}
 */
export async function setupRecipient(recipient, enc, options) {
  const shared = await sharedSecret(recipient.privateKey, enc, enc, recipient.publicKey);
  return keySchedule(shared, options);
}
