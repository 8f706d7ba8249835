"""Drives byoky.js in headless Chromium against a real `byoky serve`, as a web app would.

Usage: browser_sdk.py --byoky BIN --password-file FILE --screenshots DIR
(BYOKY_HOME names the wallet, which holds an anthropic key on a mock provider.)

Prints one JSON object: {"checks": {name: {"ok": bool, "detail": str}}}. The Swift test
(BrowserSDKTests) asserts on it; a step that throws is recorded as failed, and later steps go on.
"""

import argparse
import functools
import http.server
import json
import os
import random
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.keys import Keys

HERE = os.path.dirname(os.path.abspath(__file__))
checks = {}


def check(name, ok, detail=""):
    checks[name] = {"ok": bool(ok), "detail": str(detail)[:2000]}


def step(name):
    """Runs a step; an exception fails it (and names the error) without ending the run."""
    def wrap(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - every failure is reported
                check(name, False, f"{type(error).__name__}: {error}\n{traceback.format_exc()[-1500:]}")
                return None
        return run
    return wrap


def restartable_port():
    """A free loopback port below the kernel's ephemeral range, for a server that stops and starts
    again at the same address (ByokyTesting's RestartablePort says why): a port from that range
    can be taken while the server is down, by an outgoing connection's local port or by a client
    reconnecting to it that Linux connects to itself."""
    top = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as ports:
            top = min(top, int(ports.read().split()[0]))
    except (OSError, ValueError, IndexError):
        pass
    low = 20000 if top > 21000 else 10000
    for _ in range(50):
        port = random.randrange(low, max(top, low + 1))
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {low}-{top}")


class Wallet:
    """`byoky serve` on a fixed port (so a restart keeps the address), and the owner's CLI."""

    def __init__(self, binary, password_file):
        self.binary = binary
        self.password_file = password_file
        self.port = restartable_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.port), "--password-file", self.password_file],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
                if self.cli(["status"]).returncode == 0:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("byoky serve did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def cli(self, arguments, input_text=None):
        return subprocess.run([self.binary] + arguments, input=input_text, capture_output=True, text=True,
                              timeout=60)

    def json(self, arguments):
        result = self.cli(arguments + ["--json"])
        if result.returncode != 0:
            raise RuntimeError(f"byoky {' '.join(arguments)}: {result.stderr.strip()}")
        return json.loads(result.stdout)

    def wait_pending(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pending = self.json(["pending"])
            if pending:
                return pending[0]
            time.sleep(0.1)
        raise RuntimeError("no connect request reached the wallet")


class Relay:
    """A real `byoky-relay` on a free loopback port, writing every frame it routes to a trace file."""

    def __init__(self, binary, folder):
        self.trace = os.path.join(folder, "relay-frames.log")
        if os.path.exists(self.trace):
            os.remove(self.trace)
        self.process = subprocess.Popen([binary, "--port", "0", "--trace-frames", self.trace],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if "listening on " not in line:
            raise RuntimeError(f"byoky-relay did not start: {line!r}")
        self.url = line.split("listening on ")[1].split()[0]

    def frames(self):
        with open(self.trace, encoding="utf-8") as file:
            return file.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def serve_app(directory=os.path.join(HERE, "web")):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browser(window_size="1000,800"):
    options = Options()
    # The console (CSP refusals among it) is readable with driver.get_log("browser").
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--window-size={window_size}", "--no-first-run", "--disable-extensions",
                 # Nothing but loopback resolves: no step can reach the internet by accident.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(90)
    return driver


def js(driver, body, *args):
    """Runs `body` as an async function of `args` in the page; returns its value or raises."""
    script = (
        "const done = arguments[arguments.length - 1];"
        "(async (...args) => {" + body + "})(...Array.from(arguments).slice(0, -1))"
        ".then((value) => done({ ok: true, value }),"
        " (e) => done({ ok: false, name: e && e.name, code: e && e.code, message: String(e && e.message || e) }));"
    )
    result = driver.execute_async_script(script, *args)
    if not result["ok"]:
        raise PageError(result)
    return result["value"]


def js_error(driver, body, *args):
    """Runs `body`, which must fail; returns the error's {name, code, message}."""
    try:
        value = js(driver, body, *args)
    except PageError as error:
        return error.info
    raise AssertionError(f"expected an error, got {value!r}")


class PageError(Exception):
    def __init__(self, info):
        super().__init__(f"{info.get('name')} {info.get('code')}: {info.get('message')}")
        self.info = info


def open_app(driver, app_url, wallet_url):
    driver.get(f"{app_url}/index.html?wallet={wallet_url}")
    deadline = time.time() + 20
    while time.time() < deadline:
        state = driver.execute_script("return window.app && [window.app.ready, window.app.loadError]")
        if state and state[0]:
            return
        if state and state[1]:
            raise RuntimeError(f"byoky.js did not load: {state[1]}")
        time.sleep(0.05)
    raise RuntimeError("byoky.js did not load in time")


# Waits for `window.connecting`; a modal still open after 20 s reports its state and text instead.
SETTLED = """
  const late = new Promise((resolve) => setTimeout(() => {
    const host = document.querySelector('byoky-connect-modal');
    resolve({ ok: false, unsettled: host?.dataset.state, text: host?.shadowRoot.querySelector('[role=dialog]')?.innerText });
  }, 20000));
  return await Promise.race([window.connecting, late]);
"""

CONNECT = """
  const [walletUrl, providers] = args;
  const byoky = new sdk.Byoky({ walletUrl, appName: 'Browser test' });
  window.byoky = byoky;
  window.connecting = byoky.connect({ providers }).then(
    (session) => { window.session = session; return { ok: true }; },
    (e) => ({ ok: false, code: e.code, message: e.message }));
  return true;
"""

# An OpenAI file upload (multipart FormData with a Blob) through the session.
UPLOAD = """
  const f = session.createFetch('openai');
  const form = new FormData();
  form.append('purpose', 'assistants');
  form.append('file', new Blob(['{"a":1}\\n{"a":2}\\n'], { type: 'application/jsonl' }), 'data.jsonl');
  const r = await f('https://api.openai.com/v1/files', { method: 'POST', body: form });
  return { status: r.status, body: await r.json() };
"""

MESSAGE = {"model": "claude-test", "max_tokens": 64, "messages": [{"role": "user", "content": "Hello there"}]}


def connect_and_approve(driver, wallet, providers, expect_origin):
    js(driver, CONNECT, wallet.url, providers)
    pending = wallet.wait_pending()
    approve = wallet.cli(["approve", pending["id"]])
    outcome = js(driver, "return await window.connecting;")
    return pending, approve, outcome


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--byoky", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--backend", required=True, help="an app backend's ByokyServer WebSocket URL")
    options = parser.parse_args()
    os.makedirs(options.screenshots, exist_ok=True)

    wallet = Wallet(options.byoky, options.password_file)
    wallet.start()
    server, app_url = serve_app()
    driver = browser()
    try:
        run_steps(driver, wallet, app_url, options.screenshots, options.backend)
    finally:
        driver.quit()
        server.shutdown()
        wallet.stop()
    print(json.dumps({"checks": checks}))


def run_steps(driver, wallet, app_url, screenshots, backend):
    sdk_files(driver, wallet, app_url)
    connect_flow(driver, wallet, app_url)
    requests(driver, wallet)
    events_and_restart(driver, wallet, app_url)
    errors(driver, wallet, app_url)
    modal(driver, wallet, app_url, screenshots)
    doc_snippets(driver, wallet, app_url)
    backend_relay(driver, wallet, app_url, backend)
    template_apps(driver, wallet, screenshots)
    qr_codes(driver, wallet, app_url, screenshots)
    relay = Relay(os.path.join(os.path.dirname(wallet.binary), "byoky-relay"), screenshots)
    try:
        pairing(driver, wallet, app_url, screenshots, relay)
    finally:
        relay.stop()


@step("qr.decoded")
def qr_codes(driver, wallet, app_url, screenshots):
    """The SDK's QR codes, drawn as SVG in Chromium, photographed and read back by zbarimg."""
    open_app(driver, app_url, wallet.url)
    results = []
    for index, (text, level) in enumerate([
        ("https://byoky.com/pair#" + "eyJ2IjoyLCJyIjoid3NzOi8vcmVsYXkuYnlva3kuY29tIiwiaWQiOiI" * 4, "M"),
        ("ключ 🔑 日本語", "M"), ("x", "L"), ("https://byoky.com/pair#short-code", "H"),
    ]):
        js(driver, """
          const [text, level] = args;
          document.getElementById('qr')?.remove();
          const box = document.createElement('div');
          box.id = 'qr';
          box.style.cssText = 'position:fixed;left:0;top:0;background:#fff;padding:8px;z-index:1';
          box.innerHTML = sdk.qrToSvg(sdk.encodeQr(text, level), { size: 480 });
          document.body.append(box);
          return true;
        """, text, level)
        path = os.path.join(screenshots, f"qr-{index}.png")
        driver.find_element("id", "qr").screenshot(path)
        read, _ = read_qr(path)
        results.append({"ok": read == text, "level": level,
                        "length": len(text.encode())})
        os.remove(path)
    check("qr.decoded", all(r["ok"] for r in results), results)


def created_app(wallet, template, folder):
    """`byoky app create` then `byoky app serve`, as a developer starts: the app's folder and address."""
    created = wallet.cli(["app", "create", f"Test {template}", "--template", template, "--parent", folder,
                          "--author-name", "Ana", "--author-email", "ana@example.com", "--author-website", ""],
                         input_text="")
    if created.returncode != 0:
        raise RuntimeError(f"app create: {created.stderr}")
    app = os.path.join(folder, f"test-{template}")
    served = subprocess.Popen([wallet.binary, "app", "serve", app, "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    line = served.stdout.readline()
    address = re.search(r"http://127\.0\.0\.1:\d+", line)
    if not address:
        served.terminate()
        raise RuntimeError(f"app serve did not start: {line!r}")
    return app, served, address.group(0)


def connect_app(driver, wallet, url):
    driver.get(f"{url}/?wallet={wallet.url}")
    if not wait_for(driver, "return window.appReady === true", 20):
        raise RuntimeError("the app did not load")
    driver.execute_script("document.getElementById('connect').click()")
    wallet.cli(["approve", wallet.wait_pending()["id"]])
    if not wait_for(driver, "return document.getElementById('status').textContent.startsWith('Connected')", 20):
        raise RuntimeError("the app did not connect: " + driver.execute_script(
            "return document.getElementById('status').textContent"))


def template_apps(driver, wallet, screenshots):
    folder = tempfile.mkdtemp()
    # Both providers, for the side-by-side template (an earlier step removed the openai key).
    added = wallet.cli(["key", "add", "openai", "--label", "template-openai", "--base-url",
                        os.environ["BYOKY_TEST_MOCK_URL"], "--password-file", wallet.password_file],
                       input_text=os.environ["BYOKY_TEST_UPSTREAM_KEY"] + "\n")
    try:
        if added.returncode != 0:
            raise RuntimeError(f"key add: {added.stderr}")
        chat_template(driver, wallet, screenshots, folder)
        multi_provider_template(driver, wallet, screenshots, folder)
        if os.environ.get("BYOKY_TEST_BACKEND_TEMPLATE"):
            backend_relay_template(driver, wallet, screenshots)
    finally:
        wallet.cli(["key", "remove", "template-openai"])
        shutil.rmtree(folder, ignore_errors=True)


@step("template.chat")
def chat_template(driver, wallet, screenshots, folder):
    """The chat template as created: connect, ask, read the streamed answer; and it validates."""
    app, served, url = created_app(wallet, "chat", folder)
    try:
        connect_app(driver, wallet, url)
        driver.execute_script("""
          document.getElementById('provider').value = 'anthropic';
          document.getElementById('prompt').value = 'Hello from the chat template';
          document.getElementById('send').click();
        """)
        answered = wait_for(driver, "return [...document.querySelectorAll('.message.them')].some("
                                    "(m) => m.textContent.startsWith('Mock reply to: Hello from the chat template'))", 20)
        shot(driver, screenshots, "template-chat")
        validated = wallet.cli(["app", "validate", app, "--offline"])
        check("template.chat", answered and validated.returncode == 0,
              {"log": driver.execute_script("return document.getElementById('log').innerText"),
               "validate": validated.stdout})
    finally:
        served.terminate()


@step("template.backend-relay")
def backend_relay_template(driver, wallet, screenshots):
    """The backend-relay template, created and built by scripts/test.sh (BYOKY_TEST_BACKEND_TEMPLATE
    names its folder, BYOKY_TEST_BACKEND_BINARY its server): its page connects and opens the relay,
    and the server's answer to a question streams back through the person's wallet."""
    folder = os.environ["BYOKY_TEST_BACKEND_TEMPLATE"]
    # PORT=0: the server picks a free port and names it once it listens (a bounded wait, so a
    # silent server fails the step); the page is then loaded at the address it named.
    server = subprocess.Popen([os.environ["BYOKY_TEST_BACKEND_BINARY"]], cwd=folder,
                              env={**os.environ, "PORT": "0"},
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready = select.select([server.stdout], [], [], 30)[0]
    started = server.stdout.readline() if ready else ""
    try:
        address = re.search(r"http://127\.0\.0\.1:(\d+)/", started)
        if not address or address.group(1) == "0":
            raise RuntimeError(f"the backend-relay template's server did not name where it listens: {started!r}")
        url = address.group(0).rstrip("/")
        connect_app(driver, wallet, url)
        driver.execute_script("""
          document.getElementById('prompt').value = 'Hello through the server';
          document.getElementById('send').click();
        """)
        answered = wait_for(driver, "return [...document.querySelectorAll('.message.them')].some("
                                    "(m) => m.textContent.startsWith('Mock reply to: Hello through the server'))", 30)
        shot(driver, screenshots, "template-backend-relay")
        validated = wallet.cli(["app", "validate", folder, "--offline"])
        log = wallet.json(["log", "--limit", "3"])
        check("template.backend-relay",
              answered and validated.returncode == 0 and url in started
              and any(entry.get("appName") == "Relay Template" for entry in log),
              {"page": driver.execute_script("return document.getElementById('log').innerText"),
               "validate": validated.stdout, "started": started, "log": log})
    finally:
        server.terminate()
        server.wait(timeout=15)


@step("template.multi-provider")
def multi_provider_template(driver, wallet, screenshots, folder):
    """The multi-provider template: one question, both columns answered, each naming its model."""
    app, served, url = created_app(wallet, "multi-provider", folder)
    try:
        connect_app(driver, wallet, url)
        driver.execute_script("""
          document.getElementById('prompt').value = 'Hello from both';
          document.getElementById('send').click();
        """)
        both = wait_for(driver, "return ['anthropic', 'openai'].every((id) => document.querySelector("
                                "`#${id} .answer`).textContent.startsWith('Mock reply to: Hello from both'))", 20)
        read_models = ("return ['anthropic', 'openai'].map((id) => "
                       "document.querySelector(`#${id} .model`).textContent)")
        models = driver.execute_script(read_models)
        # The owner routes the app to Claude: both columns are answered by it, each in its own API's format
        # (a translated answer names the model the app asked for; the owner's log says who answered).
        wallet.cli(["group", "add", "template-claude", "--provider", "anthropic", "--model", "claude-routed-1"])
        wallet.cli(["group", "assign", "Test multi-provider", "template-claude"])
        driver.execute_script("""
          document.querySelectorAll('.answer').forEach((answer) => { answer.textContent = ''; });
          document.getElementById('prompt').value = 'Hello again';
          document.getElementById('send').click();
        """)
        routed = wait_for(driver, "return ['anthropic', 'openai'].every((id) => document.querySelector("
                                  "`#${id} .answer`).textContent.startsWith('Mock reply to: Hello again'))", 20)
        routed_models = driver.execute_script(read_models)
        # The log row is written once the answer is complete: look until both routed rows are there.
        served_by = []
        deadline = time.time() + 15
        while time.time() < deadline:
            newest = sorted((entry for entry in wallet.json(["log"]) if entry["appName"] == "Test multi-provider"),
                            key=lambda entry: entry["createdAt"])[-2:]
            served_by = sorted((entry["provider"], entry["actualProvider"]) for entry in newest)
            if served_by == [("anthropic", "anthropic"), ("openai", "anthropic")]:
                break
            time.sleep(0.2)
        routed = routed and served_by == [("anthropic", "anthropic"), ("openai", "anthropic")]
        shot(driver, screenshots, "template-multi-provider")
        wallet.cli(["group", "unassign", "Test multi-provider"])
        wallet.cli(["group", "remove", "template-claude"])
        validated = wallet.cli(["app", "validate", app, "--offline"])
        check("template.multi-provider",
              both and models == ["answered as claude-sonnet-4-5", "answered as gpt-4o-mini"] and routed
              and validated.returncode == 0,
              {"models": models, "routed": routed_models, "served by": served_by, "validate": validated.stdout})
    finally:
        served.terminate()


@step("relay.backend")
def backend_relay(driver, wallet, app_url, backend_url):
    """The app's backend (a Swift ByokyServer run by the test) sends a request over the page's
    relay; the test checks, on the backend's side, that the answer came back whole."""
    open_app(driver, app_url, wallet.url)
    pending, approve, outcome = connect_and_approve(driver, wallet, [{"id": "anthropic"}], app_url)
    if not outcome["ok"]:
        raise RuntimeError(f"connect failed: {outcome}")
    insecure = js_error(driver, "session.createRelay('ws://example.com/byoky');")
    check("relay.insecure-url", insecure.get("code") == "INVALID_URL", insecure)
    info = js(driver, """
      const relay = session.createRelay(args[0], { correlationId: 'user-7' });
      const deadline = Date.now() + 60000;
      while (relay.servedCount < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const result = { served: relay.servedCount, connections: relay.connectionCount,
                       keySent: relay.sessionId.includes(session.sessionKey), idShape: /^relay_[0-9a-f]{32}$/.test(relay.sessionId) };
      relay.onClose((reason) => { result.closedWith = reason; });
      relay.close('done');
      result.after = relay.status;
      return result;
    """, backend_url)
    check("relay.backend", info["served"] >= 2 and not info["keySent"] and info["idShape"]
          and info.get("closedWith") == "done" and info["after"] == "closed", info)


@step("docs.snippets")
def doc_snippets(driver, wallet, app_url):
    """Runs every ```js block of the docs marked `// snippet: run`, as a module of the test page,
    with the owner approving whatever it asks for."""
    import pathlib
    import re
    root = pathlib.Path(HERE).parent.parent
    blocks = []
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for block in re.findall(r"^```js\n(.*?)^```$", doc.read_text(), flags=re.S | re.M):
            if block.startswith("// snippet: run"):
                blocks.append((doc.name, block))
    # A page of its own: the origins of earlier steps have used up their connects for the minute.
    server, fresh_url = serve_app()
    open_app(driver, fresh_url, wallet.url)
    stop = threading.Event()

    def approve_everything():
        while not stop.is_set():
            try:
                for item in wallet.json(["pending"]):
                    wallet.cli(["approve", item["id"]])
            except Exception:  # noqa: BLE001 - keep approving; the step reports what the page saw
                pass
            time.sleep(0.2)

    approver = threading.Thread(target=approve_everything, daemon=True)
    approver.start()
    outputs = []
    try:
        for name, block in blocks:
            # The docs use the default address; this wallet listens elsewhere.
            block = block.replace("http://127.0.0.1:19280", wallet.url)
            block = block.replace("new Byoky()", f"new Byoky({{ walletUrl: '{wallet.url}' }})")
            block = block.replace("new Byoky({", f"new Byoky({{ walletUrl: '{wallet.url}', ")
            logs = js(driver, """
              const [source, walletUrl] = args;
              const logs = [];
              const original = console.log;
              console.log = (...values) => logs.push(values.map((v) => typeof v === 'string' ? v : JSON.stringify(v)).join(' '));
              try {
                const module = new Blob([source], { type: 'text/javascript' });
                const late = new Promise((_, reject) => setTimeout(() => {
                  const host = document.querySelector('byoky-connect-modal');
                  reject(new Error(`the snippet did not finish; dialog: ${host?.dataset.state} ${host?.shadowRoot.querySelector('[role=dialog]')?.innerText}`));
                }, 45000));
                await Promise.race([import(URL.createObjectURL(module)), late]);
              } finally {
                console.log = original;
              }
              return logs;
            """, block, wallet.url)
            outputs.append({"doc": name, "logs": logs})
    finally:
        stop.set()
        approver.join(timeout=5)
        server.shutdown()
    check("docs.snippets", len(blocks) >= 2 and all(o["logs"] for o in outputs), outputs)


@step("sdk.served")
def sdk_files(driver, wallet, app_url):
    open_app(driver, app_url, wallet.url)
    info = js(driver, """
      const r = await fetch(args[0] + '/sdk/byoky.js');
      const again = await fetch(args[0] + '/sdk/byoky.js', { headers: { 'if-none-match': r.headers.get('etag') } });
      const types = await fetch(args[0] + '/sdk/byoky.d.ts');
      return { type: r.headers.get('content-type'), etag: r.headers.get('etag'), status: again.status,
               version: sdk.VERSION, dts: types.status, dtsText: (await types.text()).includes('class ByokySession'),
               providers: Object.keys(sdk.PROVIDERS) };
    """, wallet.url)
    check("sdk.served", info["type"].startswith("text/javascript") and info["etag"] and info["dts"] == 200
          and info["dtsText"], info)
    check("sdk.etag", info["status"] == 304, info)
    check("sdk.version", True, info["version"])
    checks["sdk.version"]["detail"] = info["version"]
    checks["sdk.providers"] = {"ok": True, "detail": ",".join(info["providers"])}


@step("connect.approved")
def connect_flow(driver, wallet, app_url):
    detected = js(driver, "const b = new sdk.Byoky({ walletUrl: args[0] }); const d = await b.detectWallet();"
                          " return [d, sdk.isExtensionInstalled()];", wallet.url)
    check("detect.found", detected == [True, True], detected)
    missing = js(driver, "const b = new sdk.Byoky({ walletUrl: 'http://127.0.0.1:9' });"
                         " return [await b.detectWallet(), sdk.isExtensionInstalled()];")
    check("detect.missing", missing == [False, False], missing)
    refused = js_error(driver, "await new sdk.Byoky({ walletUrl: 'http://127.0.0.1:9' })"
                               ".connect({ providers: [{ id: 'anthropic' }] });")
    check("connect.no-wallet", refused.get("code") == "WALLET_NOT_INSTALLED", refused)

    pending, approve, outcome = connect_and_approve(
        driver, wallet, [{"id": "anthropic", "required": True}, {"id": "openai"}], app_url)
    check("connect.origin-shown", pending["app"].get("origin") == app_url, pending)
    check("connect.approved", approve.returncode == 0 and outcome["ok"], f"{approve.stderr} {outcome}")
    grant = js(driver, "return { providers: session.providers, key: session.sessionKey.startsWith('byk_'),"
                       " stored: !!localStorage.getItem('byoky:session:' + args[0]) };", wallet.url)
    check("connect.providers", grant["providers"]["anthropic"]["available"] is True
          and grant["providers"]["openai"]["available"] is False and grant["key"], grant)
    check("connect.stored", grant["stored"], grant)

    # The owner denies a second request: the page sees USER_REJECTED.
    js(driver, CONNECT, wallet.url, [{"id": "anthropic"}])
    denied_id = wallet.wait_pending()["id"]
    wallet.cli(["deny", denied_id])
    denied = js(driver, "return await window.connecting;")
    check("connect.denied", denied.get("code") == "USER_REJECTED", denied)


@step("fetch.plain")
def requests(driver, wallet):
    plain = js(driver, """
      const f = session.createFetch('anthropic');
      const r = await f('https://api.anthropic.com/v1/messages', { method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'placeholder', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(args[0]) });
      return { status: r.status, body: await r.json() };
    """, MESSAGE)
    check("fetch.plain", plain["status"] == 200 and plain["body"]["type"] == "message"
          and "Hello" in plain["body"]["content"][0]["text"], plain)

    request_object = js(driver, """
      const f = session.createFetch('anthropic');
      const request = new Request('https://api.anthropic.com/v1/messages', { method: 'POST',
        headers: new Headers([['content-type', 'application/json']]), body: JSON.stringify(args[0]) });
      const r = await f(request);
      return { status: r.status, type: (await r.json()).type };
    """, MESSAGE)
    check("fetch.request-object", request_object == {"status": 200, "type": "message"}, request_object)

    streamed = js(driver, """
      const f = session.createFetch('anthropic');
      const body = { ...args[0], model: 'mock-paced-40', stream: true };
      const r = await f(new URL('https://api.anthropic.com/v1/messages'), { method: 'POST',
        headers: { 'content-type': 'application/json' }, body: new Blob([JSON.stringify(body)]) });
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      const times = []; let text = ''; const start = performance.now();
      for (;;) { const { value, done } = await reader.read(); if (done) break;
        times.push(performance.now() - start); text += decoder.decode(value, { stream: true }); }
      return { status: r.status, type: r.headers.get('content-type'), reads: times.length,
               first: times[0], last: times[times.length - 1], stop: text.includes('message_stop') };
    """, MESSAGE)
    incremental = streamed["reads"] >= 5 and streamed["last"] - streamed["first"] >= 200
    check("fetch.stream", streamed["status"] == 200 and streamed["stop"]
          and streamed["type"].startswith("text/event-stream"), streamed)
    check("fetch.stream-incremental", incremental, streamed)

    aborted = js(driver, """
      const f = session.createFetch('anthropic');
      const controller = new AbortController();
      const body = { ...args[0], model: 'mock-paced-200', stream: true };
      const r = await f('https://api.anthropic.com/v1/messages', { method: 'POST', signal: controller.signal,
        headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify(body)).buffer });
      const reader = r.body.getReader();
      await reader.read();
      controller.abort();
      try { for (;;) { const { done } = await reader.read(); if (done) return 'ended'; } }
      catch (e) { return e.name; }
    """, MESSAGE)
    check("fetch.abort", aborted == "AbortError", aborted)
    hung_up = False
    deadline = time.time() + 10
    while time.time() < deadline and not hung_up:
        entries = wallet.json(["log", "show"])
        hung_up = any(e.get("errorCode") == "CLIENT_CLOSED" for e in entries)
        time.sleep(0.2)
    check("fetch.abort-logged", hung_up, "the wallet's log records CLIENT_CLOSED" if hung_up else "not logged")

    upload = js(driver, UPLOAD)
    # openai has no key yet: the wallet refuses in OpenAI's error format (its own code says why).
    check("fetch.no-key", upload["status"] in (400, 403) and "error" in upload["body"], upload)

    image = js(driver, """
      const f = session.createFetch('anthropic');
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
      const body = { model: 'claude-test', max_tokens: 32, messages: [{ role: 'user', content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
        { type: 'text', text: 'Describe this image' }] }] };
      const r = await f('https://api.anthropic.com/v1/messages', { method: 'POST',
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, type: (await r.json()).type };
    """)
    check("fetch.image", image == {"status": 200, "type": "message"}, image)

    usage = js(driver, "return await session.getUsage();")
    anthropic = usage.get("byProvider", {}).get("anthropic", {})
    check("usage", usage["requests"] >= 4 and anthropic.get("requests", 0) >= 4 and usage["inputTokens"] > 0
          and usage["outputTokens"] > 0, usage)


@step("events.providers-updated")
def events_and_restart(driver, wallet, app_url):
    js(driver, """
      window.app.providerEvents = [];
      window.app.disconnects = 0;
      session.onProvidersUpdated((p) => window.app.providerEvents.push(p));
      window.app.unsubscribed = session.onDisconnect(() => { window.app.disconnects += 100; });
      session.onDisconnect(() => { window.app.disconnects += 1; });
      window.app.unsubscribed();
      return true;
    """)
    time.sleep(1.5)  # the event stream is open
    added = wallet.cli(["key", "add", "openai", "--label", "browser-openai", "--base-url",
                        os.environ["BYOKY_TEST_MOCK_URL"], "--password-file", wallet.password_file],
                       input_text=os.environ["BYOKY_TEST_UPSTREAM_KEY"] + "\n")
    if added.returncode != 0:
        raise RuntimeError(f"key add: {added.stderr}")
    event = wait_for(driver, "return window.app.providerEvents.at(-1)?.openai?.available === true", 15)
    check("events.providers-updated", event, js(driver, "return window.app.providerEvents;"))

    upload = js(driver, UPLOAD)
    check("fetch.upload", upload["status"] == 200 and upload["body"].get("filename") == "data.jsonl"
          and upload["body"].get("bytes") == 16, upload)

    # A wallet restart: the session lives on, requests work again, the event stream comes back.
    wallet.stop()
    down = js(driver, "return await session.isConnected();")
    wallet.start()
    after = js(driver, """
      const f = session.createFetch('anthropic');
      for (let i = 0; i < 50; i++) {
        try {
          const r = await f('https://api.anthropic.com/v1/messages', { method: 'POST',
            headers: { 'content-type': 'application/json' }, body: JSON.stringify(args[0]) });
          return { status: r.status, attempts: i + 1 };
        } catch (e) { await new Promise((r) => setTimeout(r, 200)); }
      }
      return { status: 0 };
    """, MESSAGE)
    check("restart.requests", down is False and after["status"] == 200, {"down": down, "after": after})
    count = len(js(driver, "return window.app.providerEvents;"))
    removed = wallet.cli(["key", "remove", "browser-openai"])
    back = wait_for(driver, "return window.app.providerEvents.length > arguments[0] && "
                            "window.app.providerEvents.at(-1)?.openai?.available === false", 20, count)
    check("restart.events", removed.returncode == 0 and back, js(driver, "return window.app.providerEvents;"))

    # A reload: the page finds its stored session again.
    key_before = js(driver, "return session.sessionKey;")
    open_app(driver, app_url, wallet.url)
    restored = js(driver, """
      const byoky = new sdk.Byoky({ walletUrl: args[0] });
      const s = await byoky.tryReconnect();
      if (!s) return null;
      window.session = s;
      const r = await s.createFetch('anthropic')('https://api.anthropic.com/v1/messages', { method: 'POST',
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(args[1]) });
      return { same: s.sessionKey === args[2], status: r.status };
    """, wallet.url, MESSAGE, key_before)
    check("reload.tryReconnect", restored == {"same": True, "status": 200}, restored)

    # disconnect → onDisconnect, and the wallet no longer honours the key.
    result = js(driver, """
      let fired = 0;
      let unsubscribedFired = 0;
      const off = session.onDisconnect(() => { unsubscribedFired += 1; });
      off();
      session.onDisconnect(() => { fired += 1; });
      await session.disconnect();
      return { fired, unsubscribedFired, connected: await session.isConnected(),
               stored: localStorage.getItem('byoky:session:' + args[0]),
               again: await new sdk.Byoky({ walletUrl: args[0] }).tryReconnect() };
    """, wallet.url)
    check("disconnect", result == {"fired": 1, "unsubscribedFired": 0, "connected": False, "stored": None,
                                   "again": None}, result)


def wait_for(driver, condition, timeout, *args):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if driver.execute_script(condition, *args):
            return True
        time.sleep(0.1)
    return False


@step("errors.revoked")
def errors(driver, wallet, app_url):
    open_app(driver, app_url, wallet.url)
    js(driver, "window.app.ended = 0; return true;")
    pending, approve, outcome = connect_and_approve(driver, wallet, [{"id": "anthropic"}], app_url)
    if not outcome["ok"]:
        raise RuntimeError(f"connect failed: {outcome}")
    unknown = js_error(driver, "session.createFetch('nope');")
    check("errors.unknown-provider", unknown.get("code") == "PROVIDER_UNAVAILABLE", unknown)
    foreign = js_error(driver, "await session.createFetch('anthropic')('https://evil.example/v1/messages',"
                               " { method: 'POST', body: '{}' });")
    check("errors.foreign-url", foreign.get("code") == "INVALID_URL", foreign)
    lookalike = js_error(driver, "await session.createFetch('openai')('https://api.openai.com.evil.example/v1/x');")
    check("errors.lookalike-url", lookalike.get("code") == "INVALID_URL", lookalike)

    js(driver, "session.onDisconnect(() => { window.app.ended += 1; }); return true;")
    time.sleep(1.5)
    session_id = next(s["id"] for s in wallet.json(["sessions"]) if not s["revoked"] and s["app"] == "Browser test")
    revoked = wallet.cli(["revoke", session_id])
    ended = wait_for(driver, "return window.app.ended === 1", 15)
    after = js_error(driver, """
      const r = await session.createFetch('anthropic')('https://api.anthropic.com/v1/messages', { method: 'POST',
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(args[0]) });
      return { status: r.status, code: r.headers.get('x-byoky-error-code') };
    """, MESSAGE)
    check("errors.revoked", revoked.returncode == 0 and ended and after.get("code") == "NO_SESSION",
          {"ended": ended, "after": after})


@step("modal.approve")
def modal(driver, wallet, app_url, screenshots):
    open_app(driver, app_url, wallet.url)
    js(driver, """
      const byoky = new sdk.Byoky({ walletUrl: args[0], appName: 'Modal test' });
      window.connecting = byoky.connect({ providers: [{ id: 'anthropic', required: true }, { id: 'gemini' }],
        modal: true }).then((s) => ({ ok: true, providers: s.providers }), (e) => ({ ok: false, code: e.code }));
      return true;
    """, wallet.url)
    state = wait_for(driver, "return document.querySelector('byoky-connect-modal')?.dataset.state === 'approve'", 15)
    pending = wallet.wait_pending()
    shot(driver, screenshots, "modal-approve")
    inside = driver.execute_script("""
      const root = document.querySelector('byoky-connect-modal').shadowRoot;
      const dialog = root.querySelector('[role=dialog]');
      const button = root.querySelector('button');
      const heading = root.querySelector('h2');
      return { modal: dialog.getAttribute('aria-modal'), labelled: root.getElementById(dialog.getAttribute('aria-labelledby'))?.textContent,
               origin: root.querySelector('.origin')?.textContent, items: [...root.querySelectorAll('li')].map((li) => li.textContent),
               buttonDisplay: getComputedStyle(button).display, headingColor: getComputedStyle(heading).color,
               headingSize: getComputedStyle(heading).fontSize, focused: root.activeElement?.tagName,
               pageProbe: getComputedStyle(document.getElementById('probe')).backgroundColor };
    """)
    check("modal.approve", state and inside["origin"] == app_url and inside["modal"] == "true"
          and inside["labelled"] == "Approve in your wallet" and len(inside["items"]) == 2, inside)
    check("modal.isolated", inside["buttonDisplay"] != "none" and inside["headingColor"] != "rgb(255, 0, 0)"
          and inside["headingSize"] != "40px" and inside["pageProbe"] == "rgb(0, 128, 0)", inside)
    wallet.cli(["approve", pending["id"]])
    connected = wait_for(driver, "return document.querySelector('byoky-connect-modal')?.dataset.state === 'connected'", 15)
    if connected:
        shot(driver, screenshots, "modal-connected")
    outcome = js(driver, SETTLED)
    gone = driver.execute_script("return document.querySelector('byoky-connect-modal') === null")
    check("modal.connected", connected and outcome["ok"] and gone, outcome)

    # Escape cancels with USER_REJECTED; focus stays inside while open.
    js(driver, """
      const byoky = new sdk.Byoky({ walletUrl: args[0], appName: 'Modal test' });
      window.connecting = byoky.connect({ providers: [{ id: 'anthropic' }], modal: { theme: 'dark' } })
        .then(() => ({ ok: true }), (e) => ({ ok: false, code: e.code, name: e.name }));
      return true;
    """, wallet.url)
    wait_for(driver, "return document.querySelector('byoky-connect-modal')?.dataset.state === 'approve'", 15)
    shot(driver, screenshots, "modal-approve-dark")
    # Tab around more times than the dialog has controls: the focus never leaves it.
    trapped = True
    for _ in range(4):
        webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
        trapped = trapped and driver.execute_script(
            "return document.activeElement === document.querySelector('byoky-connect-modal')")
    webdriver.ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    trapped = trapped and driver.execute_script(
        "return document.activeElement === document.querySelector('byoky-connect-modal')")
    webdriver.ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    cancelled = js(driver, SETTLED)
    check("modal.escape", trapped and cancelled == {"ok": False, "code": "USER_REJECTED", "name": "ByokyError"},
          {"trapped": trapped, "cancelled": cancelled})
    leftover = wallet.json(["pending"])
    for item in leftover:
        wallet.cli(["deny", item["id"]])

    # No wallet: the dialog says so, with an install link and a retry.
    js(driver, """
      const byoky = new sdk.Byoky({ walletUrl: 'http://127.0.0.1:9', relayUrl: '', storeUrl: 'https://example.com/install' });
      window.connecting = byoky.connect({ providers: [{ id: 'anthropic' }], modal: true })
        .then(() => ({ ok: true }), (e) => ({ ok: false, code: e.code }));
      return true;
    """)
    shown = wait_for(driver, "return document.querySelector('byoky-connect-modal')?.dataset.state === 'no-wallet'", 15)
    shot(driver, screenshots, "modal-no-wallet")
    link = driver.execute_script(
        "return document.querySelector('byoky-connect-modal').shadowRoot.querySelector('a').href")
    driver.execute_script(
        "document.querySelector('byoky-connect-modal').shadowRoot.querySelector('[data-action=cancel]').click()")
    cancelled = js(driver, SETTLED)
    check("modal.no-wallet", shown and link == "https://example.com/install"
          and cancelled == {"ok": False, "code": "USER_REJECTED"}, {"link": link, "cancelled": cancelled})


PAIRED_STREAM = """
  const f = session.createFetch('anthropic');
  const body = { ...args[0], model: 'mock-paced-40', stream: true };
  const r = await f('https://api.anthropic.com/v1/messages', { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'placeholder' }, body: JSON.stringify(body) });
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  const times = []; let text = ''; const start = performance.now();
  for (;;) { const { value, done } = await reader.read(); if (done) break;
    times.push(performance.now() - start); text += decoder.decode(value, { stream: true }); }
  return { status: r.status, type: r.headers.get('content-type'), reads: times.length,
           first: times[0], last: times[times.length - 1], stop: text.includes('message_stop') };
"""


@step("pairing.modal")
def pairing(driver, wallet, app_url, screenshots, relay):
    """No wallet on the page's machine: the modal shows a QR code; the owner scans it (zbarimg reads
    the screenshot) and runs `byoky pair`; requests then go page -> relay -> wallet, sealed."""
    added = wallet.cli(["key", "add", "openai", "--label", "paired-openai", "--base-url",
                        os.environ["BYOKY_TEST_MOCK_URL"], "--password-file", wallet.password_file],
                       input_text=os.environ["BYOKY_TEST_UPSTREAM_KEY"] + "\n")
    if added.returncode != 0:
        raise RuntimeError(f"key add: {added.stderr}")
    open_app(driver, app_url, wallet.url)
    js(driver, """
      const byoky = new sdk.Byoky({ walletUrl: 'http://127.0.0.1:9', relayUrl: args[0], storeUrl: 'https://example.com/install' });
      window.app.disconnects = 0;
      window.connecting = byoky.connect({ providers: [{ id: 'anthropic', required: true }, { id: 'openai' }], modal: true })
        .then((s) => { window.session = s; s.onDisconnect(() => { window.app.disconnects += 1; });
                       return { ok: true, paired: s.isPaired, providers: s.providers, key: s.sessionKey }; },
              (e) => ({ ok: false, code: e.code, message: e.message }));
      return true;
    """, relay.url)
    shown = wait_for(driver, "return document.querySelector('byoky-connect-modal')?.dataset.state === 'pairing'", 15)
    shot(driver, screenshots, "modal-pairing")
    host = driver.find_element("css selector", "byoky-connect-modal")
    qr_path = os.path.join(screenshots, "modal-pairing-qr.png")
    host.shadow_root.find_element("css selector", ".qr").screenshot(qr_path)
    link, scanned = read_qr(qr_path)
    shown_text = driver.execute_script("""
      const root = document.querySelector('byoky-connect-modal').shadowRoot;
      root.querySelector('[data-action=copy]').click();
      return root.querySelector('textarea').value;
    """)
    copied = wait_for(driver, "return document.querySelector('byoky-connect-modal').shadowRoot"
                              ".querySelector('[data-action=copy]').textContent === 'Copied'", 5)
    check("pairing.modal", shown and link.startswith("byoky://pair/") and link == shown_text and copied,
          {"scanned": link[:40], "shown": shown_text[:40], "copied": copied, "zbar": scanned.stderr[-300:].decode("utf-8", "replace")})
    paired = wallet.cli(["pair", link, "--providers", "anthropic,openai", "--yes"])
    outcome = js(driver, SETTLED)
    check("pairing.paired", paired.returncode == 0 and outcome.get("ok") and outcome.get("paired")
          and outcome["providers"]["anthropic"]["available"] and outcome["providers"]["openai"]["available"],
          {"pair": paired.stdout[-300:] + paired.stderr[-300:], "outcome": outcome})

    plain = js(driver, """
      const f = session.createFetch('anthropic');
      const r = await f('https://api.anthropic.com/v1/messages', { method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'placeholder', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(args[0]) });
      return { status: r.status, body: await r.json(), connected: await session.isConnected() };
    """, MESSAGE)
    check("pairing.fetch", plain["status"] == 200 and plain["body"]["type"] == "message" and plain["connected"], plain)
    streamed = js(driver, PAIRED_STREAM, MESSAGE)
    check("pairing.stream", streamed["status"] == 200 and streamed["stop"] and streamed["reads"] >= 5
          and streamed["last"] - streamed["first"] >= 200 and streamed["type"].startswith("text/event-stream"), streamed)

    # A binary upload: bytes that are not UTF-8 travel base64 inside the sealed frame.
    upload = js(driver, """
      const f = session.createFetch('openai');
      const form = new FormData();
      form.append('purpose', 'assistants');
      form.append('file', new Blob([new Uint8Array([0xff, 0x00, 0x80, 0xfe, 0x41, 0xc3])]), 'blob.bin');
      const r = await f('https://api.openai.com/v1/files', { method: 'POST', body: form });
      return { status: r.status, body: await r.json() };
    """)
    check("pairing.upload", upload["status"] == 200 and upload["body"].get("bytes") == 6, upload)

    aborted = js(driver, """
      const f = session.createFetch('anthropic');
      const controller = new AbortController();
      const body = { ...args[0], model: 'mock-paced-200', stream: true };
      const r = await f('https://api.anthropic.com/v1/messages', { method: 'POST', signal: controller.signal,
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const reader = r.body.getReader();
      await reader.read();
      controller.abort();
      try { for (;;) { const { done } = await reader.read(); if (done) return 'ended'; } }
      catch (e) { return e.name; }
    """, MESSAGE)
    foreign = js_error(driver, "await session.createFetch('anthropic')('https://evil.example/v1/messages', { method: 'POST', body: '{}' });")
    check("pairing.abort-and-errors", aborted == "AbortError" and foreign.get("code") == "INVALID_URL",
          {"aborted": aborted, "foreign": foreign})

    # The wallet reports usage after each request; the last report may still be on its way.
    usage = js(driver, """
      for (let i = 0; i < 50; i++) {
        const u = await session.getUsage();
        if (u.requests >= 3) return u;
        await new Promise((r) => setTimeout(r, 100));
      }
      return await session.getUsage();
    """)
    check("pairing.usage", usage["requests"] >= 3 and usage["byProvider"].get("anthropic", {}).get("requests", 0) >= 2
          and usage["inputTokens"] > 0, usage)

    # The relay routed only ciphertext: no prompt, no answer, no plain request frame.
    frames = relay.frames()
    check("pairing.sealed", "relay:request:sealed" in frames and "relay:response:sealed" in frames
          and "Hello there" not in frames and "message_stop" not in frames and '"relay:request"' not in frames
          and "blob.bin" not in frames, f"{len(frames)} bytes of frames")

    # An app that draws its own pairing UI gets the code from onPairingReady; disconnect ends the session.
    js(driver, """
      window.app.code = null;
      const byoky = new sdk.Byoky({ walletUrl: 'http://127.0.0.1:9', relayUrl: args[0] });
      window.connecting = byoky.connect({ providers: [{ id: 'anthropic' }], useRelay: true,
          onPairingReady: (code) => { window.app.code = code; } })
        .then((s) => { window.second = s; return { ok: true, paired: s.isPaired }; },
              (e) => ({ ok: false, code: e.code, message: e.message }));
      return true;
    """, relay.url)
    wait_for(driver, "return window.app.code !== null", 15)
    code = driver.execute_script("return window.app.code")
    second = wallet.cli(["pair", code, "--providers", "anthropic", "--yes"])
    outcome = js(driver, SETTLED)
    ended = js(driver, """
      await session.disconnect();
      const after = await session.createFetch('anthropic')('https://api.anthropic.com/v1/messages',
        { method: 'POST', body: '{}' }).then(() => 'sent', (e) => e.code);
      const r = await second.createFetch('anthropic')('https://api.anthropic.com/v1/messages', { method: 'POST',
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(args[0]) });
      return { disconnects: window.app.disconnects, after, connected: await session.isConnected(), second: r.status };
    """, MESSAGE)
    check("pairing.on-pairing-ready", second.returncode == 0 and outcome.get("ok") and outcome.get("paired")
          and ended == {"disconnects": 1, "after": "NO_SESSION", "connected": False, "second": 200},
          {"outcome": outcome, "ended": ended, "pair": second.stderr[-300:]})
    js(driver, "await window.second.disconnect(); return true;")


def read_qr(path):
    """What zbarimg reads from the QR code in the image at `path`: (text, zbarimg's result).

    Only the QR reader is on and it hands over the bytes as they are: with every reader on, zbar
    also finds linear barcodes in a QR code's modules and prints their digits after the QR's text.
    """
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-Sqrcode.binary",
                              path], capture_output=True, timeout=30)
    return decoded.stdout.decode("utf-8", "replace").rstrip("\n"), decoded


def shot(driver, folder, name):
    driver.save_screenshot(os.path.join(folder, f"{name}.png"))


def phone_and_desktop(driver, folder, name):
    """The page at desktop width (`name`.png) and phone width (`name`-phone.png)."""
    driver.set_window_size(1280, 900)
    shot(driver, folder, name)
    driver.set_window_size(390, 844)
    time.sleep(0.2)
    shot(driver, folder, f"{name}-phone")
    driver.set_window_size(1280, 900)


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        print(json.dumps({"checks": checks, "fatal": traceback.format_exc()[-2000:]}))
        sys.exit(1)
