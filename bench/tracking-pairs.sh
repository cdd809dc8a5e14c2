#!/usr/bin/env bash
# Hit / live ratio as the median of alternating pairs (issue 4). On a small shared VM the live figure alone
# moves by 20% from one run to the next; measuring /health/live and the hits back to back several times in one
# run of the app, and taking the median of the pairs' ratios, gives a steadier figure than bench/tracking.sh's
# single pair. Needs a workdir prepared by bench/tracking.sh (its database and hit-paths.txt).
#
# Usage: bench/tracking-pairs.sh <workdir> [pairs] [seconds] [connections]   (PORT=5397)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$1"; pairs="${2:-5}"; seconds="${3:-10}"; connections="${4:-64}"
port="${PORT:-5397}"; url="http://127.0.0.1:$port"
db=$(ls "$work"/tracking-*.db | head -n 1)
[ -f "$work/hit-paths.txt" ] || { echo "run bench/tracking.sh $work first" >&2; exit 1; }

dotnet build -c Release NodiRef.Admin >/dev/null
dotnet build -c Release bench/NodiRef.Bench >/dev/null
bench() { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet bench/NodiRef.Bench/bin/Release/net10.0/NodiRef.Bench.dll "$@"; }

ConnectionStrings__Default="Data Source=$db" Tracking__RequestsPerMinutePerIp=0 Logging__LogLevel__Default=Warning \
  dotnet NodiRef.Admin/bin/Release/net10.0/NodiRef.Admin.dll --urls "$url" >"$work/app-pairs.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$url/health/ready" >/dev/null && break; sleep 0.5; done

value() { grep "^$2=" "$1" | cut -d= -f2; }
bench load --url "$url" --connections "$connections" --paths "$work/hit-paths.txt" --seconds 6 >/dev/null
bench load --url "$url" --connections "$connections" --path /health/live --seconds 4 >/dev/null
echo "| pair | /health/live | /v1/{code}/hit | hit p99 | hit / live | exact |"
echo "|---:|---:|---:|---:|---:|---|"
ratios=()
for i in $(seq 1 "$pairs"); do
  bench load --url "$url" --connections "$connections" --path /health/live --seconds "$seconds" >"$work/pair-live.txt"
  bench load --url "$url" --connections "$connections" --paths "$work/hit-paths.txt" --seconds "$seconds" >"$work/pair-hit.txt"
  live=$(value "$work/pair-live.txt" rps); hit=$(value "$work/pair-hit.txt" rps)
  ratio=$(awk -v a="$hit" -v b="$live" 'BEGIN { printf "%.1f", 100 * a / b }')
  ratios+=("$ratio")
  echo "| $i | $live | $hit | $(value "$work/pair-hit.txt" p99_ms) ms | $ratio% | $(value "$work/pair-hit.txt" exact) |"
done
kill -TERM "$app"; wait "$app" 2>/dev/null || true
trap - EXIT
echo "median hit / live over $pairs pairs: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')%"
