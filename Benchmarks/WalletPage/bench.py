"""Server render time of the wallet page's Log with a large audit log.

Fills the wallet's request_log with --rows rows (before the daemon starts), serves the wallet,
logs in as its owner the way a browser does (one-time link -> cookie), then times GET requests
on one keep-alive connection, lanes interleaved so machine noise hits them alike:

  health        GET /v1/health (a trivial route: the HTTP floor of this machine)
  first page    GET /wallet/log
  deep pages    following "Older" from the newest page, one page deeper each time
  app           one app's requests (an index on app_name, created_at)
  rare provider a provider with 0.1% of the rows
  no match      a provider with no rows at all
  failed        only failed requests (5% of the rows)
  deep failed   failed requests, following "Older"
  last 24h      the last day

Prints one JSON object with p50/p90/p99/mean in ms per lane.
Usage: bench.py --byoky BIN --password-file FILE --rows N --requests R   (BYOKY_HOME set, initialized)
"""

import argparse
import http.client
import json
import os
import random
import re
import sqlite3
import subprocess
import time
import urllib.parse
import uuid

APPS = [f"app-{i:02d}" for i in range(20)]
PROVIDERS = [("anthropic", 0.5), ("openai", 0.3), ("gemini", 0.15), ("groq", 0.049), ("mistral", 0.001)]


def fill(database, rows):
    random.seed(7)
    now = int(time.time() * 1000)
    span = 80 * 86_400_000  # inside the default 90-day retention, so nothing is pruned at start
    names, weights = zip(*PROVIDERS)
    connection = sqlite3.connect(database)
    connection.execute("BEGIN")
    batch = []
    for index in range(rows):
        created = now - span + index * span // rows
        provider = random.choices(names, weights)[0]
        failed = random.random() < 0.05
        batch.append((uuid.uuid4().hex, None, random.choice(APPS), provider, provider, "model-x", "POST",
                      "/v1/messages", 500 if failed else 200, None if failed else 120, None if failed else 80,
                      random.randint(200, 2000), "internal_error" if failed else None, created))
        if len(batch) == 10_000:
            connection.executemany("INSERT INTO request_log VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
            batch = []
    if batch:
        connection.executemany("INSERT INTO request_log VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
    connection.commit()
    count = connection.execute("SELECT COUNT(*) FROM request_log").fetchone()[0]
    connection.close()
    return count


def login(byoky, port):
    opened = subprocess.run([byoky, "open", "--no-browser"], capture_output=True, text=True, timeout=30)
    url = next(line.strip() for line in opened.stdout.splitlines() if "/wallet/login#" in line)
    token = url.split("#", 1)[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    origin = f"http://127.0.0.1:{port}"
    connection.request("POST", "/wallet/login", body=urllib.parse.urlencode({"token": token}),
                       headers={"content-type": "application/x-www-form-urlencoded", "origin": origin})
    answer = connection.getresponse()
    answer.read()
    cookie = answer.getheader("set-cookie").split(";", 1)[0]
    connection.close()
    return cookie


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--byoky", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()
    home = os.environ["BYOKY_HOME"]
    started = time.time()
    count = fill(os.path.join(home, "wallet.sqlite"), options.rows)
    filled = time.time() - started

    daemon = subprocess.Popen([options.byoky, "serve", "--port", "0", "--password-file", options.password_file],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = daemon.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
        cookie = login(options.byoky, port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def get(path, owner=True):
            begin = time.perf_counter()
            connection.request("GET", path, headers={"cookie": cookie} if owner else {})
            answer = connection.getresponse()
            body = answer.read()
            elapsed = (time.perf_counter() - begin) * 1000
            if answer.status != 200:
                raise RuntimeError(f"{path}: {answer.status}")
            return elapsed, body.decode()

        def walker(start):
            state = {"path": start, "depth": 0}

            def page():
                elapsed, text = get(state["path"])
                older = re.search(r'href="(/wallet/log\?[^"]*before=[^"]+)"', text)
                state["path"] = older.group(1).replace("&amp;", "&") if older else start
                state["depth"] += 1
                return elapsed, text
            return page, state

        deep_page, deep = walker("/wallet/log")
        deep_failed, _ = walker("/wallet/log?outcome=failed")

        lanes = {
            "health": lambda: get("/v1/health", owner=False),
            "first page": lambda: get("/wallet/log"),
            "deep pages": deep_page,
            "app": lambda: get("/wallet/log?app=app-07"),
            "rare provider": lambda: get("/wallet/log?provider=mistral"),
            "no match": lambda: get("/wallet/log?provider=cohere"),
            "failed": lambda: get("/wallet/log?outcome=failed"),
            "deep failed": deep_failed,
            "last 24h": lambda: get("/wallet/log?range=24h"),
        }
        rows_seen = {}
        for name, lane in lanes.items():  # warm-up, and a check that each page lists rows
            for _ in range(5):
                _, page = lane()
            rows_seen[name] = page.count("<tr>") - page.count("<tr><th>") if name != "health" else None
        times = {name: [] for name in lanes}
        for _ in range(options.requests):
            for name, lane in lanes.items():
                times[name].append(lane()[0])
        report = {
            "rows": count, "fill seconds": round(filled, 1), "requests per lane": options.requests,
            "deepest page": deep["depth"], "rows per page seen": rows_seen,
            "lanes": {name: {"p50": round(percentile(v, 0.5), 2), "p90": round(percentile(v, 0.9), 2),
                             "p99": round(percentile(v, 0.99), 2), "mean": round(sum(v) / len(v), 2)}
                      for name, v in times.items()},
        }
        print(json.dumps(report, indent=1))
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)


if __name__ == "__main__":
    main()
