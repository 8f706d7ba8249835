// __APP_NAME__: a chat on byoky.js. The person connects their own wallet, picks a provider, and the
// answer streams in as the provider writes it. The page never sees a key: every request goes
// through the wallet, which adds it.
import { Byoky } from './byoky/byoky.js';
import { readEvents } from './events.js';

// The wallet's address: the default, or ?wallet=… while you develop against another one.
const walletUrl = new URLSearchParams(location.search).get('wallet') ?? 'http://127.0.0.1:19280';

/** How each provider is asked (its own API, unchanged), and how its stream is read. */
const providers = {
  anthropic: {
    url: 'https://api.anthropic.com/v1/messages',
    body: (prompt) => ({ model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true,
      messages: [{ role: 'user', content: prompt }] }),
    text: (event) => (event.type === 'content_block_delta' ? event.delta?.text ?? '' : ''),
  },
  openai: {
    url: 'https://api.openai.com/v1/chat/completions',
    body: (prompt) => ({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] }),
    text: (event) => event.choices?.[0]?.delta?.content ?? '',
  },
};

const byoky = new Byoky({ walletUrl, appName: '__APP_NAME__' });
const $ = (id) => document.getElementById(id);
let session = null;

function show(connected) {
  const picker = $('provider');
  picker.replaceChildren(...Object.keys(providers)
    .filter((id) => connected.providers[id]?.available)
    .map((id) => new Option(id, id)));
  picker.disabled = $('prompt').disabled = $('send').disabled = picker.options.length === 0;
  $('connect').textContent = 'Disconnect';
  $('status').textContent = picker.options.length ? 'Connected.' : 'Connected, but no provider is available yet.';
}

function say(who, text) {
  const line = document.createElement('p');
  line.className = `message ${who}`;
  line.textContent = text;
  $('log').append(line);
  return line;
}

function watch(connected) {
  session = connected;
  show(connected);
  connected.onProvidersUpdated(() => show(connected));
  connected.onDisconnect(() => {
    session = null;
    $('provider').disabled = $('prompt').disabled = $('send').disabled = true;
    $('connect').textContent = 'Connect your wallet';
    $('status').textContent = 'Disconnected.';
  });
}

$('connect').addEventListener('click', async () => {
  if (session) {
    await session.disconnect();
    return;
  }
  try {
    watch(await byoky.connect({ providers: [{ id: 'anthropic' }, { id: 'openai' }], modal: true }));
  } catch (error) {
    $('status').textContent = `Not connected: ${error.message}`;
  }
});

$('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const prompt = $('prompt').value.trim();
  const provider = providers[$('provider').value];
  if (!prompt || !session || !provider) return;
  $('prompt').value = '';
  say('you', prompt);
  const answer = say('them', '');
  try {
    const response = await session.createFetch($('provider').value)(provider.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(provider.body(prompt)),
    });
    if (!response.ok) {
      answer.textContent = `Error ${response.status}: ${(await response.json()).error?.message ?? ''}`;
      return;
    }
    await readEvents(response, (data) => { answer.textContent += provider.text(data); });
  } catch (error) {
    answer.textContent = `Failed: ${error.message}`;
  }
});

const restored = await byoky.tryReconnect();
if (restored) watch(restored);
$('status').textContent ||= 'Connect your wallet to start.';
window.appReady = true;
