/*
 * jsonpath.c -- parsing and following the JSONPath subset of jsonpath.h.
 */
#include "func/jsonpath.h"

#include <ctype.h>
#include <string.h>

/* .name: letters, digits, '_', '-', '@', '$' and anything past ASCII. */
static bool name_char(unsigned char c) { return isalnum(c) || c == '_' || c == '-' || c == '@' || c == '$' || c >= 0x80; }

int aiq_jsonpath_parse(AiqStr path, bool bare_key_ok, AiqJsonStep *steps)
{
    const char *p = path.ptr, *end = p + path.len;
    if (p == end || *p != '$') {
        if (!bare_key_ok || p == end)
            return -1;
        steps[0] = (AiqJsonStep){path, -1};
        return 1;
    }
    p++;
    int n = 0;
    while (p < end) {
        if (n == AIQ_JSONPATH_MAX_STEPS)
            return -1;
        if (*p == '.') {
            const char *s = ++p;
            while (p < end && name_char((unsigned char)*p))
                p++;
            if (p == s)
                return -1;
            steps[n++] = (AiqJsonStep){{s, (uint32_t)(p - s)}, -1};
        } else if (*p == '[' && p + 1 < end && (p[1] == '\'' || p[1] == '"')) {
            char q = p[1];
            const char *s = p + 2, *close = memchr(s, q, (size_t)(end - s));
            if (!close || close + 1 >= end || close[1] != ']')
                return -1;
            steps[n++] = (AiqJsonStep){{s, (uint32_t)(close - s)}, -1};
            p = close + 2;
        } else if (*p == '[') {
            int64_t ix = 0;
            const char *s = ++p;
            while (p < end && isdigit((unsigned char)*p) && ix < ((int64_t)1 << 40))
                ix = ix * 10 + (*p++ - '0');
            if (p == s || p >= end || *p != ']')
                return -1;
            p++;
            steps[n++] = (AiqJsonStep){{NULL, 0}, ix};
        } else {
            return -1;
        }
    }
    return n;
}

json_t *aiq_jsonpath_get(json_t *root, const AiqJsonStep *steps, int n)
{
    json_t *v = root;
    for (int k = 0; k < n && v; k++) {
        if (steps[k].index >= 0)
            v = json_is_array(v) ? json_array_get(v, (size_t)steps[k].index) : NULL;
        else
            v = json_is_object(v) ? json_object_getn(v, steps[k].key.ptr, steps[k].key.len) : NULL;
    }
    return v;
}
