// __APP_NAME__: one question, two providers side by side, through the person's own byoky wallet.
// Each column speaks its provider's API; the wallet chooses who answers (its owner can route this
// app to another provider, and the wallet translates the request and the answer).
import { Byoky } from './byoky/byoky.js';

const walletUrl = new URLSearchParams(location.search).get('wallet') ?? 'http://127.0.0.1:19280';

const providers = {
  anthropic: {
    url: 'https://api.anthropic.com/v1/messages',
    body: (prompt) => ({ model: 'claude-sonnet-4-5', max_tokens: 512, messages: [{ role: 'user', content: prompt }] }),
    read: (json) => ({ model: json.model, text: (json.content ?? []).map((part) => part.text ?? '').join('') }),
  },
  openai: {
    url: 'https://api.openai.com/v1/chat/completions',
    body: (prompt) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }),
    read: (json) => ({ model: json.model, text: json.choices?.[0]?.message?.content ?? '' }),
  },
};

const byoky = new Byoky({ walletUrl, appName: '__APP_NAME__' });
const $ = (id) => document.getElementById(id);
let session = null;

function watch(connected) {
  session = connected;
  const ready = Object.keys(providers).filter((id) => connected.providers[id]?.available);
  $('prompt').disabled = $('send').disabled = ready.length === 0;
  $('connect').textContent = 'Disconnect';
  $('status').textContent = ready.length ? `Connected: ${ready.join(', ')}.` : 'Connected, but no provider is available yet.';
  connected.onDisconnect(() => {
    session = null;
    $('prompt').disabled = $('send').disabled = true;
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

async function ask(id, prompt) {
  const column = $(id);
  const provider = providers[id];
  column.querySelector('.model').textContent = '…';
  column.querySelector('.answer').textContent = '';
  if (!session?.providers[id]?.available) {
    column.querySelector('.model').textContent = 'not granted by the wallet';
    return;
  }
  try {
    const response = await session.createFetch(id)(provider.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(provider.body(prompt)),
    });
    const json = await response.json();
    if (!response.ok) {
      column.querySelector('.model').textContent = `error ${response.status}`;
      column.querySelector('.answer').textContent = json.error?.message ?? '';
      return;
    }
    const { model, text } = provider.read(json);
    column.querySelector('.model').textContent = `answered as ${model}`;
    column.querySelector('.answer').textContent = text;
  } catch (error) {
    column.querySelector('.model').textContent = `failed: ${error.message}`;
  }
}

$('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const prompt = $('prompt').value.trim();
  if (!prompt || !session) return;
  await Promise.all(Object.keys(providers).map((id) => ask(id, prompt)));
});

const restored = await byoky.tryReconnect();
if (restored) watch(restored);
$('status').textContent ||= 'Connect your wallet to start.';
window.appReady = true;
