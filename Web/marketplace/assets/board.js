// The board's live parts. The page works without it; with it, expiry countdowns tick, the cards
// follow the board (online dots, tokens left) without a reload, and "Copy link" copies.

import { enableCopyButtons } from '../../shared/copy-buttons.js';

/** "3d 4h", "2h 5m", "4m 10s" until `expires` (ms); the server renders the same form. */
export function countdown(expires, now = Date.now()) {
  const seconds = Math.floor((expires - now) / 1000);
  if (seconds <= 0) return 'expired';
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m ${seconds % 60}s`;
}

function tick() {
  for (const time of document.querySelectorAll('time[data-expires]')) {
    time.textContent = countdown(Number(time.dataset.expires));
  }
}

/** Updates each card from the board's JSON; a gift that came or went reloads the page. */
async function refresh() {
  const cards = [...document.querySelectorAll('#active [data-gift]')];
  try {
    const provider = new URLSearchParams(location.search).get('provider');
    const response = await fetch('/gifts' + (provider ? `?provider=${encodeURIComponent(provider)}` : ''),
      { cache: 'no-store' });
    if (!response.ok) return;
    const board = await response.json();
    const ids = board.active.map((gift) => gift.id).join(' ');
    if (ids !== cards.map((card) => card.dataset.gift).join(' ')) {
      location.reload();
      return;
    }
    for (const gift of board.active) {
      const card = document.querySelector(`[data-gift="${CSS.escape(gift.id)}"]`);
      const dot = card.querySelector('.dot');
      dot.className = `dot ${gift.online ? 'online' : 'offline'}`;
      dot.setAttribute('aria-label', gift.online ? 'online' : 'offline');
      card.querySelector('progress').value = gift.tokensRemaining;
      card.querySelector('.remaining').textContent = String(gift.tokensRemaining);
    }
  } catch {
    // The board is restarting; the next round tries again.
  }
}

enableCopyButtons();

tick();
setInterval(tick, 1000);
if (document.getElementById('active')) setInterval(refresh, 10000);

// An app icon that does not load (its host is down, or the visitor is offline) gives way to the
// app's initial, rather than a broken-image frame.
for (const icon of document.querySelectorAll('img.icon')) {
  const fallback = () => {
    const initial = document.createElement('span');
    initial.className = 'icon initial';
    initial.setAttribute('aria-hidden', 'true');
    initial.textContent = icon.dataset.initial ?? '?';
    icon.replaceWith(initial);
  };
  if (icon.complete && icon.naturalWidth === 0) fallback();
  else icon.addEventListener('error', fallback);
}
