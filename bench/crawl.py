#!/usr/bin/env python3
"""Crawls the signed-in UI of a running server and times every kind of URL a user can reach by
clicking or by submitting a list's filters, and every API list with every sort and filter its
OpenAPI document offers.

A kind of URL is its path with ids replaced (`/contacts/{id}`) and its query keys, with the
value of `sort` kept (each sort is its own code path). Each URL is timed best of 3; a kind's
figure is its slowest sample. Used by `bench/crawl`, which starts the server; standard library
only.

    crawl.py BASE_URL SESSION TOKEN CONTACTS RESULTS_MD
"""
import collections, datetime, html.parser, http.client, json, os, re, sys, time, urllib.parse

LIMIT_MS = 10.0
MAX_FETCHES = int(os.environ.get("MAX_FETCHES", "20000"))
SAMPLES_PER_KIND = 3
# Filters whose value a record does not show as such.
FILTER_VALUES = {"q": "ann", "label": "VIP", "created_from": "2025-06-01", "created_to": "2026-06-01",
                 "updated_from": "2026-06-01", "updated_to": "2026-12-01", "trash": "true",
                 "ids": "1,2,3", "kind": "call"}
SKIP = re.compile(r"/(logout|export\.csv|imports/[^/]+/errors\.csv)$|\.csv$|/assets/|/api/")


class Links(html.parser.HTMLParser):
    """The links of a page, and its GET forms (the list filters a user submits) as the
    addresses they lead to: each choice of each select alone, and each pair of selects with a
    choice each; text fields that FILTER_VALUES knows are filled in."""

    def __init__(self):
        super().__init__()
        self.hrefs = []
        self.form = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            if a.get("href") and "download" not in a:
                self.hrefs.append(a["href"])
        elif tag == "form" and a.get("method", "get").lower() == "get" and a.get("action"):
            self.form = {"action": a["action"], "fixed": [], "selects": {}}
        elif self.form is None:
            return
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.form["selects"][self.select] = []
        elif tag == "option" and self.select and a.get("value"):
            self.form["selects"][self.select].append(a["value"])
        elif tag == "input" and a.get("name"):
            if a.get("type") == "hidden":
                self.form["fixed"].append((a["name"], a.get("value", "")))
            elif a["name"] in FILTER_VALUES:
                self.form["selects"].setdefault(a["name"], []).append(FILTER_VALUES[a["name"]])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.form is not None:
            form, self.form = self.form, None
            choices = [(name, values) for name, values in form["selects"].items() if values]
            queries = [[(name, v)] for name, values in choices for v in values]
            queries += [[(n1, v1[0]), (n2, v2[0])]
                        for i, (n1, v1) in enumerate(choices) for n2, v2 in choices[i + 1:]]
            for query in queries:
                self.hrefs.append(form["action"] + "?" + urllib.parse.urlencode(form["fixed"] + query))


class Client:
    def __init__(self, base, headers):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.headers = headers
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def get(self, path):
        """Status, body and milliseconds of one GET on the kept-alive connection."""
        for _ in range(2):
            try:
                started = time.perf_counter()
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                body = response.read()
                return response.status, body, (time.perf_counter() - started) * 1000
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        raise RuntimeError(f"GET {path} failed twice")

    def best_of_3(self, path):
        times, status = [], 0
        for _ in range(3):
            status, _, ms = self.get(path)
            times.append(ms)
        return status, min(times)


def kind_of(path):
    url = urllib.parse.urlsplit(path)
    shape = re.sub(r"/\d+(?=/|$)", "/{id}", url.path)
    shape = re.sub(r"/(imports|invite|setup|reset|book/details|book/manage)/[^/]+", r"/\1/{token}", shape)
    query = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
    # The order and the view change what a page does, so each of their values is its own kind.
    keys = sorted({f"{k}={v}" if k in ("sort", "view") else k for k, v in query})
    return shape + ("?" + "&".join(keys) if keys else "")


def crawl_ui(client, prefix):
    """Breadth-first over same-workspace links; a few samples of each kind are timed. An
    address of a kind not yet timed goes before more samples of timed kinds, so the fetch
    limit cuts samples, not kinds."""
    seen = {prefix + "/"}
    fresh, more = collections.deque([prefix + "/"]), collections.deque()
    samples = collections.defaultdict(list)
    fetches = 0
    while (fresh or more) and fetches < MAX_FETCHES:
        path = fresh.popleft() if fresh else more.popleft()
        kind = kind_of(path)
        if len(samples.get(kind, ())) >= SAMPLES_PER_KIND:
            continue
        status, body, _ = client.get(path)
        fetches += 1
        if status != 200 or b"<html" not in body[:200].lower():
            samples[kind].append((path, status, 0.0))
            continue
        status, ms = client.best_of_3(path)
        samples[kind].append((path, status, ms))
        parser = Links()
        parser.feed(body.decode("utf-8", "replace"))
        for href in parser.hrefs:
            target = urllib.parse.urljoin(path, href).split("#")[0]
            if target.startswith(prefix + "/") and not SKIP.search(urllib.parse.urlsplit(target).path):
                target_kind = kind_of(target)
                if target not in seen and len(samples.get(target_kind, ())) < SAMPLES_PER_KIND:
                    seen.add(target)
                    (more if target_kind in samples else fresh).append(target)
    # Kinds seen in a link but never fetched: what the limit kept the crawl from timing.
    queue = list(fresh) + list(more)
    unvisited = {kind_of(p) for p in queue} - samples.keys()
    if queue:
        print(f"stopped at {MAX_FETCHES} pages with {len(queue)} addresses left, "
              f"{len(unvisited)} kinds among them not fetched", file=sys.stderr)
    return samples, fetches, len(unvisited)


def deep_page(client, base, query, total, sorted_list=True):
    """The page 50 rows from the end, by a cursor: the reverse order's page of 50 (untimed)
    ends at that row, and its `next` cursor ("after this row", holding the row's sort keys,
    which are the same both ways) read in the list's own order starts after it. A list in one
    fixed order is walked by its `next` cursors (untimed) to its last pages."""
    if not sorted_list:
        cursor, seen = None, 0
        while seen < total - 100:
            page = {**query, "limit": 100, **({"cursor": cursor} if cursor else {})}
            status, body, _ = client.get(base + "?" + urllib.parse.urlencode(page))
            following = json.loads(body).get("next") if status == 200 else None
            if not following:
                break
            cursor, seen = following, seen + 100
        return base + "?" + urllib.parse.urlencode({**query, "limit": 25, **({"cursor": cursor} if cursor else {})})
    sort = query.get("sort", "-updated_at")
    reverse = sort[1:] if sort.startswith("-") else "-" + sort
    back = base + "?" + urllib.parse.urlencode({**query, "sort": reverse, "limit": 50})
    status, body, _ = client.get(back)
    cursor = json.loads(body).get("next") if status == 200 else None
    if not cursor:  # a list without orders to choose: as deep as an offset may go
        cursor = min(total - 50, 10_000)
    return base + "?" + urllib.parse.urlencode({**query, "limit": 25, "cursor": cursor})


def required_values(op):
    """Values for the parameters a list cannot go without: a range of dates and times is the
    widest the API allows (92 days), from a month back."""
    today = datetime.date.today()
    times = {"from": today - datetime.timedelta(days=30), "to": today + datetime.timedelta(days=62)}
    out = {}
    for p in op.get("parameters", []):
        if p.get("required") and p["name"] in times:
            out[p["name"]] = times[p["name"]].isoformat() + "T00:00:00Z"
    return out


def api_lists(client, prefix):
    """Every list route of the OpenAPI document, with each sort both ways, at the first page
    and 50 rows from the end (by the `next` of the page before), and each filter with a value
    taken from a record of the list."""
    status, body, _ = client.get(prefix + "/api/v1/openapi.json")
    if status != 200:
        raise RuntimeError(f"openapi.json answered {status}")
    doc = json.loads(body)
    samples = collections.defaultdict(list)
    for route, ops in doc["paths"].items():
        op = ops.get("get")
        if not op or "{" in route:
            continue
        content = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
        if "next" not in content.get("schema", {}).get("required", []):
            continue
        base = prefix + "/api/v1" + route
        needed = required_values(op)
        sorted_list = any(p["name"] == "sort" for p in op.get("parameters", []))
        status, first, _ = client.get(base + "?" + urllib.parse.urlencode({**needed, "limit": 1}))
        rows = json.loads(first).get("data", []) if status == 200 else []
        total = json.loads(first).get("total", 0) if status == 200 else 0
        example = rows[0] if rows else {}
        plain = base + "?" + urllib.parse.urlencode({**needed, "limit": 25})
        samples[f"API {route}"].append((plain, *client.best_of_3(plain)))
        if total > 50:
            deep = deep_page(client, base, needed, total, sorted_list)
            samples[f"API {route} (deep)"].append((deep, *client.best_of_3(deep)))
        for p in op.get("parameters", []):
            name, schema = p["name"], p.get("schema", {})
            if name == "sort":
                for column in schema.get("enum", []):
                    for deep in (False, True):
                        query = {**needed, "sort": column}
                        path = base + "?" + urllib.parse.urlencode({**query, "limit": 25})
                        if deep and total > 50:
                            path = deep_page(client, base, query, total)
                        samples[f"API {route}?sort={column}" + (" (deep)" if deep else "")].append(
                            (path, *client.best_of_3(path)))
            elif name not in ("limit", "cursor", *needed):
                value = example.get(name)
                if isinstance(value, (dict, list)) or value is None:
                    value = FILTER_VALUES.get(name)
                if value is None:
                    continue
                path = base + "?" + urllib.parse.urlencode({**needed, name: value, "limit": 25})
                samples[f"API {route}?{name}"].append((path, *client.best_of_3(path)))
    return samples


def main():
    base, session, token, contacts, results = sys.argv[1:6]
    prefix = urllib.parse.urlsplit(base).path.rstrip("/")
    page = Client(base, {"Cookie": f"onebox_session={session}"})
    api = Client(base, {"Authorization": f"Bearer {token}"})
    ui, fetches, unvisited = crawl_ui(page, prefix)
    left = f", the limit; {unvisited:,} kinds seen in links left unfetched" if unvisited else ""
    lists = api_lists(api, prefix)
    kinds = []
    for kind, rows in list(ui.items()) + list(lists.items()):
        worst = max(rows, key=lambda r: r[2])
        kinds.append((worst[2], kind, worst[0], worst[1]))
    kinds.sort(reverse=True)
    over = [k for k in kinds if k[0] > LIMIT_MS]
    failed = [k for k in kinds if k[3] >= 500]
    print(f"{len(ui)} kinds of UI URL ({fetches} pages fetched), {len(lists)} API list cases; "
          f"{len(over)} over {LIMIT_MS:.0f} ms; {len(failed)} answered 5xx")
    for ms, kind, path, status in kinds[:20]:
        print(f"{ms:8.2f} ms  {status}  {kind}  ({path})")
    section = [f"## Crawl at {int(contacts):,} contacts", "",
               f"Made by `bench/crawl` (CONTACTS={contacts}) on {time.strftime('%Y-%m-%d')}: "
               f"{len(ui)} kinds of UI URL reachable by clicking or by submitting a list's filters "
               f"({fetches} pages fetched{left}) and "
               f"{len(lists)} API list cases (every offered sort both ways, first page and deep, "
               f"every filter); best of 3 each, a kind's slowest sample. "
               f"**{len(over)} over {LIMIT_MS:.0f} ms**, {len(failed)} answered 5xx.", "",
               "| ms | status | kind | sample |", "| ---: | ---: | --- | --- |"]
    section += [f"| {ms:.2f} | {status} | `{kind}` | `{path}` |" for ms, kind, path, status in kinds[:20]]
    write_section(results, f"## Crawl at {int(contacts):,} contacts", "\n".join(section) + "\n")
    # Every kind, for a closer look.
    with open(f"target/crawl-{contacts}.tsv", "w") as out:
        for ms, kind, path, status in kinds:
            out.write(f"{ms:.2f}\t{status}\t{kind}\t{path}\n")
    return 1 if over or failed else 0


def write_section(results, heading, text):
    """Replaces the section under `heading` in RESULTS.md (or adds it), keeping everything else."""
    try:
        doc = open(results).read()
    except FileNotFoundError:
        doc = ""
    parts = re.split(r"(?m)^(?=## )", doc)
    kept = [p for p in parts if not p.startswith(heading)]
    doc = "".join(kept).rstrip("\n") + "\n\n" + text
    open(results, "w").write(doc)


if __name__ == "__main__":
    sys.exit(main())
