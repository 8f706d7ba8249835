// `session.createFetch(providerId)`: a drop-in `fetch` that sends a provider-native request
// through the owner's wallet. Provider JS SDKs accept it as their `fetch` option.

import { ByokyError, ErrorCode } from './errors.js';
import { APP_AUTH_HEADERS, PROVIDERS } from './providers.js';

/** The header the wallet names its error code in. */
export const ERROR_CODE_HEADER = 'x-byoky-error-code';

/**
 * Where a request written for the provider's real URL goes on the wallet.
 * @param {string} url the URL the app's code asked for
 * @param {import('./providers.js').ProviderInfo} provider
 * @param {string} walletUrl
 * @returns {string}
 * @throws {ByokyError} INVALID_URL when `url` is not the provider's address
 */
export function bridgeUrl(url, provider, walletUrl) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new ByokyError(ErrorCode.INVALID_URL, `Not a valid URL for ${provider.name}`);
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) {
    throw new ByokyError(ErrorCode.INVALID_URL, `Not a valid URL for ${provider.name}`);
  }
  let path = parsed.pathname;
  if (!provider.customBaseUrl) {
    const base = new URL(provider.baseUrl);
    if (parsed.origin !== base.origin) {
      throw new ByokyError(
        ErrorCode.INVALID_URL,
        `This session's fetch for ${provider.name} only sends requests to ${base.origin}`,
      );
    }
    const basePath = base.pathname.replace(/\/$/, '');
    if (basePath) {
      if (path !== basePath && !path.startsWith(basePath + '/')) {
        throw new ByokyError(ErrorCode.INVALID_URL, `${provider.name} requests start with ${provider.baseUrl}`);
      }
      path = path.slice(basePath.length) || '/';
    }
  }
  let query = parsed.search.slice(1);
  if (provider.id === 'gemini') {
    // Gemini's `?key=` would carry the app's placeholder key; the session key goes in a header.
    query = query.split('&').filter((pair) => pair && pair !== 'key' && !pair.startsWith('key=')).join('&');
  }
  return `${walletUrl}/${provider.id}${path}${query ? '?' + query : ''}`;
}

/**
 * Makes the fetch function of one provider.
 * @param {object} options
 * @param {string} options.providerId
 * @param {() => string} options.walletUrl
 * @param {() => string} options.sessionKey read on every call, so a reconnect can swap it
 * @param {(code: string) => void} options.onSessionEnded called when the wallet says the session is no longer valid
 * @param {() => Promise<void>} options.onNetworkError called when no answer came (a refused
 *   preflight looks the same as a wallet that is down); throws when the session has ended
 * @returns {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>}
 */
export function createProxyFetch({ providerId, walletUrl, sessionKey, onSessionEnded, onNetworkError }) {
  const provider = PROVIDERS[providerId];
  if (!provider) {
    throw new ByokyError(ErrorCode.PROVIDER_UNAVAILABLE, `Unknown provider "${providerId}"`, { providerId });
  }
  return async function byokyFetch(input, init) {
    // A Request carries method, headers, body and signal; `init` overrides them, as in `fetch`.
    const request = new Request(input, init);
    const target = bridgeUrl(request.url, provider, walletUrl());
    const headers = new Headers(request.headers);
    for (const name of APP_AUTH_HEADERS) headers.delete(name);
    const key = sessionKey();
    headers.set(provider.authHeader, provider.authHeader === 'authorization' ? `Bearer ${key}` : key);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    let response;
    try {
      response = await fetch(target, {
        method: request.method,
        headers,
        body: hasBody ? await request.arrayBuffer() : undefined,
        signal: request.signal,
        credentials: 'omit',
        // No `cache: 'no-store'`: Chromium then skips its CORS preflight cache, and every request
        // paid a second round trip to the wallet (+2 ms; docs/BENCHMARKS.md).
        redirect: 'error',
        referrerPolicy: 'no-referrer',
      });
    } catch (error) {
      // Aborts stay AbortErrors and outages stay TypeErrors, as provider SDKs expect from fetch.
      if (!request.signal.aborted) await onNetworkError();
      throw error;
    }
    if (response.status === 401) {
      const code = response.headers.get(ERROR_CODE_HEADER);
      if (code === ErrorCode.SESSION_EXPIRED || code === ErrorCode.UNAUTHORIZED) onSessionEnded(code);
    }
    return response;
  };
}
