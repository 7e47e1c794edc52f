/*
 * ndjson_diff.c -- compares two NDJSON files as multisets of rows: the same
 * columns in the same order, equal values, reals equal within a relative
 * 1e-9 (so an oracle in another language may sum in another order).
 * Prints the rows found on one side only; exit 0 when the files agree.
 *   ndjson_diff EXPECTED ACTUAL
 */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same(json_t *a, json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) {
        double x = json_number_value(a), y = json_number_value(b);
        return x == y || fabs(x - y) <= 1e-9 * fmax(fabs(x), fabs(y));
    }
    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b))
            return false;
        void *ia = json_object_iter(a), *ib = json_object_iter(b);
        for (; ia && ib; ia = json_object_iter_next(a, ia), ib = json_object_iter_next(b, ib))
            if (strcmp(json_object_iter_key(ia), json_object_iter_key(ib)) != 0 ||
                !same(json_object_iter_value(ia), json_object_iter_value(ib)))
                return false;
        return true;
    }
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    }
    return json_equal(a, b);
}

static json_t **load(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    json_t **rows = NULL;
    size_t cap = 0;
    *n = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        if (len <= 1)
            continue;
        json_error_t e;
        json_t *j = json_loadb(line, (size_t)len, JSON_DECODE_ANY | JSON_PRESERVE_ORDER, &e);
        if (!j) {
            fprintf(stderr, "%s: not JSON: %s", path, line);
            exit(2);
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            rows = realloc(rows, sizeof *rows * cap);
        }
        rows[(*n)++] = j;
    }
    free(line);
    fclose(f);
    return rows;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: ndjson_diff EXPECTED ACTUAL\n");
        return 2;
    }
    size_t ne, na;
    json_t **e = load(argv[1], &ne), **a = load(argv[2], &na);
    char *used = calloc(na + 1, 1);
    int bad = 0;
    for (size_t i = 0; i < ne; i++) {
        size_t j = 0;
        while (j < na && (used[j] || !same(e[i], a[j])))
            j++;
        if (j < na) {
            used[j] = 1;
            continue;
        }
        char *s = json_dumps(e[i], JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (bad++ < 10)
            printf("missing: %s\n", s);
        free(s);
    }
    for (size_t j = 0; j < na; j++) {
        if (used[j])
            continue;
        char *s = json_dumps(a[j], JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (bad++ < 20)
            printf("unexpected: %s\n", s);
        free(s);
    }
    if (bad)
        printf("%zu expected rows, %zu actual rows, %d differences\n", ne, na, bad);
    for (size_t i = 0; i < ne; i++)
        json_decref(e[i]);
    for (size_t j = 0; j < na; j++)
        json_decref(a[j]);
    free(e);
    free(a);
    free(used);
    return bad ? 1 : 0;
}
