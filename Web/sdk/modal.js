// The built-in connect dialog: a Shadow DOM overlay (no CSS leaks either way), accessible (a
// focus trap, Escape, labels), light and dark. It shows where the connection stands and lets the
// person cancel; the flow itself is run by `Byoky.connect`.

import { ByokyError, ErrorCode } from './errors.js';
import { PROVIDERS } from './providers.js';
import { encodeQr, qrToSvg } from './qr.js';

/**
 * @typedef {object} ModalOptions
 * @property {'auto'|'light'|'dark'} [theme] default `auto` (follows the system)
 * @property {string} [accentColor] a CSS color
 * @property {HTMLElement} [container] where the overlay is attached (default `document.body`)
 */

const STYLE = `
:host { all: initial; }
.backdrop { position: fixed; inset: 0; z-index: 2147483647; display: flex; align-items: center;
  justify-content: center; background: rgba(15, 18, 25, 0.55); font: 15px/1.45 system-ui, -apple-system,
  "Segoe UI", Roboto, sans-serif; --accent: #4f46e5; --bg: #ffffff; --fg: #151821; --muted: #5b6170;
  --line: #e3e5ea; --ok: #16a34a; --bad: #dc2626; }
@media (prefers-color-scheme: dark) {
  :host(:not([data-theme=light])) .backdrop { --bg: #1b1e26; --fg: #eef0f4; --muted: #a3a9b6; --line: #323644; }
}
:host([data-theme=dark]) .backdrop { --bg: #1b1e26; --fg: #eef0f4; --muted: #a3a9b6; --line: #323644; }
.dialog { box-sizing: border-box; width: min(420px, calc(100vw - 32px)); max-height: calc(100vh - 32px);
  overflow: auto; background: var(--bg); color: var(--fg); border-radius: 14px; padding: 24px;
  box-shadow: 0 20px 60px rgba(0, 0, 0, 0.35); }
h2 { margin: 0 0 6px; font-size: 19px; font-weight: 650; }
p { margin: 8px 0; color: var(--muted); }
.origin { font-weight: 600; color: var(--fg); word-break: break-all; }
ul { margin: 8px 0 12px; padding: 0; list-style: none; }
li { padding: 6px 10px; border: 1px solid var(--line); border-radius: 8px; margin: 4px 0; color: var(--fg); }
li small { color: var(--muted); margin-left: 6px; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--line);
  color: var(--fg); padding: 1px 5px; border-radius: 4px; }
.status { display: flex; align-items: center; gap: 10px; margin: 14px 0 4px; color: var(--muted); }
.spinner { width: 18px; height: 18px; border: 2px solid var(--line); border-top-color: var(--accent);
  border-radius: 50%; animation: spin 0.9s linear infinite; flex: none; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation-duration: 3s; } }
.mark { width: 44px; height: 44px; border-radius: 50%; display: grid; place-items: center; color: #fff;
  font-size: 24px; margin-bottom: 10px; }
.mark.ok { background: var(--ok); } .mark.bad { background: var(--bad); }
.actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 18px; flex-wrap: wrap; }
button, a.button { font: inherit; border-radius: 8px; padding: 8px 14px; cursor: pointer; border: 1px solid var(--line);
  background: transparent; color: var(--fg); text-decoration: none; }
button.primary, a.button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: 0.55; cursor: default; }
.qr { display: flex; justify-content: center; margin: 12px 0 8px; }
.qr svg { width: 216px; height: 216px; border-radius: 8px; }
.code { display: flex; gap: 8px; align-items: stretch; margin: 8px 0; }
.code textarea { flex: 1; min-width: 0; resize: none; height: 54px; box-sizing: border-box; font: 11px/1.35 ui-monospace,
  SFMono-Regular, Menlo, monospace; color: var(--fg); background: transparent; border: 1px solid var(--line);
  border-radius: 8px; padding: 6px 8px; word-break: break-all; }
.dialog:focus { outline: none; }
button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
`;

/** @param {string} text */
function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Keeps a user-given color from breaking out of its CSS declaration. @param {string | undefined} value */
function safeColor(value) {
  return typeof value === 'string' && /^[#a-zA-Z0-9(),.\s%-]{1,40}$/.test(value) ? value : null;
}

/** The one modal on the page (a new one replaces it). @type {ConnectModal | null} */
let active = null;

export class ConnectModal {
  /** @param {ModalOptions} [options] */
  constructor(options = {}) {
    this.options = options;
    this.cancelled = new AbortController();
    /** @type {(reason: ByokyError) => void} */
    this.onCancel = () => {};
    this.previousFocus = null;
    this.host = null;
    this.root = null;
    this.dialog = null;
    this.timers = [];
    this.onKeyDown = () => {};
    this.onFocusIn = () => {};
  }

  /** Shows the overlay in its first state. */
  open() {
    active?.close();
    active = this;
    this.previousFocus = document.activeElement;
    const host = document.createElement('byoky-connect-modal');
    if (this.options.theme === 'light' || this.options.theme === 'dark') host.dataset.theme = this.options.theme;
    const root = host.attachShadow({ mode: 'open' });
    const accent = safeColor(this.options.accentColor);
    // A constructed style sheet: pages with a strict Content-Security-Policy allow it (no inline <style>).
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE + (accent ? `.backdrop{--accent:${accent}}` : ''));
    root.adoptedStyleSheets = [sheet];
    root.innerHTML = `<div class="backdrop" part="backdrop">
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="byoky-title"
          aria-describedby="byoky-body" tabindex="-1"></div>
      </div>`;
    this.host = host;
    this.root = root;
    this.dialog = /** @type {HTMLElement} */ (root.querySelector('.dialog'));
    root.querySelector('.backdrop')?.addEventListener('click', (event) => {
      if (event.target === event.currentTarget) this.cancel();
    });
    // On the document, so Escape and Tab work wherever the focus was when the dialog opened.
    this.onKeyDown = (/** @type {KeyboardEvent} */ event) => this.#onKey(event);
    this.onFocusIn = (/** @type {FocusEvent} */ event) => {
      if (event.target !== host) this.dialog?.focus();
    };
    document.addEventListener('keydown', this.onKeyDown, true);
    document.addEventListener('focusin', this.onFocusIn, true);
    (this.options.container ?? document.body).appendChild(host);
  }

  /** The person closed the dialog: the connection attempt ends with USER_REJECTED. */
  cancel() {
    if (!this.host) return;
    this.close();
    this.cancelled.abort();
    this.onCancel(new ByokyError(ErrorCode.USER_REJECTED, 'The connection was cancelled'));
  }

  /** Removes the overlay and gives focus back to where it was. */
  close() {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.host?.remove();
    this.host = null;
    document.removeEventListener('keydown', this.onKeyDown, true);
    document.removeEventListener('focusin', this.onFocusIn, true);
    if (active === this) active = null;
    if (this.previousFocus instanceof HTMLElement) this.previousFocus.focus();
  }

  /** Looking for a wallet on this machine. */
  showDetecting() {
    this.#render('detecting', `<h2 id="byoky-title">Connect with byoky</h2>
      <p id="byoky-body">This app uses your own AI provider keys through your byoky wallet. It never sees them.</p>
      <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>Looking for your wallet…</div>
      <div class="actions"><button type="button" data-action="cancel">Cancel</button></div>`);
  }

  /**
   * Waiting for the owner to approve in their wallet.
   * @param {{ origin: string, appName: string, providers: {id: string, required?: boolean}[] }} request
   */
  showApprove(request) {
    const items = request.providers
      .map((p) => `<li>${escapeHTML(PROVIDERS[p.id]?.name ?? p.id)}${p.required ? '<small>required</small>' : ''}</li>`)
      .join('');
    this.#render('approve', `<h2 id="byoky-title">Approve in your wallet</h2>
      <p id="byoky-body"><span class="origin">${escapeHTML(request.origin)}</span> asks to use:</p>
      <ul aria-label="Providers asked for">${items}</ul>
      <p>Approve it in your wallet: run <code>byoky pending</code>, then <code>byoky approve</code>.</p>
      <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>Waiting for approval…</div>
      <div class="actions"><button type="button" data-action="cancel">Cancel</button></div>`);
  }

  /**
   * Connected; the dialog closes itself.
   * @param {Record<string, {available: boolean}>} providers
   * @returns {Promise<void>} resolves once it has closed
   */
  showConnected(providers) {
    const granted = Object.entries(providers).filter(([, p]) => p.available).map(([id]) => PROVIDERS[id]?.name ?? id);
    this.#render('connected', `<div class="mark ok" aria-hidden="true">✓</div>
      <h2 id="byoky-title">Connected</h2>
      <p id="byoky-body" role="status">${granted.length ? `You can use ${escapeHTML(granted.join(', '))}.` : 'Connected.'}</p>`);
    return new Promise((resolve) => {
      setTimeout(() => {
        this.close();
        resolve();
      }, 800);
    });
  }

  /**
   * No wallet answered.
   * @param {{ storeUrl: string, walletUrl: string, onRetry: () => void }} info
   */
  showNoWallet(info) {
    this.#render('no-wallet', `<div class="mark bad" aria-hidden="true">!</div>
      <h2 id="byoky-title">No wallet found</h2>
      <p id="byoky-body">No byoky wallet answers at <code>${escapeHTML(info.walletUrl)}</code>.
        Install byoky, then run <code>byoky serve</code> and try again.</p>
      <div class="actions">
        <button type="button" data-action="cancel">Cancel</button>
        <a class="button" href="${escapeHTML(info.storeUrl)}" target="_blank" rel="noopener noreferrer">Install byoky</a>
        <button type="button" class="primary" data-action="retry">Try again</button>
      </div>`);
    this.#bind('retry', info.onRetry);
  }

  /**
   * No wallet on this machine: the owner pairs one from elsewhere by scanning the QR code or
   * pasting the code into `byoky pair`.
   * @param {{ code: string, link: string, storeUrl: string, onRetry: () => void }} info
   */
  showPairing(info) {
    const svg = qrToSvg(encodeQr(info.link), { size: 216, border: 3 });
    this.#render('pairing', `<h2 id="byoky-title">Pair your wallet</h2>
      <p id="byoky-body">No byoky wallet runs on this device. Scan this code with your wallet's device, or run
        <code>byoky pair</code> with the code below. Requests are end-to-end encrypted.</p>
      <div class="qr" role="img" aria-label="Pairing QR code">${svg}</div>
      <div class="code">
        <textarea readonly aria-label="Pairing code" spellcheck="false">${escapeHTML(info.link)}</textarea>
        <button type="button" data-action="copy">Copy</button>
      </div>
      <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>Waiting for your wallet…</div>
      <div class="actions">
        <button type="button" data-action="cancel">Cancel</button>
        <a class="button" href="${escapeHTML(info.storeUrl)}" target="_blank" rel="noopener noreferrer">Install byoky</a>
        <button type="button" data-action="retry">Look again</button>
      </div>`);
    this.#bind('retry', info.onRetry);
    const field = /** @type {HTMLTextAreaElement | null} */ (this.root?.querySelector('.code textarea') ?? null);
    const copy = /** @type {HTMLButtonElement | null} */ (this.root?.querySelector('[data-action=copy]') ?? null);
    copy?.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(info.link);
      } catch {
        // No clipboard permission: select the text so the person can copy it.
        field?.select();
      }
      copy.textContent = 'Copied';
    });
    copy?.focus();
  }

  /**
   * The attempt failed.
   * @param {ByokyError} error
   * @param {() => void} onRetry
   */
  showError(error, onRetry) {
    const waiting = error.code === ErrorCode.RATE_LIMITED || error.code === ErrorCode.TOO_MANY_REQUESTS;
    this.#render('error', `<div class="mark bad" aria-hidden="true">!</div>
      <h2 id="byoky-title">${waiting ? 'Just a moment' : 'Connection failed'}</h2>
      <p id="byoky-body" role="alert">${escapeHTML(error.message)}</p>
      <div class="actions">
        <button type="button" data-action="cancel">Cancel</button>
        <button type="button" class="primary" data-action="retry">Try again</button>
      </div>`);
    this.#bind('retry', onRetry);
    const retryAfter = Number(error.details?.retryAfter ?? 0);
    if (retryAfter > 0) {
      const button = /** @type {HTMLButtonElement} */ (this.root?.querySelector('[data-action=retry]'));
      let left = Math.ceil(retryAfter);
      const tick = () => {
        button.disabled = left > 0;
        button.textContent = left > 0 ? `Try again in ${left}s` : 'Try again';
        left -= 1;
      };
      tick();
      const timer = setInterval(() => {
        tick();
        if (left < 0) clearInterval(timer);
      }, 1000);
      this.timers.push(timer);
    }
  }

  /**
   * @param {string} state
   * @param {string} html
   */
  #render(state, html) {
    if (!this.dialog || !this.host) return;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.host.dataset.state = state;
    this.dialog.innerHTML = html;
    this.#bind('cancel', () => this.cancel());
    const first = this.dialog.querySelector('button.primary') ?? this.dialog;
    /** @type {HTMLElement} */ (first).focus();
  }

  /**
   * @param {string} action
   * @param {() => void} handler
   */
  #bind(action, handler) {
    this.root?.querySelector(`[data-action=${action}]`)?.addEventListener('click', handler);
  }

  /** Escape cancels; Tab stays inside the dialog. @param {KeyboardEvent} event */
  #onKey(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.cancel();
      return;
    }
    if (event.key !== 'Tab' || !this.dialog || !this.root) return;
    const focusable = /** @type {HTMLElement[]} */ ([...this.dialog.querySelectorAll('button:not(:disabled), a[href], textarea')]);
    if (focusable.length === 0) {
      event.preventDefault();
      return;
    }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const current = this.root.activeElement;
    if (!current || !focusable.includes(/** @type {HTMLElement} */ (current))) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    } else if (event.shiftKey && current === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && current === last) {
      event.preventDefault();
      first.focus();
    }
  }
}
