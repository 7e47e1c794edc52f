# The bash completion (completions/aiq.bash), driven as bash drives it:
# COMP_WORDS split at COMP_WORDBREAKS ('=' is a word of its own), COMP_CWORD,
# COMP_LINE and COMP_POINT set, _aiq called, COMPREPLY compared. Covers
# options, formats, file and directory arguments, .kql files, NAME=PATH after
# -t, table names after `schema` from -d DIR, and the query's parameters.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. tests/cli/lib.sh
. completions/aiq.bash

# Fixture: a data directory and files of every kind the completion tells apart.
mkdir -p "$T/w/logs/Gpu" "$T/w/logs/.hidden" "$T/w/sub"
cd "$T/w" || die "cd $T/w"
touch logs/AppRequests.jsonl.zst logs/Perf.ndjson logs/x.jsonl-20261121.gz logs/schema.kql \
  logs/README.md logs/Gpu/node1.log q1.kql q2.kql data.jsonl app.log app.log.1 notes.txt out.svg
printf '%s\n' '// SLO alert' 'declare query_parameters(' '    SloSeconds:real = 10.0, // seconds' \
  '    Window:timespan = 15m);' 'InsightsMetrics | take 1' > q3.kql

# Splits $1 into COMP_WORDS as bash does: at whitespace, and each run of
# COMP_WORDBREAKS characters ('=', ':', ...) is a word of its own. A line
# ending in a space completes a new, empty word.
split_like_bash() {
  local line=$1 word="" kind="" c i k
  COMP_WORDS=()
  for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ $c == [[:space:]] ]]; then
      [[ -n $word ]] && COMP_WORDS+=("$word")
      word="" kind=""
      continue
    fi
    k=text
    [[ $COMP_WORDBREAKS == *"$c"* ]] && k=break
    if [[ -n $word && $k != "$kind" ]]; then
      COMP_WORDS+=("$word")
      word=""
    fi
    word+=$c kind=$k
  done
  COMP_WORDS+=("$word")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$line
  COMP_POINT=${#line}
}

# complete LINE: prints the sorted candidates for the end of LINE on one line.
complete_line() {
  split_like_bash "$1"
  COMPREPLY=()
  _aiq
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect_completion LINE WANT: the candidates for LINE are exactly WANT.
expect_completion() {
  local got
  got=$(complete_line "$1")
  [ "$got" = "$2" ] || die "completion of '$1': got '$got', want '$2'"
}

COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
unset AIQ_DATA

# options after '-', long and short; subcommand options only after it
expect_completion 'aiq --f' '--fail-on-rows --file --format'
expect_completion 'aiq --no' '--no-header --now'
got=$(complete_line 'aiq -')
for o in -t -d -o -q -f -j -v -h --table --data --schema --strict --format --no-header --crlf \
  --output --chart --color --query --file --now --param --fail-on-rows --max-memory --threads \
  --explain --timing --version --help; do
  case " $got " in *" $o "*) ;; *) die "'aiq -' lacks $o: $got" ;; esac
done
case " $got " in *" --syntax "* | *" --kusto "*) die "'aiq -' offers a subcommand option: $got" ;; esac
expect_completion 'aiq check --sy' '--syntax'
expect_completion 'aiq schema --k' '--kusto'
expect_completion 'aiq -d logs schema --k' '--kusto'

# formats after -o, in every form getopt takes
expect_completion 'aiq -o ' 'csv json markdown ndjson table tsv'
expect_completion 'aiq --format ' 'csv json markdown ndjson table tsv'
expect_completion 'aiq --format=' 'csv json markdown ndjson table tsv'
expect_completion 'aiq --format=n' 'ndjson'
expect_completion 'aiq -oj' '-ojson'
expect_completion 'aiq -o m' 'markdown'
expect_completion 'aiq --color ' 'always auto never'
expect_completion 'aiq --color=n' 'never'

# the first argument: subcommands, .kql files, log files, directories
expect_completion 'aiq ' 'app.log app.log.1 check data.jsonl logs q1.kql q2.kql q3.kql schema sub'
expect_completion 'aiq s' 'schema sub'
# after the query, data files only; with -q too
expect_completion 'aiq q1.kql ' 'app.log app.log.1 data.jsonl logs sub'
expect_completion 'aiq -q x ' 'app.log app.log.1 data.jsonl logs sub'
expect_completion 'aiq -d logs q1.kql a' 'app.log app.log.1'
expect_completion 'aiq logs/' 'logs/AppRequests.jsonl.zst logs/Gpu logs/Perf.ndjson logs/schema.kql logs/x.jsonl-20261121.gz'
expect_completion 'aiq q1.kql logs/' 'logs/AppRequests.jsonl.zst logs/Gpu logs/Perf.ndjson logs/x.jsonl-20261121.gz'
expect_completion 'aiq logs/.' 'logs/.hidden'
# check takes .kql files
expect_completion 'aiq check ' 'logs q1.kql q2.kql q3.kql sub'
expect_completion 'aiq -d logs check q' 'q1.kql q2.kql q3.kql'

# option arguments: files, .kql files, directories, .svg
expect_completion 'aiq -f ' 'logs q1.kql q2.kql q3.kql sub'
expect_completion 'aiq --file=q' 'q1.kql q2.kql q3.kql'
expect_completion 'aiq --schema ' 'logs q1.kql q2.kql q3.kql sub'
expect_completion 'aiq --schema logs/s' 'logs/schema.kql'
expect_completion 'aiq -f n' 'notes.txt'
expect_completion 'aiq -d ' 'logs sub'
expect_completion 'aiq --data=l' 'logs'
expect_completion 'aiq -dl' '-dlogs'
expect_completion 'aiq --chart ' 'logs out.svg sub'
expect_completion 'aiq --output n' 'notes.txt'
expect_completion 'aiq --now ' ''
expect_completion 'aiq -q ' ''

# -t: NAME=PATH with paths after the '=' (bash makes '=' a word), or PATH
expect_completion 'aiq -t Req=' 'app.log app.log.1 data.jsonl logs sub'
expect_completion 'aiq -t Req=d' 'data.jsonl'
expect_completion 'aiq -t Req=logs/P' 'logs/Perf.ndjson'
expect_completion 'aiq --table=Req=d' 'data.jsonl'
expect_completion 'aiq --table Req=lo' 'logs'
expect_completion 'aiq -t ' 'app.log app.log.1 data.jsonl logs sub'
expect_completion 'aiq -t logs/A' 'logs/AppRequests.jsonl.zst'
# where '=' does not break words, the whole word is the candidate
COMP_WORDBREAKS=$' \t\n"\'><;|&(:'
expect_completion 'aiq -t Req=d' 'Req=data.jsonl'
expect_completion 'aiq --format=c' '--format=csv'
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

# table names after schema: from -d DIR (NAME.jsonl*, .ndjson, NAME/; not
# schema.kql, README.md or hidden entries), -t, data arguments, $AIQ_DATA
expect_completion 'aiq -d logs schema ' 'AppRequests Gpu Perf x'
expect_completion 'aiq schema -d logs ' 'AppRequests Gpu Perf x'
expect_completion 'aiq schema --data=logs A' 'AppRequests'
expect_completion 'aiq schema -dlogs P' 'Perf'
expect_completion 'aiq -d logs -t Req=data.jsonl schema ' 'AppRequests Gpu Perf Req x'
expect_completion 'aiq -t data.jsonl schema ' 'data'
expect_completion 'aiq schema app.log.1 ' 'app'
expect_completion 'aiq -d logs schema Perf ' ''
expect_completion 'aiq schema ' ''
expect_completion 'aiq -d no/such/dir schema ' ''
AIQ_DATA=logs expect_completion 'aiq schema ' 'AppRequests Gpu Perf x'
AIQ_DATA=logs expect_completion 'aiq -d sub schema ' ''
expect_completion 'aiq -d logs schema logs/P' 'logs/Perf.ndjson'

# --param: the names the query file declares, with '='
expect_completion 'aiq q3.kql --param ' 'SloSeconds= Window='
expect_completion 'aiq -f q3.kql --param W' 'Window='
expect_completion 'aiq --file=q3.kql --param=S' 'SloSeconds='
expect_completion 'aiq q1.kql --param ' ''
expect_completion 'aiq q3.kql --param Window=' ''

# the function is registered for aiq
complete -p aiq | grep -q -- '-F _aiq' || die "complete -p aiq: $(complete -p aiq 2>&1)"

# The zsh completion (completions/_aiq), in a real interactive zsh under
# zpty with compinit: each line is typed, then Tab; a compadd wrapper
# records the matches offered. Then C-u and a marker command, which zle
# runs only after the completion has finished.
if ! command -v zsh >/dev/null 2>&1; then
  echo "completion.sh: zsh not installed, its completion not exercised" >&2
  exit 0
fi
cat > "$T/drive.zsh" <<'ZSH'
# drive.zsh FPATH_DIR WORKDIR LINE...: prints the matches for each LINE, sorted, on one line
zmodload zsh/zpty || exit 2
got=$(mktemp)
zpty z zsh -f -i
zpty -w z "PS1='> '; LISTMAX=100000; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; cd ${(q)2}"
zpty -w z "compadd() { local -a m; if (( \${@[(I)-[OAD]*]} == 0 )); then builtin compadd -O m \"\$@\"; print -rl -- \$m >> $got; fi; builtin compadd \"\$@\"; }"
shift 2
# waits (10 s at most) for the marker command typed after the keys $1
send() {
  : > $got
  zpty -w -n z "$1"
  zpty -w z "print -r __done__ >> $got"
  for (( i = 0; i < 200; i++ )); do
    grep -q __done__ $got && return 0
    sleep 0.05
  done
  return 1
}
send '' || { print -r "zsh did not start"; exit 1; }
for line in "$@"; do
  send "$line"$'\t\C-u' || { print -r "timed out: $line"; break; }
  print -r -- ${(j: :)${(ou)${(f)"$(grep -v __done__ $got)"}}}
done
zpty -d z
rm -f $got
ZSH
zcases='aiq -o |csv json markdown ndjson table tsv
aiq --format=|csv json markdown ndjson table tsv
aiq --color |always auto never
aiq --fail|--fail-on-rows
aiq check --sy|--syntax
aiq schema --k|--kusto
aiq |app.log app.log.1 check data.jsonl logs q1.kql q2.kql q3.kql schema sub
aiq q1.kql |app.log app.log.1 data.jsonl logs sub
aiq check |logs q1.kql q2.kql q3.kql sub
aiq -d |logs sub
aiq --chart |logs out.svg sub
aiq -t Req=|app.log app.log.1 data.jsonl logs sub
aiq -t Req=logs/P|Perf.ndjson
aiq -d logs schema |AppRequests Gpu Perf x
aiq schema --data=logs -t Req=data.jsonl |AppRequests Gpu Perf Req x
aiq schema app.log.1 |app
aiq -d logs schema Perf |
aiq q3.kql --param |SloSeconds Window'
n=0
set --
while IFS= read -r c; do set -- "$@" "${c%%|*}"; done <<<"$zcases"
zgot=$(zsh -f "$T/drive.zsh" "$OLDPWD/completions" "$T/w" "$@")
while IFS='|' read -r line want; do
  n=$((n + 1))
  got=$(printf '%s\n' "$zgot" | sed -n "${n}p")
  [ "$got" = "$want" ] || die "zsh completion of '$line': got '$got', want '$want'"
done <<<"$zcases"
exit 0
