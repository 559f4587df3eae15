#!/usr/bin/env bash
# Builds the MkDocs course of ../shared/corpora with MkDocs (+ mkdocs-material)
# and with syllabus (after `syllabus import mkdocs`), alternately, and prints
# each tool's median wall time of N builds and the number of pages it wrote.
# Usage: scripts/compare_mkdocs.sh [runs]   (needs: pip install mkdocs mkdocs-material)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus="$repo/../shared/corpora/msucloudfellowship.github.io"
runs=${1:-5}
[ -d "$corpus" ] || { echo "error: $corpus not found (../shared beside the repository)" >&2; exit 1; }
command -v mkdocs >/dev/null || { echo "error: mkdocs not installed: pip install mkdocs mkdocs-material" >&2; exit 1; }
cargo build --release --manifest-path "$repo/Cargo.toml" >/dev/null 2>&1
syllabus="$repo/target/release/syllabus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/mk" && cp -r "$corpus" "$work/sy" && chmod -R u+w "$work"
"$syllabus" import mkdocs "$work/sy" >/dev/null
now() { date +%s.%N; }
: > "$work/mk.times"; : > "$work/sy.times"
for i in $(seq 0 "$runs"); do
  rm -rf "$work/mk/site" "$work/sy/public"
  t0=$(now); (cd "$work/mk" && mkdocs build -q >/dev/null 2>&1); t1=$(now)
  t2=$(now); "$syllabus" build -q --no-cache --root "$work/sy" >/dev/null 2>&1; t3=$(now)
  if [ "$i" -gt 0 ]; then  # run 0 warms the caches
    echo "$t1 - $t0" | bc >> "$work/mk.times"; echo "$t3 - $t2" | bc >> "$work/sy.times"
  fi
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mk_pages=$(find "$work/mk/site" -name index.html | wc -l)
sy_pages=$(find "$work/sy/public" -name index.html | wc -l)
printf 'mkdocs (material): median %.2f s over %s builds, %s pages (index.html files)\n' "$(median "$work/mk.times")" "$runs" "$mk_pages"
printf 'syllabus:          median %.2f s over %s builds, %s pages (index.html files)\n' "$(median "$work/sy.times")" "$runs" "$sy_pages"
