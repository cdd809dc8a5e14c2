#!/usr/bin/env bash
# Tracking benchmark (issue 4): GET /v1/{code}/hit beside /health/live of the same server in the same
# run, over loopback, on 1M partners, 1.5M links and 10M stored clicks.
#
# The figures come from `bench/NodiRef.Bench load`, which stops sending when the time is up and waits
# for every answer in flight, so its count of 200s is exact: after a graceful stop of the app, the
# stored clicks must have grown by exactly that count. wrk's figures (which drop the answers in flight
# at the end) are printed beside them for comparison.
#
# Usage: bench/tracking.sh [workdir] [seconds] [connections] [pairs]   (needs sqlite3; wrk optional)
#   CLICKS=10000000 (clicks seeded into a new database), PORT=5397
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
seconds="${2:-15}"
connections="${3:-64}"
pairs="${4:-3}"
clicks="${CLICKS:-10000000}"
port="${PORT:-5397}"
db="$work/tracking-$((clicks / 1000000))m.db"
url="http://127.0.0.1:$port"
mkdir -p "$work"

dotnet build -c Release NodiRef.Admin >/dev/null
dotnet build -c Release NodiRef.Admin.Seeder >/dev/null
dotnet build -c Release bench/NodiRef.Bench >/dev/null
app_dll=NodiRef.Admin/bin/Release/net10.0/NodiRef.Admin.dll
seeder_dll=NodiRef.Admin.Seeder/bin/Release/net10.0/NodiRef.Admin.Seeder.dll
# Socket completions run inline in the load generator: it spends a third less CPU on the two cores it shares with the server.
bench() { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet bench/NodiRef.Bench/bin/Release/net10.0/NodiRef.Bench.dll "$@"; }

if [ ! -f "$db" ]; then
  echo "== seed (1M partners, 1.5M links, $clicks clicks) into $db"
  start=$(date +%s)
  ConnectionStrings__Default="Data Source=$db" dotnet "$seeder_dll" --partners 1000000 --links 1500000 --clicks "$clicks" 2>/dev/null | tail -n 1
  echo "seeding took $(( $(date +%s) - start )) s"
fi

# 20,000 real codes, one picked at random per request.
sqlite3 "$db" "SELECT '/v1/' || Code || '/hit' FROM referral_links ORDER BY random() LIMIT 20000;" >"$work/hit-paths.txt"
{
  echo "codes = {"
  sed 's|^/v1/\(.*\)/hit$|"\1",|' "$work/hit-paths.txt"
  echo "}"
} >"$work/codes.lua"
export NODIREF_CODES="$work/codes.lua"

# The rate limit is per client IP; the load comes from one address, so it is off for the measurement.
ConnectionStrings__Default="Data Source=$db" Tracking__RequestsPerMinutePerIp=0 Logging__LogLevel__Default=Warning \
  dotnet "$app_dll" --urls "$url" >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$url/health/ready" >/dev/null && break; sleep 0.5; done

cpu() { awk '{print $14 + $15}' "/proc/$app/stat"; }   # user + system time of the app, in clock ticks
ticks=$(getconf CLK_TCK)
load() { # name, then the arguments of `bench load`; prints the server's share of the 2 cores beside the results
  local name="$1"; shift
  local c0; c0=$(cpu)
  bench load --url "$url" --connections "$connections" "$@" >"$work/$name.txt" || true
  echo "server_cpu=$(awk -v d=$(( $(cpu) - c0 )) -v t="$ticks" -v s="$(grep '^seconds=' "$work/$name.txt" | cut -d= -f2)" 'BEGIN { printf "%.2f", d / t / s }')" >>"$work/$name.txt"
}
value() { grep "^$2=" "$work/$1.txt" | cut -d= -f2; }

echo "== warm-up"
load warm-live --path /health/live --seconds 5
load warm-hit --paths "$work/hit-paths.txt" --seconds 5

if command -v wrk >/dev/null; then
  echo "== wrk (2 threads, $connections connections, ${seconds}s each)"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url/health/live" >"$work/wrk-live.txt"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/wrk/hit.lua "$url" >"$work/wrk-hit.txt"
  wrk_live=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-live.txt")
  wrk_hit=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-hit.txt")
  echo "| endpoint (wrk) | requests/s | p99 |"
  echo "|---|---:|---:|"
  echo "| /health/live | $wrk_live | $(awk '$1 == "99%" {print $2}' "$work/wrk-live.txt") |"
  echo "| /v1/{code}/hit | $wrk_hit | $(awk '$1 == "99%" {print $2}' "$work/wrk-hit.txt") |"
  awk -v a="$wrk_hit" -v b="$wrk_live" 'BEGIN { printf "hit / live (wrk): %.1f%%\n", 100 * a / b }'
fi

echo "== exact runs (bench load, $connections connections, ${seconds}s each, $pairs pairs of /health/live then hits)"
# On a small shared machine /health/live alone moves by 20% from one run to the next: the pairs measure
# both back to back several times in the same run of the app, and the figure is the median of their ratios.
# Only the hits store clicks, so the stored-click delta over all pairs must equal the sum of their 200s.
before=$(sqlite3 "$db" "SELECT COUNT(*) FROM clicks")
echo "| pair | /health/live | hit | hit p50 | hit p99 | hit answers | server CPU live / hit | hit / live |"
echo "|---:|---:|---:|---:|---:|---|---:|---:|"
ratios=(); ok=0; all_exact=yes
for i in $(seq 1 "$pairs"); do
  load "live-$i" --path /health/live --seconds "$seconds"
  load "hit-$i" --paths "$work/hit-paths.txt" --seconds "$seconds"
  ratio=$(awk -v a="$(value "hit-$i" rps)" -v b="$(value "live-$i" rps)" 'BEGIN { printf "%.1f", 100 * a / b }')
  ratios+=("$ratio"); ok=$((ok + $(value "hit-$i" ok)))
  [ "$(value "hit-$i" exact)" = yes ] || all_exact=no
  echo "| $i | $(value "live-$i" rps) | $(value "hit-$i" rps) | $(value "hit-$i" p50_ms) ms | $(value "hit-$i" p99_ms) ms | $(value "hit-$i" statuses) | $(value "live-$i" server_cpu) / $(value "hit-$i" server_cpu) | $ratio% |"
done
kill -TERM "$app"; wait "$app" 2>/dev/null || true   # a graceful stop drains the click queue
trap - EXIT
after=$(sqlite3 "$db" "SELECT COUNT(*) FROM clicks")

stored=$((after - before))
echo "hit / live, median of $pairs pairs: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')%"
echo "clicks stored: $before before, $after after; 200 answers: $ok; stored during the runs: $stored"
if [ "$ok" = "$stored" ] && [ "$all_exact" = yes ]; then echo "exact: yes"; else echo "exact: no"; fi
