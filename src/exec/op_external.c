/*
 * op_external.c -- externaldata: the rows of the files it names, read by
 * io/external.c in the columns the query declares. The files are read at
 * the first call, each whole (see external.c), into one table.
 */
#include "exec/op.h"

#include <string.h>

#include "io/external.h"

static AiqTable *external_compute(AiqOp *op)
{
    const AiqPlan *p = op->p;
    AiqTable *t = aiq_table_new(&p->schema);
    for (int i = 0; i < p->npaths; i++) {
        const char *scheme_end = strstr(p->paths[i], "://");
        if (scheme_end) { /* (file:// was taken off by the binder) */
            aiq_error_set(op->ex->err, AIQ_ERR_IO, p->path_spans[2 * i], p->path_spans[2 * i + 1],
                          "aiq reads local files only: download it first, then name the file (%.*s)",
                          (int)(scheme_end - p->paths[i]), p->paths[i]);
            aiq_table_free(t);
            return NULL;
        }
        AiqExternalFormat f = p->ext_format >= 0 ? (AiqExternalFormat)p->ext_format : aiq_external_format_of_path(p->paths[i]);
        if (!aiq_external_read(t, p->paths[i], f, p->ext_ignore_first, op->ex->err) || !aiq_op_check_limits(op->ex)) {
            if (op->ex->err->offset < 0) { /* shown under the operator in the query */
                op->ex->err->offset = p->table_off;
                op->ex->err->length = p->table_len;
            }
            aiq_table_free(t);
            return NULL;
        }
    }
    op->ex->rows_scanned += t->nrows;
    return t;
}

static const AiqOpVtable external_vt = {.compute = external_compute};

AiqOp *aiq_op_external(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new(ex, &external_vt, sizeof(AiqOp), p, NULL);
}
