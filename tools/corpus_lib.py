"""corpus_lib.py -- shared by tools/corpus_check.py and tools/kusto_builtins.py.

Three things the corpus measurement needs, written once:
  * names_used(text): the built-in functions, tabular operators and evaluate plugins a KQL
    query calls, found by a small tokenizer (comments and string literals skipped), so a
    query can be judged "function-complete" for aiq;
  * AiqProbe: asks the aiq binary itself whether it knows a name, by checking one tiny
    query per name, so the answer follows aiq as it grows (no copy of its registry here);
  * normalize_reason(): turns aiq's first error message into a reason that groups well
    ("unknown function 'X'", "valid KQL but not supported by aiq yet: OP",
    "parse error at 'TOKEN': ...").
Standard library only.
"""
import os
import re
import subprocess
import tempfile

# ---------------------------------------------------------------------------
# Tokenizer: just enough KQL to find calls and operators.

_IDENT_START = re.compile(r"[A-Za-z_$]")
_IDENT_CHAR = re.compile(r"[A-Za-z0-9_]")


def _skip_string(text, i):
    """Returns the index after the string literal that starts at text[i] (a quote, an
    @/h/H prefix, or a ``` block); KQL strings do not span lines except ``` ones."""
    if text.startswith("```", i):
        j = text.find("```", i + 3)
        return len(text) if j < 0 else j + 3
    verbatim = False
    while text[i] in "hH@":
        verbatim = verbatim or text[i] == "@"
        i += 1
    quote = text[i]
    i += 1
    while i < len(text):
        c = text[i]
        if verbatim and c == quote:
            if i + 1 < len(text) and text[i + 1] == quote:  # @"a""b" doubles the quote
                i += 2
                continue
            return i + 1
        if not verbatim and c == "\\":
            i += 2
            continue
        if c == quote or c == "\n":
            return i + 1
        i += 1
    return i


def _string_starts_at(text, i):
    c = text[i]
    if c in "'\"" or text.startswith("```", i):
        return True
    # @"...", h"...", h@"...", H@'...': a prefix glued to a quote, not part of a name
    m = re.match(r"(?:[hH]@?|@)['\"]", text[i:i + 3])
    if not m:
        return False
    return i == 0 or not _IDENT_CHAR.match(text[i - 1])


# First words of the hyphenated operators (mv-apply, project-away, top-nested, ...), so that
# "(mv-apply ...)" joins but "(Total-Failed)" stays a subtraction.
_HYPHEN_OPERATOR_HEADS = {"mv", "project", "parse", "top", "make", "sample", "graph", "macro", "extend"}


def tokenize(text):
    """Returns the tokens of text as (kind, value) pairs: ('id', name), ('num', text), ('str', ''), ('op', char).
    Hyphenated operator names (mv-expand, project-away) come out as one 'id' when the
    hyphen has no space around it and the previous significant token is '|' or '('."""
    toks = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace() or c in "\u00a0\u200b\u2000\u2001\u2002\u2003\u2009\u202f\ufeff":
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif _string_starts_at(text, i):
            i = _skip_string(text, i)
            toks.append(("str", ""))
        elif c == "[" and i + 1 < n and text[i + 1] in "'\"@":
            # ['bracketed name']: a name, never a call
            j = _skip_string(text, i + 1)
            k = text.find("]", j)
            i = n if k < 0 else k + 1
            toks.append(("str", ""))
        elif _IDENT_START.match(c):
            j = i + 1
            while j < n and _IDENT_CHAR.match(text[j]):
                j += 1
            word = text[i:j]
            prev = toks[-1] if toks else None
            if prev == ("op", "|") or prev == ("op", "(") and word in _HYPHEN_OPERATOR_HEADS:
                while j + 1 < n and text[j] == "-" and _IDENT_START.match(text[j + 1]):
                    k = j + 1
                    while k < n and _IDENT_CHAR.match(text[k]):
                        k += 1
                    word = text[i:k]
                    j = k
            toks.append(("id", word))
            i = j
        elif c.isdigit():
            # 1000., 1.5e3, 30m and 90th_Percentile alike: none of them is a call or an operator
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "._"):
                j += 1
            toks.append(("num", text[i:j]))
            i = j
        else:
            toks.append(("op", c))
            i += 1
    return toks


# Words that start a tabular expression (no input pipe) in KQL.
SOURCE_OPERATORS = {"union", "search", "find", "print", "range", "datatable", "externaldata", "evaluate"}
# Words followed by '(' that are syntax, not calls.
SYNTAX_WORDS = {"typeof", "dynamic", "datetime", "timespan", "time", "bool", "boolean", "int", "long",
                "real", "double", "string", "guid", "decimal", "in", "has_any", "has_all", "has_any_cs",
                "has_all_cs", "between", "with", "view", "on", "by", "of", "and", "or", "kind",
                "query_parameters", "declare", "let", "set", "as"}
# Operator parameters whose value is a word: kind=inner (...), isfuzzy=true (...).
_WORD_PARAMETERS = {"kind", "isfuzzy", "withsource", "strategy", "shufflekey", "remote", "distribution"}


def _operator_position(prev, word, nxt):
    """True when word stands where a tabular operator goes: after '|'; a source such as
    datatable(...) or union anywhere a tabular expression starts; and any operator first
    inside '(' or '{' (mv-apply ... on (where ...), partition ... (top 3 ...))."""
    if prev == ("op", "|"):
        return True
    if word in ("datatable", "externaldata", "union") and nxt == ("op", "("):
        return True
    if nxt == ("op", "("):
        return False  # a call: range(1, 5, 1), count()
    if prev in (("op", ";"), ("op", "("), ("op", "{")):
        return True
    return prev in (("op", ","), ("op", "=")) and word in SOURCE_OPERATORS


def names_used(text, builtins):
    """Returns (used, unrecognised). used is {(category, name)} for the built-ins a query
    uses: category 'fn' (called with parentheses: scalar, aggregate and table-valued
    functions), 'op' (tabular operators) or 'plugin' (evaluate NAME(...)); only names in
    builtins, a dict keyed by (category, name), count. unrecognised holds other words in
    an operator position or called like a function that are not the query's own let
    names, for review (a name missing from the checklist shows up there)."""
    toks = tokenize(text)
    defined = {toks[k + 1][1] for k in range(len(toks) - 1)
               if toks[k] == ("id", "let") and toks[k + 1][0] == "id"}
    used, unrecognised, plugin_at = set(), set(), set()
    for k, (kind, word) in enumerate(toks):
        if kind != "id":
            continue
        prev = toks[k - 1] if k > 0 else ("op", ";")
        nxt = toks[k + 1] if k + 1 < len(toks) else ("op", ";")
        if _operator_position(prev, word, nxt) and ("op", word) in builtins:
            used.add(("op", word))
            if word == "evaluate":  # evaluate [hint.x = y ...] plugin(...)
                j = next((j for j in range(k + 1, len(toks) - 1)
                          if toks[j][0] == "id" and toks[j + 1] == ("op", "(")), None)
                if j is not None:
                    plugin_at.add(j)
                    if ("plugin", toks[j][1]) in builtins:
                        used.add(("plugin", toks[j][1]))
                    else:
                        unrecognised.add(toks[j][1])
        elif prev == ("op", "|"):
            unrecognised.add(word)
        elif (nxt == ("op", "(") and prev != ("op", ".") and k not in plugin_at and
              word not in defined and word not in SYNTAX_WORDS and
              not (prev == ("op", "=") and k >= 2 and toks[k - 2][1] in _WORD_PARAMETERS)):
            if ("fn", word) in builtins:
                used.add(("fn", word))
            else:
                unrecognised.add(word)
    return used, unrecognised


# ---------------------------------------------------------------------------
# The built-in checklist (tests/corpus/kusto_builtins.tsv).

TSV_COLUMNS = ["name", "kind", "doc_page", "deprecated_aliases", "other_names", "aiq", "aiq_missing"]


def category_of_kind(kind):
    return {"tabular": "op", "plugin": "plugin"}.get(kind, "fn")


def split_names(field):
    return [] if field in ("", "-") else [x.strip() for x in field.split(",") if x.strip()]


def load_builtins(path):
    """Reads kusto_builtins.tsv; returns (rows, index) where index maps (category, name)
    for every name, deprecated alias and other name to its row."""
    rows, index = [], {}
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if header != TSV_COLUMNS:
            raise SystemExit("%s: unexpected header %r" % (path, header))
        for line in fh:
            if not line.strip():
                continue
            row = dict(zip(TSV_COLUMNS, line.rstrip("\n").split("\t")))
            rows.append(row)
            cat = category_of_kind(row["kind"])
            for name in all_names(row):
                index.setdefault((cat, name), row)
    return rows, index


def all_names(row):
    return [row["name"]] + split_names(row["deprecated_aliases"]) + split_names(row["other_names"])


# ---------------------------------------------------------------------------
# Asking aiq.

_ERROR_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$")


class AiqProbe:
    """Runs `aiq check` on tiny queries to learn which names aiq knows. One instance keeps a
    scratch directory and a cache; call close() (or use `with`)."""

    PROBE_SCHEMA = ".create table T (a:long, s:string, d:dynamic, t:datetime)\n"

    def __init__(self, aiq):
        self.aiq = aiq
        self.dir = tempfile.mkdtemp(prefix="aiq-probe-")
        self.schema = os.path.join(self.dir, "schema.kql")
        with open(self.schema, "w") as fh:
            fh.write(self.PROBE_SCHEMA)
        self.cache = {}
        try:
            self._calibrate()
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for f in os.listdir(self.dir):
            os.remove(os.path.join(self.dir, f))
        os.rmdir(self.dir)

    def check(self, query_text, syntax_only=False):
        """Returns (rc, first_error or None) of `aiq check` on query_text, with --syntax or
        against the probe's table T; first_error is (line, col, message)."""
        path = os.path.join(self.dir, "probe.kql")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(query_text)
        return run_check(self.aiq, path, None if syntax_only else self.schema)[:2]

    def knows(self, category, name):
        """True when aiq accepts name as a function ('fn'), tabular operator ('op') or
        evaluate plugin ('plugin'). A name is unknown when aiq says "unknown function ...",
        "unknown query operator ...", "unknown plugin ..." or "not supported", or when the
        first error falls inside the name itself and is a syntax error or an "unknown ..."
        (the parser did not read the name as one word: project-by-names as project -by...)."""
        key = (category, name)
        if key not in self.cache:
            self.cache[key] = self._probe(category, name)
        return self.cache[key]

    def _probe(self, category, name):
        prefix, suffix = {"fn": ("print x=", "()"), "op": ("T | ", ""), "plugin": ("T | evaluate ", "()")}[category]
        text = prefix + name + suffix + "\n"
        rc, err = self.check(text)
        if rc == 0:
            return True
        if err is None:
            return False  # aiq failed without a diagnostic: not a name it handles
        line, col, msg = err
        if "starts a query" in msg:  # print/range/datatable after '|': a known source
            return True
        if re.search(r"unknown (function|query operator|plugin)|not supported", msg):
            return False
        inside = line == 1 and len(prefix) < col <= len(prefix) + len(name)
        if inside and (msg.startswith("unknown ") or self.check(text, syntax_only=True)[0] != 0):
            return False
        return True

    def _calibrate(self):
        """aiq's messages are what the probe reads: stop loudly if they changed."""
        checks = [("fn", "strlen", True), ("fn", "no_such_function_zz", False),
                  ("op", "where", True), ("op", "no-such-operator-zz", False)]
        for cat, name, want in checks:
            if self._probe(cat, name) != want:
                raise SystemExit("corpus tools: probing %s %r with %s gave the wrong answer; "
                                 "aiq's error messages changed, update tools/corpus_lib.py" % (cat, name, self.aiq))


def run_check(aiq, path, schema, explain=False):
    """Runs `aiq check` on one file: with schema None, `--syntax`; else `--schema schema`
    (and --explain, which prints the result columns). Returns (rc, first_error, stdout_text,
    stderr_text); first_error is (line, col, message) or None."""
    cmd = [aiq, "check"]
    cmd += ["--syntax"] if schema is None else ["--schema", schema]
    if explain:
        cmd.append("--explain")
    cmd.append(path)
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    first = None
    for line in (proc.stderr + proc.stdout).splitlines():
        m = _ERROR_LINE.match(line)
        if m:
            first = (int(m.group("line")), int(m.group("col")), m.group("msg"))
            break
    return proc.returncode, first, proc.stdout, proc.stderr


# ---------------------------------------------------------------------------
# Failure reasons.

def _show_char(ch):
    if ch.isprintable() and not ch.isspace():
        return "'%s'" % ch
    return "U+%04X" % ord(ch)


def _word_before(text, line, col):
    """The word just before position line:col (1-based, col in bytes as aiq counts) of
    text, such as the 'in' of "in (" or the 'toscalar' of "toscalar(", or None."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    s = lines[line - 1]
    i = len(s.encode("utf-8")[:max(col - 1, 0)].decode("utf-8", errors="ignore"))
    m = re.search(r"(!?[A-Za-z_]\w*~?)\s*$", s[:i])
    return m.group(1) if m else None


def normalize_reason(msg, syntax_stage=False, text=None):
    """Groups aiq's first error message by what is missing: the name of a function or
    operator is kept, suggestions and positions are dropped, other quoted names in a
    binding error become '…', and a plain syntax error is shown as
    "parse error at TOKEN: what was expected". With the query text, a
    bracket that is not closed is named by the word before it ("... after 'in'"), which
    tells a tabular in (T | ...) from toscalar(T | ...)."""
    msg = re.sub(r"; did you mean .*$", "", msg)
    m = re.search(r"to close '\(' at (\d+):(\d+)", msg)
    opener = _word_before(text, int(m.group(1)), int(m.group(2))) if m and text else None
    if opener:
        msg = msg.replace(m.group(0), "to close '(' after '%s'" % opener)
    m = re.match(r"'([^']+)' is valid KQL but not supported by aiq yet$", msg)
    if m:
        return "valid KQL but not supported by aiq yet: " + m.group(1)
    if re.match(r"unknown (function|query operator|plugin) '", msg) or "not supported" in msg:
        return msg
    msg = re.sub(r" at \d+:\d+", "", msg)
    if not syntax_stage:
        # names of the query's own columns and lets vary; the kind of failure does not
        return re.sub(r"'[^']*'", "'…'", msg)
    m = re.match(r"unexpected character '(.)'", msg, re.S)
    if m:
        return "parse error at %s: unexpected character" % _show_char(m.group(1))
    m = re.match(r"(.*), found (.*)$", msg)
    if m:
        return "parse error at %s: %s" % (m.group(2), m.group(1))
    return "parse error: " + msg
