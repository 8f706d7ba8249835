// Calls to the wallet's app-facing API (`/v1/…` on the bridge), with a deadline and typed errors.

import { ByokyError, ErrorCode, errorFromWire } from './errors.js';

/** The largest JSON answer the SDK reads from the wallet API. */
const MAXIMUM_ANSWER_BYTES = 1 << 20;

/**
 * Sends one wallet API request and decodes its JSON answer.
 * @param {string} walletUrl
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, sessionKey?: string, timeout?: number, signal?: AbortSignal, unreachable?: string, service?: string }} [options]
 *   `unreachable` is the error code used when nothing answers (default WALLET_NOT_INSTALLED);
 *   `service` names what was called in messages (default "wallet"; "vault" for a vault).
 * @returns {Promise<any>}
 */
export async function callWallet(walletUrl, method, path, options = {}) {
  const { body, sessionKey, timeout = 10_000, signal, unreachable = ErrorCode.WALLET_NOT_INSTALLED } = options;
  const service = options.service ?? 'wallet';
  const headers = new Headers();
  if (body !== undefined) headers.set('content-type', 'application/json');
  if (sessionKey) headers.set('authorization', `Bearer ${sessionKey}`);
  const signals = [AbortSignal.timeout(timeout)];
  if (signal) signals.push(signal);
  let response;
  try {
    response = await fetch(walletUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any(signals),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    if (signal?.aborted) throw new ByokyError(ErrorCode.USER_REJECTED, 'The connection was cancelled');
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new ByokyError(ErrorCode.TIMEOUT, `The ${service} at ${walletUrl} did not answer in time`);
    }
    throw new ByokyError(
      unreachable,
      service === 'wallet'
        ? `No byoky wallet answers at ${walletUrl} — install byoky and run \`byoky serve\``
        : `No byoky ${service} answers at ${walletUrl} — check the address`,
    );
  }
  const text = await response.text();
  if (text.length > MAXIMUM_ANSWER_BYTES) {
    throw new ByokyError(ErrorCode.PROXY_ERROR, `The ${service} sent an answer that is too large`);
  }
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ByokyError(ErrorCode.PROXY_ERROR, `The ${service} answered HTTP ${response.status} without JSON`);
  }
  if (!response.ok) throw errorFromWire(json, response.status);
  return json;
}

/**
 * Whether a byoky wallet answers at `walletUrl` (a quick health check).
 * @param {string} walletUrl
 * @param {number} [timeout]
 * @returns {Promise<boolean>}
 */
export async function probeWallet(walletUrl, timeout = 1500) {
  try {
    const health = await callWallet(walletUrl, 'GET', '/v1/health', { timeout });
    return health?.status === 'ok';
  } catch {
    return false;
  }
}
