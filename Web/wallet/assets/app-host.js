// The wallet page's side of an installed app opened in its sandboxed frame. Only messages whose
// source is that frame are read; each is forwarded to the wallet by a same-origin request that
// carries the owner's cookie and this page's CSRF token, and the wallet attaches the app's origin.
// The session key stays here: the frame never holds one.

import { ErrorCode } from '/sdk/errors.js';
import { bridgeUrl } from '/sdk/proxy-fetch.js';
import { PROVIDERS } from '/sdk/providers.js';

const host = document.querySelector('[data-app-host]');
const frame = host?.querySelector('iframe');

/** The largest request body forwarded (the wallet refuses larger ones anyway). */
const MAXIMUM_BODY_BYTES = 32 * 1024 * 1024;

if (host && frame) {
  const base = `/wallet/store/${encodeURIComponent(host.dataset.appHost)}`;
  const csrf = host.dataset.csrf;
  /** @type {string | null} */
  let sessionKey = null;
  /** @type {Map<number, AbortController>} */
  const exchanges = new Map();

  /** @param {Record<string, unknown>} message @param {Transferable[]} [transfer] */
  const reply = (message, transfer = []) => {
    // The frame's origin is opaque ("null"), so no origin can be named; the window is the target.
    frame.contentWindow?.postMessage({ byoky: 1, ...message }, '*', transfer);
  };
  const fail = (id, code, message) => reply({ type: 'error', id, code, message });

  /** A same-origin call to this page's routes for the app. */
  const call = (path, init = {}) =>
    fetch(base + path, {
      ...init,
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      headers: { ...init.headers, 'x-byoky-csrf': csrf, ...(sessionKey ? { 'x-byoky-session': sessionKey } : {}) },
    });

  const handlers = {
    hello: (message) => reply({ type: 'ready', id: message.id }),

    async connect(message) {
      const response = await call('/connect', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ providers: message.providers }),
      });
      const status = await response.json();
      if (!response.ok) return fail(message.id, status?.error?.code, status?.error?.message);
      if (status.status === 'approved' && status.session) {
        sessionKey = status.session.sessionKey;
        const { providers, expiresAt } = status.session;
        return reply({ type: 'answer', id: message.id, status: { status: 'approved', session: { providers, expiresAt } } });
      }
      reply({ type: 'answer', id: message.id, status: { status: status.status, error: status.error } });
    },

    async fetch(message) {
      const provider = PROVIDERS[message.provider];
      if (!sessionKey) return fail(message.id, ErrorCode.NO_SESSION, 'Connect first');
      if (!provider) return fail(message.id, ErrorCode.PROVIDER_UNAVAILABLE, 'Unknown provider');
      if (message.body && message.body.byteLength > MAXIMUM_BODY_BYTES) {
        return fail(message.id, ErrorCode.INVALID_REQUEST, 'The request is too large');
      }
      const target = bridgeUrl(String(message.url), provider, `${location.origin}${base}/proxy`);
      const controller = new AbortController();
      exchanges.set(message.id, controller);
      try {
        const headers = new Headers(Array.isArray(message.headers) ? message.headers : []);
        const response = await call(target.slice(location.origin.length + base.length), {
          method: String(message.method),
          headers: Object.fromEntries(headers),
          body: message.body ?? undefined,
          signal: controller.signal,
        });
        if (response.status === 401) {
          const code = response.headers.get('x-byoky-error-code');
          if (code === ErrorCode.SESSION_EXPIRED || code === ErrorCode.UNAUTHORIZED) sessionKey = null;
        }
        reply({
          type: 'response',
          id: message.id,
          status: response.status,
          statusText: response.statusText,
          headers: [...response.headers],
        });
        const reader = response.body?.getReader();
        while (reader) {
          const { done, value } = await reader.read();
          if (done) break;
          reply({ type: 'chunk', id: message.id, chunk: value.buffer }, [value.buffer]);
        }
        reply({ type: 'end', id: message.id });
        if (!sessionKey) reply({ type: 'ended' });
      } finally {
        exchanges.delete(message.id);
      }
    },

    abort(message) {
      exchanges.get(message.id)?.abort();
    },

    async usage(message) {
      const response = await call('/usage');
      const usage = await response.json();
      if (!response.ok) return fail(message.id, usage?.error?.code, usage?.error?.message);
      reply({ type: 'answer', id: message.id, usage });
    },

    async disconnect(message) {
      if (sessionKey) await call('/disconnect', { method: 'POST' });
      sessionKey = null;
      reply({ type: 'answer', id: message.id });
    },
  };

  window.addEventListener('message', (event) => {
    // Only the app's own frame: messages from any other window (or this page) are ignored.
    if (event.source !== frame.contentWindow) return;
    const message = event.data;
    if (!message || message.byoky !== 1 || typeof message.type !== 'string' || !Object.hasOwn(handlers, message.type)) {
      return;
    }
    Promise.resolve()
      .then(() => handlers[message.type](message))
      .catch((error) => {
        const aborted = error?.name === 'AbortError';
        fail(
          message.id,
          aborted ? 'ABORTED' : error?.code ?? ErrorCode.PROXY_ERROR,
          aborted ? 'The request was aborted' : String(error?.message ?? 'The wallet did not answer'),
        );
      });
  });
}
