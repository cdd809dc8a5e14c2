#!/usr/bin/env bash
# PostgreSQL benchmarks (issue 6), beside the SQLite ones of partners-grid.sh and tracking.sh:
#   1. the partners grid's server queries on the same 1M-partner / 1.5M-link data set;
#   2. GET /v1/{code}/hit beside /health/live on one instance (as tracking.sh does on SQLite);
#   3. the same hits sent to two instances sharing the database at once, clicks counted after;
#   4. when nginx is there (PATH, or NGINX_BIN=/path/to/nginx): docs/nginx.conf in front of the two
#      instances (ports rewritten), checked with nginx -t, and the partners page loaded through it in
#      Chromium (sign-in, sticky circuit over the WebSocket).
# Usage: bench/postgres.sh [workdir] [seconds] [connections]   (needs wrk and psql)
# BENCH_POSTGRES: a TCP connection string of an empty database (or one this script seeded before).
# Without it a private server is started in <workdir>/pg on 127.0.0.1:5434 (.ci/postgres) with
# durable writes (fsync on) and asynchronous commit, the counterpart of SQLite's WAL with
# synchronous=NORMAL: neither waits for a disk flush at each commit.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
seconds="${2:-15}"
connections="${3:-64}"
mkdir -p "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

if [ -z "${BENCH_POSTGRES:-}" ]; then
  NODIREF_PG_OPTIONS="-c fsync=on -c full_page_writes=on -c synchronous_commit=off -c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c maintenance_work_mem=512MB" \
    .ci/postgres start "$work/pg" 5434 --tcp >/dev/null
  BENCH_POSTGRES="Host=127.0.0.1;Port=5434;Username=nodiref;Password=nodiref;Database=nodiref"
fi
cs="$BENCH_POSTGRES"
# psql reaches the same database (libpq keywords from the Npgsql connection string).
psql_args=()
IFS=';' read -ra parts <<<"$cs"
for part in "${parts[@]}"; do
  key="${part%%=*}"; value="${part#*=}"
  case "${key,,}" in
    host) psql_args+=(-h "$value") ;;
    port) psql_args+=(-p "$value") ;;
    username|user\ id|userid) psql_args+=(-U "$value") ;;
    database) psql_args+=(-d "$value") ;;
    password) export PGPASSWORD="$value" ;;
  esac
done
sql() { psql "${psql_args[@]}" -qAt -v ON_ERROR_STOP=1 -c "$1"; }

dotnet build -c Release NodiRef.Admin >/dev/null
dotnet build -c Release NodiRef.Admin.Seeder >/dev/null
dotnet build -c Release bench/NodiRef.Bench >/dev/null
app() {
  Database__Provider=Postgres ConnectionStrings__Default="$cs" Tracking__RequestsPerMinutePerIp=0 Logging__LogLevel__Default=Warning \
    NODIREF_ADMIN_EMAIL=bench@example.com NODIREF_ADMIN_PASSWORD=bench-passphrase-for-nodiref \
    dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin --urls "http://127.0.0.1:$1" >"$work/app-$1.log" 2>&1 &
  pids+=($!)
}
ready() { for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null && return 0; sleep 0.5; done; echo "instance on $1 did not start" >&2; exit 1; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }

if [ "$(sql "SELECT to_regclass('partners') IS NOT NULL")" != t ] || [ "$(sql "SELECT EXISTS (SELECT 1 FROM partners)")" != t ]; then
  echo "== seed"
  Database__Provider=Postgres ConnectionStrings__Default="$cs" dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin.Seeder -- \
    --partners 1000000 --links 1500000 2>/dev/null | tail -n 1
fi

echo "== grid queries"
dotnet run -c Release --no-build --project bench/NodiRef.Bench -- grid --postgres "$cs" --iterations 30

export NODIREF_CODES="$work/codes.lua"
{
  echo "codes = {"
  sql 'SELECT "Code" FROM referral_links ORDER BY random() LIMIT 20000' | sed 's/.*/"&",/'
  echo "}"
} >"$NODIREF_CODES"

echo "== hits, one instance"
app 5401
ready 5401
wrk -t2 -c"$connections" -d5s "http://127.0.0.1:5401/health/live" >/dev/null
wrk -t2 -c"$connections" -d5s -s bench/wrk/hit.lua "http://127.0.0.1:5401" >/dev/null
before=$(sql "SELECT COUNT(*) FROM clicks")
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:5401/health/live" >"$work/live.txt"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/wrk/hit.lua "http://127.0.0.1:5401" >"$work/hit.txt"
sleep 1
after=$(sql "SELECT COUNT(*) FROM clicks")
echo "| endpoint | requests/s | p99 |"
echo "|---|---:|---:|"
echo "| /health/live | $(rps "$work/live.txt") | $(p99 "$work/live.txt") |"
echo "| /v1/{code}/hit | $(rps "$work/hit.txt") | $(p99 "$work/hit.txt") |"
awk -v a="$(rps "$work/hit.txt")" -v b="$(rps "$work/live.txt")" 'BEGIN { printf "hit / live: %.1f%%\n", 100 * a / b }'
echo "hit answers completed by wrk: $(awk '/requests in/ {print $1}' "$work/hit.txt"); clicks stored during the run: $((after - before))"

echo "== hits, two instances on the same database at once"
app 5402
ready 5402
wrk -t1 -c$((connections / 2)) -d5s -s bench/wrk/hit.lua "http://127.0.0.1:5402" >/dev/null
before=$(sql "SELECT COUNT(*) FROM clicks")
wrk -t1 -c$((connections / 2)) -d"${seconds}s" --latency -s bench/wrk/hit.lua "http://127.0.0.1:5401" >"$work/hit-a.txt" &
a=$!
wrk -t1 -c$((connections / 2)) -d"${seconds}s" --latency -s bench/wrk/hit.lua "http://127.0.0.1:5402" >"$work/hit-b.txt" &
b=$!
wait "$a" "$b"
sleep 1
after=$(sql "SELECT COUNT(*) FROM clicks")
echo "| instance | requests/s | p99 |"
echo "|---|---:|---:|"
echo "| A (:5401) | $(rps "$work/hit-a.txt") | $(p99 "$work/hit-a.txt") |"
echo "| B (:5402) | $(rps "$work/hit-b.txt") | $(p99 "$work/hit-b.txt") |"
awk -v a="$(rps "$work/hit-a.txt")" -v b="$(rps "$work/hit-b.txt")" 'BEGIN { printf "together: %.0f requests/s\n", a + b }'
echo "hit answers completed: $(( $(awk '/requests in/ {print $1}' "$work/hit-a.txt") + $(awk '/requests in/ {print $1}' "$work/hit-b.txt") )); clicks stored during the run: $((after - before))"
echo "errors: $(grep -h 'Non-2xx\|Socket errors' "$work"/hit-a.txt "$work"/hit-b.txt || echo none)"

nginx="${NGINX_BIN:-$(command -v nginx || true)}"
if [ -z "$nginx" ]; then
  echo "(nginx not found: skipped the load balancer check)"
  exit 0
fi

echo "== docs/nginx.conf in front of both instances"
ng="$work/nginx"
mkdir -p "$ng/logs"
: >"$ng/access.log"
sed -e "s|^http {|http {\n    log_format upstream '\$uri \$upstream_addr'; access_log $ng/access.log upstream; client_body_temp_path $ng/body; proxy_temp_path $ng/proxy; fastcgi_temp_path $ng/fastcgi; uwsgi_temp_path $ng/uwsgi; scgi_temp_path $ng/scgi;|" \
    -e "s|listen 80;|listen 127.0.0.1:5490;|" docs/nginx.conf >"$ng/nginx.conf"
"$nginx" -t -p "$ng/" -e stderr -g "pid $ng/nginx.pid;" -c "$ng/nginx.conf"
"$nginx" -p "$ng/" -e "$ng/error.log" -g "pid $ng/nginx.pid; daemon off;" -c "$ng/nginx.conf" &
pids+=($!)
for _ in $(seq 1 20); do curl -sf "http://127.0.0.1:5490/health/live" >/dev/null && break; sleep 0.25; done
dotnet run -c Release --no-build --project bench/NodiRef.Bench -- page --url "http://127.0.0.1:5490/" --email bench@example.com --password bench-passphrase-for-nodiref --iterations 10
echo "dashboard requests (pages, /_blazor) per instance: sticky, one browser reaches one instance"
grep -v '^/v1/\|^/health/\|^/api/' "$ng/access.log" | awk '{print $NF}' | sort | uniq -c
