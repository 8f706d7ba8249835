// __APP_NAME__'s page: it connects the person's byoky wallet, then opens a backend relay so that
// the server can send provider requests through the wallet. Questions go to the server (`/ask`),
// whose answer streams back here. Neither the page nor the server ever sees a key.
import { Byoky } from './byoky/byoky.js';
import { readEvents } from './events.js';

// The wallet's address: the default, or ?wallet=… while you develop against another one.
const walletUrl = new URLSearchParams(location.search).get('wallet') ?? 'http://127.0.0.1:19280';
const byoky = new Byoky({ walletUrl, appName: '__APP_NAME__' });
// Who this page is to the server. A real app uses its own login here.
const user = crypto.randomUUID();
const $ = (id) => document.getElementById(id);
let session = null;
let relay = null;

function say(who, text) {
  const line = document.createElement('p');
  line.className = `message ${who}`;
  line.textContent = text;
  $('log').append(line);
  return line;
}

function ready(connected) {
  $('prompt').disabled = $('send').disabled = !connected;
  $('connect').textContent = connected ? 'Disconnect' : 'Connect your wallet';
}

$('connect').addEventListener('click', async () => {
  if (session) {
    relay?.close();
    await session.disconnect();
    session = relay = null;
    ready(false);
    $('status').textContent = 'Disconnected.';
    return;
  }
  try {
    session = await byoky.connect({ providers: [{ id: 'anthropic', required: true }], modal: true });
    const socket = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/byoky`;
    relay = session.createRelay(socket, { correlationId: user });
    session.onDisconnect(() => {
      session = relay = null;
      ready(false);
      $('status').textContent = 'Disconnected.';
    });
    ready(true);
    $('status').textContent = 'Connected: the server can now answer through your wallet.';
  } catch (error) {
    $('status').textContent = `Not connected: ${error.message}`;
  }
});

$('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const question = $('prompt').value.trim();
  if (!question || !session) return;
  $('prompt').value = '';
  say('you', question);
  const answer = say('them', '');
  try {
    const response = await fetch('/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, question }),
    });
    if (!response.ok) {
      answer.textContent = `Error ${response.status}: ${await response.text()}`;
      return;
    }
    await readEvents(response, (data) => {
      if (data.type === 'content_block_delta') answer.textContent += data.delta?.text ?? '';
    });
  } catch (error) {
    answer.textContent = `Failed: ${error.message}`;
  }
});

$('status').textContent = 'Connect your wallet to start.';
window.appReady = true;
