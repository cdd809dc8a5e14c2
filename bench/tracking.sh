#!/usr/bin/env bash
# Tracking benchmark (issue 4, first cut): GET /v1/{code}/hit beside /health/live of the same
# server in the same run, with wrk over loopback, on the 1M-partner / 1.5M-link data set.
# Usage: bench/tracking.sh [workdir] [seconds] [connections]   (needs wrk and sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
seconds="${2:-15}"
connections="${3:-64}"
db="$work/tracking-bench.db"
port=5197
mkdir -p "$work"

dotnet build -c Release NodiRef.Admin >/dev/null
if [ ! -f "$db" ]; then
  echo "== seed"
  ConnectionStrings__Default="Data Source=$db" dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin -- seed --partners 1000000 --links 1500000 2>/dev/null | tail -n 1
fi

export NODIREF_CODES="$work/codes.lua"
{
  echo "codes = {"
  sqlite3 "$db" "SELECT Code FROM referral_links ORDER BY random() LIMIT 20000;" | sed 's/.*/"&",/'
  echo "}"
} > "$NODIREF_CODES"

# The rate limit is per client IP; wrk is one client, so it is turned off for the measurement.
ConnectionStrings__Default="Data Source=$db" Tracking__RequestsPerMinutePerIp=0 Logging__LogLevel__Default=Warning \
  dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done

wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$port/health/live" >/dev/null
wrk -t2 -c"$connections" -d5s -s bench/wrk/hit.lua "http://127.0.0.1:$port" >/dev/null

before=$(sqlite3 "$db" "SELECT COUNT(*) FROM clicks")
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/health/live" >"$work/live.txt"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/wrk/hit.lua "http://127.0.0.1:$port" >"$work/hit.txt"
kill "$app"; wait "$app" 2>/dev/null || true   # graceful stop drains the click queue
after=$(sqlite3 "$db" "SELECT COUNT(*) FROM clicks")

live_rps=$(awk '/Requests\/sec/ {print $2}' "$work/live.txt")
hit_rps=$(awk '/Requests\/sec/ {print $2}' "$work/hit.txt")
echo "| endpoint | requests/s | p99 |"
echo "|---|---:|---:|"
echo "| /health/live | $live_rps | $(awk '$1 == "99%" {print $2}' "$work/live.txt") |"
echo "| /v1/{code}/hit | $hit_rps | $(awk '$1 == "99%" {print $2}' "$work/hit.txt") |"
awk -v a="$hit_rps" -v b="$live_rps" 'BEGIN { printf "hit / live: %.1f%%\n", 100 * a / b }'
echo "hit answers completed by wrk: $(awk '/requests in/ {print $1}' "$work/hit.txt"); clicks stored during the run: $((after - before))"
echo "(wrk drops the answers still in flight when its time is up, so stored clicks can exceed completed answers by up to $connections)"
