"""Drives the token board (byoky-marketplace's GET /) in headless Chromium, as a visitor would.

Usage: marketplace_board.py --board URL --gifts FILE --admin-token-file FILE --screenshots DIR
FILE holds [{"link", "name", "provider"}]: the first is listed, left to go offline (the board runs
with a 5-second online window), then the others are listed. Prints {"checks": {...}} like the
other drivers; MarketplaceBrowserTests asserts on it.
"""

import argparse
import json
import os
import sys
import time
import traceback
import urllib.request

from selenium.webdriver.common.by import By

from browser_sdk import browser, check, checks, phone_and_desktop, read_qr, shot, step, wait_for

HOSTILE = "<img src=x onerror=\"window.pwned = 1\">"


def post(board, path, body=None, token=None, method="POST"):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(board + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read() or b"{}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--board", required=True)
    parser.add_argument("--gifts", required=True)
    parser.add_argument("--admin-token-file", required=True)
    parser.add_argument("--screenshots", required=True)
    options = parser.parse_args()
    os.makedirs(options.screenshots, exist_ok=True)
    with open(options.gifts, encoding="utf-8") as file:
        gifts = json.load(file)
    tokens = {}
    first = post(options.board, "/gifts", {"giftLink": gifts[0]["link"], "gifterName": gifts[0]["name"]})
    tokens[first["id"]] = first["managementToken"]
    time.sleep(5.5)  # past the online window: the first giver is offline now
    for gift in gifts[1:]:
        listed = post(options.board, "/gifts", {"giftLink": gift["link"], "gifterName": gift["name"]})
        tokens[listed["id"]] = listed["managementToken"]
    ids = list(tokens)
    driver = browser("1280,900")
    try:
        # The other givers' wallets heartbeat (the window is short in this run, the machine busy).
        for gift_id in ids[1:]:
            post(options.board, f"/gifts/{gift_id}/heartbeat", token=tokens[gift_id])
        board(driver, options.board, ids, gifts, options.screenshots)
        live(driver, options.board, ids, tokens)
        redeem(driver, options.board, ids, options.screenshots)
        dark(driver, options.board, options.screenshots)
        with open(options.admin_token_file, encoding="utf-8") as file:
            admin = file.read().strip()
        catalogue(driver, options.board, admin, options.screenshots)
    finally:
        driver.quit()
    print(json.dumps({"checks": checks}))


@step("board.cards")
def board(driver, url, ids, gifts, screenshots):
    driver.get(url + "/")
    cards = {card.get_attribute("data-gift"): card for card in driver.find_elements(By.CSS_SELECTOR, "#active .card")}
    dots = {gift_id: cards[gift_id].find_element(By.CSS_SELECTOR, ".dot").get_attribute("aria-label") for gift_id in ids}
    check("board.cards", set(cards) == set(ids) and dots[ids[0]] == "offline"
          and all(dots[gift_id] == "online" for gift_id in ids[1:]), dots)
    names = [card.find_element(By.CSS_SELECTOR, ".name").text for card in cards.values()]
    images = len(driver.find_elements(By.CSS_SELECTOR, ".card img"))
    pwned = driver.execute_script("return window.pwned === undefined")
    check("board.hostile", HOSTILE in names and images == 0 and pwned, {"names": names, "images": images})
    # The gift expiring within the hour counts down in seconds.
    soon = driver.find_element(By.CSS_SELECTOR, f"[data-gift='{ids[-1]}'] time")
    before = soon.text
    time.sleep(2.2)
    after = soon.text
    check("board.countdown", before != after and after.endswith("s") and "m " in after, [before, after])
    phone_and_desktop(driver, screenshots, "board")
    driver.get(url + "/?provider=openai")
    shown = [card.get_attribute("data-gift") for card in driver.find_elements(By.CSS_SELECTOR, "#active .card")]
    expected = [gift_id for gift_id, gift in zip(ids, gifts) if gift["provider"] == "openai"]
    check("board.filter", shown == expected, shown)


@step("board.refresh")
def live(driver, url, ids, tokens):
    """A heartbeat turns the offline dot green without a reload."""
    driver.get(url + "/")
    driver.execute_script("window.__sameDocument = true")
    # The giver's wallet heartbeats while it serves (the board's window is 5 s in this run).
    turned = False
    deadline = time.time() + 20
    while time.time() < deadline and not turned:
        post(url, f"/gifts/{ids[0]}/heartbeat", token=tokens[ids[0]])
        turned = driver.execute_script("return document.querySelector(`[data-gift='${arguments[0]}'] .dot`)"
                                       ".getAttribute('aria-label') === 'online'", ids[0])
        time.sleep(0.5)
    same = driver.execute_script("return window.__sameDocument === true")
    check("board.refresh", turned and same, {"turned": turned, "same document": same})


@step("board.qr")
def redeem(driver, url, ids, screenshots):
    driver.get(url + "/")
    driver.find_element(By.CSS_SELECTOR, f"[data-gift='{ids[1]}'] a.button").click()
    wait_for(driver, "return location.pathname.startsWith('/redeem/')", 10)
    link = driver.find_element(By.ID, "gift-link").text
    path = os.path.join(screenshots, "board-qr-only.png")
    driver.find_element(By.ID, "gift-qr").screenshot(path)
    read, _ = read_qr(path)
    os.remove(path)
    check("board.qr", link.startswith("https://byoky.com/gift/") and read == link,
          {"link": len(link), "read": len(read)})
    phone_and_desktop(driver, screenshots, "board-redeem")


@step("board.dark")
def dark(driver, url, screenshots):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    driver.get(url + "/")
    background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    shot(driver, screenshots, "board-dark")
    check("board.dark", background not in ("rgb(247, 247, 249)", ""), background)


APPS = [
    ("pocket-chat", "Pocket Chat", "chat", ["anthropic", "openai"], "Chat with Claude or GPT through your own wallet."),
    ("code-buddy", "Code Buddy", "coding", ["anthropic"], "Explains a diff, suggests tests; never sees your key."),
    ("sneaky-app", HOSTILE, "other", ["openai"], "<script>window.pwned = 2</script> and more text."),
]


@step("catalogue.cards")
def catalogue(driver, url, admin, screenshots):
    """The app catalogue as a visitor sees it: approved apps only, names as text, search and filter."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    for slug, name, category, providers, description in APPS + [("waiting-app", "Waiting", "chat", ["groq"], "Pending.")]:
        submitted = post(url, "/apps", {
            "name": name, "slug": slug, "url": f"https://{slug}.example.com/", "icon": "icon.svg",
            "description": description, "category": category, "providers": providers,
            "author": {"name": "Ana", "email": "ana@example.com", "website": "https://ana.example.com"}})
        if slug != "waiting-app":
            post(url, f"/admin/apps/{submitted['id']}/approve", {}, token=admin)
    driver.get(url + "/catalogue")
    cards = driver.execute_script("return [...document.querySelectorAll('[data-app]')].map((c) => c.dataset.app)")
    names = driver.execute_script("return [...document.querySelectorAll('.card.app .name')].map((n) => n.textContent)")
    injected = driver.execute_script(
        "return document.querySelectorAll('.card.app img:not(.icon), script:not([src])').length")
    # Offline here: every icon fell back to the app's initial.
    initials = driver.execute_script("return [...document.querySelectorAll('.icon.initial')].map((i) => i.textContent)")
    pwned = driver.execute_script("return window.pwned === undefined")
    phone_and_desktop(driver, screenshots, "catalogue")
    check("catalogue.cards", sorted(cards) == sorted(a[0] for a in APPS) and HOSTILE in names
          and injected == 0 and pwned and sorted(initials) == ["<", "C", "P"],
          {"cards": cards, "names": names, "injected": injected, "initials": initials})
    driver.get(url + "/catalogue?category=coding")
    coding = driver.execute_script("return [...document.querySelectorAll('[data-app]')].map((c) => c.dataset.app)")
    search_box = driver.find_element(By.NAME, "search")
    search_box.clear()
    search_box.send_keys("claude")
    driver.find_element(By.CSS_SELECTOR, ".filter select").send_keys("all")
    driver.find_element(By.CSS_SELECTOR, ".filter button").click()
    wait_for(driver, "return location.search.includes('search=claude')", 10)
    searched = driver.execute_script("return [...document.querySelectorAll('[data-app]')].map((c) => c.dataset.app)")
    check("catalogue.filter", coding == ["code-buddy"] and searched == ["pocket-chat"],
          {"coding": coding, "searched": searched})


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        print(json.dumps({"checks": checks, "fatal": traceback.format_exc()[-2000:]}))
        sys.exit(1)
