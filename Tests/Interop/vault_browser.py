"""byoky.js `connectViaVault` in headless Chromium against a real `byoky-vault`: a page on its own
loopback origin logs in, gets a session bound to its origin, fetches and streams through
`/proxy`, reads usage, finds the session again after a reload (`tryReconnect`, vault first), is
refused from another origin, hears the owner end the session, and meets the vault's errors.

Usage: vault_browser.py --vault URL --username NAME --password-file FILE --sdk DIR
Prints {"checks": {name: {"ok": bool, "detail": str}}} for VaultBrowserTests.
"""

import argparse
import json
import os
import shutil
import tempfile
import urllib.request

from browser_sdk import HERE, browser, check, checks, js, js_error, serve_app, step, wait_for

MESSAGES = {
    "model": "claude-sonnet-4-5", "max_tokens": 64,
    "messages": [{"role": "user", "content": "Hello from a page"}],
}


def vault_call(vault, method, path, body=None, token=None):
    """The owner's own calls to the vault (urllib, not the page)."""
    request = urllib.request.Request(vault + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vault", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--sdk", required=True, help="the folder of byoky.js (Web/sdk)")
    args = parser.parse_args()
    with open(args.password_file, encoding="utf-8") as file:
        password = file.readline().strip()
    # The test page and the SDK, served together from one origin; the vault is another.
    site = tempfile.mkdtemp()
    for name in ["index.html", "app.js"]:
        shutil.copy(os.path.join(HERE, "web", name), site)
    shutil.copytree(args.sdk, os.path.join(site, "sdk"))
    page_server, page = serve_app(site)
    other_server, other = serve_app(site)
    driver = browser()
    try:
        driver.get(f"{page}/index.html?wallet={page}")
        if not wait_for(driver, "return window.app.ready", 20):
            raise RuntimeError("byoky.js did not load")
        connected(driver, args.vault, args.username, password)
        disconnect(driver, args.vault, args.username, password)
        connected(driver, args.vault, args.username, password)
        requests(driver)
        reconnect(driver, page)
        other_origin(driver, other, args.vault)
        ended(driver, args.vault, args.username, password)
        errors(driver, args.vault, args.username, password)
    finally:
        driver.quit()
        page_server.shutdown()
        other_server.shutdown()
        shutil.rmtree(site, ignore_errors=True)
    print(json.dumps({"checks": checks}))


@step("vault.connect")
def connected(driver, vault, username, password):
    """connectViaVault gives a session bound to the page; only the session is stored, no password."""
    result = js(driver, """
        const [vault, username, password] = args;
        const byoky = new sdk.Byoky({ appName: 'Vault page' });
        window.session = await byoky.connectViaVault({
          vaultUrl: vault, username, password, providers: [{ id: 'anthropic', required: true }] });
        window.app.ended = false;
        window.session.onDisconnect(() => { window.app.ended = true; });
        return { key: window.session.sessionKey, providers: window.session.providers,
                 stored: localStorage.getItem('byoky:vault-session'), proxy: window.session.proxyUrl };
    """, vault, username, password)
    stored = result["stored"] or ""
    check("vault.connect", result["key"].startswith("bva_") and result["providers"]["anthropic"]["available"]
          and result["proxy"] == vault + "/proxy" and result["key"] in stored and password not in stored,
          {k: v for k, v in result.items() if k != "key"})


@step("vault.disconnect")
def disconnect(driver, vault, username, password):
    """The page ends its own session: the key stops working and storage forgets it."""
    result = js(driver, """
        const key = window.session.sessionKey;
        await window.session.disconnect();
        const answer = await fetch(window.session.proxyUrl + '/anthropic/v1/messages', { method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: '{}' });
        return { status: answer.status, stored: localStorage.getItem('byoky:vault-session'),
                 connected: await window.session.isConnected() };
    """)
    check("vault.disconnect", result["status"] == 401 and result["stored"] is None and not result["connected"], result)


@step("vault.fetch")
def requests(driver):
    """The session's fetch sends Anthropic's real URL through /proxy, plain and streamed; usage counts them."""
    result = js(driver, """
        const [body] = args;
        const fetch = window.session.createFetch('anthropic');
        const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
        const plain = await fetch('https://api.anthropic.com/v1/messages',
          { method: 'POST', headers, body: JSON.stringify(body) });
        const message = await plain.json();
        const streamed = await fetch('https://api.anthropic.com/v1/messages',
          { method: 'POST', headers, body: JSON.stringify({ ...body, stream: true }) });
        const text = await streamed.text();
        let usage = null;
        for (let i = 0; i < 40; i++) {
          usage = await window.session.getUsage();
          if (usage.requests === 2) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        return { status: plain.status, type: message.type, streamEnd: text.includes('event: message_stop'),
                 usage };
    """, MESSAGES)
    check("vault.fetch", result["status"] == 200 and result["type"] == "message" and result["streamEnd"]
          and result["usage"]["requests"] == 2 and result["usage"]["outputTokens"] > 0, result)


@step("vault.reconnect")
def reconnect(driver, page):
    """After a reload the stored vault session is found first, and still works."""
    key = js(driver, "return window.session.sessionKey;")
    driver.get(f"{page}/index.html?wallet={page}")
    wait_for(driver, "return window.app.ready", 20)
    result = js(driver, """
        // No wallet runs here: the vault session is what tryReconnect finds.
        const byoky = new sdk.Byoky({ walletUrl: 'http://127.0.0.1:9' });
        window.session = await byoky.tryReconnect();
        if (!window.session) return { found: false };
        window.session.onDisconnect(() => { window.app.ended = true; });
        const answer = await window.session.createFetch('anthropic')('https://api.anthropic.com/v1/messages',
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args[0]) });
        return { found: true, key: window.session.sessionKey, status: answer.status };
    """, MESSAGES)
    check("vault.reconnect", result.get("found") and result["key"] == key and result["status"] == 200,
          {"found": result.get("found"), "status": result.get("status")})


@step("vault.origin-bound")
def other_origin(driver, other, vault):
    """The same key from a page of another origin is refused by the vault."""
    key = js(driver, "return window.session.sessionKey;")
    main = driver.current_window_handle
    driver.switch_to.new_window("tab")
    try:
        driver.get(f"{other}/index.html?wallet={other}")
        wait_for(driver, "return window.app.ready", 20)
        status = js(driver, """
            const [vault, key, body] = args;
            const answer = await fetch(vault + '/proxy/anthropic/v1/messages', { method: 'POST',
              headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
            return { status: answer.status, code: answer.headers.get('x-byoky-error-code') };
        """, vault, key, MESSAGES)
    finally:
        driver.close()
        driver.switch_to.window(main)
    check("vault.origin-bound", status["status"] == 403 and status["code"] == "ORIGIN_NOT_ALLOWED", status)


@step("vault.ended")
def ended(driver, vault, username, password):
    """The owner ends the session at the vault: the page hears it, its fetch stops, storage forgets it."""
    login = vault_call(vault, "POST", "/auth/login", {"username": username, "password": password})
    apps = vault_call(vault, "GET", "/apps", token=login["token"])["apps"]
    page_app = next(app for app in apps if app["appName"] == "Vault page")
    vault_call(vault, "DELETE", f"/apps/{page_app['id']}", token=login["token"])
    vault_call(vault, "POST", "/auth/logout", token=login["token"])
    heard = wait_for(driver, "return window.app.ended === true", 30)
    failure = js_error(driver, """
        await window.session.createFetch('anthropic')('https://api.anthropic.com/v1/messages',
          { method: 'POST', body: JSON.stringify(args[0]) });
    """, MESSAGES)
    stored = js(driver, "return localStorage.getItem('byoky:vault-session');")
    check("vault.ended", heard and failure.get("code") == "NO_SESSION" and stored is None,
          {"heard": heard, "failure": failure, "stored": stored})


@step("vault.errors")
def errors(driver, vault, username, password):
    """A wrong password, a provider without a key, plain http elsewhere and a closed port say why."""
    codes = js(driver, """
        const [vault, username, password] = args;
        const byoky = new sdk.Byoky();
        const attempt = async (options) => {
          try { await byoky.connectViaVault(options); return 'connected'; } catch (e) { return e.code; }
        };
        const anthropic = [{ id: 'anthropic', required: true }];
        return {
          wrong: await attempt({ vaultUrl: vault, username, password: 'not-the-password', providers: anthropic }),
          missing: await attempt({ vaultUrl: vault, username, password,
                                   providers: [{ id: 'mistral', required: true }] }),
          insecure: await attempt({ vaultUrl: 'http://vault.example', username, password, providers: anthropic }),
          closed: await attempt({ vaultUrl: 'http://127.0.0.1:9', username, password, providers: anthropic }),
        };
    """, vault, username, password)
    apps = []
    login = vault_call(vault, "POST", "/auth/login", {"username": username, "password": password})
    apps = vault_call(vault, "GET", "/apps", token=login["token"])["apps"]
    vault_call(vault, "POST", "/auth/logout", token=login["token"])
    check("vault.errors", codes == {"wrong": "INVALID_CREDENTIALS", "missing": "PROVIDER_UNAVAILABLE",
                                    "insecure": "INVALID_URL", "closed": "SERVICE_UNAVAILABLE"}
          and not any(app["appName"] == "Vault page" for app in apps), {"codes": codes, "apps": len(apps)})


if __name__ == "__main__":
    main()
