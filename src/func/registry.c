/*
 * registry.c -- the table of built-ins (see registry.h).
 *
 * Result type codes: b bool, i int, l long, r real, s string, d datetime,
 * t timespan, y dynamic, 0 the type of argument 0, n numeric promotion of the
 * numeric arguments (long, or real when any is real), c the common type of the
 * value arguments (iff, case, coalesce), S sum type (int -> long, else arg 0),
 * A avg type (real; timespan and datetime stay).
 * Argument class codes: a any, n number, N number/datetime/timespan,
 * o orderable (number, string, datetime, timespan, bool), s string,
 * b bool, d datetime, t timespan, y dynamic, l integer, k constant string,
 * v any scalar, converted to its text as tostring() does (the functions whose
 * reference page says non-string arguments are "forcibly cast" to string),
 * K constant number, p "datetime part" constant string, * a star or any.
 * Kusto's naming rules come from the Kusto.Language symbol table.
 */
#include "func/registry.h"

#include <string.h>

#include "func/kernel.h"

#define SCALAR(name, lo, hi, ret, args, nk, pfx, kernel) {name, lo, hi, ret, args, nk, pfx, -1, AIQ_FN_NULLS_PROPAGATE, kernel}
#define SCALAR_RAW(name, lo, hi, ret, args, nk, pfx, kernel) {name, lo, hi, ret, args, nk, pfx, -1, 0, kernel}
#define AGG(name, lo, hi, ret, args, nk, pfx, kind) {name, lo, hi, ret, args, nk, pfx, kind, AIQ_FN_AGGREGATE, NULL}

static AiqFuncDef funcs[] = {
    /* conversions */
    SCALAR_RAW("tostring", 1, 1, 's', "a", AIQ_NAME_FIRST_ARG, NULL, k_tostring),
    SCALAR_RAW("tolong", 1, 1, 'l', "a", AIQ_NAME_FIRST_ARG, NULL, k_tolong),
    SCALAR_RAW("toint", 1, 1, 'i', "a", AIQ_NAME_FIRST_ARG, NULL, k_tolong),
    SCALAR_RAW("todouble", 1, 1, 'r', "a", AIQ_NAME_FIRST_ARG, NULL, k_toreal),
    SCALAR_RAW("toreal", 1, 1, 'r', "a", AIQ_NAME_FIRST_ARG, NULL, k_toreal),
    SCALAR_RAW("todecimal", 1, 1, 'r', "a", AIQ_NAME_FIRST_ARG, NULL, k_toreal),
    SCALAR_RAW("tobool", 1, 1, 'b', "a", AIQ_NAME_FIRST_ARG, NULL, k_tobool),
    SCALAR_RAW("toboolean", 1, 1, 'b', "a", AIQ_NAME_FIRST_ARG, NULL, k_tobool),
    SCALAR_RAW("todatetime", 1, 1, 'd', "a", AIQ_NAME_FIRST_ARG, NULL, k_todatetime),
    SCALAR_RAW("totimespan", 1, 1, 't', "a", AIQ_NAME_FIRST_ARG, NULL, k_totimespan),
    SCALAR_RAW("totime", 1, 1, 't', "a", AIQ_NAME_FIRST_ARG, NULL, k_totimespan),
    SCALAR_RAW("todynamic", 1, 1, 'y', "a", AIQ_NAME_FIRST_ARG, NULL, k_todynamic),
    SCALAR_RAW("parse_json", 1, 1, 'y', "a", AIQ_NAME_FIRST_ARG, NULL, k_todynamic),
    SCALAR_RAW("parsejson", 1, 1, 'y', "a", AIQ_NAME_FIRST_ARG, NULL, k_todynamic),
    /* null and emptiness tests */
    SCALAR_RAW("isnull", 1, 1, 'b', "a", AIQ_NAME_NONE, NULL, k_isnull),
    SCALAR_RAW("isnotnull", 1, 1, 'b', "a", AIQ_NAME_NONE, NULL, k_isnotnull),
    SCALAR_RAW("isempty", 1, 1, 'b', "a", AIQ_NAME_NONE, NULL, k_isempty),
    SCALAR_RAW("isnotempty", 1, 1, 'b', "a", AIQ_NAME_NONE, NULL, k_isnotempty),
    SCALAR_RAW("coalesce", 2, 64, 'c', "a", AIQ_NAME_NONE, NULL, k_coalesce),
    /* logic */
    SCALAR_RAW("iff", 3, 3, 'c', "baa", AIQ_NAME_NONE, NULL, k_iff),
    SCALAR_RAW("iif", 3, 3, 'c', "baa", AIQ_NAME_NONE, NULL, k_iff),
    SCALAR_RAW("case", 3, 255, 'c', "a", AIQ_NAME_NONE, NULL, k_case),
    SCALAR_RAW("not", 1, 1, 'b', "b", AIQ_NAME_NONE, NULL, k_not),
    /* strings */
    SCALAR("strlen", 1, 1, 'l', "s", AIQ_NAME_FUNC_ARG, NULL, k_strlen),
    SCALAR("tolower", 1, 1, 's', "v", AIQ_NAME_NONE, NULL, k_tolower),
    SCALAR("toupper", 1, 1, 's', "v", AIQ_NAME_NONE, NULL, k_toupper),
    SCALAR("substring", 2, 3, 's', "vll", AIQ_NAME_NONE, NULL, k_substring),
    SCALAR_RAW("strcat", 1, 64, 's', "a", AIQ_NAME_NONE, NULL, k_strcat),
    SCALAR_RAW("strcat_delim", 3, 65, 's', "va", AIQ_NAME_NONE, NULL, k_strcat_delim),
    SCALAR("split", 2, 3, 'y', "vsl", AIQ_NAME_FIRST_ARG, NULL, k_split),
    SCALAR("replace_string", 3, 3, 's', "sss", AIQ_NAME_NONE, NULL, k_replace_string),
    SCALAR("replace_regex", 3, 3, 's', "sks", AIQ_NAME_NONE, NULL, k_replace_regex),
    SCALAR("trim", 2, 2, 's', "ks", AIQ_NAME_NONE, NULL, k_trim),
    SCALAR("trim_start", 2, 2, 's', "ks", AIQ_NAME_NONE, NULL, k_trim),
    SCALAR("trim_end", 2, 2, 's', "ks", AIQ_NAME_NONE, NULL, k_trim),
    SCALAR("indexof", 2, 5, 'l', "vvl", AIQ_NAME_NONE, NULL, k_indexof),
    SCALAR("extract", 3, 4, 's', "kls", AIQ_NAME_NONE, NULL, k_extract),
    SCALAR("extract_all", 2, 3, 'y', "ksy", AIQ_NAME_NONE, NULL, k_extract_all),
    SCALAR("parse_url", 1, 1, 'y', "s", AIQ_NAME_NONE, NULL, k_parse_url),
    SCALAR("strrep", 2, 3, 's', "vlv", AIQ_NAME_NONE, NULL, k_strrep),
    SCALAR("reverse", 1, 1, 's', "v", AIQ_NAME_NONE, NULL, k_reverse),
    SCALAR("countof", 2, 3, 'l', "skk", AIQ_NAME_NONE, NULL, k_countof),
    /* dynamic */
    SCALAR("array_length", 1, 1, 'l', "y", AIQ_NAME_NONE, NULL, k_array_length),
    SCALAR("bag_keys", 1, 1, 'y', "y", AIQ_NAME_NONE, NULL, k_bag_keys),
    /* math */
    SCALAR("round", 1, 2, '0', "nl", AIQ_NAME_FIRST_ARG, NULL, k_round),
    SCALAR("floor", 2, 2, '0', "NN", AIQ_NAME_FIRST_ARG, NULL, k_bin),
    SCALAR("bin", 2, 2, '0', "NN", AIQ_NAME_FIRST_ARG, NULL, k_bin),
    SCALAR("bin_at", 3, 3, '0', "NNN", AIQ_NAME_FIRST_ARG, NULL, k_bin_at),
    SCALAR("ceiling", 1, 1, 'r', "n", AIQ_NAME_FIRST_ARG, NULL, k_math1),
    SCALAR("abs", 1, 1, '0', "N", AIQ_NAME_FIRST_ARG, NULL, k_abs),
    SCALAR("sqrt", 1, 1, 'r', "n", AIQ_NAME_FIRST_ARG, NULL, k_math1),
    SCALAR("log", 1, 1, 'r', "n", AIQ_NAME_FIRST_ARG, NULL, k_math1),
    SCALAR("log10", 1, 1, 'r', "n", AIQ_NAME_FIRST_ARG, NULL, k_math1),
    SCALAR("log2", 1, 1, 'r', "n", AIQ_NAME_FIRST_ARG, NULL, k_math1),
    SCALAR("exp", 1, 1, 'r', "n", AIQ_NAME_FIRST_ARG, NULL, k_math1),
    SCALAR("exp2", 1, 1, 'r', "n", AIQ_NAME_FIRST_ARG, NULL, k_math1),
    SCALAR("pow", 2, 2, 'r', "nn", AIQ_NAME_FIRST_ARG, NULL, k_pow),
    SCALAR("isnan", 1, 1, 'b', "n", AIQ_NAME_NONE, NULL, k_fpclass),
    SCALAR("isinf", 1, 1, 'b', "n", AIQ_NAME_NONE, NULL, k_fpclass),
    SCALAR("isfinite", 1, 1, 'b', "n", AIQ_NAME_NONE, NULL, k_fpclass),
    /* time */
    SCALAR("now", 0, 1, 'd', "t", AIQ_NAME_NONE, NULL, k_ago),
    SCALAR("ago", 1, 1, 'd', "t", AIQ_NAME_NONE, NULL, k_ago),
    SCALAR("startofday", 1, 2, 'd', "dl", AIQ_NAME_FIRST_ARG, NULL, k_startof),
    SCALAR("startofweek", 1, 2, 'd', "dl", AIQ_NAME_NONE, NULL, k_startof),
    SCALAR("startofmonth", 1, 2, 'd', "dl", AIQ_NAME_NONE, NULL, k_startof),
    SCALAR("startofyear", 1, 2, 'd', "dl", AIQ_NAME_NONE, NULL, k_startof),
    SCALAR("endofday", 1, 2, 'd', "dl", AIQ_NAME_NONE, NULL, k_startof),
    SCALAR("endofweek", 1, 2, 'd', "dl", AIQ_NAME_NONE, NULL, k_startof),
    SCALAR("endofmonth", 1, 2, 'd', "dl", AIQ_NAME_NONE, NULL, k_startof),
    SCALAR("datetime_diff", 3, 3, 'l', "pdd", AIQ_NAME_NONE, NULL, k_datetime_diff),
    SCALAR("datetime_add", 3, 3, 'd', "pld", AIQ_NAME_NONE, NULL, k_datetime_add),
    SCALAR("format_datetime", 2, 2, 's', "dk", AIQ_NAME_FIRST_ARG, NULL, k_format_datetime),
    SCALAR("dayofweek", 1, 1, 't', "d", AIQ_NAME_NONE, NULL, k_datepart),
    SCALAR("dayofmonth", 1, 1, 'i', "d", AIQ_NAME_NONE, NULL, k_datepart),
    SCALAR("dayofyear", 1, 1, 'i', "d", AIQ_NAME_NONE, NULL, k_datepart),
    SCALAR("hourofday", 1, 1, 'i', "d", AIQ_NAME_NONE, NULL, k_datepart),
    SCALAR("getyear", 1, 1, 'i', "d", AIQ_NAME_NONE, NULL, k_datepart),
    SCALAR("getmonth", 1, 1, 'i', "d", AIQ_NAME_NONE, NULL, k_datepart),
    SCALAR("monthofyear", 1, 1, 'i', "d", AIQ_NAME_NONE, NULL, k_datepart),
    SCALAR("unixtime_seconds_todatetime", 1, 1, 'd', "n", AIQ_NAME_NONE, NULL, k_unixtime),
    SCALAR("unixtime_milliseconds_todatetime", 1, 1, 'd', "n", AIQ_NAME_NONE, NULL, k_unixtime),
    /* aggregates */
    AGG("count", 0, 1, 'l', "b", AIQ_NAME_PREFIX_ARG, "count", AIQ_AGG_COUNT),
    AGG("countif", 1, 1, 'l', "b", AIQ_NAME_PREFIX_ARG, "countif", AIQ_AGG_COUNTIF),
    AGG("sum", 1, 1, 'S', "N", AIQ_NAME_PREFIX_ARG, "sum", AIQ_AGG_SUM),
    AGG("sumif", 2, 2, 'S', "Nb", AIQ_NAME_PREFIX_ARG, "sumif", AIQ_AGG_SUMIF),
    AGG("avg", 1, 1, 'A', "N", AIQ_NAME_PREFIX_ARG, "avg", AIQ_AGG_AVG),
    AGG("avgif", 2, 2, 'A', "Nb", AIQ_NAME_PREFIX_ARG, "avgif", AIQ_AGG_AVGIF),
    AGG("min", 1, 1, '0', "o", AIQ_NAME_PREFIX_ARG, "min", AIQ_AGG_MIN),
    AGG("max", 1, 1, '0', "o", AIQ_NAME_PREFIX_ARG, "max", AIQ_AGG_MAX),
    AGG("minif", 2, 2, '0', "ob", AIQ_NAME_PREFIX_ARG, "minif", AIQ_AGG_MINIF),
    AGG("maxif", 2, 2, '0', "ob", AIQ_NAME_PREFIX_ARG, "maxif", AIQ_AGG_MAXIF),
    AGG("dcount", 1, 2, 'l', "aK", AIQ_NAME_PREFIX_ARG, "dcount", AIQ_AGG_DCOUNT),
    AGG("dcountif", 2, 3, 'l', "abK", AIQ_NAME_PREFIX_ARG, "dcountif", AIQ_AGG_DCOUNTIF),
    AGG("percentile", 2, 2, '0', "NK", AIQ_NAME_PREFIX_ARG, "percentile", AIQ_AGG_PERCENTILE),
    AGG("percentiles", 2, 64, '0', "NK", AIQ_NAME_PREFIX_ARG, "percentile", AIQ_AGG_PERCENTILE),
    AGG("stdev", 1, 1, 'r', "n", AIQ_NAME_PREFIX_ARG, "stdev", AIQ_AGG_STDEV),
    AGG("stdevif", 2, 2, 'r', "nb", AIQ_NAME_PREFIX_ARG, "stdevif", AIQ_AGG_STDEVIF),
    AGG("variance", 1, 1, 'r', "n", AIQ_NAME_PREFIX_ARG, "variance", AIQ_AGG_VARIANCE),
    AGG("varianceif", 2, 2, 'r', "nb", AIQ_NAME_PREFIX_ARG, "varianceif", AIQ_AGG_VARIANCEIF),
    AGG("make_list", 1, 2, 'y', "aK", AIQ_NAME_PREFIX_ARG, "list", AIQ_AGG_MAKE_LIST),
    AGG("make_set", 1, 2, 'y', "aK", AIQ_NAME_PREFIX_ARG, "set", AIQ_AGG_MAKE_SET),
    AGG("arg_max", 1, 64, '0', "o*", AIQ_NAME_FIRST_ARG, NULL, AIQ_AGG_ARG_MAX),
    AGG("arg_min", 1, 64, '0', "o*", AIQ_NAME_FIRST_ARG, NULL, AIQ_AGG_ARG_MIN),
    AGG("take_any", 1, 64, '0', "*", AIQ_NAME_FIRST_ARG, NULL, AIQ_AGG_TAKE_ANY),
    AGG("any", 1, 64, '0', "*", AIQ_NAME_FIRST_ARG, NULL, AIQ_AGG_TAKE_ANY),
};

/* Operators, typed by the binder's own rules; listed so they have kernels. */
static AiqFuncDef operators[] = {
    SCALAR("+", 2, 2, 'n', "aa", AIQ_NAME_NONE, NULL, k_add),
    SCALAR("-", 2, 2, 'n', "aa", AIQ_NAME_NONE, NULL, k_sub),
    SCALAR("*", 2, 2, 'n', "aa", AIQ_NAME_NONE, NULL, k_mul),
    SCALAR("/", 2, 2, 'n', "aa", AIQ_NAME_NONE, NULL, k_div),
    SCALAR("%", 2, 2, 'n', "aa", AIQ_NAME_NONE, NULL, k_mod),
    SCALAR("neg", 1, 1, '0', "a", AIQ_NAME_NONE, NULL, k_neg),
    SCALAR_RAW("==", 2, 2, 'b', "aa", AIQ_NAME_NONE, NULL, k_eq),
    SCALAR_RAW("!=", 2, 2, 'b', "aa", AIQ_NAME_NONE, NULL, k_eq),
    SCALAR("<", 2, 2, 'b', "aa", AIQ_NAME_NONE, NULL, k_cmp),
    SCALAR("<=", 2, 2, 'b', "aa", AIQ_NAME_NONE, NULL, k_cmp),
    SCALAR(">", 2, 2, 'b', "aa", AIQ_NAME_NONE, NULL, k_cmp),
    SCALAR(">=", 2, 2, 'b', "aa", AIQ_NAME_NONE, NULL, k_cmp),
    SCALAR("=~", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!~", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR_RAW("and", 2, 2, 'b', "bb", AIQ_NAME_NONE, NULL, k_and),
    SCALAR_RAW("or", 2, 2, 'b', "bb", AIQ_NAME_NONE, NULL, k_or),
    SCALAR("has", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!has", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("has_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!has_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("contains", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!contains", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("contains_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!contains_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("startswith", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!startswith", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("startswith_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!startswith_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("endswith", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!endswith", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("endswith_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!endswith_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("hasprefix", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!hasprefix", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("hasprefix_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!hasprefix_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("hassuffix", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!hassuffix", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("hassuffix_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("!hassuffix_cs", 2, 2, 'b', "ss", AIQ_NAME_NONE, NULL, k_strop),
    SCALAR("has_any", 2, 64, 'b', "ss", AIQ_NAME_NONE, NULL, k_has_any),
    SCALAR("has_all", 2, 64, 'b', "ss", AIQ_NAME_NONE, NULL, k_has_any),
    SCALAR("matches regex", 2, 2, 'b', "sk", AIQ_NAME_NONE, NULL, k_matches),
    SCALAR_RAW("in", 2, 1000000, 'b', "a", AIQ_NAME_NONE, NULL, k_in),
    SCALAR_RAW("!in", 2, 1000000, 'b', "a", AIQ_NAME_NONE, NULL, k_in),
    SCALAR_RAW("in~", 2, 1000000, 'b', "s", AIQ_NAME_NONE, NULL, k_in),
    SCALAR_RAW("!in~", 2, 1000000, 'b', "s", AIQ_NAME_NONE, NULL, k_in),
    SCALAR("between", 3, 3, 'b', "NNN", AIQ_NAME_NONE, NULL, k_between),
    SCALAR("!between", 3, 3, 'b', "NNN", AIQ_NAME_NONE, NULL, k_between),
    SCALAR_RAW("[]", 2, 2, 'y', "ya", AIQ_NAME_NONE, NULL, k_index),
};

/* ORDER AGGS */
static const char *const agg_names[AIQ_AGG_COUNT_KINDS] = {
    "count", "countif", "sum", "sumif", "avg", "avgif", "min", "max", "minif", "maxif",
    "dcount", "dcountif", "percentile", "stdev", "stdevif", "variance", "varianceif",
    "make_list", "make_set", "arg_max", "arg_min", "take_any",
};

const char *aiq_agg_name(AiqAggKind k)
{
    return (unsigned)k < AIQ_AGG_COUNT_KINDS ? agg_names[k] : "?";
}

const AiqFuncDef *aiq_func_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (strcmp(funcs[i].name, name) == 0)
            return &funcs[i];
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
        if (strcmp(operators[i].name, name) == 0)
            return &operators[i];
    return NULL;
}

const char *const *aiq_func_names(size_t *n)
{
    static const char *names[sizeof funcs / sizeof funcs[0]];
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        names[i] = funcs[i].name;
    *n = sizeof funcs / sizeof funcs[0];
    return names;
}

bool aiq_func_is_operator(const AiqFuncDef *f)
{
    return f >= operators && f < operators + sizeof operators / sizeof operators[0];
}
