#!/usr/bin/env python3
"""Start-up time and idle memory of the release server, as a Markdown section.

For each engine (SQLite always; PostgreSQL when 127.0.0.1:5432 answers), five
times: start `target/release/reservo serve` in production mode on a new empty
database and time the first 200 from GET /healthz (migrations included), stop
it, start it again on the same database and time that too (a restart), then
leave it idle for 3 s and read its resident memory (VmRSS). Prints the
medians beside the goals of issue 9 (first 200 under 300 ms, idle RSS under
60 MB). Needs `scripts/build_release.sh` first.
    python3 scripts/bench_startup.py
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

RUNS = 5
BINARY = "target/release/reservo"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(database_url):
    """Starts the server; returns (process, seconds to the first 200)."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, RESERVO_MODE="production",
               LEPTOS_SITE_ADDR=f"127.0.0.1:{port}", LEPTOS_SITE_ROOT="target/site")
    began = time.perf_counter()
    process = subprocess.Popen([BINARY, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/healthz"
    while time.perf_counter() - began < 30:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return process, time.perf_counter() - began
        except OSError:
            if process.poll() is not None:
                sys.exit(f"the server exited while starting on {database_url}")
            time.sleep(0.001)
    process.kill()
    sys.exit(f"no 200 from {url} within 30 s")


def stop(process):
    process.terminate()
    process.wait(timeout=10)


def rss_mb(process):
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(new_database):
    """Medians of (first start ms, restart ms, idle RSS MB) over RUNS databases."""
    first, again, memory = [], [], []
    for run in range(RUNS):
        url, drop = new_database(run)
        try:
            process, seconds = start(url)
            first.append(seconds * 1000)
            stop(process)
            process, seconds = start(url)
            again.append(seconds * 1000)
            time.sleep(3)
            memory.append(rss_mb(process))
            stop(process)
        finally:
            drop()
    return statistics.median(first), statistics.median(again), statistics.median(memory)


def sqlite_databases():
    folder = tempfile.mkdtemp(prefix="reservo-bench-")

    def new(run):
        return f"sqlite://{folder}/run{run}.db", lambda: None
    return new, lambda: shutil.rmtree(folder, ignore_errors=True)


def postgres_available():
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return shutil.which("psql") is not None
    except OSError:
        return False


def postgres_databases():
    def psql(sql):
        quiet = dict(os.environ, PGOPTIONS="--client-min-messages=warning")
        subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL, env=quiet)

    def new(run):
        name = f"reservo_bench_start_{os.getpid()}_{run}"
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
        return f"postgres://postgres@127.0.0.1:5432/{name}", lambda: psql(f"DROP DATABASE IF EXISTS {name}")
    return new, lambda: None


def main():
    if not (os.path.exists(BINARY) and os.path.isdir("target/site")):
        sys.exit("build the release first: bash scripts/build_release.sh")
    engines = [("SQLite", sqlite_databases)]
    if postgres_available():
        engines.append(("PostgreSQL", postgres_databases))
    rows = []
    for name, databases in engines:
        new, cleanup = databases()
        try:
            first, again, memory = measure(new)
        finally:
            cleanup()
        rows.append((name, first, again, memory))
    yes = lambda ok: "yes" if ok else "no"
    print("## Start-up and idle memory")
    print()
    print(f"The release server (`{BINARY} serve`, production mode) on a new empty database:")
    print("time from starting the process to the first 200 from GET /healthz, with the")
    print("migrations (first start) and again on the same database (restart); then its")
    print(f"resident memory (VmRSS) after 3 s idle. Medians of {RUNS} runs.")
    print()
    print("- Command: `python3 scripts/bench_startup.py`")
    print()
    print("| engine | first start | restart | idle RSS | goal: restart < 300 ms | goal: RSS < 60 MB |")
    print("|---|---|---|---|---|---|")
    for name, first, again, memory in rows:
        print(f"| {name} | {first:.0f} ms | {again:.0f} ms | {memory:.1f} MB | {yes(again < 300)} | {yes(memory < 60)} |")
    print()


if __name__ == "__main__":
    main()
