#!/usr/bin/env bash
# Overview benchmark (issue 13): the home page's data on 1M partners, 1.5M links, 10M clicks and
# 200,000 sales (with ~600,000 sign-ups, refunds and rewards), for the last 30 days and for all time,
# through the services the page calls; then the page itself in Chromium (navigation until the first
# leaderboard row is visible). SQLite by default; with PG=1 the same on a private PostgreSQL server.
# Usage: bench/overview.sh [workdir] [iterations]   (CONVERSIONS=200000, CLICKS=10000000; PG=1 for PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
iterations="${2:-30}"
clicks="${CLICKS:-10000000}"
conversions="${CONVERSIONS:-200000}"
port="${PORT:-5398}"
mkdir -p "$work"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

dotnet build -c Release NodiRef.Admin >/dev/null
dotnet build -c Release NodiRef.Admin.Seeder >/dev/null
dotnet build -c Release bench/NodiRef.Bench >/dev/null

if [ "${PG:-0}" = 1 ]; then
  if [ -z "${BENCH_POSTGRES:-}" ]; then
    NODIREF_PG_OPTIONS="-c fsync=on -c synchronous_commit=off -c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c maintenance_work_mem=512MB" \
      .ci/postgres start "$work/pg" 5435 --tcp >/dev/null
    BENCH_POSTGRES="Host=127.0.0.1;Port=5435;Username=nodiref;Password=nodiref;Database=nodiref"
  fi
  export Database__Provider=Postgres ConnectionStrings__Default="$BENCH_POSTGRES"
  target=(--postgres "$BENCH_POSTGRES")
  seeded="$work/pg-seeded"
else
  db="$work/overview-$((clicks / 1000000))m.db"
  export ConnectionStrings__Default="Data Source=$db"
  target=(--db "$db")
  seeded="$db"
fi

if [ ! -e "$seeded" ]; then
  echo "== seed (1M partners, 1.5M links, $clicks clicks, $conversions sales)"
  start=$(date +%s)
  dotnet NodiRef.Admin.Seeder/bin/Release/net10.0/NodiRef.Admin.Seeder.dll --partners 1000000 --links 1500000 --clicks "$clicks" --conversions "$conversions" 2>/dev/null | tail -n 1
  echo "seeding took $(( $(date +%s) - start )) s"
  [ "${PG:-0}" = 1 ] && touch "$seeded"
fi

echo "== home page data (services, $iterations runs after a warm-up)"
dotnet bench/NodiRef.Bench/bin/Release/net10.0/NodiRef.Bench.dll overview "${target[@]}" --iterations "$iterations"

echo "== the page in Chromium"
password="bench-overview-passphrase"
# The first admin is made only when nobody can sign in yet: forget the bench's own from an earlier run.
forget="DELETE FROM \"AspNetUserRoles\" WHERE \"UserId\" IN (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = 'BENCH@EXAMPLE.COM'); DELETE FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = 'BENCH@EXAMPLE.COM';"
if [ "${PG:-0}" = 1 ]; then psql "postgresql://nodiref:nodiref@127.0.0.1:5435/nodiref" -qc "$forget" >/dev/null 2>&1 || true; else sqlite3 "$db" "$forget"; fi
NODIREF_ADMIN_EMAIL=bench@example.com NODIREF_ADMIN_PASSWORD="$password" Logging__LogLevel__Default=Warning \
  dotnet NodiRef.Admin/bin/Release/net10.0/NodiRef.Admin.dll --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
for range in last-30-days all-time; do
  dotnet bench/NodiRef.Bench/bin/Release/net10.0/NodiRef.Bench.dll page --url "http://127.0.0.1:$port/" --email bench@example.com --password "$password" \
    --iterations 20 --path "?range=$range" --wait "[data-testid=leaderboard-row]"
done
