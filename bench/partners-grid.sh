#!/usr/bin/env bash
# Partners grid benchmark (issue 2): seeds 1,000,000 partners and 1,500,000 links into a fresh
# SQLite file, times the grid's server queries, then times the page in Chromium.
# Usage: bench/partners-grid.sh [workdir]   (needs /usr/bin/chromium for the page timing)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
db="$work/bench.db"
mkdir -p "$work"
rm -f "$db" "$db"-*

dotnet build -c Release NodiRef.Admin >/dev/null
dotnet build -c Release NodiRef.Admin.Seeder >/dev/null
dotnet build -c Release bench/NodiRef.Bench >/dev/null

echo "== seed"
ConnectionStrings__Default="Data Source=$db" dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin.Seeder -- --partners 1000000 --links 1500000 | tail -n 1

echo "== grid queries"
dotnet run -c Release --no-build --project bench/NodiRef.Bench -- grid --db "$db" --iterations 30

echo "== page in Chromium"
port=5199
password="bench-$(date +%s)-passphrase"
NODIREF_ADMIN_EMAIL=bench@example.com NODIREF_ADMIN_PASSWORD="$password" ConnectionStrings__Default="Data Source=$db" \
  dotnet run -c Release --no-build --no-launch-profile --project NodiRef.Admin --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
dotnet run -c Release --no-build --project bench/NodiRef.Bench -- page --url "http://127.0.0.1:$port/" --email bench@example.com --password "$password" --iterations 20
