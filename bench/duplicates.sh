#!/usr/bin/env bash
# The repetition figure of issue 18: pairs of places in the app's own code (.cs and .razor, migrations and
# wwwroot aside) that share six or more lines, as `duplicates` counts them.
# Usage: bench/duplicates.sh [rev]   (a commit, default HEAD; "." for the working tree as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-HEAD}"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
if [ "$rev" = "." ]; then
  git ls-files --cached --others --exclude-standard NodiRef.Admin | grep -E '\.(cs|razor)$' | while read -r f; do
    [ -f "$f" ] && mkdir -p "$tree/$(dirname "$f")" && cp "$f" "$tree/$f"
  done
else
  git archive "$rev" NodiRef.Admin | tar -x -C "$tree"
fi
rm -rf "$tree/NodiRef.Admin/Data/Migrations" "$tree/NodiRef.Admin/wwwroot"
find "$tree" -type f ! -name '*.cs' ! -name '*.razor' -delete
duplicates --repo "$tree/NodiRef.Admin" --most "${MOST:-8}" --seconds 120
