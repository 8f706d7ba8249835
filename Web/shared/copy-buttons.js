// Shared by byoky's pages (the wallet page, the token board), served at /shared/ by each.

/** Buttons marked `data-copy` copy the text of the element whose id they name. */
export function enableCopyButtons(root = document) {
  root.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
    const source = button && document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      button.textContent = 'Copied';
    } catch {
      // No clipboard (an old browser, a denied permission): select the text for a manual copy.
      window.getSelection()?.selectAllChildren(source);
    }
  });
}
