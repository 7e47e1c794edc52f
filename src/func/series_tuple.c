/*
 * series_tuple.c -- the columns of the functions that give several (see
 * series_tuple.h), in the order and with the types Kusto's analyzer gives
 * them (kqlcheck --columns).
 */
#include "func/series_tuple.h"

#define R AIQ_TYPE_REAL
#define L AIQ_TYPE_LONG
#define Y AIQ_TYPE_DYNAMIC

static const AiqTupleField stats[] = {
    {"min", "min", R}, {"min_idx", "min_idx", L}, {"max", "max", R}, {"max_idx", "max_idx", L},
    {"avg", "avg", R}, {"stdev", "stdev", R}, {"variance", "variance", R},
};
static const AiqTupleField fit_line[] = {
    {"rsquare", "rsquare", R}, {"slope", "slope", R}, {"variance", "variance", R},
    {"rvariance", "rvariance", R}, {"interception", "interception", R}, {"line_fit", "line_fit", Y},
};
static const AiqTupleField fit_2lines[] = {
    {"rsquare", "rsquare", R}, {"split_idx", "split_idx", L}, {"variance", "variance", R},
    {"rvariance", "rvariance", R}, {"line_fit", "line_fit", Y},
    {"right_rsquare", "right.rsquare", R}, {"right_slope", "right.slope", R},
    {"right_interception", "right.interception", R}, {"right_variance", "right.variance", R},
    {"right_rvariance", "right.rvariance", R},
    {"left_rsquare", "left.rsquare", R}, {"left_slope", "left.slope", R},
    {"left_interception", "left.interception", R}, {"left_variance", "left.variance", R},
    {"left_rvariance", "left.rvariance", R},
};
static const AiqTupleField fit_poly[] = {
    {"rsquare", "rsquare", R}, {"coefficients", "coefficients", Y}, {"variance", "variance", R},
    {"rvariance", "rvariance", R}, {"poly_fit", "poly_fit", Y},
};
static const AiqTupleField decompose[] = {
    {"baseline", "baseline", Y}, {"seasonal", "seasonal", Y}, {"trend", "trend", Y}, {"residual", "residual", Y},
};
static const AiqTupleField anomalies[] = {
    {"ad_flag", "ad_flag", Y}, {"ad_score", "ad_score", Y}, {"baseline", "baseline", Y},
};
static const AiqTupleField periods[] = {
    {"periods", "periods", Y}, {"scores", "scores", Y},
};

#define TUPLE(t) (*n = (int)(sizeof t / sizeof t[0]), t)

const AiqTupleField *aiq_func_tuple(AiqFuncId id, int *n)
{
    switch (id) {
    case AIQ_FN_SERIES_STATS: return TUPLE(stats);
    case AIQ_FN_SERIES_FIT_LINE: return TUPLE(fit_line);
    case AIQ_FN_SERIES_FIT_2LINES: return TUPLE(fit_2lines);
    case AIQ_FN_SERIES_FIT_POLY: return TUPLE(fit_poly);
    case AIQ_FN_SERIES_DECOMPOSE:
    case AIQ_FN_SERIES_DECOMPOSE_FORECAST: return TUPLE(decompose);
    case AIQ_FN_SERIES_DECOMPOSE_ANOMALIES: return TUPLE(anomalies);
    case AIQ_FN_SERIES_PERIODS_DETECT:
    case AIQ_FN_SERIES_PERIODS_VALIDATE: return TUPLE(periods);
    default: *n = 0; return NULL;
    }
}
