#!/usr/bin/env python3
"""CPU time per audit-log row as the wallet's log writer stores them: batches of N rows in one
transaction (WAL, synchronous=NORMAL), into the request_log table with the primary key and none,
two or all five of the wallet's indexes (Sources/ByokyStore/Database/Migrations.swift).

The rows are made by SQL itself (one INSERT ... SELECT over a recursive CTE per batch), so the
figure is SQLite's own work: B-tree inserts, records, the WAL's page writes and checksums, with
nothing of Python's per-row calls in it. Batch sizes are those the writer sees: about 6 rows under
valgrind, 25 at c=1 and 80 at c=32 on a 2-vCPU machine (a batch gathers for 5 ms).

It uses the SQLite of Python's sqlite3 module, not the copy linked into byoky: compare the rows of
one run with each other, not with a profile of the binary.

Usage: Benchmarks/Store/log-insert.py [rows]   (default 200000 rows a measurement)
"""
import os
import sqlite3
import sys
import tempfile
import time

INDEXES = [
    "CREATE INDEX request_log_by_time ON request_log (created_at)",
    "CREATE INDEX request_log_by_session ON request_log (session_id, created_at)",
    "CREATE INDEX request_log_by_app ON request_log (app_name, created_at)",
    "CREATE INDEX request_log_by_provider ON request_log (provider, created_at)",
    "CREATE INDEX request_log_failures ON request_log (created_at) WHERE status >= 400",
]


def microseconds_per_row(folder, batch, index_count, text_key, rows):
    path = os.path.join(folder, f"log-{batch}-{index_count}-{int(text_key)}.sqlite")
    database = sqlite3.connect(path, isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA synchronous=NORMAL")
    key = "id TEXT PRIMARY KEY NOT NULL" if text_key else "id TEXT NOT NULL"
    database.execute(
        f"""CREATE TABLE request_log ({key}, session_id TEXT, app_name TEXT NOT NULL,
        provider TEXT NOT NULL, actual_provider TEXT NOT NULL, model TEXT, method TEXT NOT NULL,
        path TEXT NOT NULL, status INTEGER NOT NULL, input_tokens INTEGER, output_tokens INTEGER,
        latency_ms INTEGER NOT NULL, error_code TEXT, created_at INTEGER NOT NULL)"""
    )
    for statement in INDEXES[:index_count]:
        database.execute(statement)
    # Ids as the wallet makes them: time first, then random, so inserts land near the end.
    insert = f"""INSERT INTO request_log
        SELECT printf('%013x-%016x', ?1 + x, abs(random())), 'session-0123456789abcdef',
        'bench app', 'anthropic', 'anthropic', 'claude-sonnet-4-5', 'POST', '/v1/messages',
        200, 12, 30, 1, NULL, ?1 + x
        FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT {batch})
        SELECT x FROM n)"""
    created = 1_700_000_000_000
    started = time.process_time()
    for _ in range(rows // batch):
        database.execute("BEGIN IMMEDIATE")
        database.execute(insert, (created,))
        database.execute("COMMIT")
        created += batch
    elapsed = time.process_time() - started
    database.close()
    return elapsed / (rows // batch * batch) * 1e6


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    print(f"SQLite {sqlite3.sqlite_version}; CPU microseconds a row, {rows} rows a measurement")
    print(f"{'batch':>6} {'key only':>9} {'2 indexes':>10} {'5 indexes':>10} {'5, no key':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for batch in (6, 25, 80):
            cells = [
                microseconds_per_row(folder, batch, 0, True, rows),
                microseconds_per_row(folder, batch, 2, True, rows),
                microseconds_per_row(folder, batch, 5, True, rows),
                microseconds_per_row(folder, batch, 5, False, rows),
            ]
            print(f"{batch:>6} " + " ".join(f"{cell:>9.2f} " for cell in cells))


if __name__ == "__main__":
    main()
