// Types of byoky.js, the byoky browser SDK (served by the wallet at /sdk/byoky.js).

export declare const VERSION: string;
export declare const DEFAULT_WALLET_URL: string;
export declare const DEFAULT_STORE_URL: string;

export type ByokyErrorCode =
  | 'WALLET_NOT_INSTALLED' | 'USER_REJECTED' | 'PROVIDER_UNAVAILABLE' | 'SESSION_EXPIRED' | 'NO_SESSION'
  | 'RATE_LIMITED' | 'QUOTA_EXCEEDED' | 'INVALID_KEY' | 'TOKEN_EXPIRED' | 'PROXY_ERROR'
  | 'RELAY_CONNECTION_FAILED' | 'RELAY_DISCONNECTED' | 'UNKNOWN' | 'TIMEOUT' | 'INVALID_URL'
  | 'INVALID_REQUEST' | 'UNAUTHORIZED' | 'ORIGIN_NOT_ALLOWED' | 'WALLET_LOCKED' | 'NOT_IMPLEMENTED'
  | 'TOO_MANY_REQUESTS' | 'SERVICE_UNAVAILABLE' | (string & {});

export declare const ErrorCode: Readonly<{ [Code in Exclude<ByokyErrorCode, string & {}>]: Code }>;

/** An SDK failure with a stable code. */
export declare class ByokyError extends Error {
  constructor(code: ByokyErrorCode, message: string, details?: Record<string, unknown>);
  readonly name: 'ByokyError';
  readonly code: ByokyErrorCode;
  readonly details: Record<string, unknown>;
}

export type ProviderId =
  | 'anthropic' | 'openai' | 'gemini' | 'mistral' | 'cohere' | 'xai' | 'deepseek' | 'perplexity' | 'groq'
  | 'together' | 'fireworks' | 'openrouter' | 'azure_openai' | 'ollama' | 'lm_studio';

export interface ProviderInfo {
  id: ProviderId;
  name: string;
  /** The provider's real address. */
  baseUrl: string;
  /** The owner's key carries its own address (any URL is accepted; the wallet checks it). */
  customBaseUrl: boolean;
  authHeader: string;
}

export declare const PROVIDERS: Readonly<Record<ProviderId, ProviderInfo>>;

export interface ProviderRequirement {
  id: ProviderId;
  /** Fail with PROVIDER_UNAVAILABLE unless the owner grants it. */
  required?: boolean;
}

export interface ProviderGrant {
  available: boolean;
  authMethod: 'api_key' | 'oauth';
  gift?: boolean;
}

export interface SessionUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  byProvider: Record<string, { requests: number; inputTokens: number; outputTokens: number }>;
}

export interface ModalOptions {
  theme?: 'auto' | 'light' | 'dark';
  accentColor?: string;
  container?: HTMLElement;
}

export interface ByokyOptions {
  /** How long `connect` waits for the owner, in ms (default 120 000). */
  timeout?: number;
  /** The relay for pairing (`wss://`, or `ws://` to loopback; default wss://relay.byoky.com; `''` turns pairing off). */
  relayUrl?: string;
  /** The wallet's bridge (default http://127.0.0.1:19280). */
  walletUrl?: string;
  /** The name the owner sees (default the page title). */
  appName?: string;
  /** The install page for people without a wallet. */
  storeUrl?: string;
}

export interface ConnectOptions {
  providers: ProviderRequirement[];
  /** Show the built-in connect dialog. */
  modal?: boolean | ModalOptions;
  /** For apps that draw their own pairing UI: the code the owner passes to `byoky pair` (see `pairingUrl`). */
  onPairingReady?: (code: string) => void;
  /** Skip the local wallet and pair through the relay (the modal shows a QR code). */
  useRelay?: boolean;
  /** Cancels the attempt (USER_REJECTED). */
  signal?: AbortSignal;
}

/** `connectViaVault`: the owner's vault account (https, or http to this machine). */
export interface VaultConnectOptions {
  vaultUrl: string;
  username: string;
  password: string;
  providers: ProviderRequirement[];
  /** Must be this page's origin when given (the vault binds the session to the page's origin). */
  appOrigin?: string;
}

export type ByokyFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** What every session offers, local or paired. */
export interface Session {
  readonly sessionKey: string;
  readonly proxyUrl: string;
  providers: Record<string, ProviderGrant>;
  expiresAt: number;
  /** A drop-in `fetch` for one provider's real URLs, sent through the owner's wallet. */
  createFetch(providerId: ProviderId): ByokyFetch;
  /** Serves the app backend's provider requests over a WebSocket (`wss://`, or `ws://` to localhost). */
  createRelay(wsUrl: string, options?: { correlationId?: string; pingInterval?: number }): BackendRelay;
  disconnect(): Promise<void>;
  isConnected(): Promise<boolean>;
  getUsage(): Promise<SessionUsage>;
  onDisconnect(callback: () => void): () => void;
  onProvidersUpdated(callback: (providers: Record<string, ProviderGrant>) => void): () => void;
}

/** A session with the owner's wallet on this machine. `sessionKey` is a bearer secret: never log it. */
export interface ByokySession extends Session {}
export declare class ByokySession {
  toJSON(): { sessionKey: string; proxyUrl: string; providers: Record<string, ProviderGrant>; expiresAt: number };
}

/**
 * A session served by the owner's wallet elsewhere through a relay pairing, sealed end to end:
 * `sessionKey` is `relay_<room id>` (a name, not a secret), `proxyUrl` the relay, `expiresAt` 0,
 * `getUsage()` what the wallet last reported, `isConnected()` whether the wallet is in the room.
 */
export interface PairedSession extends Session {}
export declare class PairedSession {
  readonly isPaired: true;
}

/**
 * A session of an installed app opened inside the wallet's page (a sandboxed frame): requests go
 * to the page by `postMessage`, which forwards them with the app's origin. `sessionKey` is
 * `hosted` (the page keeps the key), `proxyUrl` empty; `createRelay` throws NOT_IMPLEMENTED.
 */
export interface HostedSession extends Session {}
export declare class HostedSession {
  readonly isHosted: true;
}

/** Whether this page runs inside the wallet's page (framed with the `#byoky-hosted=1` mark). */
export declare function isHostedByWallet(): boolean;

/** The link form of a pairing code (`byoky://pair/<code>`), what the modal's QR code holds. */
export declare function pairingUrl(code: string): string;

/** The page's end of a backend relay (see `session.createRelay`). */
export declare class BackendRelay {
  readonly url: string;
  /** Announced in `relay:hello`; random, never the session key. */
  readonly sessionId: string;
  readonly status: 'connecting' | 'connected' | 'disconnected' | 'closed';
  readonly connectionCount: number;
  readonly servedCount: number;
  onClose(callback: (reason: string) => void): () => void;
  close(reason?: string): void;
}

export declare class Byoky {
  constructor(options?: ByokyOptions);
  readonly timeout: number;
  readonly walletUrl: string;
  readonly relayUrl: string;
  /** Probes the wallet; `isExtensionInstalled()` returns the answer afterwards. */
  detectWallet(): Promise<boolean>;
  /** A paired session when it went through the relay (`useRelay`, `onPairingReady` without a wallet, the modal's QR). */
  connect(options: ConnectOptions): Promise<ByokySession | PairedSession | HostedSession>;
  tryReconnect(): Promise<ByokySession | HostedSession | null>;
  connectViaVault(options: VaultConnectOptions): Promise<ByokySession>;
}

/** The wallet URL a provider URL is sent to; throws INVALID_URL for other addresses. */
export declare function bridgeUrl(url: string, provider: ProviderInfo, walletUrl: string): string;
/** Whether the last probe found a wallet. */
export declare function isExtensionInstalled(): boolean;
export declare function getStoreUrl(): string;

/** A QR code of `data` (strings as UTF-8): byte mode, the smallest version that fits. */
export declare function encodeQr(
  data: string | Uint8Array,
  level?: 'L' | 'M' | 'Q' | 'H',
): { version: number; size: number; mask: number; isDark(x: number, y: number): boolean };
/** The code as an SVG document (dark modules as one path, a quiet zone of `border` modules). */
export declare function qrToSvg(
  code: ReturnType<typeof encodeQr>,
  options?: { size?: number; border?: number; dark?: string; light?: string },
): string;
