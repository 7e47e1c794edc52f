#!/bin/sh
# deps.sh [test] -- make sure the -dev packages aiq builds against are present
# (with "test": also the commands the test suite uses). Called by the Makefile. On Debian as root it installs what
# is missing with apt-get and says so; otherwise it prints the exact install
# line and fails, so a build never half-works.
set -e
need=""
pkg-config --exists jansson 2>/dev/null || need="$need libjansson-dev"
pkg-config --exists libpcre2-8 2>/dev/null || need="$need libpcre2-dev"
pkg-config --exists libzstd 2>/dev/null || need="$need libzstd-dev"
pkg-config --exists zlib 2>/dev/null || need="$need zlib1g-dev"
{ pkg-config --exists readline 2>/dev/null || [ -f /usr/include/readline/readline.h ]; } || need="$need libreadline-dev"
command -v pkg-config >/dev/null 2>&1 || need="pkg-config $need"
if [ "${1:-}" = test ]; then
  command -v zstd >/dev/null 2>&1 || need="$need zstd"
  command -v gzip >/dev/null 2>&1 || need="$need gzip"
  command -v script >/dev/null 2>&1 || need="$need bsdutils"
  # tests/cli/install.sh renders and lints the man page; completion.sh runs zsh
  command -v groff >/dev/null 2>&1 || need="$need groff-base"
  command -v man >/dev/null 2>&1 || need="$need man-db"
  command -v mandoc >/dev/null 2>&1 || need="$need mandoc"
  command -v zsh >/dev/null 2>&1 || need="$need zsh"
fi
[ -z "$need" ] && exit 0
line="apt-get install -y$need"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "aiq build: installing missing packages:$need" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >&2; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >&2
  fi
  exit 0
fi
echo "aiq build: missing development packages:$need" >&2
echo "install them with:  sudo $line" >&2
exit 1
