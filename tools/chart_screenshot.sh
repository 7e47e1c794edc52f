#!/bin/sh
# chart_screenshot.sh [OUTDIR [NAME...]] -- draws charts as SVG and has
# headless Chromium take a screenshot of each, so that what a browser shows
# can be looked at: OUTDIR/NAME.svg and OUTDIR/NAME.png (OUTDIR defaults to
# build/charts). A NAME is one of tools/chart_demo.c's sample charts, or a
# query file (queries/throttling_timechart.kql) that ends in render: aiq
# itself runs it on the bundled sample (--chart), as a user would. Without
# NAMEs: every demo and every saved query that ends in render. Needs
# chromium; as root it is installed with apt-get when missing. Not part of
# `make test`, since chromium may be absent.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/charts}
[ $# -gt 0 ] && shift
mkdir -p "$out"
out=$(cd "$out" && pwd)

# the driver, linked against the library objects that `make` builds
make -s -j2 aiq
objs=$(ls build/src/chart/*.o build/src/util/*.o)
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

if [ $# -gt 0 ]; then
  names=$*
else
  names="$(build/chart_demo list) $(grep -l '^| render ' queries/*.kql || true)"
fi
width=960
height=540
status=0
for name in $names; do
  case $name in
  *.kql)
    base=$(basename "$name" .kql)
    # the saved query through aiq, on the sample with now() at its end; the
    # rows go to /dev/null, the chart to the file
    if ! ./aiq -d testdata --now "$(cat testdata/NOW)" -o csv --chart "$out/$base.svg" "$name" >/dev/null; then
      echo "chart_screenshot: aiq could not draw $name" >&2
      status=1
      continue
    fi ;;
  *)
    base=$name
    build/chart_demo "$name" svg $width $height > "$out/$base.svg" ;;
  esac
  profile=$(mktemp -d)
  rm -f "$out/$base.png"
  # quiet flags: no network, no first-run UI, no component updates; the
  # window is the SVG's size so the screenshot is the chart, pixel for pixel
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --window-size=$width,$height \
    --screenshot="$out/$base.png" "file://$out/$base.svg" >/dev/null 2>&1 || true
  rm -rf "$profile"
  if [ -s "$out/$base.png" ]; then
    echo "$out/$base.png"
  else
    echo "chart_screenshot: no screenshot for $name" >&2
    status=1
  fi
done
exit $status
