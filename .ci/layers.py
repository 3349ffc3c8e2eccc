#!/usr/bin/env python3
"""The one-way layers of ../shared/DESIGN.md, checked from the code's own `crate::` paths.

Prints the module graph (which top module names which, counted by lines outside tests and
comments) and fails on every reference that breaks a rule.
"""
import collections, pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

# (rule name, which files, what they must not name)
RULES = [
    ("views-no-store-web-app", lambda m: m == "views", re.compile(r"crate::(store|web|app)\b")),
    ("no-rusqlite-in-web-views", lambda m: m in ("web", "views"), re.compile(r"\brusqlite::")),
    ("rusqlite-only-in-store", lambda m: m != "store", re.compile(r"\brusqlite\b")),
    ("web-reads-through-app", lambda m: m == "web", re.compile(r"crate::store\b|\.conn\(\)|\.db\.write\(")),
    ("jobs-only-from-jobs-and-start", lambda m: m not in ("jobs", "lib"), re.compile(r"crate::jobs\b")),
    ("no-web-below-web", lambda m: m in ("app", "jobs", "domain", "store"), re.compile(r"crate::web\b")),
    ("unsafe-only-in-memory", lambda m: m != "memory", re.compile(r"\bunsafe\b|allow\(unsafe_code\)")),
    ("domain-no-store-app", lambda m: m == "domain", re.compile(r"crate::(store|app)\b")),
]


def module_of(path):
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def code_lines(path):
    """Lines outside `#[cfg(test)]` modules and comments."""
    in_tests = False
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#[cfg(test)]"):
            in_tests = True
        if in_tests or stripped.startswith("//"):
            continue
        yield line


def scan():
    graph = collections.Counter()
    breaks = collections.Counter()
    for path in sorted(SRC.rglob("*.rs")):
        module = module_of(path)
        name = str(path.relative_to(ROOT))
        for line in code_lines(path):
            for target in set(re.findall(r"crate::([a-z_]+)\b(?!!)", line)):
                if target != module:
                    graph[(module, target)] += 1
            for rule, applies, pattern in RULES:
                if applies(module) and pattern.search(line):
                    breaks[(name, rule)] += 1
    return graph, breaks


def main():
    graph, breaks = scan()
    print("module graph (lines naming another top module):")
    for (a, b), n in sorted(graph.items()):
        print(f"  {a} -> {b}: {n}")
    print(f"layer breaks: {sum(breaks.values())}")
    for (f, r), n in sorted(breaks.items()):
        print(f"  {f}: {r} x{n}")
    return 1 if breaks else 0


if __name__ == "__main__":
    sys.exit(main())
