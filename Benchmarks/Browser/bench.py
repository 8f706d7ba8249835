"""Times byoky.js in headless Chromium: a request through `session.createFetch` against the same
request written by hand with `fetch` to the bridge (the reference, measured in the same run,
alternating), and the time to the first chunk of a stream both ways.

Usage: bench.py --byoky BIN --password-file FILE [--requests N]   (BYOKY_HOME names the wallet)
Prints one JSON object with per-lane percentiles in milliseconds.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "Interop"))

from browser_sdk import CONNECT, Wallet, browser, js, open_app, serve_app  # noqa: E402

MEASURE = """
  const [count, walletUrl] = args;
  const f = session.createFetch('anthropic');
  const json = { model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
  const headers = { 'content-type': 'application/json' };
  const request = (stream) => JSON.stringify({ ...json, stream });
  const byHand = (stream) => fetch(walletUrl + '/anthropic/v1/messages', { method: 'POST',
    headers: { ...headers, 'x-api-key': session.sessionKey }, body: request(stream) });
  const viaSdk = (stream) => f('https://api.anthropic.com/v1/messages', { method: 'POST', headers, body: request(stream) });
  // Where createFetch's time goes: the same request with its fetch options, then with its body
  // read back out of a Request object.
  const options = { credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer' };
  const byHandWithOptions = (stream) => fetch(walletUrl + '/anthropic/v1/messages', { method: 'POST',
    headers: { ...headers, 'x-api-key': session.sessionKey }, body: request(stream), ...options });
  const byHandThroughRequest = async (stream) => {
    const r = new Request('https://api.anthropic.com/v1/messages', { method: 'POST', headers, body: request(stream) });
    return fetch(walletUrl + '/anthropic/v1/messages', { method: 'POST',
      headers: { ...headers, 'x-api-key': session.sessionKey }, body: await r.arrayBuffer(), ...options });
  };
  async function whole(send) {
    const start = performance.now();
    const r = await send(false);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error('status ' + r.status);
    return performance.now() - start;
  }
  async function firstChunk(send) {
    const start = performance.now();
    const r = await send(true);
    const reader = r.body.getReader();
    await reader.read();
    const first = performance.now() - start;
    while (!(await reader.read()).done) {}
    return first;
  }
  const lanes = { fetch: [], createFetch: [], fetchFirstChunk: [], createFetchFirstChunk: [],
                  fetchWithOptions: [], fetchThroughRequest: [] };
  for (let i = 0; i < 20; i++) { await whole(byHand); await whole(viaSdk); }
  for (let i = 0; i < count; i++) {
    // Alternating which goes first keeps drift on a busy machine out of the difference.
    if (i % 2) { lanes.fetch.push(await whole(byHand)); lanes.createFetch.push(await whole(viaSdk)); }
    else { lanes.createFetch.push(await whole(viaSdk)); lanes.fetch.push(await whole(byHand)); }
    if (i % 2) { lanes.fetchFirstChunk.push(await firstChunk(byHand)); lanes.createFetchFirstChunk.push(await firstChunk(viaSdk)); }
    else { lanes.createFetchFirstChunk.push(await firstChunk(viaSdk)); lanes.fetchFirstChunk.push(await firstChunk(byHand)); }
    lanes.fetchWithOptions.push(await whole(byHandWithOptions));
    lanes.fetchThroughRequest.push(await whole(byHandThroughRequest));
  }
  return lanes;
"""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--byoky", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    wallet = Wallet(options.byoky, options.password_file)
    wallet.start()
    server, app_url = serve_app()
    driver = browser()
    try:
        open_app(driver, app_url, wallet.url)
        js(driver, CONNECT, wallet.url, [{"id": "anthropic", "required": True}])
        wallet.cli(["approve", wallet.wait_pending()["id"]])
        outcome = js(driver, "return await window.connecting;")
        if not outcome.get("ok"):
            raise RuntimeError(f"connect failed: {outcome}")
        lanes = js(driver, MEASURE, options.requests, wallet.url)
        version = driver.capabilities.get("browserVersion")
    finally:
        driver.quit()
        server.shutdown()
        wallet.stop()
    report = {"chromium": version, "requests": options.requests, "lanes": {}}
    for name, values in lanes.items():
        report["lanes"][name] = {p: round(percentile(values, f), 3)
                                 for p, f in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))}
        report["lanes"][name]["mean"] = round(sum(values) / len(values), 3)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
