#!/usr/bin/env python3
"""Many workspaces on one box: starts the server on a data directory holding N workspaces (each
with an owner), times the start, visits each workspace's sign-in page cold, signs in and opens
its home page, and reports the server's memory. Used by `bench/tenants`, which creates the
workspaces; standard library only (and `crawl.py`'s writing of a RESULTS.md section).

    tenants.py BINARY DATA_DIR COUNT PORT RESULTS_MD MAX_OPEN...
"""
import http.client, re, statistics, subprocess, sys, tempfile, time, urllib.parse

from crawl import write_section

PASSWORD = "correct horse battery"
LIMITS = {"rss_peak_mb": 100, "cold_p50_ms": 5, "start_ms": 100}


def rss_mb(pid):
    """Resident and peak resident memory of the process, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def request(conn, method, path, body=None, headers=None):
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response, data, (time.perf_counter() - started) * 1000


def start(binary, data, port, max_open, log):
    started = time.perf_counter()
    server = subprocess.Popen(
        [binary, "--data", data, "serve", "--listen", f"127.0.0.1:{port}"],
        env={"ONEBOX_MAX_OPEN_TENANTS": str(max_open), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=log)
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            response, _, _ = request(conn, "GET", "/healthz")
            if response.status == 200:
                return server, (time.perf_counter() - started) * 1000
        except OSError:
            pass
        if time.perf_counter() - started > 30:
            server.kill()
            sys.exit("the server did not start")
        time.sleep(0.002)


def visit(port, slug):
    """Cold sign-in page, sign-in, home page: the milliseconds of each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    response, page, cold = request(conn, "GET", f"/t/{slug}/login")
    assert response.status == 200, (slug, response.status)
    cookies = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [])
    csrf = re.search(rb'name="csrf" value="([0-9a-f]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "email": f"owner@{slug}.example", "password": PASSWORD})
    response, _, sign_in = request(conn, "POST", f"/t/{slug}/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies})
    assert response.status == 303, (slug, response.status)
    session = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("onebox_session=")]
    response, _, home = request(conn, "GET", f"/t/{slug}/", headers={"Cookie": session[0]})
    assert response.status == 200, (slug, response.status)
    conn.close()
    return cold, sign_in, home


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def server_times(log, count):
    """The server's own time for each workspace's first sign-in page, from its request log."""
    log.seek(0)
    first = {}
    for line in log.read().decode().splitlines():
        found = re.search(r"method=GET path=/t/(w\d+)/login status=200 ms=([0-9.]+)", line)
        if found and found.group(1) not in first:
            first[found.group(1)] = float(found.group(2))
    assert len(first) == count, (len(first), count)
    return list(first.values())


def measure(binary, data, count, port, max_open):
    log = tempfile.TemporaryFile()
    server, start_ms = start(binary, data, port, max_open, log)
    try:
        rss_start, _ = rss_mb(server.pid)
        colds, homes = [], []
        for i in range(count):
            cold, _, home = visit(port, f"w{i:04}")
            colds.append(cold)
            homes.append(home)
        # A second round over every tenth: those opened first were closed to make room.
        again = [visit(port, f"w{i:04}")[0] for i in range(0, count, 10)]
        rss, peak = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    served = server_times(log, count)
    return {"max_open": max_open, "start_ms": start_ms, "rss_start_mb": rss_start, "rss_mb": rss,
            "rss_peak_mb": peak, "cold_p50_ms": statistics.median(served),
            "cold_p99_ms": percentile(served, 0.99), "client_p50_ms": statistics.median(colds), "revisit_p50_ms": statistics.median(again),
            "home_p50_ms": statistics.median(homes)}


def main():
    binary, data, count, port, results = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    runs = [measure(binary, data, count, port, int(m)) for m in sys.argv[6:]]
    heading = f"## Many workspaces ({count:,})"
    rows = [heading, "",
            f"Made by `bench/tenants` on {time.strftime('%Y-%m-%d')}: {count:,} workspaces with an owner each; "
            "the server started, each sign-in page visited cold (its file opened), signed in, the home "
            "page opened; then every tenth visited again. A cold visit's time is the server's (its "
            "request log), and as the client saw it over a new loopback connection. Limits: start "
            "≤ 100 ms, cold visit p50 ≤ 5 ms (server), peak RSS ≤ 100 MB.", "",
            "| max_open_tenants | start | RSS at start | RSS after | peak RSS | cold visit p50 / p99 (server) | cold visit p50 (client) | again p50 (client) | home p50 (client) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    over = []
    for r in runs:
        rows.append(f"| {r['max_open']} | {r['start_ms']:.0f} ms | {r['rss_start_mb']:.0f} MB | {r['rss_mb']:.0f} MB "
                    f"| {r['rss_peak_mb']:.0f} MB | {r['cold_p50_ms']:.1f} / {r['cold_p99_ms']:.1f} ms | {r['client_p50_ms']:.1f} ms "
                    f"| {r['revisit_p50_ms']:.1f} ms | {r['home_p50_ms']:.1f} ms |")
        print(rows[-1])
        over += [f"{k} with max_open_tenants = {r['max_open']}" for k, limit in LIMITS.items() if r[k] > limit]
    write_section(results, heading.split(" (")[0], "\n".join(rows) + "\n")
    if over:
        sys.exit("over the limit: " + ", ".join(over))


if __name__ == "__main__":
    main()
