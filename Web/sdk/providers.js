// The providers a session can reach, with the address the app's own code uses for each. The SDK
// only sends a request to the wallet when its URL is the provider's real one, so a page cannot
// use a session to reach anything else.

/**
 * @typedef {object} ProviderInfo
 * @property {string} id
 * @property {string} name
 * @property {string} baseUrl the provider's real address
 * @property {boolean} customBaseUrl the owner's key carries its own address (any URL is accepted; the wallet checks it)
 * @property {string} authHeader the header the provider's own SDK puts its key in
 */

/** @type {Readonly<Record<string, ProviderInfo>>} */
export const PROVIDERS = Object.freeze(Object.fromEntries([
  ['anthropic', 'Anthropic', 'https://api.anthropic.com', false, 'x-api-key'],
  ['openai', 'OpenAI', 'https://api.openai.com', false, 'authorization'],
  ['gemini', 'Google Gemini', 'https://generativelanguage.googleapis.com', false, 'x-goog-api-key'],
  ['mistral', 'Mistral', 'https://api.mistral.ai', false, 'authorization'],
  ['cohere', 'Cohere', 'https://api.cohere.com', false, 'authorization'],
  ['xai', 'xAI (Grok)', 'https://api.x.ai', false, 'authorization'],
  ['deepseek', 'DeepSeek', 'https://api.deepseek.com', false, 'authorization'],
  ['perplexity', 'Perplexity', 'https://api.perplexity.ai', false, 'authorization'],
  ['groq', 'Groq', 'https://api.groq.com', false, 'authorization'],
  ['together', 'Together AI', 'https://api.together.xyz', false, 'authorization'],
  ['fireworks', 'Fireworks AI', 'https://api.fireworks.ai', false, 'authorization'],
  ['openrouter', 'OpenRouter', 'https://openrouter.ai/api', false, 'authorization'],
  ['azure_openai', 'Azure OpenAI', 'https://YOUR_RESOURCE.openai.azure.com', true, 'api-key'],
  ['ollama', 'Ollama (local)', 'http://localhost:11434', true, 'authorization'],
  ['lm_studio', 'LM Studio (local)', 'http://localhost:1234', true, 'authorization'],
].map(([id, name, baseUrl, customBaseUrl, authHeader]) =>
  [id, Object.freeze({ id, name, baseUrl, customBaseUrl, authHeader })])));

/** Headers an app may have filled with a placeholder key; they never reach the wallet. */
export const APP_AUTH_HEADERS = Object.freeze(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key']);
