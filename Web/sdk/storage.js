// Where a page keeps its session between loads: localStorage, which the browser scopes to the
// page's origin. Every access is guarded (sandboxed frames and privacy modes throw).

const PREFIX = 'byoky:';

/**
 * @param {string} name
 * @returns {any}
 */
export function load(name) {
  try {
    const text = globalThis.localStorage?.getItem(PREFIX + name);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * @param {string} name
 * @param {unknown} value
 */
export function save(name, value) {
  try {
    globalThis.localStorage?.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // Nothing kept: the page will ask to connect again next time.
  }
}

/** @param {string} name */
export function remove(name) {
  try {
    globalThis.localStorage?.removeItem(PREFIX + name);
  } catch {
    // Nothing to do.
  }
}

/**
 * The storage name of the session for one wallet.
 * @param {string} walletUrl
 */
export function sessionSlot(walletUrl) {
  return `session:${walletUrl}`;
}

/** The storage name of a session made through a vault (one per page origin). */
export const VAULT_SESSION_SLOT = 'vault-session';
