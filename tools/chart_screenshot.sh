#!/bin/sh
# chart_screenshot.sh [OUTDIR [DEMO...]] -- draws the sample charts of
# tools/chart_demo.c as SVG and has headless Chromium take a screenshot of
# each, so that what a browser shows can be looked at: OUTDIR/NAME.svg and
# OUTDIR/NAME.png (OUTDIR defaults to build/charts). Needs chromium; as root
# it is installed with apt-get when missing. Not part of `make test`, since
# chromium may be absent.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/charts}
[ $# -gt 0 ] && shift
mkdir -p "$out"
out=$(cd "$out" && pwd)

# the driver, linked against the library objects that `make` builds
make -s -j2 aiq
objs=$(ls build/src/chart/*.o build/src/util/*.o build/src/lex/*.o)
libs="$(pkg-config --libs jansson libpcre2-8 libzstd) -lm -pthread"
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wvla -D_GNU_SOURCE -Iinclude -Isrc \
  -O1 -g -o build/chart_demo tools/chart_demo.c $objs $libs

browser=
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y chromium >/dev/null
    browser=chromium
  else
    echo "chart_screenshot: chromium not found (install it: apt-get install -y chromium)" >&2
    exit 2
  fi
fi

demos=${*:-$(build/chart_demo list)}
width=960
height=540
status=0
for name in $demos; do
  build/chart_demo "$name" svg $width $height > "$out/$name.svg"
  profile=$(mktemp -d)
  rm -f "$out/$name.png"
  # quiet flags: no network, no first-run UI, no component updates; the
  # window is the SVG's size so the screenshot is the chart, pixel for pixel
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --window-size=$width,$height \
    --screenshot="$out/$name.png" "file://$out/$name.svg" >/dev/null 2>&1 || true
  rm -rf "$profile"
  if [ -s "$out/$name.png" ]; then
    echo "$out/$name.png"
  else
    echo "chart_screenshot: no screenshot for $name" >&2
    status=1
  fi
done
exit $status
