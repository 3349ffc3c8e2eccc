#!/usr/bin/env python3
"""Small modules and functions: no source file over 400 lines, no function over 80 lines
outside `#[cfg(test)]` code and the route tables (which list every route, one per line); the
catalogues of words (one entry a line) may be as long as they need.

A function is counted from its `fn` line to the line that closes its body, by brace depth
with string literals and comments left out.
"""
import pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
MAX_FILE, MAX_FN = 400, 80
# The route tables: every API route (as documented, and as dispatched) and every UI route,
# one entry each.
TABLES = {
    ("src/web/api/routes.rs", "routes"),
    ("src/web/api/mod.rs", "route"),
    ("src/web/mod.rs", "ui_route"),
    ("src/web/scheduling/mod.rs", "route"),
}
# The catalogues of words: one entry a line, data rather than code.
CATALOGUES = {"src/domain/words/en.rs", "src/domain/words/nl.rs"}
FN = re.compile(r"\s*(pub(\([^)]*\))?\s+)?(const\s+)?fn\s+(\w+)")
STRING = re.compile(r'"(\\.|[^"\\])*"')
CHAR = re.compile(r"'(\\.|[^'\\])'")


def code(line):
    return re.sub(r"//.*", "", CHAR.sub("''", STRING.sub('""', line)))


def long_functions(path, lines):
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("#[cfg(test)]"):
            return
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth, opened, j = 0, False, i
        while j < len(lines):
            c = code(lines[j])
            depth += c.count("{") - c.count("}")
            opened = opened or "{" in c
            if (opened and depth <= 0) or (not opened and c.rstrip().endswith(";")):
                break
            j += 1
        length = j - i + 1
        if length > MAX_FN and (path, m.group(4)) not in TABLES:
            yield m.group(4), i + 1, length
        i = j + 1


def main():
    problems = []
    for file in sorted(SRC.rglob("*.rs")):
        path = str(file.relative_to(ROOT))
        lines = file.read_text().splitlines()
        if len(lines) > MAX_FILE and path not in CATALOGUES:
            problems.append(f"{path}: {len(lines)} lines (at most {MAX_FILE})")
        for name, at, length in long_functions(path, lines):
            problems.append(f"{path}:{at}: fn {name} is {length} lines (at most {MAX_FN})")
    for p in problems:
        print(p)
    print(f"sizes: {len(problems)} over the limits")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
