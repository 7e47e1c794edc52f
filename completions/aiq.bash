# aiq.bash -- bash completion for aiq (installed as
# share/bash-completion/completions/aiq, where bash-completion loads it the
# first time `aiq <TAB>` is pressed; or source it from ~/.bashrc).
#
# Completes options (long and short, `--opt=value` too), option arguments
# (formats after -o, directories after -d, .kql files after -f and --schema,
# NAME=PATH after -t with paths after the '='), the subcommands check and
# schema, .kql query files and log files (JSON lines, .log, .gz, .zst), and
# the table names that `aiq schema` takes: read from the -d DIR, -t and data
# arguments on the line, in shell alone (completion never runs aiq on data).
# It needs nothing but bash 4.3; bash-completion's helpers are not used.

# Options that take an argument, then those that do not (see aiq --help).
_aiq_opts_arg=(-t --table -d --data --schema -o --format --output --chart --color
    -q --query -f --file --now --param --max-memory -j --threads)
_aiq_opts_flag=(--strict --no-header --crlf --fail-on-rows --explain --timing
    -v --version -h --help)
_aiq_formats=(table csv tsv json ndjson markdown)

# Rebuilds the words of the line up to the cursor the way aiq will see them:
# bash splits COMP_WORDS at every COMP_WORDBREAKS character ('=' and ':'
# among them), so `-t Req=logs/` arrives as four words. Pieces not separated
# by whitespace are joined again. Sets _aiq_words (the last one is the word
# being completed, cut at the cursor).
_aiq_split_line() {
    local line i w lead
    if [[ -n ${COMP_LINE+set} ]]; then
        line=${COMP_LINE:0:COMP_POINT}
    else
        line="${COMP_WORDS[*]:0:COMP_CWORD+1}"
    fi
    _aiq_words=()
    for ((i = 0; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        lead=${line%%[![:space:]]*}
        line=${line#"$lead"}
        if ((i == COMP_CWORD)); then
            w=$line # the current word ends at the cursor
        fi
        if ((i == 0)) || [[ -n $lead ]]; then
            _aiq_words+=("$w")
        else
            _aiq_words[-1]+=$w
        fi
        line=${line#"$w"}
    done
}

# Whether $1 is an option that takes an argument.
_aiq_takes_arg() {
    local o
    for o in "${_aiq_opts_arg[@]}"; do
        [[ $1 == "$o" ]] && return 0
    done
    return 1
}

# Prints the words of the line before the current one that are not options
# or option arguments: the subcommand, query file and data files.
_aiq_positionals() {
    local i w skip=0
    for ((i = 1; i < ${#_aiq_words[@]} - 1; i++)); do
        w=${_aiq_words[i]}
        if ((skip)); then
            skip=0
        elif [[ $w == --*=* || $w == -[tdofj]?* && $w != --* ]]; then
            : # an option with its argument in the same word
        elif [[ $w == -?* ]]; then
            _aiq_takes_arg "$w" && skip=1
        else
            printf '%s\n' "$w"
        fi
    done
}

# Prints each value given to option $1 (short) / $2 (long) on the line, in
# any of the forms getopt accepts: `-d DIR`, `-dDIR`, `--data DIR`, `--data=DIR`.
_aiq_option_values() {
    local i w n=${#_aiq_words[@]}
    for ((i = 1; i < n - 1; i++)); do
        w=${_aiq_words[i]}
        if [[ $w == "$1" || $w == "$2" ]]; then
            ((i + 1 < n - 1)) && printf '%s\n' "${_aiq_words[i + 1]}"
            ((i++))
        elif [[ $w == "$2"=* ]]; then
            printf '%s\n' "${w#*=}"
        elif [[ $w == "$1"?* && $w != --* ]]; then
            printf '%s\n' "${w#"$1"}"
        fi
    done
}

# A path as the shell will pass it: surrounding quotes gone, ~/ expanded.
_aiq_unquote_path() {
    local p=$1
    [[ $p == \'*\' || $p == \"*\" ]] && p=${p:1:${#p}-2}
    [[ $p == "~/"* ]] && p=$HOME/${p#"~/"}
    printf '%s' "$p"
}

# Whether file name $1 looks like a log file aiq reads: JSON lines (.jsonl,
# .ndjson, .json), a .log, rotated (.1, -20261121) or compressed (.gz, .zst).
_aiq_is_log_file() {
    case $1 in
    *.jsonl | *.ndjson | *.json | *.log | *.gz | *.zst) return 0 ;;
    *.jsonl.[0-9]* | *.ndjson.[0-9]* | *.log.[0-9]* | *.jsonl-* | *.log-*) return 0 ;;
    esac
    return 1
}

# The tables `aiq -d DIR` binds, printed one per line: every DIR/NAME.jsonl
# (.ndjson, .json; compressed or rotated) and every subdirectory DIR/NAME/,
# named up to the first '.'; hidden entries are left out, as aiq does.
_aiq_dir_tables() {
    local dir f base
    dir=$(_aiq_unquote_path "$1")
    for f in "$dir"/*; do
        base=${f##*/}
        if [[ -d $f ]]; then
            printf '%s\n' "${base%%.*}"
        else
            case ${base#*.} in
            jsonl | jsonl[.-]* | ndjson | ndjson[.-]* | json | json[.-]*)
                [[ $base == *.* ]] && printf '%s\n' "${base%%.*}" ;;
            esac
        fi
    done
}

# The table names bound by the line so far: -t NAME=PATH, -t PATH (named
# after the file), -d DIR (else $AIQ_DATA, which aiq uses when no data is
# named) and data file arguments of `aiq schema` (those with a '/' or '.').
_aiq_bound_tables() {
    local v dirs bindings args
    bindings=$(_aiq_option_values -t --table)
    dirs=$(_aiq_option_values -d --data)
    args=$(_aiq_positionals | tail -n +2 | grep '[/.]')
    while IFS= read -r v; do
        [[ -z $v ]] && continue
        if [[ $v == *=* && ${v%%=*} != */* ]]; then
            printf '%s\n' "${v%%=*}"
        else
            v=${v##*/}
            printf '%s\n' "${v%%.*}"
        fi
    done <<<"$bindings"$'\n'"$args"
    if [[ -z $dirs && -z $bindings && -z $args && -n ${AIQ_DATA:-} ]]; then
        dirs=$AIQ_DATA
    fi
    while IFS= read -r v; do
        [[ -n $v ]] && _aiq_dir_tables "$v"
    done <<<"$dirs"
}

# The query file on the line: -f FILE, --file FILE, else the first .kql
# argument. Prints nothing when there is none.
_aiq_query_file() {
    local f
    f=$(_aiq_option_values -f --file | tail -n 1)
    [[ -z $f ]] && f=$(_aiq_positionals | grep '\.kql$' | head -n 1)
    [[ -n $f ]] && _aiq_unquote_path "$f"
}

# The parameter names the query file declares in
# `declare query_parameters(Name:type = default, ...);`, one per line.
_aiq_query_params() {
    local file text body
    file=$(_aiq_query_file)
    [[ -n $file && -r $file ]] || return 0
    text=$(sed 's://.*$::' -- "$file" | tr '\n' ' ')
    [[ $text =~ declare[[:space:]]+query_parameters[[:space:]]*\((.*)\)[[:space:]]*\; ]] || return 0
    body=${BASH_REMATCH[1]}
    while [[ $body =~ (^|,)[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*:(.*) ]]; do
        printf '%s\n' "${BASH_REMATCH[2]}"
        body=${BASH_REMATCH[3]}
    done
}

# Adds to _aiq_cands the paths that complete $1: directories (readline
# marks them with a '/' under `compopt -o filenames`) and the files for
# which test function $2 holds ("" = every file, "-" = none), each with
# prefix $3 in front. When no file passes the test, every file is offered,
# so an odd name can still be typed.
_aiq_add_paths() {
    local cur=$1 test=$2 prefix=$3 p path n=0
    local -a files=()
    path=$(_aiq_unquote_path "$cur")
    while IFS= read -r p; do
        [[ -z $p ]] && continue
        # hidden entries only when asked for, as aiq leaves them out of -d DIR
        [[ ${p##*/} == .* && ${path##*/} != .* || ${p##*/} == . || ${p##*/} == .. ]] && continue
        if [[ -d $p ]]; then
            _aiq_cands+=("$prefix$p")
        elif [[ $test == - ]]; then
            continue
        elif [[ -z $test ]] || "$test" "$p"; then
            _aiq_cands+=("$prefix$p")
            n=$((n + 1))
        else
            files+=("$prefix$p")
        fi
    done < <(compgen -f -- "$path")
    if ((n == 0)) && [[ -n $test && $test != - ]]; then
        _aiq_cands+=("${files[@]}")
    fi
    _aiq_files=1
}

_aiq_is_kql() { [[ $1 == *.kql ]]; }
_aiq_is_svg() { [[ $1 == *.svg ]]; }

# Adds to _aiq_cands, with prefix $2 in front, each of the words $3...
# that starts with $1.
_aiq_add_words() {
    local cur=$1 prefix=$2 w
    shift 2
    for w in "$@"; do
        [[ $w == "$cur"* ]] && _aiq_cands+=("$prefix$w")
    done
}

# Completes the argument $2 of option $1; $3 is put in front of each
# candidate (`--format=`, `-o` for `-ocsv`).
_aiq_complete_arg() {
    local opt=$1 cur=$2 prefix=$3
    case $opt in
    -o | --format) _aiq_add_words "$cur" "$prefix" "${_aiq_formats[@]}" ;;
    --color) _aiq_add_words "$cur" "$prefix" auto always never ;;
    -d | --data) _aiq_add_paths "$cur" - "$prefix" ;;
    -f | --file | --schema) _aiq_add_paths "$cur" _aiq_is_kql "$prefix" ;;
    --output) _aiq_add_paths "$cur" "" "$prefix" ;;
    --chart) _aiq_add_paths "$cur" _aiq_is_svg "$prefix" ;;
    -t | --table)
        if [[ $cur == *=* && ${cur%%=*} != */* ]]; then
            _aiq_add_paths "${cur#*=}" _aiq_is_log_file "$prefix${cur%%=*}="
        else
            _aiq_add_paths "$cur" _aiq_is_log_file "$prefix"
        fi ;;
    --param)
        [[ $cur == *=* ]] && return
        local -a names
        mapfile -t names < <(_aiq_query_params)
        _aiq_add_words "$cur" "$prefix" "${names[@]/%/=}"
        _aiq_nospace=1 ;;
    esac
}

# Completes an option name; $1 is the subcommand, if any.
_aiq_complete_option() {
    local cur=$1 sub=$2
    local -a opts=("${_aiq_opts_arg[@]}" "${_aiq_opts_flag[@]}")
    case $sub in
    check) opts+=(--syntax) ;;
    schema) opts+=(--kusto) ;;
    esac
    _aiq_add_words "$cur" "" "${opts[@]}"
}

# Completes a word that is not an option nor an option's argument.
_aiq_complete_positional() {
    local cur=$1 sub=$2 npos=$3
    case $sub in
    check) _aiq_add_paths "$cur" _aiq_is_kql "" ;;
    schema)
        if [[ $cur == */* || $cur == .* || $cur == "~"* ]]; then
            _aiq_add_paths "$cur" _aiq_is_log_file ""
        elif ((npos == 0)); then
            local -a tables
            mapfile -t tables < <(_aiq_bound_tables | sort -u)
            _aiq_add_words "$cur" "" "${tables[@]}"
        fi ;;
    *)
        local query
        query=$(_aiq_query_file)
        if ((npos == 0)) && [[ -z $query ]] && [[ -z $(_aiq_option_values -q --query) ]]; then
            _aiq_add_words "$cur" "" check schema
            _aiq_add_paths "$cur" _aiq_is_kql_or_log ""
        else
            _aiq_add_paths "$cur" _aiq_is_log_file ""
        fi ;;
    esac
}

_aiq_is_kql_or_log() { _aiq_is_kql "$1" || _aiq_is_log_file "$1"; }

# Puts the candidates into COMPREPLY as readline will use them: readline
# replaces only the text after the last COMP_WORDBREAKS character of the
# word ('=' or ':' by default), so that part of the word is cut from each.
_aiq_reply() {
    local cur=$1 cut=0 i c
    for ((i = ${#cur} - 1; i >= 0; i--)); do
        c=${cur:i:1}
        if [[ $c != [\"\'[:space:]] && $COMP_WORDBREAKS == *"$c"* ]]; then
            cut=$((i + 1))
            break
        fi
    done
    COMPREPLY=()
    for c in "${_aiq_cands[@]}"; do
        COMPREPLY+=("${c:cut}")
    done
    # (compopt fails when the function is called outside completion, as
    # tests do: the candidates are the same)
    if ((_aiq_files)); then
        compopt -o filenames 2>/dev/null
    fi
    if ((_aiq_nospace)); then
        compopt -o nospace 2>/dev/null # NAME= is completed further
    fi
}

# The completion function: bash sets COMP_WORDS, COMP_CWORD, COMP_LINE and
# COMP_POINT; the candidates are left in COMPREPLY.
_aiq() {
    local _aiq_words _aiq_cands=() _aiq_files=0 _aiq_nospace=0
    _aiq_split_line
    local cur=${_aiq_words[-1]} prev="" sub="" npos=0
    ((${#_aiq_words[@]} > 1)) && prev=${_aiq_words[-2]}
    local -a pos
    mapfile -t pos < <(_aiq_positionals)
    if [[ ${pos[0]-} == check ]]; then
        sub=check
        npos=$((${#pos[@]} - 1))
    elif [[ ${pos[0]-} == schema ]]; then
        # its data file arguments have a '/' or '.'; the other word is TABLE
        sub=schema
        npos=$(printf '%s\n' "${pos[@]:1}" | grep -c '^[^/.]\{1,\}$')
    else
        npos=${#pos[@]}
    fi
    if [[ $prev == -?* && $prev != --*=* ]] && _aiq_takes_arg "$prev"; then
        _aiq_complete_arg "$prev" "$cur" ""
    elif [[ $cur == --*=* ]]; then
        _aiq_complete_arg "${cur%%=*}" "${cur#*=}" "${cur%%=*}="
    elif [[ $cur == -[tdofj]?* ]]; then
        _aiq_complete_arg "${cur:0:2}" "${cur:2}" "${cur:0:2}"
    elif [[ $cur == -* ]]; then
        _aiq_complete_option "$cur" "$sub"
    else
        _aiq_complete_positional "$cur" "$sub" "$npos"
    fi
    _aiq_reply "$cur"
}

complete -F _aiq aiq
