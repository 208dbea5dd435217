#!/usr/bin/env bash
# Replaces each "<!-- bench:NAME begin -->" ... "<!-- bench:NAME end -->" section of a markdown file with the
# report NAME.md of a folder; sections without a report this time keep their earlier figures.
# Usage: bench/splice-reports.sh docs/benchmarks.md REPORT_FOLDER
set -euo pipefail
document="$1"
folder="$2"
for report in "$folder"/*.md; do
  name="$(basename "$report" .md)"
  if ! grep -q "<!-- bench:$name begin -->" "$document"; then
    echo "$document has no section bench:$name; its report is not written" >&2
    continue
  fi

  awk -v begin="<!-- bench:$name begin -->" -v end="<!-- bench:$name end -->" -v report="$report" '
    $0 == begin { print; while ((getline line < report) > 0) print line; skipping = 1; next }
    $0 == end { skipping = 0 }
    !skipping { print }
  ' "$document" > "$document.new"
  mv "$document.new" "$document"
done
