/*
 * series_tuple.h -- the functions whose result Kusto gives as several
 * columns (a tuple): series_stats, series_fit_line, series_fit_2lines,
 * series_fit_poly, series_decompose, series_decompose_anomalies,
 * series_decompose_forecast, series_periods_detect and
 * series_periods_validate. Their kernels return one bag per row; when such
 * a call stands alone as an extend, project or print item, the binder
 * makes one column per field, named <function>_<argument>_<field> unless
 * `(a, b, ...) =` names the first ones (bind/tuple.c). Anywhere else the
 * call is an error, as in Kusto.
 */
#ifndef AIQ_FUNC_SERIES_TUPLE_H
#define AIQ_FUNC_SERIES_TUPLE_H

#include "aiq/aiq_types.h"
#include "func/registry.h"

typedef struct AiqTupleField {
    const char *name; /* the column name's last part: series_fit_line_x_<name> */
    const char *path; /* the field in the bag, keys separated by '.' ("right.slope") */
    AiqType type;     /* the column's type */
} AiqTupleField;

/* The columns of function id in order, *n of them; NULL (*n = 0) when the
 * function gives one value. */
const AiqTupleField *aiq_func_tuple(AiqFuncId id, int *n);

#endif
