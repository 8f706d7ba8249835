"""An app's whole life in headless Chromium: created from the chat template, submitted to a real
`byoky-marketplace`, approved by a reviewer, installed from the wallet page's App Store, opened in
its sandboxed frame (connects without a prompt, streams an answer), kept out of the wallet page and
away from providers it did not declare, turned off (requests fail at once), and uninstalled.

Usage: app_store.py --byoky BIN --marketplace-bin BIN --board URL --admin-token-file FILE
                    --wallet URL --screenshots DIR
(BYOKY_HOME names the wallet, served with `--marketplace <board>`, holding an anthropic key.)

Prints {"checks": {name: {"ok": bool, "detail": str}}} for AppStoreBrowserTests.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

from selenium.common.exceptions import JavascriptException
from selenium.webdriver.common.by import By

from browser_sdk import Wallet, browser, check, checks, js, shot, step, wait_for

SLUG = "hosted-chat"


class Owner(Wallet):
    """The owner's CLI (browser_sdk's, without a daemon of its own: the test serves it) and login."""

    def __init__(self, binary, wallet_url):
        super().__init__(binary, password_file=None)
        self.url = wallet_url

    def login(self, driver):
        result = self.cli(["open", "--no-browser"])
        url = next(line.strip() for line in result.stdout.splitlines() if "/wallet/login#" in line)
        driver.get(url)
        if not wait_for(driver, "return location.pathname === '/wallet/requests'", 15):
            raise RuntimeError("the login link did not land")

    def live_sessions(self):
        return [s for s in self.json(["sessions"]) if not s.get("revoked")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--byoky", required=True)
    parser.add_argument("--marketplace-bin", required=True)
    parser.add_argument("--board", required=True)
    parser.add_argument("--admin-token-file", required=True)
    parser.add_argument("--wallet", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    owner = Owner(args.byoky, args.wallet)
    folder = tempfile.mkdtemp()
    served = None
    driver = browser("1100,900")
    try:
        served, app_url = published_app(owner, args, folder) or (None, None)
        if served:
            owner.login(driver)
            install(driver, owner, args.screenshots)
            hosted(driver, owner, app_url, args.screenshots)
            confinement(driver)
            undeclared(driver)
            foreign_message(driver, owner)
            turned_off(driver, owner)
            from_the_command_line(driver, owner, args.board)
    finally:
        driver.quit()
        if served:
            served.terminate()
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({"checks": checks}))


@step("app.published")
def published_app(owner, args, folder):
    """`byoky app create`, served, its manifest pointed at the served address; submitted; approved."""
    created = owner.cli(["app", "create", "Hosted Chat", "--template", "chat", "--parent", folder,
                         "--author-name", "Ana", "--author-email", "ana@example.com", "--author-website", ""],
                        input_text="")
    if created.returncode != 0:
        raise RuntimeError(f"app create: {created.stderr}")
    app = os.path.join(folder, SLUG)
    served = subprocess.Popen([owner.binary, "app", "serve", app, "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    address = re.search(r"http://127\.0\.0\.1:\d+", served.stdout.readline()).group(0)
    manifest_path = os.path.join(app, "byoky.app.json")
    with open(manifest_path, encoding="utf-8") as file:
        manifest = json.load(file)
    # Anthropic only: the template also asks for OpenAI, which the wallet must then refuse.
    manifest.update({"url": address + "/", "providers": ["anthropic"]})
    with open(manifest_path, "w", encoding="utf-8") as file:
        json.dump(manifest, file)
    submitted = owner.cli(["app", "submit", app, "--marketplace", args.board, "--json"])
    if submitted.returncode != 0:
        raise RuntimeError(f"app submit: {submitted.stderr}")
    submission = json.loads(submitted.stdout)
    approved = subprocess.run([args.marketplace_bin, "review", "approve", submission["id"], "--marketplace",
                               args.board, "--admin-token-file", args.admin_token_file],
                              capture_output=True, text=True, timeout=60)
    status = owner.cli(["app", "status", app])
    check("app.published", submission["state"] == "pending" and approved.returncode == 0
          and f"{SLUG}: approved" in status.stdout, {"approve": approved.stderr, "status": status.stdout})
    return served, address


@step("store.install")
def install(driver, owner, screenshots):
    """The App Store lists it; Install… says what it will be trusted with; Install installs it."""
    driver.get(owner.url + "/wallet/store")
    listed = wait_for(driver, f"return !!document.querySelector('[data-slug=\"{SLUG}\"]')", 15)
    shot(driver, screenshots, "app-store")
    driver.find_element(By.CSS_SELECTOR, f'[data-slug="{SLUG}"] a.button').click()
    wait_for(driver, "return !!document.getElementById('install-confirmation')", 15)
    confirmation = driver.find_element(By.ID, "install-confirmation").text
    shot(driver, screenshots, "app-store-install")
    driver.find_element(By.CSS_SELECTOR, "#install-confirmation button[type=submit]").click()
    wait_for(driver, f"return !!document.querySelector('#installed-apps [data-id=\"{SLUG}\"]')", 15)
    notice = driver.execute_script("return document.querySelector('.notice')?.textContent ?? ''")
    installed = owner.json(["apps", "list"])
    check("store.install",
          listed and "trusted to use: Anthropic." in confirmation and "App installed" in notice
          and [a["slug"] for a in installed] == [SLUG] and installed[0]["providers"] == "anthropic",
          {"confirmation": confirmation, "notice": notice, "installed": installed})


def in_frame(driver):
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element(By.ID, "app-frame"))


def ask(driver, prompt):
    driver.execute_script(
        "document.getElementById('prompt').value = arguments[0]; document.getElementById('send').click();", prompt)


@step("hosted.answers")
def hosted(driver, owner, app_url, screenshots):
    """Opened from the store, sandboxed: connects with no prompt, for Anthropic only, and streams."""
    driver.find_element(By.CSS_SELECTOR, f'#installed-apps [data-id="{SLUG}"] a.button').click()
    wait_for(driver, "return !!document.getElementById('app-frame')", 15)
    frame = driver.find_element(By.ID, "app-frame")
    attributes = {name: frame.get_attribute(name) for name in ["sandbox", "referrerpolicy", "src"]}
    in_frame(driver)
    if not wait_for(driver, "return window.appReady === true", 20):
        raise RuntimeError("the app did not load in its frame")
    driver.execute_script("document.getElementById('connect').click()")
    connected = wait_for(driver, "return document.getElementById('status').textContent.startsWith('Connected')", 20)
    offered = driver.execute_script("return [...document.getElementById('provider').options].map((o) => o.value)")
    pending = owner.json(["pending"])
    ask(driver, "Hello from inside the wallet")
    answered = wait_for(driver, "return [...document.querySelectorAll('.message.them')].some("
                                "(m) => m.textContent.startsWith('Mock reply to: Hello from inside the wallet'))", 20)
    # Chunks cross the page one by one as the provider writes them (a paced mock model), not at the end.
    paced = js(driver, """
      const { Byoky } = await import('./byoky/byoky.js');
      const session = await new Byoky().connect({ providers: [{ id: 'anthropic' }] });
      const response = await session.createFetch('anthropic')('https://api.anthropic.com/v1/messages', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-paced-40', max_tokens: 32, stream: true,
                               messages: [{ role: 'user', content: 'paced' }] }) });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const times = []; let text = ''; const start = performance.now();
      for (;;) { const { value, done } = await reader.read(); if (done) break;
        times.push(performance.now() - start); text += decoder.decode(value, { stream: true }); }
      return { status: response.status, reads: times.length, first: times[0], last: times.at(-1),
               stop: text.includes('message_stop'), key: session.sessionKey };
    """)
    driver.switch_to.default_content()
    shot(driver, screenshots, "app-hosted")
    sessions = owner.live_sessions()
    check("hosted.answers",
          connected and answered and offered == ["anthropic"] and pending == []
          and paced["status"] == 200 and paced["stop"] and paced["reads"] >= 5
          and paced["last"] - paced["first"] >= 200 and paced["key"] == "hosted"
          and attributes["sandbox"] == "allow-scripts allow-forms" and attributes["referrerpolicy"] == "no-referrer"
          and attributes["src"] == app_url + "/#byoky-hosted=1"
          and any(s["origin"] == app_url and s["providers"] == ["anthropic"] for s in sessions),
          {"attributes": attributes, "offered": offered, "pending": pending, "sessions": sessions,
           "paced": paced})


@step("hosted.confined")
def confinement(driver):
    """From inside the frame: the wallet page's DOM, cookies and storage are out of reach."""
    in_frame(driver)
    attempts = driver.execute_script("""
      const attempt = (read) => { try { read(); return 'read'; } catch (error) { return error.name; } };
      return {
        dom: attempt(() => window.parent.document.body.innerHTML),
        top: attempt(() => window.top.location.href),
        cookie: attempt(() => document.cookie),
        storage: attempt(() => window.localStorage.length),
        session: attempt(() => window.sessionStorage.length),
        origin: window.origin,
      };
    """)
    driver.switch_to.default_content()
    check("hosted.confined",
          all(attempts[k] == "SecurityError" for k in ["dom", "top", "cookie", "storage", "session"])
          and attempts["origin"] == "null", attempts)


@step("hosted.undeclared")
def undeclared(driver):
    """Asking for a provider the app did not declare is refused by the wallet."""
    in_frame(driver)
    outcome = js(driver, """
      const { Byoky } = await import('./byoky/byoky.js');
      try {
        await new Byoky().connect({ providers: [{ id: 'openai', required: true }] });
        return 'connected';
      } catch (error) {
        return `${error.code}: ${error.message}`;
      }
    """)
    driver.switch_to.default_content()
    check("hosted.undeclared", outcome.startswith("PROVIDER_UNAVAILABLE") and "openai" in outcome, outcome)


@step("hosted.foreign-message")
def foreign_message(driver, owner):
    """A message to the hosting page from a window that is not the app's frame is ignored."""
    before = len(owner.live_sessions())
    driver.execute_script("""
      window.postMessage({ byoky: 1, type: 'connect', id: 7, providers: [{ id: 'anthropic' }] }, '*');
      const other = document.createElement('iframe');
      other.id = 'intruder';
      document.body.append(other);
    """)
    time.sleep(1.5)
    after = len(owner.live_sessions())
    check("hosted.foreign-message", before == after and before > 0, {"before": before, "after": after})


@step("hosted.turned-off")
def turned_off(driver, owner):
    """`byoky apps disable`: the open app's next request fails at once."""
    disabled = owner.cli(["apps", "disable", SLUG])
    in_frame(driver)
    started = time.time()
    ask(driver, "Still there?")
    failed = wait_for(driver, "return [...document.querySelectorAll('.message.them')].some("
                              "(m) => /^(Error|Failed)/.test(m.textContent))", 10)
    elapsed = time.time() - started
    answer = driver.execute_script("return [...document.querySelectorAll('.message.them')].at(-1).textContent")
    driver.switch_to.default_content()
    check("hosted.turned-off", disabled.returncode == 0 and failed and elapsed < 5 and not owner.live_sessions(),
          {"answer": answer, "elapsed": elapsed, "stderr": disabled.stderr})


@step("store.cli-and-uninstall")
def from_the_command_line(driver, owner, board):
    """`byoky apps store|list|uninstall|install`, then the page's Uninstall."""
    store = owner.json(["apps", "store", "--marketplace", board])
    listed = owner.json(["apps", "list"])
    removed = owner.cli(["apps", "uninstall", SLUG])
    after_remove = owner.json(["apps", "list"])
    refused = owner.cli(["apps", "install", SLUG, "--marketplace", board], input_text="")
    again = owner.cli(["apps", "install", SLUG, "--marketplace", board, "--yes"])
    reinstalled = owner.json(["apps", "list"])
    driver.get(owner.url + "/wallet/store")
    driver.execute_script("window.confirm = () => true")
    driver.find_element(By.CSS_SELECTOR, f'#installed-apps [data-id="{SLUG}"] button.danger').click()
    wait_for(driver, "return !document.getElementById('installed-apps')", 15)
    gone = owner.json(["apps", "list"])
    check("store.cli-and-uninstall",
          [a["slug"] for a in store] == [SLUG] and listed[0].get("disabled_at") is not None
          and removed.returncode == 0 and after_remove == [] and refused.returncode != 0
          and "--yes" in refused.stderr and again.returncode == 0 and reinstalled[0].get("disabled_at") is None
          and gone == [],
          {"store": store, "listed": listed, "refused": refused.stderr, "again": again.stderr, "gone": gone})


if __name__ == "__main__":
    main()
