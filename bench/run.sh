#!/usr/bin/env bash
# The benchmark: one command, `bench/run.sh`. It builds the release binary, seeds a tenant with
# 100,000 contacts (10,000 companies, 20,000 deals, 50,000 tasks, 500,000 activities), starts
# the server, measures each page with wrk over loopback, times a CSV import of as many
# contacts, and writes bench/RESULTS.md.
#
#   DURATION=10 CONNECTIONS=4 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-2}"
PORT="${PORT:-18765}"
CONTACTS="${CONTACTS:-100000}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked --quiet
bin=target/release/onebox
work=$(mktemp -d)
data="$work/data"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" --data "$data" tenant create bench --name Bench >/dev/null
seed_line=$("$bin" --data "$data" seed --tenant bench --contacts "$CONTACTS")
echo "$seed_line"
echo "correct horse battery" | "$bin" --data "$data" user add --tenant bench --email bench@bench.example --role owner --password-stdin >/dev/null
token=$("$bin" --data "$data" token create --tenant bench --email bench@bench.example --label bench)

"$bin" --data "$data" serve --listen "127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$PORT/t/bench"
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05; done
# The first visit opens the workspace, and 2 s later its pages are checked beside the requests
# (a few seconds at this size): the runs measure the server after that, not during it.
curl -s -o /dev/null "$base/login"
sleep 6

# A browser session for the pages.
jar="$work/jar"
csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf" value="[0-9a-f]*' | sed 's/.*value="//')
curl -s -c "$jar" -b "$jar" -o /dev/null -X POST "$base/login" --data "csrf=$csrf&email=bench%40bench.example&password=correct+horse+battery"
session=$(awk '$6 == "onebox_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "could not sign in" >&2; exit 1; }
owner=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/contacts?limit=1" | sed -n 's/.*"owner_id":\([0-9]*\).*/\1/p')

# wrk reports latency in us, ms or s; print milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 } printf "%.2f", v }'; }

rows=()
measure() { # name, path, header, [lua script]
  local name=$1 path=$2 header=$3 script=${4:-}
  local args=(-t2 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H "$header")
  [ -n "$script" ] && args+=(-s "$script")
  local out; out=$(wrk "${args[@]}" "$base$path")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out" | to_ms)
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out"); errors=${errors:-0}
  printf '%-44s %8s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
  rows+=("| $name | \`$path\` | $rps | $p50 | $p99 | $errors |")
}
page="Cookie: onebox_session=$session"
api="Authorization: Bearer $token"
measure "Contacts list (default)" "/contacts" "$page"
measure "Contacts filtered by label + owner" "/contacts?label=vip&owner_id=$owner" "$page"
measure "Contacts sorted by name" "/contacts?sort=name" "$page"
measure "Contacts page 400" "/contacts?sort=name&cursor=9975" "$page"
measure "Contact 360 view" "/contacts/50000" "$page"
measure "Global search" "/search?q=muller" "$page"
measure "Deal board" "/deals/board" "$page"
measure "Dashboard (last 30 days)" "/?period=30d" "$page"
measure "Dashboard (last 12 months)" "/?period=12m" "$page"
measure "API list" "/api/v1/contacts?limit=25" "$api"
cat >"$work/create.lua" <<'LUA'
-- Each wrk thread numbers its own contacts, so no two requests send the same email.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format('{"first_name":"Bench","last_name":"Create","email":"t%d.n%d@create.example"}', id, n)
  return wrk.format(nil, nil, nil, body)
end
LUA
measure "API create (POST /contacts)" "/api/v1/contacts" "$api" "$work/create.lua"

rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo "peak RSS: $((rss_kb / 1024)) MB"

# CSV import of as many contacts as were seeded, into a fresh workspace, while the server runs:
# every row through the form's write road, with a company named on each (5,000 distinct).
awk -v n="$CONTACTS" 'BEGIN {
  print "First name,Last name,Email,Phone,Job title,Company,Lifecycle,Source"
  for (i = 0; i < n; i++) printf "First%d,Last%d,p%d@import.example,+49 30 %07d,Engineer,Company %d,customer,import\n", i, i, i, i, i % 5000
}' >"$work/import.csv"
"$bin" --data "$data" tenant create imports --name Imports --owner-email owner@import.example >/dev/null
import_line=$("$bin" --data "$data" import --tenant imports contacts "$work/import.csv" 2>/dev/null)
echo "$import_line"

# The crawl's sections (bench/crawl) stay as they are.
crawl=$(awk '/^## (Crawl|Many workspaces|What the sort indexes cost)/ {keep = 1} keep' bench/RESULTS.md 2>/dev/null || true)
{
  echo "# Benchmark results"
  echo
  echo "Made by \`bench/run.sh\` on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD)."
  echo
  echo "- Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "- Data: $seed_line"
  echo "- Load: \`wrk -t2 -c$CONNECTIONS -d${DURATION}s\` over loopback, sharing the cores with the server (4 HTTP workers)"
  echo "- Peak RSS of the server after all runs: $((rss_kb / 1024)) MB"
  echo "- CSV import (\`onebox import\`, $CONTACTS contacts with companies, into an empty workspace): $import_line"
  echo
  echo "| what | request | req/s | p50 ms | p99 ms | non-2xx |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${rows[@]}"
  if [ -n "$crawl" ]; then echo; echo "$crawl"; fi
} >bench/RESULTS.md
echo "wrote bench/RESULTS.md"
