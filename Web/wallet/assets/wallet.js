// The wallet page's small live parts. Everything works without it; with it, the requests list
// follows new connect requests without a reload, and destructive buttons ask first.

import { enableCopyButtons } from '../../shared/copy-buttons.js';

/** Forms marked `data-confirm` ask before they submit. */
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

/** The ids a list shows, in order (`data-id` of its items). @param {ParentNode} root */
const idsIn = (root) => [...root.querySelectorAll('[data-id]')].map((item) => item.getAttribute('data-id')).join(' ');

/** Swaps in the server-rendered list (the server escapes it) when its items change. */
function follow(element) {
  const refresh = async () => {
    // A choice being made is not replaced under the owner's cursor.
    if (element.contains(document.activeElement) && document.activeElement !== document.body) return;
    try {
      const response = await fetch(element.dataset.live, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) return;
      const html = await response.text();
      const next = new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html').body;
      if (idsIn(next) !== idsIn(element)) element.innerHTML = html;
    } catch {
      // The wallet is restarting; the next tick tries again.
    }
  };
  setInterval(refresh, 1500);
}

for (const element of document.querySelectorAll('[data-live]')) follow(element);

enableCopyButtons();
