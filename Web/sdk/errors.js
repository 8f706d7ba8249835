// Typed errors of the byoky browser SDK. The codes are the Swift SDK's (ByokyError.Code).

/** @typedef {'WALLET_NOT_INSTALLED'|'USER_REJECTED'|'PROVIDER_UNAVAILABLE'|'SESSION_EXPIRED'|'NO_SESSION'|'RATE_LIMITED'|'QUOTA_EXCEEDED'|'INVALID_KEY'|'TOKEN_EXPIRED'|'PROXY_ERROR'|'RELAY_CONNECTION_FAILED'|'RELAY_DISCONNECTED'|'UNKNOWN'|'TIMEOUT'|'INVALID_URL'|'INVALID_REQUEST'|'UNAUTHORIZED'|'ORIGIN_NOT_ALLOWED'|'WALLET_LOCKED'|'NOT_IMPLEMENTED'|'TOO_MANY_REQUESTS'|'SERVICE_UNAVAILABLE'|string} ByokyErrorCode */

/** The error codes the SDK throws itself; the wallet may send others (kept as they are). */
export const ErrorCode = Object.freeze({
  WALLET_NOT_INSTALLED: 'WALLET_NOT_INSTALLED',
  USER_REJECTED: 'USER_REJECTED',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  NO_SESSION: 'NO_SESSION',
  RATE_LIMITED: 'RATE_LIMITED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  INVALID_KEY: 'INVALID_KEY',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  PROXY_ERROR: 'PROXY_ERROR',
  RELAY_CONNECTION_FAILED: 'RELAY_CONNECTION_FAILED',
  RELAY_DISCONNECTED: 'RELAY_DISCONNECTED',
  UNKNOWN: 'UNKNOWN',
  TIMEOUT: 'TIMEOUT',
  INVALID_URL: 'INVALID_URL',
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  WALLET_LOCKED: 'WALLET_LOCKED',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
});

/** An SDK failure with a stable `code` (see {@link ErrorCode}) and optional `details`. */
export class ByokyError extends Error {
  /**
   * @param {ByokyErrorCode} code
   * @param {string} message
   * @param {Record<string, unknown>} [details]
   */
  constructor(code, message, details) {
    super(message);
    this.name = 'ByokyError';
    /** @type {ByokyErrorCode} */
    this.code = code;
    /** @type {Record<string, unknown>} */
    this.details = details ?? {};
  }
}

/**
 * The wallet's `{"error":{"code","message"}}` answer as a ByokyError.
 * @param {unknown} body
 * @param {number} status
 * @returns {ByokyError}
 */
export function errorFromWire(body, status) {
  const error = body && typeof body === 'object' ? /** @type {any} */ (body).error : undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ByokyError(error.code, error.message);
  }
  return new ByokyError(ErrorCode.UNKNOWN, `The wallet answered HTTP ${status}`);
}
