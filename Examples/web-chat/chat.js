// A one-page chat on byoky.js: the person connects their own wallet, picks a provider, and the
// answer streams in as the provider writes it. The page never sees a key.
// Open it as index.html?wallet=http://127.0.0.1:19280 (the default) from any static server.

const walletUrl = new URLSearchParams(location.search).get('wallet') ?? 'http://127.0.0.1:19280';
const { Byoky } = await import(`${walletUrl}/sdk/byoky.js`);

/** How each provider family is asked, and how its stream is read. */
const families = {
  anthropic: {
    url: 'https://api.anthropic.com/v1/messages',
    body: (prompt) => ({ model: 'claude-sonnet-4-5', max_tokens: 512, stream: true,
      messages: [{ role: 'user', content: prompt }] }),
    text: (event) => (event.type === 'content_block_delta' ? event.delta?.text ?? '' : ''),
  },
  openai: {
    url: 'https://api.openai.com/v1/chat/completions',
    body: (prompt) => ({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] }),
    text: (event) => event.choices?.[0]?.delta?.content ?? '',
  },
};

const byoky = new Byoky({ walletUrl, appName: 'byoky web chat' });
const $ = (id) => document.getElementById(id);
let session = null;

function show(session) {
  const picker = $('provider');
  picker.replaceChildren(...Object.keys(families)
    .filter((id) => session.providers[id]?.available)
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

$('connect').addEventListener('click', async () => {
  if (session) {
    await session.disconnect();
    return;
  }
  try {
    session = await byoky.connect({ providers: [{ id: 'anthropic' }, { id: 'openai' }], modal: true });
    watch(session);
  } catch (error) {
    $('status').textContent = `Not connected: ${error.message}`;
  }
});

function watch(connected) {
  show(connected);
  connected.onProvidersUpdated(() => show(connected));
  connected.onDisconnect(() => {
    session = null;
    $('provider').disabled = $('prompt').disabled = $('send').disabled = true;
    $('connect').textContent = 'Connect your wallet';
    $('status').textContent = 'Disconnected.';
  });
}

$('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const prompt = $('prompt').value.trim();
  const provider = $('provider').value;
  if (!prompt || !session || !families[provider]) return;
  $('prompt').value = '';
  say('you', prompt);
  const answer = say('them', '');
  const family = families[provider];
  try {
    const response = await session.createFetch(provider)(family.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(family.body(prompt)),
    });
    if (!response.ok) {
      answer.textContent = `Error ${response.status}: ${(await response.json()).error?.message ?? ''}`;
      return;
    }
    // Server-sent events: `data:` lines, one JSON event each.
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        if (!line.startsWith('data:') || line.includes('[DONE]')) continue;
        try {
          answer.textContent += family.text(JSON.parse(line.slice(5)));
        } catch {
          // Not JSON: ignore the line.
        }
      }
    }
  } catch (error) {
    answer.textContent = `Failed: ${error.message}`;
  }
});

session = await byoky.tryReconnect();
if (session) watch(session);
$('status').textContent ||= 'Connect your wallet to start.';
window.chatReady = true;
