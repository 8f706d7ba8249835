"""The token board under load: GET /gifts with --gifts listed gifts, and heartbeats per second.

Lists the gifts through the API (version 2 links made here), then times, on one keep-alive
connection, lanes interleaved: /health (the HTTP floor), the board's first page (100 gifts), one
provider's first page, a page deep in the board (offset 9,000), and the board page (HTML). Then
sends heartbeats for 5 seconds from 1 and from 4 connections.

Usage: bench.py --url http://127.0.0.1:PORT --gifts N --requests R
"""

import argparse
import base64
import http.client
import json
import os
import threading
import time
import urllib.parse
import uuid


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def link(provider, now):
    body = {"v": 2, "id": str(uuid.uuid4()), "p": provider, "n": provider, "s": "bench",
            "t": "gft_" + os.urandom(16).hex(), "m": 100000, "e": now + 30 * 86_400_000,
            "r": "wss://relay.example", "room": "v2_" + b64url(os.urandom(32)), "pk": b64url(os.urandom(32))}
    return "https://byoky.com/gift/" + b64url(json.dumps(body, separators=(",", ":")).encode())


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--gifts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    address = urllib.parse.urlparse(options.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)

    def call(method, path, body=None, token=None):
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = "Bearer " + token
        begin = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        elapsed = (time.perf_counter() - begin) * 1000
        if answer.status >= 300:
            raise RuntimeError(f"{method} {path}: {answer.status} {data[:200]}")
        return elapsed, data

    now = int(time.time() * 1000)
    providers = ["anthropic", "openai", "gemini", "groq"]
    managed = []
    started = time.time()
    for index in range(options.gifts):
        _, data = call("POST", "/gifts", json.dumps({"giftLink": link(providers[index % 4], now),
                                                     "gifterName": f"giver {index}"}))
        answer = json.loads(data)
        managed.append((answer["id"], answer["managementToken"]))
    listing_rate = options.gifts / (time.time() - started)

    lanes = {
        "health": lambda: call("GET", "/health"),
        "board JSON, first 100": lambda: call("GET", "/gifts"),
        "one provider, first 100": lambda: call("GET", "/gifts?provider=openai"),
        "offset 9,000": lambda: call("GET", "/gifts?offset=9000&limit=100"),
        "board page (HTML)": lambda: call("GET", "/"),
    }
    for lane in lanes.values():
        for _ in range(5):
            lane()
    times = {name: [] for name in lanes}
    for _ in range(options.requests):
        for name, lane in lanes.items():
            times[name].append(lane()[0])

    def heartbeats(connections, seconds=5.0):
        counts = [0] * connections

        def worker(slot):
            own = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            deadline = time.time() + seconds
            index = slot
            while time.time() < deadline:
                gift_id, token = managed[index % len(managed)]
                own.request("POST", f"/gifts/{gift_id}/heartbeat", headers={"authorization": "Bearer " + token})
                own.getresponse().read()
                counts[slot] += 1
                index += connections
        threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return round(sum(counts) / seconds)

    report = {
        "gifts": options.gifts, "requests per lane": options.requests, "listings per second": round(listing_rate),
        "lanes": {name: {"p50": round(percentile(v, 0.5), 2), "p99": round(percentile(v, 0.99), 2),
                         "mean": round(sum(v) / len(v), 2)} for name, v in times.items()},
        "heartbeats per second, 1 connection": heartbeats(1),
        "heartbeats per second, 4 connections": heartbeats(4),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
