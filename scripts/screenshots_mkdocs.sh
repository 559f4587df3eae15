#!/usr/bin/env bash
# Screenshots of the MkDocs course of ../shared/corpora as MkDocs-Material and
# syllabus (after `syllabus import mkdocs`, no hand edits) build it: the first
# screen of the home page, a session and a page with a table, at 1280 and
# 375 px, as PNGs of few colours (small enough to keep in the repository).
# Usage: scripts/screenshots_mkdocs.sh [out_dir]      (default: docs/img)
# Needs: pip install mkdocs mkdocs-material pillow, and Debian's chromium.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus="$repo/../shared/corpora/msucloudfellowship.github.io"
out=${1:-$repo/docs/img}
[ -d "$corpus" ] || { echo "error: $corpus not found (../shared beside the repository)" >&2; exit 1; }
command -v mkdocs >/dev/null || { echo "error: mkdocs not installed: pip install mkdocs mkdocs-material" >&2; exit 1; }
python3 -c 'import PIL' 2>/dev/null || { echo "error: Pillow not installed: pip install pillow" >&2; exit 1; }
chromium=$(command -v chromium || command -v chromium-browser) || { echo "error: chromium not installed" >&2; exit 1; }
cargo build --release --manifest-path "$repo/Cargo.toml" >/dev/null 2>&1
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cp -r "$corpus" "$work/mk" && cp -r "$corpus" "$work/sy" && chmod -R u+w "$work"
(cd "$work/mk" && mkdocs build -q >/dev/null 2>&1)
"$repo/target/release/syllabus" import mkdocs "$work/sy" >/dev/null
"$repo/target/release/syllabus" build -q --root "$work/sy" >/dev/null 2>&1
serve() {  # serve folder $1 on a free port; prints the port
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$1" >/dev/null 2>&1 &
  pids+=($!)
  echo "$port"
}
mk_port=$(serve "$work/mk/site"); sy_port=$(serve "$work/sy/public")
sleep 1
pages=("home /" "session /session_cloud_storage/" "table /session_datasystems/table_of_responsibilties_by_service_level/")
mkdir -p "$out"
for tool in mkdocs syllabus; do
  port=$mk_port; [ "$tool" = syllabus ] && port=$sy_port
  for entry in "${pages[@]}"; do
    read -r name path <<< "$entry"
    for size in 1280,800 375,740; do
      file="$out/$tool-$name-${size%%,*}.png"
      "$chromium" --headless=new --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$work/profile" --virtual-time-budget=5000 \
        --window-size="$size" --screenshot="$file" "http://127.0.0.1:$port$path" >/dev/null 2>&1
    done
  done
done
# 64 colours keep text sharp and the twelve files together well under 1.5 MB.
python3 - "$out" <<'PY'
import sys, pathlib
from PIL import Image
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.png")):
    if f.name.split("-")[0] not in ("mkdocs", "syllabus"):
        continue
    Image.open(f).convert("RGB").quantize(colors=64).save(f, optimize=True)
    print(f"{f.stat().st_size // 1024:5d} KB  {f}")
PY
