# make install PREFIX=... DESTDIR=...: every file lands where man, bash-completion
# and zsh look under PREFIX, as built; the man page renders without a warning;
# the completion files parse and register for aiq; the installed binary runs
# and its REPL finds the sample data installed beside it.
. tests/cli/lib.sh
root=$(pwd)
dest=$T/dest
prefix=/opt/aiq
p=$dest$prefix

# The binary under test is installed (AIQ_BIN), so nothing is rebuilt; the
# make running this suite must not pass its settings (BUILD=build-asan...) on.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$root" install \
  DESTDIR="$dest" PREFIX="$prefix" AIQ_BIN="$AIQ" > "$T/make.out" 2>&1 ||
  die "make install failed: $(cat "$T/make.out")"

# every file, with its mode, the same bytes as in the tree
check_file() { # check_file INSTALLED SOURCE MODE
  [ -f "$1" ] || die "not installed: ${1#"$dest"}"
  [ "$(stat -c %a "$1")" = "$3" ] || die "${1#"$dest"}: mode $(stat -c %a "$1"), want $3"
  cmp -s "$1" "$2" || die "${1#"$dest"} differs from $2"
}
check_file "$p/bin/aiq" "$AIQ" 755
check_file "$p/share/man/man1/aiq.1" doc/aiq.1 644
check_file "$p/share/bash-completion/completions/aiq" completions/aiq.bash 644
check_file "$p/share/zsh/site-functions/_aiq" completions/_aiq 644
for f in $(cd testdata && find . -type f | sort); do
  check_file "$p/share/aiq/testdata/${f#./}" "testdata/$f" 644
done
extra=$(cd "$dest" && find . -type f | grep -v -e "^\.$prefix/share/aiq/testdata/" \
  -e "^\.$prefix/bin/aiq$" -e "^\.$prefix/share/man/man1/aiq\.1$" \
  -e "^\.$prefix/share/bash-completion/completions/aiq$" -e "^\.$prefix/share/zsh/site-functions/_aiq$")
[ -z "$extra" ] || die "installed files nobody asked for: $extra"

# the installed binary runs, and its REPL opens the sample installed with it
expect_rc 0 "$p/bin/aiq" --version
out_has "aiq "
expect_rc 0 "$p/bin/aiq" -d "$p/share/aiq/testdata" -o csv --no-header -q 'Perf | count'
[ "$(cat "$T/out")" -gt 0 ] || die "the installed sample's Perf is empty: $(cat "$T/out")"
if command -v script >/dev/null 2>&1; then
  printf '.tables\n.quit\n' | env -u AIQ_DATA XDG_STATE_HOME="$T/state" \
    timeout 20 script -qec "$p/bin/aiq" /dev/null > "$T/repl" 2>&1 || die "the installed REPL: $(tail -5 "$T/repl")"
  grep -qF "bundled sample data ($p/bin/../share/aiq/testdata)" "$T/repl" ||
    die "the installed REPL did not open the installed sample: $(head -5 "$T/repl")"
fi

# the man page: no warning from groff (-ww), nor from mandoc's linter; man finds it under PREFIX
if command -v groff >/dev/null 2>&1; then
  groff -man -Tutf8 -ww -z "$p/share/man/man1/aiq.1" > "$T/groff" 2>&1 || die "groff failed: $(cat "$T/groff")"
  [ ! -s "$T/groff" ] || die "groff warns about aiq.1: $(cat "$T/groff")"
  groff -man -Tutf8 -P-cbou "$p/share/man/man1/aiq.1" 2>/dev/null > "$T/page"
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS 'DATA BINDING' 'OUTPUT FORMATS' 'EXIT STATUS' \
    ENVIRONMENT FILES REPL EXAMPLES 'SEE ALSO'; do
    grep -q "^$section\$" "$T/page" || die "aiq.1 lacks the section $section"
  done
  # every option of --help is in the page
  for o in $("$AIQ" --help | grep -o -e '--[a-z-]*' -e '^ *-[a-z],' | tr -d ' ,' | sort -u); do
    grep -q -e "^ *$o\\b" -e "^ *-[a-z], $o\\b" "$T/page" || die "aiq.1 does not describe $o"
  done
else
  echo "install.sh: groff not installed, the man page's rendering not checked" >&2
fi
if command -v mandoc >/dev/null 2>&1; then
  mandoc -Tlint "$p/share/man/man1/aiq.1" > "$T/mandoc" 2>&1 || die "mandoc -Tlint: $(cat "$T/mandoc")"
fi
if command -v man >/dev/null 2>&1; then
  got=$(MANPATH="$p/share/man" man -w aiq 2>&1)
  [ "$got" = "$p/share/man/man1/aiq.1" ] || die "man -w aiq with MANPATH=PREFIX/share/man: $got"
fi

# the completion files parse, and each registers itself for aiq
bash -n "$p/share/bash-completion/completions/aiq" 2> "$T/bash" || die "bash -n: $(cat "$T/bash")"
got=$(bash -c '. "$1" && complete -p aiq' sh "$p/share/bash-completion/completions/aiq" 2>&1)
[ "$got" = "complete -F _aiq aiq" ] || die "the bash completion does not register for aiq: $got"
if command -v zsh >/dev/null 2>&1; then
  zsh -n "$p/share/zsh/site-functions/_aiq" 2> "$T/zsh" || die "zsh -n: $(cat "$T/zsh")"
  got=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D; print -r -- $_comps[aiq]' \
    zsh "$p/share/zsh/site-functions" 2>&1)
  [ "$got" = "_aiq" ] || die "compinit does not take _aiq for aiq: $got"
else
  echo "install.sh: zsh not installed, _aiq not checked" >&2
fi
exit 0
