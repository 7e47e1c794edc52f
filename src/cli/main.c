/*
 * main.c -- the aiq command: argv, reading the query, rendering errors, and
 * exit codes (CLI.md). The only file that calls exit().
 *
 *   aiq [OPTIONS] [QUERY_FILE.kql] | -q 'QUERY' | -f FILE
 *   aiq check [--syntax] FILE.kql...
 *   aiq schema [--kusto] [TABLE]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aiq/aiq.h"
#include "repl/repl.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

#ifndef AIQ_DATADIR
#define AIQ_DATADIR "testdata"
#endif

static void usage(FILE *out)
{
    fputs("usage: aiq [OPTIONS] [QUERY_FILE.kql] [DATA_FILE...]\n"
          "       aiq [OPTIONS] -q 'QUERY' [DATA_FILE...]\n"
          "       aiq check [--syntax] FILE.kql...\n"
          "       aiq schema [--kusto] [TABLE]\n"
          "\n"
          "Runs KQL (Kusto Query Language) over JSON-lines logs.\n"
          "\n"
          "Data:\n"
          "  -t, --table NAME=PATH   bind table NAME to a file, glob, directory or - (stdin)\n"
          "  -t, --table PATH        the same, naming the table after the file (app.log.1: app);\n"
          "                          DATA_FILE arguments are bound this way\n"
          "  -d, --data DIR          every DIR/NAME.jsonl[.zst|.gz] and DIR/NAME/ becomes table NAME\n"
          "                          (files: JSON lines, plain, zstd or gzip)\n"
          "  $AIQ_DATA               a directory read as -d when no data is given; with no data\n"
          "                          at all only the REPL opens the bundled sample\n"
          "      --schema FILE       column types as '.create table T (Col:type, ...)'\n"
          "      --strict            malformed input lines are an error (exit 2)\n"
          "Output:\n"
          "  -o, --format FMT        table, csv, tsv, json, ndjson (jsonl), markdown (md)\n"
          "      --no-header         csv/tsv/table without the header row\n"
          "      --crlf              end csv/tsv lines with CR LF (default: LF)\n"
          "      --output FILE       write the result to FILE atomically (temporary file + rename)\n"
          "      --color WHEN        auto, always, never\n"
          "      --chart FILE.svg    write the chart of a query ending in render to FILE.svg;\n"
          "                          the rows go to stdout (without it, render draws the\n"
          "                          chart on a terminal in place of the table)\n"
          "Query:\n"
          "  -q, --query TEXT        the query text\n"
          "  -f, --file FILE         read the query from FILE\n"
          "      --now TIME          pin now() and ago() (ISO 8601)\n"
          "      --param NAME=VALUE  value for declare query_parameters(NAME:type)\n"
          "      --fail-on-rows      exit 3 when the result has rows\n"
          "      --max-memory SIZE   stop with exit 4 past SIZE (512M, 4G)\n"
          "  -j, --threads N         threads reading and parsing input, selecting the\n"
          "                          percentiles of many groups and rendering large\n"
          "                          results (default: one per core)\n"
          "      --explain           print the typed plan instead of running\n"
          "      --timing            print rows, bytes and time per stage on stderr\n"
          "  -v, --version           print the version\n"
          "  -h, --help              this help\n"
          "\n"
          "Without -q or a query file, on a terminal, aiq opens its REPL (.help lists its\n"
          "commands). See aiq(1) for formats, the REPL and cron recipes.\n"
          "\n"
          "Exit codes: 0 ok, 1 query error, 2 usage or input error, 3 --fail-on-rows matched,\n"
          "4 resource limit.\n",
          out);
}

typedef struct Options {
    const char *query_text;
    const char *query_file;
    const char *schema_file;
    const char *format;
    const char *now_text;
    const char *color;
    const char *output_file; /* --output: NULL or "-" is stdout */
    const char *chart_file;
    bool no_header, crlf, strict, fail_on_rows, explain, timing;
    size_t max_memory;
    int threads;
    const char **param_names, **param_values;
    int nparams;
    bool data_given;
    bool bundled;
    bool now_from_clock; /* now() is not pinned: the REPL reads the clock per query */
    bool no_data;        /* no data given at all: naming a table is a usage error */
} Options;

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = aiq_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = aiq_xrealloc(buf, cap);
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        if (r == 0)
            break;
        n += r;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = read_all(f, len);
    fclose(f);
    return s;
}

/* The bundled testdata/: next to the executable (a build tree), in
 * ../share/aiq/testdata (an install), else the build tree's absolute path. */
static const char *bundled_dir(void)
{
    static char buf[PATH_MAX + 32];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, sizeof buf, "%s/testdata", exe);
            if (access(buf, R_OK) == 0)
                return buf;
            snprintf(buf, sizeof buf, "%s/../share/aiq/testdata", exe);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    return AIQ_DATADIR;
}

/* Binds a data file named on the command line (-t PATH, an argument) to
 * the table named after it. A path that cannot be bound is not an error
 * yet: the query that names the table shows it under the name (and
 * aiq_session_check_bindings when none does). Returns false after printing a
 * usage error (stdin or a file that gives no name). */
static bool bind_data_file(AiqSession *ses, const char *path)
{
    AiqError err = {0};
    if (!aiq_session_bind_file(ses, path, &err) && err.code == AIQ_ERR_USAGE) {
        fprintf(stderr, "aiq: %s\n", err.msg);
        return false;
    }
    return true;
}

/* -t NAME=PATH, or -t PATH alone. An argument that is itself an existing
 * path is a PATH (Azure exports live under resourceId=/.../y=2026/m=11/),
 * and so is one whose part before '=' holds a '/'. */
static bool bind_table_option(AiqSession *ses, char *arg)
{
    char *eq = strchr(arg, '=');
    struct stat st;
    if (!eq || memchr(arg, '/', (size_t)(eq - arg)) || stat(arg, &st) == 0)
        return bind_data_file(ses, arg);
    if (eq == arg) {
        fprintf(stderr, "aiq: -t expects NAME=PATH or PATH, got '%s'\n", arg);
        return false;
    }
    *eq = '\0';
    AiqError err = {0};
    aiq_session_bind_table(ses, arg, eq + 1, &err); /* (an error waits for the query: see bind_data_file) */
    return true;
}

/* A query file argument: FILE.kql. */
static bool is_query_file(const char *arg)
{
    size_t n = strlen(arg);
    return n > 4 && strcmp(arg + n - 4, ".kql") == 0;
}

/* Binds the data file arguments (every argument that is not a .kql file;
 * for `schema`, those that look like paths -- the other one names the
 * table) and removes them from argv[first..argc); a subcommand's own
 * options stay. Returns the arguments left, or -1 after a usage error. */
static int bind_data_arguments(int argc, char **argv, int first, const char *command, Options *o, AiqSession *ses)
{
    int kept = first;
    for (int i = first; i < argc; i++) {
        bool option = argv[i][0] == '-' && argv[i][1];
        if (option && !command) { /* (getopt stopped at the first argument) */
            fprintf(stderr, "aiq: %s: options come before the query and data files (a file of that name: ./%s)\n",
                    argv[i], argv[i]);
            return -1;
        }
        bool schema = command && strcmp(command, "schema") == 0;
        bool data = !option && (schema ? strchr(argv[i], '/') || strchr(argv[i], '.') : !is_query_file(argv[i]));
        if (!data) {
            argv[kept++] = argv[i];
            continue;
        }
        if (!bind_data_file(ses, argv[i]))
            return -1;
        o->data_given = true;
    }
    return kept;
}

/* The smallest --max-memory that makes sense: less than this cannot even
 * hold the reader's buffers. */
#define MIN_MAX_MEMORY ((size_t)1 << 20)

/* parse_options() printed --help or --version: nothing more to do. */
enum { OPTIONS_DONE = -1 };

/* Reads the options into o and binds -t/-d tables into ses. Returns 0 to go
 * on, OPTIONS_DONE after --help or --version, else the exit code (2) after
 * printing what is wrong. */
static int parse_options(int argc, char **argv, Options *o, AiqSession *ses, bool permute)
{
    static const struct option longopts[] = {
        {"table", required_argument, 0, 't'}, {"data", required_argument, 0, 'd'},
        {"schema", required_argument, 0, 'S'}, {"format", required_argument, 0, 'o'},
        {"no-header", no_argument, 0, 'H'}, {"color", required_argument, 0, 'C'},
        {"query", required_argument, 0, 'q'}, {"file", required_argument, 0, 'f'},
        {"now", required_argument, 0, 'N'}, {"param", required_argument, 0, 'P'},
        {"fail-on-rows", no_argument, 0, 'F'}, {"max-memory", required_argument, 0, 'M'},
        {"threads", required_argument, 0, 'j'}, {"explain", no_argument, 0, 'E'},
        {"timing", no_argument, 0, 'T'}, {"strict", no_argument, 0, 's'},
        {"version", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'},
        {"crlf", no_argument, 0, 'R'}, {"output", required_argument, 0, 'O'},
        {"chart", required_argument, 0, 'G'}, {0, 0, 0, 0},
    };
    int c;
    AiqError err = {0};
    while ((c = getopt_long(argc, argv, permute ? "t:d:o:q:f:j:vh" : "+t:d:o:q:f:j:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (!bind_table_option(ses, optarg))
                return 2;
            o->data_given = true;
            break;
        case 'd':
            if (!aiq_session_bind_dir(ses, optarg, &err)) {
                fprintf(stderr, "aiq: %s\n", err.msg);
                return 2;
            }
            o->data_given = true;
            break;
        case 'S': o->schema_file = optarg; break;
        case 'o': o->format = optarg; break;
        case 'H': o->no_header = true; break;
        case 'R': o->crlf = true; break;
        case 'C': o->color = optarg; break;
        case 'O':
            if (!*optarg) {
                fprintf(stderr, "aiq: --output expects a file name\n");
                return 2;
            }
            o->output_file = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case 'G': o->chart_file = optarg; break;
        case 'q': o->query_text = optarg; break;
        case 'f': o->query_file = optarg; break;
        case 'N': o->now_text = optarg; break;
        case 'P': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) {
                fprintf(stderr, "aiq: --param expects NAME=VALUE, got '%s'\n", optarg);
                return 2;
            }
            *eq = '\0';
            o->param_names = aiq_xrealloc(o->param_names, sizeof(char *) * (size_t)(o->nparams + 1));
            o->param_values = aiq_xrealloc(o->param_values, sizeof(char *) * (size_t)(o->nparams + 1));
            o->param_names[o->nparams] = optarg;
            o->param_values[o->nparams++] = eq + 1;
            break;
        }
        case 'F': o->fail_on_rows = true; break;
        case 'M':
            if (!aiq_mem_parse_size(optarg, &o->max_memory)) {
                fprintf(stderr, "aiq: --max-memory expects a size such as 512M or 4G, got '%s'\n", optarg);
                return 2;
            }
            /* "512" is 512 bytes, in which no query runs: the unit was forgotten */
            if (o->max_memory < MIN_MAX_MEMORY) {
                fprintf(stderr, "aiq: --max-memory expects a size such as 512M or 4G, got '%s' (%zu bytes; at least 1M)\n",
                        optarg, o->max_memory);
                return 2;
            }
            break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 1024) {
                fprintf(stderr, "aiq: --threads expects a number from 1 to 1024, got '%s'\n", optarg);
                return 2;
            }
            o->threads = (int)n;
            break;
        }
        case 'E': o->explain = true; break;
        case 'T': o->timing = true; break;
        case 's': o->strict = true; break;
        case 'v': printf("aiq %s\n", AIQ_VERSION); return OPTIONS_DONE;
        case 'h': usage(stdout); return OPTIONS_DONE;
        default: fprintf(stderr, "aiq: try 'aiq --help'\n"); return 2;
        }
    }
    if (o->format && !aiq_format_canonical(o->format)) {
        fprintf(stderr, "aiq: unknown format '%s' (expected " AIQ_FORMAT_CHOICES ")\n", o->format);
        return 2;
    }
    if (o->color && strcmp(o->color, "auto") != 0 && strcmp(o->color, "always") != 0 && strcmp(o->color, "never") != 0) {
        fprintf(stderr, "aiq: --color expects auto, always or never\n");
        return 2;
    }
    return 0;
}

/* Sets up the default data when none was named, then the schema file:
 * $AIQ_DATA; else, for the REPL on a terminal only, the bundled sample;
 * else nothing, and a query naming a table is a usage error (so a cron job
 * never answers from sample data). */
static int setup_data(Options *o, AiqSession *ses, bool repl)
{
    AiqError err = {0};
    const char *env = getenv("AIQ_DATA");
    const char *sample = NULL;
    if (!o->data_given && ((env && *env) || repl)) {
        const char *dir = env && *env ? env : bundled_dir();
        o->bundled = !(env && *env);
        if (o->bundled)
            sample = dir;
        if (!aiq_session_bind_dir(ses, dir, &err)) {
            fprintf(stderr, "aiq: %s\n", err.msg);
            return 2;
        }
    }
    o->no_data = !o->data_given && !(env && *env) && !repl;
    aiq_session_set_data_rules(ses, o->no_data, true, sample);
    if (o->schema_file && !aiq_session_read_schema(ses, o->schema_file, &err)) {
        fprintf(stderr, "aiq: %s\n", err.msg);
        return 2;
    }
    /* a file named on the command line that cannot be read is an error even
     * when the query does not name its table; the REPL only warns */
    if (repl && !aiq_session_check_bindings(ses, &err))
        fprintf(stderr, "aiq: %s\n", err.msg);
    aiq_session_set_data_rules(ses, o->no_data, !repl, sample);
    return 0;
}

/* A terminal that takes no escape sequences: NO_COLOR set (https://no-color.org:
 * to anything but empty), or TERM unset, empty or dumb. Progress there is
 * plain text redrawn with \r. */
static bool plain_terminal(void)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    return (no_color && *no_color) || !term || !*term || strcmp(term, "dumb") == 0;
}

/* now(): --now, else the bundled data's pinned end (testdata/NOW), else the clock. */
static int resolve_now(Options *o, int64_t *now)
{
    if (o->now_text) {
        if (!aiq_datetime_parse(o->now_text, strlen(o->now_text), now)) {
            fprintf(stderr, "aiq: --now expects an ISO 8601 time such as 2026-11-21T12:00:00Z, got '%s'\n", o->now_text);
            return 2;
        }
        return 0;
    }
    if (o->bundled) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/NOW", bundled_dir());
        size_t len;
        char *text = read_file(path, &len);
        if (text) {
            bool ok = aiq_datetime_parse(text, len, now);
            aiq_xfree(text);
            if (ok) {
                char buf[64];
                aiq_datetime_format(*now, buf);
                fprintf(stderr, "aiq: bundled sample data: now() pinned to %s, the end of the sample (use --now to change)\n", buf);
                return 0;
            }
        }
    }
    *now = aiq_datetime_now();
    o->now_from_clock = true;
    return 0;
}

/* Renders a query's error like a compiler (FILE:LINE:COL, the line, a
 * caret) and returns its exit code. */
static int report(AiqError *err, const char *name, const char *text, size_t len)
{
    aiq_error_locate(err, text, len);
    aiq_error_print(stderr, err, name, text, len);
    return aiq_error_exit_code(err->code);
}

static int cmd_check(int argc, char **argv, Options *o, AiqSession *ses)
{
    bool syntax_only = false;
    int first = 1;
    if (first < argc && strcmp(argv[first], "--syntax") == 0) {
        syntax_only = true;
        first++;
    }
    bool columns = o->explain; /* check --explain: print the result columns as kqlcheck --columns does */
    aiq_session_options(ses)->bind_only = true;
    if (first >= argc) {
        fprintf(stderr, "usage: aiq check [--syntax] FILE.kql...\n");
        return 2;
    }
    int worst = 0;
    for (int i = first; i < argc; i++) {
        size_t len;
        char *text = read_file(argv[i], &len);
        if (!text) {
            fprintf(stderr, "aiq: %s: %s\n", argv[i], strerror(errno));
            worst = worst > 2 ? worst : 2;
            continue;
        }
        AiqError err = {0};
        AiqQuery *q = aiq_session_prepare(ses, text, len, syntax_only, &err);
        int code = q ? 0 : report(&err, argv[i], text, len);
        if (q && columns && !syntax_only && aiq_query_lets_only(q)) {
            printf("%s: ok\n", argv[i]); /* no result columns: kqlcheck --columns says ok */
        } else if (q && columns && !syntax_only) {
            printf("%s: columns: ", argv[i]);
            for (int c = 0; c < aiq_query_ncols(q); c++)
                printf("%s%s:%s", c ? ", " : "", aiq_query_col_name(q, c), aiq_type_name(aiq_query_col_type(q, c)));
            printf("\n");
        }
        aiq_query_free(q);
        if (code > worst)
            worst = code;
        aiq_xfree(text);
    }
    return worst;
}

/* aiq schema [--kusto] [TABLE]: each table (or the one named) as `.create
 * table`; with --kusto, as the commands that load it into Azure Data
 * Explorer, tables a blank line apart. */
static int cmd_schema(int argc, char **argv, AiqSession *ses, bool no_data, bool kusto)
{
    AiqStrBuf out;
    aiq_sb_init(&out);
    int rc = 0;
    for (int i = 0; i < aiq_session_ntables(ses); i++) {
        if (argc > 1 && strcmp(argv[1], aiq_session_table(ses, i).name) != 0)
            continue;
        AiqError err = {0};
        char *text = kusto ? aiq_session_kusto_table(ses, i, &err) : aiq_session_create_table(ses, i, &err);
        if (!text) {
            fprintf(stderr, "aiq: %s\n", err.msg);
            rc = 2;
            continue;
        }
        if (kusto && out.len)
            aiq_sb_putc(&out, '\n');
        aiq_sb_puts(&out, text);
        aiq_string_free(text);
    }
    AiqError err = {0};
    if (no_data && !aiq_session_ntables(ses)) {
        aiq_session_unknown_table(ses, argc > 1 ? argv[1] : "NAME", &err);
        fprintf(stderr, "aiq: %s\n", err.msg);
        rc = 2;
    } else if (argc > 1 && aiq_session_find_table(ses, argv[1]) < 0) {
        fprintf(stderr, "aiq: unknown table '%s'\n", argv[1]);
        rc = 2;
    }
    err = (AiqError){0};
    if (!aiq_write_all(stdout, aiq_sb_str(&out), out.len, &err)) {
        fprintf(stderr, "aiq: %s\n", err.msg);
        rc = 2;
    }
    aiq_sb_free(&out);
    return rc;
}

/* Runs (or explains) one query text: errors in it are shown under it; a
 * data file the command line named that cannot be read is an error too,
 * whether or not the query names its table. Returns the exit code. */
static int run_query(AiqSession *ses, const char *name, const char *text, size_t len, bool explain)
{
    AiqError err = {0};
    AiqQuery *q = aiq_session_prepare(ses, text, len, false, &err);
    if (!q)
        return report(&err, name, text, len);
    int rc = 0;
    const char *chart_file = aiq_session_options(ses)->chart_file;
    const char *render = aiq_query_render(q);
    if (chart_file && !explain && (!render || strcmp(render, "table") == 0)) {
        fprintf(stderr, "aiq: --chart %s: the query %s; end it with a chart such as '| render timechart'\n", chart_file,
                render ? "ends in 'render table', which draws no chart" : "does not end in 'render'");
        aiq_query_free(q);
        return 2;
    }
    if (!aiq_session_check_bindings(ses, &err)) {
        fprintf(stderr, "aiq: %s\n", err.msg);
        rc = aiq_error_exit_code(err.code);
    } else if (explain) {
        if (!aiq_query_explain(q, stdout, &err))
            rc = report(&err, name, text, len);
    } else {
        rc = aiq_query_run(q, stdout, &err);
        if (err.code != AIQ_OK)
            report(&err, name, text, len);
    }
    aiq_query_free(q);
    return rc;
}

/* A standard descriptor closed by the caller (`aiq ... >&-`) would be taken
 * by the next file aiq opens, and the result written into it. Park a
 * read-only /dev/null there instead, so that writing to it fails loudly. */
static void guard_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0 && null != fd) {
            dup2(null, fd);
            close(null);
        }
    }
}

/* Flushes and closes stdout: the last chance to see that output written
 * with printf (help, schema, check) did not arrive. A reader that went away
 * (EPIPE) is not a failure. Returns false after saying so on stderr. */
static bool close_stdout(void)
{
    errno = 0;
    bool failed = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = true;
        e = errno;
    }
    if (!failed || e == EPIPE)
        return true;
    fprintf(stderr, "aiq: cannot write the result: %s\n", e ? strerror(e) : "write error");
    return false;
}

int main(int argc, char **argv)
{
    guard_std_fds();
    /* A closed pipe is seen as EPIPE from write() and ends the output
     * quietly (out/output.h) instead of killing aiq mid-way with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    /* towlower/towupper need a UTF-8 LC_CTYPE for tolower()/toupper() on non-ASCII text */
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "");
    aiq_mem_hook_jansson();
#ifdef M_MMAP_THRESHOLD
    /* Each batch allocates and frees a few hundred KB of column arrays;
     * left to itself glibc hands those back to the kernel and faults fresh
     * zeroed pages in for the next batch. Keep them in the heap instead. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    Options o = {0};
    AiqSession *ses = aiq_session_new();
    /* A subcommand comes first; its options and files may then mix freely. */
    const char *sub = argc > 1 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "schema") == 0) ? argv[1] : NULL;
    bool syntax_flag = false, kusto_flag = false;
    if (sub) {
        /* a subcommand's own flag: check --syntax, schema --kusto */
        const char *flag = strcmp(sub, "check") == 0 ? "--syntax" : "--kusto";
        for (int i = 2; i < argc; i++)
            if (strcmp(argv[i], flag) == 0) {
                *(strcmp(sub, "check") == 0 ? &syntax_flag : &kusto_flag) = true;
                memmove(&argv[i], &argv[i + 1], sizeof *argv * (size_t)(argc - i));
                argc--;
                break;
            }
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    int rc = parse_options(argc, argv, &o, ses, sub != NULL);
    if (rc != 0) {
        rc = rc == OPTIONS_DONE ? 0 : rc;
        goto done;
    }
    argc -= optind;
    argv += optind;
    if (sub) {
        /* put the subcommand (and --syntax) back in front of the files */
        argv--;
        argc++;
        argv[0] = (char *)sub;
        if (syntax_flag) {
            static char *with_syntax[4096];
            if (argc + 1 > 4096) {
                fprintf(stderr, "aiq: too many files\n");
                rc = 2;
                goto done;
            }
            with_syntax[0] = (char *)sub;
            with_syntax[1] = "--syntax";
            memcpy(&with_syntax[2], &argv[1], sizeof *argv * (size_t)(argc - 1));
            argv = with_syntax;
            argc++;
        }
    }
    /* data file arguments: every argument but the query files (and schema's
     * TABLE); a subcommand after the options (aiq -d logs check q.kql) too */
    const char *late = !sub && argc > 0 && (strcmp(argv[0], "check") == 0 || strcmp(argv[0], "schema") == 0) ? argv[0] : NULL;
    const char *command = sub ? sub : late;
    if ((argc = bind_data_arguments(argc, argv, command ? 1 : 0, command, &o, ses)) < 0) {
        rc = 2;
        goto done;
    }
    if (!command && argc > 0 && (o.query_text || o.query_file || argc > 1)) {
        fprintf(stderr, "aiq: one query at a time: %s given besides %s (aiq check takes several files)\n",
                argv[argc - 1], o.query_text ? "-q" : o.query_file ? "-f" : argv[0]);
        rc = 2;
        goto done;
    }
    bool repl = !command && !o.query_text && !o.query_file && argc == 0 && isatty(STDIN_FILENO);
    if ((rc = setup_data(&o, ses, repl)) != 0)
        goto done;
    AiqOptions *ro = aiq_session_options(ses);
    *ro = (AiqOptions){.strict = o.strict, .format = o.format, .no_header = o.no_header, .crlf = o.crlf,
                       .color = o.color, .output_file = o.output_file, .fail_on_rows = o.fail_on_rows, .threads = o.threads, .timing = o.timing,
                       .param_names = (const char *const *)o.param_names,
                       .param_values = (const char *const *)o.param_values, .nparams = o.nparams,
                       .params_declared = true, .diag = stderr, .chart_file = o.chart_file,
                       /* progress only on a terminal, never in a pipe or a file */
                       .progress = isatty(STDERR_FILENO) && !o.explain, .progress_plain = plain_terminal()};
    bool is_check = argc > 0 && strcmp(argv[0], "check") == 0;
    if (is_check) {
        o.bundled = false;           /* no notice about now() when only checking */
        ro->params_optional = true;  /* a rule's parameters are checked without values */
    }
    if ((rc = resolve_now(&o, &ro->now)) != 0)
        goto done;
    if (o.max_memory)
        aiq_mem_set_limit(o.max_memory);
    else
        aiq_mem_set_default_limit();
    if (is_check)
        rc = cmd_check(argc, argv, &o, ses);
    else if (argc > 0 && strcmp(argv[0], "schema") == 0)
        rc = cmd_schema(argc, argv, ses, o.no_data, kusto_flag);
    else {
        const char *name = "query";
        char *text = NULL;
        size_t len = 0;
        if (o.query_text) {
            text = aiq_xstrndup(o.query_text, strlen(o.query_text));
            len = strlen(text);
        } else {
            const char *file = o.query_file ? o.query_file : argc > 0 ? argv[0] : NULL;
            if (file) {
                name = file;
                text = read_file(file, &len);
                if (!text) {
                    fprintf(stderr, "aiq: %s: %s\n", file, strerror(errno));
                    rc = 2;
                    goto done;
                }
            } else if (isatty(STDIN_FILENO)) {
                ro->params_declared = false; /* the REPL gives each query the parameters it declares */
                rc = aiq_repl_run(ses, !o.now_from_clock);
                goto done;
            } else {
                name = "stdin";
                text = read_all(stdin, &len);
            }
        }
        rc = run_query(ses, name, text, len, o.explain);
        aiq_xfree(text);
    }
done:
    aiq_session_free(ses);
    aiq_xfree(o.param_names);
    aiq_xfree(o.param_values);
    /* Output that did not arrive turns success (and an alert) into exit 2.
     * With rc 2 the failure, of input or of output, was already reported. */
    if (rc == 2)
        fclose(stdout);
    else if (!close_stdout() && (rc == 0 || rc == 3))
        rc = 2;
    return rc;
}
