"""The vault under load (issue 18): added latency of /proxy against the local bridge, logins per
second, and 1,000 app sessions streaming at once.

Lanes at concurrency 1, interleaved request by request on keep-alive connections: the mock
provider directly (the floor), through the wallet's bridge, and through the vault's /proxy. Added
latency is a lane's p50 minus the direct p50; the verdict is the ratio vault / bridge. Logins run
for a few seconds from 1 and 2 connections at the real key derivation (PBKDF2-SHA256, 600,000
rounds). Then --sessions app sessions are made and each sends one streamed request, all at once.

Usage: byoky exec -- bench.py --mock URL --bridge URL --vault URL --username U --password-file F
                [--requests N] [--sessions N]   (the bridge session key comes in ANTHROPIC_API_KEY)
"""

import argparse
import http.client
import json
import os
import threading
import time
import urllib.parse

BODY = {"model": "claude-sonnet-4-5", "max_tokens": 32, "messages": [{"role": "user", "content": "bench"}]}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Client:
    """One keep-alive connection."""

    def __init__(self, url, prefix=""):
        address = urllib.parse.urlparse(url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
        self.prefix = prefix

    def call(self, method, path, body=None, headers=None):
        begin = time.perf_counter()
        self.connection.request(method, self.prefix + path, body=None if body is None else json.dumps(body),
                                headers={"content-type": "application/json", **(headers or {})})
        answer = self.connection.getresponse()
        data = answer.read()
        elapsed = (time.perf_counter() - begin) * 1_000_000
        if answer.status >= 300:
            raise RuntimeError(f"{method} {self.prefix}{path}: {answer.status} {data[:300]}")
        return elapsed, data


def latency(options, vault_key):
    lanes = {
        "direct": (Client(options.mock), {"x-api-key": "sk-bench-upstream"}),
        "bridge": (Client(options.bridge, "/anthropic"), {"x-api-key": options.bridge_key}),
        "vault": (Client(options.vault, "/proxy/anthropic"), {"x-api-key": vault_key}),
    }
    samples = {name: [] for name in lanes}
    for round_number in range(options.requests + 50):
        for name, (client, headers) in lanes.items():
            elapsed, _ = client.call("POST", "/v1/messages", BODY, {"anthropic-version": "2023-06-01", **headers})
            if round_number >= 50:  # warm-up
                samples[name].append(elapsed)
    direct = percentile(samples["direct"], 0.5)
    print(f"latency, c=1, {options.requests} requests per lane (µs): p50 / p99")
    added = {}
    for name, values in samples.items():
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        added[name] = p50 - direct
        print(f"  {name:7} {p50:8.0f} / {p99:8.0f}   added p50 {added[name]:6.0f}")
    print(f"  vault /proxy added p50 over the bridge's: {added['vault'] / added['bridge']:.2f}x")


def logins(options, password):
    print("logins per second (PBKDF2-SHA256, 600,000 rounds):")
    for connections in (1, 2):
        done = []
        stop = time.perf_counter() + options.login_seconds

        def worker():
            client = Client(options.vault)
            count = 0
            while time.perf_counter() < stop:
                _, data = client.call("POST", "/auth/login", {"username": options.username, "password": password})
                client.call("POST", "/auth/logout", headers={"authorization": "Bearer " + json.loads(data)["token"]})
                count += 1
            done.append(count)

        threads = [threading.Thread(target=worker) for _ in range(connections)]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"  {connections} connection(s): {sum(done) / (time.perf_counter() - begin):.1f}/s")


def sessions(options, login_token):
    keys = []
    client = Client(options.vault)
    begin = time.perf_counter()
    for number in range(options.sessions):
        _, data = client.call("POST", "/connect", {"providers": [{"id": "anthropic", "required": True}],
                                                   "appName": f"bench app {number % 10}"},
                              {"authorization": "Bearer " + login_token})
        keys.append(json.loads(data)["sessionKey"])
    made = time.perf_counter() - begin
    durations, failures = [], []
    gate = threading.Barrier(len(keys))

    def stream(key):
        connection = Client(options.vault, "/proxy/anthropic")
        gate.wait()
        try:
            elapsed, data = connection.call("POST", "/v1/messages", {**BODY, "stream": True},
                                            {"x-api-key": key, "anthropic-version": "2023-06-01"})
            if b"event: message_stop" not in data:
                failures.append("truncated")
            durations.append(elapsed / 1000)
        except Exception as error:  # noqa: BLE001 - every failure is counted
            failures.append(str(error)[:100])

    threads = [threading.Thread(target=stream, args=(key,), daemon=True) for key in keys]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    wall = time.perf_counter() - begin
    print(f"{len(keys)} app sessions made in {made:.1f} s; all streaming at once: {len(durations) - len(failures)} "
          f"complete, {len(failures)} failed, in {wall:.1f} s; per stream p50 {percentile(durations, 0.5):.0f} ms, "
          f"p99 {percentile(durations, 0.99):.0f} ms")
    if failures:
        print("  failures:", sorted(set(failures))[:5])


def main():
    parser = argparse.ArgumentParser()
    for name in ["--mock", "--bridge", "--vault", "--username", "--password-file"]:
        parser.add_argument(name, required=True)
    parser.add_argument("--bridge-key", default=os.environ.get("ANTHROPIC_API_KEY"))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--login-seconds", type=float, default=5)
    options = parser.parse_args()
    with open(options.password_file, encoding="utf-8") as file:
        password = file.readline().strip()
    _, data = Client(options.vault).call("POST", "/auth/login", {"username": options.username, "password": password})
    login_token = json.loads(data)["token"]
    _, data = Client(options.vault).call("POST", "/connect", {"providers": [{"id": "anthropic"}], "appName": "bench"},
                                         {"authorization": "Bearer " + login_token})
    latency(options, json.loads(data)["sessionKey"])
    logins(options, password)
    sessions(options, login_token)


if __name__ == "__main__":
    main()
