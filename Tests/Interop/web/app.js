// The test app: loads byoky.js from the wallet named in the page's query (?wallet=URL), and
// keeps what the driver needs on `window.app`.
const wallet = new URLSearchParams(location.search).get('wallet');
window.app = { ready: false, wallet, events: [], chunks: [] };
import(`${wallet}/sdk/byoky.js`).then((sdk) => {
  window.sdk = sdk;
  window.app.ready = true;
}, (error) => {
  window.app.loadError = String(error);
});
