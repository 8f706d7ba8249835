"""Drives the wallet's own web page (/wallet/) in headless Chromium, as its owner would, and as
hostile pages would try to.

Usage: wallet_page.py --byoky BIN --password-file FILE --wallet URL --screenshots DIR
(BYOKY_HOME names the wallet, served by `byoky serve` at URL; BYOKY_TEST_MOCK_URL and
BYOKY_TEST_UPSTREAM_KEY name the mock provider, BYOKY_TEST_RELAY_URL a running byoky-relay,
BYOKY_TEST_VAULT_URL a running byoky-vault with a gift key. A Swift
SDK app asks to connect while this runs.)

Prints one JSON object: {"checks": {name: {"ok": bool, "detail": str}}}; WalletPageBrowserTests
asserts on it.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
import urllib.request

from selenium.webdriver.common.by import By

from browser_sdk import browser, check, checks, phone_and_desktop, read_qr, shot, js, open_app, serve_app, step, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTILE_NAME = '<img src=x onerror="window.__xss = 1">'


class Owner:
    """The owner's terminal."""

    def __init__(self, binary, password_file, wallet_url):
        self.binary = binary
        self.password_file = password_file
        self.url = wallet_url

    def cli(self, arguments, input_text=None):
        return subprocess.run([self.binary] + arguments, input=input_text, capture_output=True, text=True, timeout=60)

    def login_url(self):
        result = self.cli(["open", "--no-browser"])
        if result.returncode != 0:
            raise RuntimeError(f"byoky open: {result.stderr.strip()}")
        return next(line.strip() for line in result.stdout.splitlines() if "/wallet/login#" in line)

    def keys(self):
        return json.loads(self.cli(["key", "list", "--json"]).stdout or "[]")


def text(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector).text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--byoky", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--wallet", required=True)
    parser.add_argument("--screenshots", required=True)
    options = parser.parse_args()
    os.makedirs(options.screenshots, exist_ok=True)
    owner = Owner(options.byoky, options.password_file, options.wallet)
    server, app_url = serve_app()
    driver = browser("1280,900")
    try:
        run_steps(driver, owner, app_url, options.screenshots)
    finally:
        driver.quit()
        server.shutdown()
    print(json.dumps({"checks": checks}))


def run_steps(driver, owner, app_url, screenshots):
    tabs = {}
    login(driver, owner, screenshots, tabs)
    swift_app(driver, screenshots)
    web_app(driver, owner, app_url, screenshots, tabs)
    keys(driver, owner, screenshots)
    apps(driver, screenshots, tabs)
    hostile(driver, owner, app_url, tabs)
    routing(driver, owner, screenshots)
    limits(driver, owner, app_url, screenshots, tabs)
    gifts(driver, owner, screenshots)
    backup(driver, owner, screenshots)
    every_page(driver, owner, screenshots)
    lock(driver, owner, screenshots)


@step("login.once")
def login(driver, owner, screenshots, tabs):
    driver.get(owner.url + "/wallet/requests")
    needs = "byoky open" in driver.page_source
    shot(driver, screenshots, "wallet-login-needed")
    url = owner.login_url()
    driver.get(url)
    wait_for(driver, "return location.pathname === '/wallet/requests'", 15)
    landed = driver.execute_script("return location.href")
    # The token does not stay in the address bar.
    check("login.landed", landed == owner.url + "/wallet/requests" and needs, {"landed": landed, "needs": needs})
    tabs["wallet"] = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(url)
    wait_for(driver, "return document.querySelector('h1')?.textContent === 'Link expired'", 15)
    reused = driver.find_element(By.CSS_SELECTOR, "h1").text
    driver.close()
    driver.switch_to.window(tabs["wallet"])
    check("login.once", reused == "Link expired", reused)


@step("requests.swift-app")
def swift_app(driver, screenshots):
    """The Swift test's app (its own SDK) asked to connect: the owner approves it on the page."""
    found = wait_for(driver, "return [...document.querySelectorAll('.request h2')].some((h) => h.textContent === 'Swift notes app')", 30)
    phone_and_desktop(driver, screenshots, "wallet-requests")
    card = next(c for c in driver.find_elements(By.CSS_SELECTOR, ".request")
                if c.find_element(By.CSS_SELECTOR, "h2").text == "Swift notes app")
    card.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=approved')", 15)
    notice = text(driver, ".notice")
    check("requests.swift-app", found and "Approved" in notice, notice)


@step("requests.live")
def web_app(driver, owner, app_url, screenshots, tabs):
    """A page connects with byoky.js; the request appears on the wallet page without a reload; the
    owner grants a subset; a hostile app name shows as text."""
    wallet_tab = tabs["wallet"]
    driver.execute_script("window.__sameDocument = true;")
    driver.switch_to.new_window("tab")
    tabs["app"] = driver.current_window_handle
    open_app(driver, app_url, owner.url)
    js(driver, """
      const byoky = new sdk.Byoky({ walletUrl: args[0], appName: 'Web notes', relayUrl: '' });
      window.app.disconnects = 0;
      window.connecting = byoky.connect({ providers: [{ id: 'anthropic', required: true }, { id: 'openai' }] })
        .then((s) => { window.session = s; s.onDisconnect(() => { window.app.disconnects += 1; }); return { ok: true, providers: s.providers }; },
              (e) => ({ ok: false, code: e.code, message: e.message }));
      window.hostile = new sdk.Byoky({ walletUrl: args[0], appName: args[1], relayUrl: '' })
        .connect({ providers: [{ id: 'anthropic' }] }).then(() => 'approved', (e) => e.code);
      return true;
    """, owner.url, HOSTILE_NAME)
    driver.switch_to.window(wallet_tab)
    appeared = wait_for(driver, "return document.querySelectorAll('.request').length >= 2", 20)
    same = driver.execute_script("return window.__sameDocument === true")
    card = next(c for c in driver.find_elements(By.CSS_SELECTOR, ".request")
                if c.find_element(By.CSS_SELECTOR, "h2").text == "Web notes")
    origin = card.find_element(By.CSS_SELECTOR, ".origin").text
    check("requests.live", appeared and same and origin == app_url, {"appeared": appeared, "same": same, "origin": origin})

    hostile_card = next(c for c in driver.find_elements(By.CSS_SELECTOR, ".request")
                        if c.find_element(By.CSS_SELECTOR, "h2").text == HOSTILE_NAME)
    images = driver.execute_script("return document.querySelectorAll('main img').length")
    xss = driver.execute_script("return window.__xss === undefined")
    check("requests.hostile-name", hostile_card is not None and images == 0 and xss, {"images": images})
    hostile_card.find_element(By.XPATH, ".//button[text()='Deny']").click()
    wait_for(driver, "return location.search.includes('done=denied')", 15)

    card = next(c for c in driver.find_elements(By.CSS_SELECTOR, ".request")
                if c.find_element(By.CSS_SELECTOR, "h2").text == "Web notes")
    card.find_element(By.CSS_SELECTOR, "input[value=openai]").click()
    card.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=approved')", 15)
    driver.switch_to.window(tabs["app"])
    outcome = js(driver, "return await window.connecting;")
    denied = js(driver, "return await window.hostile;")
    driver.switch_to.window(wallet_tab)
    check("requests.subset", outcome.get("ok") and outcome["providers"]["anthropic"]["available"]
          and not outcome["providers"].get("openai", {}).get("available") and denied == "USER_REJECTED",
          {"outcome": outcome, "denied": denied})


@step("keys.add")
def keys(driver, owner, screenshots):
    driver.get(owner.url + "/wallet/keys")
    secret = os.environ["BYOKY_TEST_UPSTREAM_KEY"]
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/keys']")
    form.find_element(By.CSS_SELECTOR, "select[name=provider] option[value=openai]").click()
    form.find_element(By.NAME, "label").send_keys("page-openai")
    form.find_element(By.NAME, "secret").send_keys(secret)
    form.find_element(By.NAME, "baseURL").send_keys(os.environ["BYOKY_TEST_MOCK_URL"])
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=key-added')", 15)
    listed = [k for k in owner.keys() if k.get("label") == "page-openai"]
    source = driver.page_source
    check("keys.add", len(listed) == 1 and "page-openai" in source and secret not in source
          and listed[0]["masked"] in source, {"listed": listed})

    row = driver.find_element(By.CSS_SELECTOR, f"tr[data-key='{listed[0]['id']}']")
    field = row.find_element(By.NAME, "label")
    field.clear()
    field.send_keys("renamed-openai")
    row.find_element(By.XPATH, ".//button[text()='Rename']").click()
    wait_for(driver, "return location.search.includes('done=key-renamed')", 15)
    renamed = [k["label"] for k in owner.keys() if k["id"] == listed[0]["id"]]
    check("keys.rename", renamed == ["renamed-openai"], renamed)
    phone_and_desktop(driver, screenshots, "wallet-keys")


@step("apps.revoke")
def apps(driver, screenshots, tabs):
    driver.get(driver.current_url.split("/wallet/")[0] + "/wallet/apps")
    phone_and_desktop(driver, screenshots, "wallet-apps")
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "tr[data-session]") if "Web notes" in r.text)
    # The confirm() dialog of a destructive button: accepted.
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    driver.switch_to.alert.accept()
    wait_for(driver, "return location.search.includes('done=revoked')", 15)
    left = "Web notes" in text(driver, "main")
    driver.switch_to.window(tabs["app"])
    ended = wait_for(driver, "return window.app.disconnects === 1", 15)
    driver.switch_to.window(tabs["wallet"])
    check("apps.revoke", ended and not left, {"ended": ended, "still listed": left})


@step("hostile.form-post")
def hostile(driver, owner, app_url, tabs):
    """Another origin posts the owner's forms and frames the page: refused, nothing changes."""
    before = len(owner.keys())
    driver.switch_to.window(tabs["app"])
    fetched = js(driver, """
      const body = new URLSearchParams({ provider: 'mistral', label: 'planted', secret: 'sk-planted-1234567' });
      try {
        const r = await fetch(args[0] + '/wallet/keys', { method: 'POST', body, credentials: 'include', mode: 'no-cors' });
        return r.type;
      } catch (e) { return 'error ' + e.message; }
    """, owner.url)
    driver.execute_script("""
      const form = document.createElement('form');
      form.method = 'post';
      form.action = arguments[0] + '/wallet/keys';
      for (const [name, value] of [['provider', 'mistral'], ['label', 'planted'], ['secret', 'sk-planted-1234567']]) {
        const input = document.createElement('input'); input.name = name; input.value = value; form.appendChild(input);
      }
      document.body.appendChild(form);
      form.submit();
    """, owner.url)
    wait_for(driver, "return document.querySelector('h1')?.textContent === 'Refused'", 15)
    refused = driver.find_element(By.CSS_SELECTOR, "h1").text
    after = owner.keys()
    check("hostile.form-post", refused == "Refused" and len(after) == before
          and not any(k.get("label") == "planted" for k in after), {"refused": refused, "fetch": fetched})

    open_app(driver, app_url, owner.url)
    driver.get_log("browser")
    driver.execute_script("""
      const frame = document.createElement('iframe');
      frame.src = arguments[0] + '/wallet/keys';
      document.body.appendChild(frame);
    """, owner.url)
    blocked = False
    deadline = time.time() + 10
    log = []
    while time.time() < deadline and not blocked:
        log += driver.get_log("browser")
        blocked = any("frame-ancestors" in entry.get("message", "") for entry in log)
        time.sleep(0.2)
    check("hostile.framed", blocked, [entry.get("message", "")[:200] for entry in log][-3:])
    driver.switch_to.window(tabs["wallet"])


@step("routing.group")
def routing(driver, owner, screenshots):
    driver.get(owner.url + "/wallet/routing")
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/routing/groups']")
    form.find_element(By.NAME, "name").send_keys("fast")
    form.find_element(By.CSS_SELECTOR, "select[name=provider] option[value=openai]").click()
    form.find_element(By.NAME, "model").send_keys("gpt-4o-mini")
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=group-added')", 15)
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/routing/assign']")
    form.find_element(By.NAME, "app").send_keys("Swift notes app")
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=assigned')", 15)
    row = driver.find_element(By.CSS_SELECTOR, "tr[data-group=fast]").text
    groups = json.loads(owner.cli(["group", "list", "--json"]).stdout or "[]")
    check("routing.group", "Swift notes app" in row and "translated to OpenAI Chat Completions" in row
          and any(g.get("name") == "fast" and g.get("apps") == ["Swift notes app"] for g in groups), {"row": row, "groups": groups})
    phone_and_desktop(driver, screenshots, "wallet-routing")


@step("limits.bar")
def limits(driver, owner, app_url, screenshots, tabs):
    """A cap set on the page; the bar moves after the app's requests."""
    driver.switch_to.window(tabs["app"])
    js(driver, """
      window.limited = new sdk.Byoky({ walletUrl: args[0], appName: 'Limited notes', relayUrl: '' })
        .connect({ providers: [{ id: 'anthropic' }] }).then((s) => { window.limitedSession = s; return true; });
      return true;
    """, owner.url)
    pending = None
    deadline = time.time() + 15
    while time.time() < deadline and not pending:
        items = json.loads(owner.cli(["pending", "--json"]).stdout or "[]")
        pending = next((item for item in items if item["app"]["name"] == "Limited notes"), None)
        time.sleep(0.2)
    owner.cli(["approve", pending["id"]])
    js(driver, "return await window.limited;")
    driver.switch_to.window(tabs["wallet"])
    driver.get(owner.url + "/wallet/limits")
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/limits']")
    form.find_element(By.NAME, "app").send_keys("Limited notes")
    form.find_element(By.NAME, "tokens").send_keys("2000")
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=limit-set')", 15)
    meter = "tr[data-limit^='Limited notes'] meter"
    before = float(driver.find_element(By.CSS_SELECTOR, meter).get_attribute("value"))
    driver.switch_to.window(tabs["app"])
    for _ in range(3):
        js(driver, """
          const r = await window.limitedSession.createFetch('anthropic')('https://api.anthropic.com/v1/messages', {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Hello there' }] }) });
          return r.status;
        """)
    driver.switch_to.window(tabs["wallet"])
    driver.refresh()
    after = float(driver.find_element(By.CSS_SELECTOR, meter).get_attribute("value"))
    check("limits.bar", before == 0 and after > 0, {"before": before, "after": after})
    phone_and_desktop(driver, screenshots, "wallet-limits")

    # The usage chart follows requests.
    driver.get(owner.url + "/wallet/usage")
    total = lambda: int(driver.find_element(By.CSS_SELECTOR, "[data-total=tokens]").text)
    bars = lambda: len(driver.find_elements(By.CSS_SELECTOR, "figure.chart rect"))
    first, first_bars = total(), bars()
    driver.switch_to.window(tabs["app"])
    js(driver, """
      const r = await window.limitedSession.createFetch('anthropic')('https://api.anthropic.com/v1/messages', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Hello there' }] }) });
      return r.status;
    """)
    driver.switch_to.window(tabs["wallet"])
    driver.refresh()
    check("usage.chart", first > 0 and first_bars > 0 and total() > first, {"before": first, "after": total(), "bars": first_bars})
    phone_and_desktop(driver, screenshots, "wallet-usage")


@step("gifts.qr")
def gifts(driver, owner, screenshots):
    """A gift made on the page: its QR code, photographed, reads back as its link; it goes online
    on the relay; the link redeems; revoking it shows."""
    driver.get(owner.url + "/wallet/gifts")
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/gifts']")
    budget = form.find_element(By.NAME, "budget")
    budget.clear()
    budget.send_keys("2500")
    form.find_element(By.NAME, "label").send_keys("Page friend")
    relay = form.find_element(By.NAME, "relay")
    relay.clear()
    relay.send_keys(os.environ["BYOKY_TEST_RELAY_URL"])
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=gift-created')", 15)
    link = text(driver, "#gift-link")
    path = os.path.join(screenshots, "gift-qr-only.png")
    driver.find_element(By.ID, "gift-qr").screenshot(path)
    read, decoded = read_qr(path)
    os.remove(path)
    check("gifts.qr", link.startswith("https://byoky.com/gift/") and read == link,
          {"link length": len(link), "decoded length": len(read), "zbarimg": decoded.returncode})
    driver.find_element(By.CSS_SELECTOR, "button[data-copy]").click()
    copied = wait_for(driver, "return document.querySelector('button[data-copy]').textContent === 'Copied'"
                      " || String(getSelection()).includes('byoky.com/gift/')", 5)
    check("gifts.copy", copied, text(driver, "button[data-copy]"))
    phone_and_desktop(driver, screenshots, "wallet-gift")

    # The wallet holds the gift's relay room: the list says so (it may take a moment to connect).
    online = False
    for _ in range(40):
        driver.get(owner.url + "/wallet/gifts")
        row = driver.find_element(By.CSS_SELECTOR, "tr[data-gift]")
        if "online" in row.text.split():
            online = True
            break
        time.sleep(0.5)
    check("gifts.online", online and "2500 left" in row.text.replace(" of 2500", ""), row.text)

    redeem = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/gifts/redeem']")
    redeem.find_element(By.NAME, "link").send_keys(link)
    redeem.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=gift-redeemed')", 15)
    received = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "tr[data-received]")]
    check("gifts.redeem", len(received) == 1 and "Page friend" in received[0], received)
    phone_and_desktop(driver, screenshots, "wallet-gifts")

    # Logged in to a vault, the owner has it serve the gift while the wallet is offline: the page
    # warns what the vault receives before anything is sent.
    signed = owner.cli(["vault", "signup", "--vault", os.environ["BYOKY_TEST_VAULT_URL"], "--username", "page_owner"],
                       input_text="Page-Vault-Password-63\n")
    driver.get(owner.url + "/wallet/gifts")
    driver.find_element(By.CSS_SELECTOR, "tr[data-gift] form[action$='/vault-on'] button").click()
    warning = driver.switch_to.alert.text
    driver.switch_to.alert.accept()
    wait_for(driver, "return location.search.includes('done=gift-vault-on')", 15)
    row = driver.find_element(By.CSS_SELECTOR, "tr[data-gift]").text
    check("gifts.vault", signed.returncode == 0 and "Its operator could use that key" in warning
          and "vault serves it when offline" in row, {"signup": signed.stderr.strip(), "row": row})
    phone_and_desktop(driver, screenshots, "wallet-gifts-vault")

    driver.find_element(By.CSS_SELECTOR, "tr[data-gift] button.danger").click()
    driver.switch_to.alert.accept()
    wait_for(driver, "return location.search.includes('done=gift-revoked')", 15)
    state = text(driver, "tr[data-gift] .status")
    gone = not driver.find_elements(By.CSS_SELECTOR, "tr[data-gift] button.danger")
    check("gifts.revoke", state == "revoked" and gone, state)


@step("backup.roundtrip")
def backup(driver, owner, screenshots):
    """A backup downloaded from the page (its own password), a key removed, the file uploaded back."""
    folder = os.path.join(screenshots, "downloads")
    os.makedirs(folder, exist_ok=True)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
    driver.get(owner.url + "/wallet/backup")
    phone_and_desktop(driver, screenshots, "wallet-backup")
    password = "Page-Backup-Password-2026"
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/backup/export']")
    form.find_element(By.NAME, "password").send_keys(password)
    form.find_element(By.NAME, "confirm").send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    files = []
    deadline = time.time() + 30
    while time.time() < deadline:
        files = [name for name in os.listdir(folder) if name.endswith(".byoky")]
        if files:
            break
        time.sleep(0.25)
    check("backup.download", len(files) == 1 and files[0].startswith("byoky-vault-"), files)
    path = os.path.join(folder, files[0])
    with open(path, encoding="utf-8") as file:
        content = file.read()
    secret = os.environ["BYOKY_TEST_UPSTREAM_KEY"]

    before = owner.keys()
    removed = owner.cli(["key", "remove", next(k["id"] for k in before if k["label"] == "renamed-openai")])
    after_remove = owner.keys()
    driver.get(owner.url + "/wallet/backup")
    form = driver.find_element(By.CSS_SELECTOR, "form[action='/wallet/backup/import']")
    form.find_element(By.NAME, "file").send_keys(path)
    form.find_element(By.NAME, "password").send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return !!document.querySelector('.notice, .error')", 30)
    notice = driver.find_element(By.CSS_SELECTOR, ".notice, .error").text
    restored = owner.keys()
    os.remove(path)
    check("backup.roundtrip", secret not in content and removed.returncode == 0
          and len(after_remove) == len(before) - 1 and len(restored) == len(before)
          and notice.startswith("Imported 1 key(s);"),
          {"notice": notice, "before": len(before), "after": len(restored), "remove": removed.stderr[-200:]})


@step("pages.all")
def every_page(driver, owner, screenshots):
    """Every page the navigation lists opens with its own heading; the ones not shot yet are."""
    driver.get(owner.url + "/wallet/requests")
    links = [(a.text, a.get_attribute("href")) for a in driver.find_elements(By.CSS_SELECTOR, "nav a")]
    headings = {}
    for name, href in links:
        driver.get(href)
        headings[name] = driver.find_element(By.CSS_SELECTOR, "h1").text
        if name in ("Log", "Pairings", "Cloud Sync", "Settings"):
            phone_and_desktop(driver, screenshots, "wallet-" + name.lower().replace(" ", "-"))
    check("pages.all", len(links) >= 11 and all(headings[name] == name for name, _ in links), headings)


@step("lock.unlock")
def lock(driver, owner, screenshots):
    driver.get(owner.url + "/wallet/requests")
    driver.find_element(By.XPATH, "//nav//button[text()='Lock']").click()
    wait_for(driver, "return document.querySelector('h1')?.textContent === 'Locked'", 15)
    with urllib.request.urlopen(owner.url + "/v1/health", timeout=10) as answer:
        status = answer.read().decode()
    driver.get(owner.url + "/wallet/keys")
    logged_out = "byoky open" in driver.page_source
    driver.get(owner.login_url())
    wait_for(driver, "return document.querySelector('h1')?.textContent === 'Unlock your wallet'", 15)
    phone_and_desktop(driver, screenshots, "wallet-unlock")
    field = driver.find_element(By.NAME, "password")
    field.send_keys("wrong password")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return !!document.querySelector('.error')", 15)
    wrong = text(driver, ".error")
    with open(owner.password_file, encoding="utf-8") as file:
        password = file.read().strip()
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(driver, "return location.search.includes('done=unlocked')", 15)
    unlocked = "Unlocked" in text(driver, ".notice")
    check("lock.unlock", json.loads(status).get("locked") is True and logged_out and "Wrong master password" in wrong and unlocked,
          {"status": status[-200:], "wrong": wrong, "unlocked": unlocked})


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        print(json.dumps({"checks": checks, "fatal": traceback.format_exc()[-2000:]}))
        sys.exit(1)
