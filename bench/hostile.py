#!/usr/bin/env python3
"""How much abuse the HTTP front withstands while it keeps answering others.

Starts the release binary on a fresh data directory (two workspaces, one of them corrupt), then
for each attack measures /healthz from a fresh connection while the attack runs: p50 and worst
of 20 probes. Prints a Markdown table. Usage: bench/hostile.py [path/to/onebox]
Loopback only; every attack is bounded in count and time and ends by itself.
"""
import os, resource, socket, subprocess, sys, tempfile, threading, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/onebox"
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))


def start(data, env):
    proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--data", data],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, **env})
    for line in proc.stdout:
        if "listening on http://" in line:
            host, port = line.split("listening on http://")[1].strip().split(":")
            return proc, (host, int(port))
    raise SystemExit("the server did not start")


def rss_mb(proc):
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def get(addr, path="/healthz", timeout=5):
    started = time.perf_counter()
    s = socket.create_connection(addr, timeout=timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return int(data.split(b" ")[1]), (time.perf_counter() - started) * 1000


def probe(addr, n=20, path="/healthz"):
    times, statuses = [], set()
    for _ in range(n):
        try:
            status, ms = get(addr, path)
        except OSError:
            status, ms = 0, 5000.0
        statuses.add(status)
        times.append(ms)
        time.sleep(0.02)
    times.sort()
    return times[len(times) // 2], times[-1], statuses


def connect_many(addr, n, first=b""):
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection(addr, timeout=5)
            if first:
                s.sendall(first)
            socks.append(s)
        except OSError:
            break
    return socks


def main():
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        for slug in ("acme", "broken"):
            subprocess.run([BIN, "tenant", "create", slug, "--name", slug, "--data", data],
                           check=True, capture_output=True)
        with open(os.path.join(data, "tenants", "broken.sqlite"), "r+b") as f:
            f.write(b"\x5a" * 65536)
        proc, addr = start(data, {"ONEBOX_MAX_CONNECTIONS": "1024"})
        try:
            p50, worst, st = probe(addr)
            rows.append(("nothing (baseline)", p50, worst, st, ""))

            socks = connect_many(addr, 1000, b"POST /t/acme/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nemail=")
            p50, worst, st = probe(addr)
            rows.append((f"{len(socks)} stalled request bodies", p50, worst, st, f"RSS {rss_mb(proc):.0f} MB"))
            for s in socks:
                s.close()

            socks = connect_many(addr, 5000)
            time.sleep(0.5)
            p50, worst, st = probe(addr)
            rows.append((f"{len(socks)} idle connections (cap 1024)", p50, worst, st, f"RSS {rss_mb(proc):.0f} MB"))
            for s in socks:
                s.close()
            time.sleep(0.5)

            before = rss_mb(proc)
            sent = [0]
            def huge_header():
                s = socket.create_connection(addr, timeout=5)
                s.sendall(b"GET /healthz HTTP/1.1\r\nX-Big: ")
                block = b"a" * 65536
                try:
                    while sent[0] < 256 * 1024 * 1024:
                        s.sendall(block)
                        sent[0] += len(block)
                except OSError:
                    pass
                s.close()
            workers = [threading.Thread(target=huge_header) for _ in range(8)]
            for w in workers:
                w.start()
            p50, worst, st = probe(addr)
            for w in workers:
                w.join()
            rows.append(("8 clients sending 256 MiB header lines", p50, worst, st,
                         f"each cut off after {sent[0] // 8 // 1024} KiB sent on average; RSS {before:.0f} → {rss_mb(proc):.0f} MB"))

            started = time.perf_counter()
            status, _ = get(addr, "/t/broken/login")
            isolated = (time.perf_counter() - started) * 1000
            p50, worst, st = probe(addr, path="/t/broken/login")
            rows.append(("a corrupt workspace's pages", p50, worst, st, f"first answer {status} after {isolated:.1f} ms"))
            p50, worst, st = probe(addr, path="/t/acme/login")
            rows.append(("… the other workspace meanwhile", p50, worst, st, ""))
        finally:
            proc.terminate()
            proc.wait()
    print("| attack | probe p50 ms | probe worst ms | statuses | note |")
    print("| --- | --- | --- | --- | --- |")
    for name, p50, worst, st, note in rows:
        print(f"| {name} | {p50:.2f} | {worst:.2f} | {','.join(map(str, sorted(st)))} | {note} |")


if __name__ == "__main__":
    main()
