#!/usr/bin/env bash
# Private API benchmark (issue 3): on the 1M-partner database, requests per second and p99 latency
# of GET /api/partners?filter[external_id]=... and POST /api/partners, beside /health/live of the
# same server in the same run, measured with wrk over loopback.
# Usage: bench/api.sh [workdir] [seconds]   (needs wrk and sqlite3: apt-get install wrk sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
seconds="${2:-20}"
db="$work/api-bench.db"
port=5198
connections=32
mkdir -p "$work"

dotnet build -c Release NodiRef.Admin >/dev/null
dotnet build -c Release NodiRef.Admin.Seeder >/dev/null
if [ ! -f "$db" ]; then
  echo "== seed"
  ConnectionStrings__Default="Data Source=$db" dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin.Seeder -- --partners 1000000 --links 1500000 2>/dev/null | tail -n 1
fi

export NODIREF_TOKEN
NODIREF_TOKEN=$(ConnectionStrings__Default="Data Source=$db" dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin -- create-token --name "api bench" --role Admin 2>/dev/null)
export NODIREF_IDS="$work/ids.lua"
{
  echo "ids = {"
  sqlite3 "$db" "SELECT ExternalId FROM partners WHERE ExternalId IS NOT NULL ORDER BY random() LIMIT 20000;" | sed 's/.*/"&",/'
  echo "}"
} > "$NODIREF_IDS"

ConnectionStrings__Default="Data Source=$db" Logging__LogLevel__Default=Warning \
  dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done

run() {
  local name="$1"; shift
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" >"$work/$name.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
  printf '%s %s %s\n' "$name" "$rps" "$p99"
}

echo "== warm-up"
wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$port/health/live" >/dev/null
wrk -t2 -c"$connections" -d5s -s bench/wrk/get-by-external-id.lua "http://127.0.0.1:$port" >/dev/null

echo "== measure (${seconds}s each, $connections connections, 2 wrk threads)"
live=$(run live "http://127.0.0.1:$port/health/live")
get=$(run get-by-external-id -s bench/wrk/get-by-external-id.lua "http://127.0.0.1:$port")
post=$(run create-partner -s bench/wrk/create-partner.lua "http://127.0.0.1:$port")
grep -h "non-201" "$work/create-partner.txt" || true
grep -h "Non-2xx" "$work"/*.txt || true

live_rps=$(awk '{print $2}' <<<"$live")
echo
echo "| endpoint | requests/s | p99 | share of /health/live |"
echo "|---|---:|---:|---:|"
for line in "$live" "$get" "$post"; do
  read -r name rps p99 <<<"$line"
  ratio=$(awk -v a="$rps" -v b="$live_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  echo "| $name | $rps | $p99 | $ratio |"
done
