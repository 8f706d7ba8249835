// A paired session's `createFetch(providerId)`: the same drop-in `fetch` as a local session's,
// but each request travels sealed through the relay to the owner's wallet, and the answer
// streams back frame by frame.

import { fromBase64, toBase64 } from './bytes.js';
import { ByokyError, ErrorCode } from './errors.js';
import { APP_AUTH_HEADERS, PROVIDERS } from './providers.js';
import { bridgeUrl } from './proxy-fetch.js';

/** Statuses whose responses cannot have a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The URL as the wallet expects it: the provider's real address (Gemini's `?key=` removed).
 * @param {string} url @param {import('./providers.js').ProviderInfo} provider
 * @throws {ByokyError} INVALID_URL when `url` is not the provider's address, or the provider
 *   needs an address of the owner's (those are not reachable through a pairing)
 */
function relayedUrl(url, provider) {
  if (provider.customBaseUrl) {
    throw new ByokyError(ErrorCode.INVALID_URL, `${provider.name} is not reachable through a pairing`);
  }
  const path = bridgeUrl(url, provider, '').slice(provider.id.length + 1);
  return new URL(provider.baseUrl).origin + new URL(provider.baseUrl).pathname.replace(/\/$/, '') + path;
}

/**
 * Makes the fetch function of one provider over a pairing.
 * @param {string} providerId
 * @param {import('./pairing.js').PairedLink} link
 * @returns {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>}
 */
export function createRelayFetch(providerId, link) {
  const provider = PROVIDERS[providerId];
  if (!provider) {
    throw new ByokyError(ErrorCode.PROVIDER_UNAVAILABLE, `Unknown provider "${providerId}"`, { providerId });
  }
  return async function byokyRelayFetch(input, init) {
    const request = new Request(input, init);
    const url = relayedUrl(request.url, provider);
    const signal = request.signal;
    signal.throwIfAborted();
    /** @type {Record<string, string>} */
    const headers = {};
    request.headers.forEach((value, name) => {
      if (!APP_AUTH_HEADERS.includes(name)) headers[name] = value;
    });
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const bodyBytes = hasBody ? new Uint8Array(await request.arrayBuffer()) : null;
    /** @type {{ body?: string, bodyEncoding?: string }} */
    const body = {};
    if (bodyBytes && bodyBytes.length > 0) {
      try {
        body.body = new TextDecoder('utf-8', { fatal: true }).decode(bodyBytes);
      } catch {
        body.body = toBase64(bodyBytes);
        body.bodyEncoding = 'base64';
      }
    }

    return new Promise((resolve, reject) => {
      /** @type {ReadableStreamDefaultController<Uint8Array> | null} */
      let controller = null;
      let settled = false;
      let requestId = '';
      const encoder = new TextEncoder();
      const fail = (/** @type {unknown} */ error) => {
        if (!settled) {
          settled = true;
          reject(error);
        } else {
          try {
            controller?.error(error);
          } catch {
            // The body was already closed or cancelled.
          }
        }
      };
      const onAbort = () => {
        if (requestId) link.cancel(requestId);
        fail(signal.reason ?? new DOMException('The request was aborted', 'AbortError'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = () => signal.removeEventListener('abort', onAbort);

      const onFrame = (/** @type {any} */ frame) => {
        switch (frame.type) {
          case 'relay:response:meta': {
            if (settled) return;
            settled = true;
            const status = Number(frame.status);
            const stream = NULL_BODY_STATUSES.has(status)
              ? null
              : new ReadableStream({
                  start: (c) => {
                    controller = c;
                  },
                  cancel: () => {
                    link.cancel(requestId);
                    finish();
                  },
                });
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(frame.headers ?? {})) {
              try {
                responseHeaders.set(name, String(value));
              } catch {
                // A header the browser refuses to carry is left out.
              }
            }
            resolve(new Response(stream, { status, statusText: String(frame.statusText ?? ''), headers: responseHeaders }));
            break;
          }
          case 'relay:response:chunk': {
            const bytes = frame.encoding === 'base64' ? fromBase64(String(frame.chunk)) : encoder.encode(String(frame.chunk));
            if (bytes) controller?.enqueue(bytes);
            break;
          }
          case 'relay:response:done':
            finish();
            try {
              controller?.close();
            } catch {
              // Cancelled by the reader.
            }
            break;
          case 'relay:response:error':
            finish();
            fail(new ByokyError(String(frame.error?.code ?? ErrorCode.PROXY_ERROR), String(frame.error?.message ?? 'The wallet could not serve the request')));
            break;
          default:
            break;
        }
      };
      link
        .send(
          (id) => ({
            type: 'relay:request',
            requestId: id,
            providerId,
            url,
            method: request.method,
            headers,
            ...body,
          }),
          {
            onFrame,
            onFailure: (error) => {
              finish();
              fail(error);
            },
          },
        )
        .then((id) => {
          requestId = id;
          if (signal.aborted) link.cancel(id);
        })
        .catch((error) => {
          finish();
          fail(error);
        });
    });
  };
}
