/*
 * scalar_tz.c -- datetime_utc_to_local(), datetime_local_to_utc() and
 * datetime_list_timezones() over the system's IANA zone database
 * (/usr/share/zoneinfo, or $TZDIR). A zone file (TZif, RFC 8536) gives its
 * transitions; past the last one its footer's POSIX rule gives the
 * daylight-saving changes (M month.week.day rules, the form every zone
 * uses today). Zones are read once per kernel call and kept by name for
 * its rows. An unknown zone gives null; a constant one is an error when
 * the query is bound (bind/builtin_rules.c asks aiq_tz_known()).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "func/kernel.h"
#include "func/datetime.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/sort.h"

/* A DST rule of a POSIX TZ string: month, week (5 = last), weekday, and
 * the local time of the change in seconds (may pass 24 h or be negative). */
typedef struct TzRule {
    int month, week, wday;
    int32_t time;
} TzRule;

typedef struct TzZone {
    char name[128];
    int64_t *when;       /* transition instants, Unix seconds, ascending */
    int32_t *off_after;  /* the UTC offset from each transition on */
    int n;
    int32_t first_off;   /* the offset before the first transition */
    bool has_rule;       /* the footer's rule, for after the last transition */
    int32_t std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    TzRule start, end;
} TzZone;

static const char *zone_dir(void)
{
    const char *d = getenv("TZDIR");
    return d && *d ? d : "/usr/share/zoneinfo";
}

/* Whether name can be a zone's file name: letters, digits, '/', '_', '-',
 * '+', no "..", not absolute. */
static bool safe_zone_name(const char *name, size_t n)
{
    if (n == 0 || n >= 120 || name[0] == '/' || name[0] == '.')
        return false;
    for (size_t k = 0; k < n; k++) {
        char c = name[k];
        if (!(isalnum((unsigned char)c) || c == '/' || c == '_' || c == '-' || c == '+'))
            return false;
        if (c == '/' && k + 1 < n && name[k + 1] == '.')
            return false;
    }
    return true;
}

static int64_t be_int(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int k = 0; k < bytes; k++)
        v = v << 8 | p[k];
    return bytes == 4 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}

/* ---- the POSIX rule of the footer ---------------------------------------------- */

/* Parses [+-]hh[:mm[:ss]] as seconds. */
static bool posix_seconds(const char **s, int32_t *out)
{
    const char *p = *s;
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    int32_t v = 0;
    for (int part = 0; part < 3; part++) {
        if (!isdigit((unsigned char)*p))
            return false;
        int32_t x = 0;
        while (isdigit((unsigned char)*p))
            x = x * 10 + (*p++ - '0');
        v += x * (part == 0 ? 3600 : part == 1 ? 60 : 1);
        if (*p != ':')
            break;
        p++;
    }
    *out = sign * v;
    *s = p;
    return true;
}

static bool posix_name(const char **s)
{
    const char *p = *s;
    if (*p == '<') {
        while (*p && *p != '>')
            p++;
        if (*p != '>')
            return false;
        p++;
    } else {
        while (isalpha((unsigned char)*p))
            p++;
    }
    bool ok = p - *s >= 3;
    *s = p;
    return ok;
}

/* ",Mm.w.d[/time]" */
static bool posix_rule(const char **s, TzRule *r)
{
    const char *p = *s;
    if (*p++ != ',' || *p++ != 'M')
        return false;
    r->month = (int)strtol(p, (char **)&p, 10);
    if (*p++ != '.')
        return false;
    r->week = (int)strtol(p, (char **)&p, 10);
    if (*p++ != '.')
        return false;
    r->wday = (int)strtol(p, (char **)&p, 10);
    r->time = 7200;
    if (*p == '/' && (p++, !posix_seconds(&p, &r->time)))
        return false;
    *s = p;
    return r->month >= 1 && r->month <= 12 && r->week >= 1 && r->week <= 5 && r->wday >= 0 && r->wday <= 6;
}

/* Reads a footer such as "PST8PDT,M3.2.0,M11.1.0". POSIX offsets count
 * west of UTC; the zone keeps them east. */
static void parse_footer(TzZone *z, const char *s)
{
    int32_t west;
    if (!posix_name(&s) || !posix_seconds(&s, &west))
        return;
    z->std_off = -west;
    z->has_rule = true;
    if (!*s)
        return;
    if (!posix_name(&s))
        return;
    z->dst_off = z->std_off + 3600;
    if (*s && *s != ',' && posix_seconds(&s, &west))
        z->dst_off = -west;
    z->has_dst = posix_rule(&s, &z->start) && posix_rule(&s, &z->end);
    if (!z->has_dst)
        z->has_rule = false; /* a rule aiq does not read: the last transition stands */
}

static int64_t days_from_civil_unix(int64_t y, unsigned m, unsigned d)
{
    return aiq_days_from_civil(y, m, d) - aiq_days_from_civil(1970, 1, 1);
}

/* The Unix day of rule r's change in year y. */
static int64_t rule_day(const TzRule *r, int64_t y)
{
    int64_t first = days_from_civil_unix(y, (unsigned)r->month, 1);
    int wday_first = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int64_t day = first + ((r->wday - wday_first + 7) % 7) + 7 * (r->week - 1);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int len = mdays[r->month - 1] + (r->month == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    while (day >= first + len)
        day -= 7;
    return day;
}

/* The offset the footer's rule gives at instant t (Unix seconds). */
static int32_t rule_offset(const TzZone *z, int64_t t)
{
    if (!z->has_dst)
        return z->std_off;
    int64_t y;
    unsigned m, d;
    aiq_civil_from_days(aiq_days_from_civil(1970, 1, 1) + (t >= 0 ? t / 86400 : (t - 86399) / 86400), &y, &m, &d);
    /* the changes happen at local times: the start in standard time, the end in daylight time */
    int64_t start = rule_day(&z->start, y) * 86400 + z->start.time - z->std_off;
    int64_t end = rule_day(&z->end, y) * 86400 + z->end.time - z->dst_off;
    bool dst = start < end ? t >= start && t < end : !(t >= end && t < start); /* southern zones: across new year */
    return dst ? z->dst_off : z->std_off;
}

/* ---- zone files ------------------------------------------------------------------ */

/* Reads zone `name` into z; false when there is no such zone. */
static bool load_zone(const char *name, size_t n, TzZone *z)
{
    memset(z, 0, sizeof *z);
    if (!safe_zone_name(name, n))
        return false;
    memcpy(z->name, name, n);
    char path[512];
    snprintf(path, sizeof path, "%s/%.*s", zone_dir(), (int)n, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char *buf = aiq_xmalloc(1 << 17);
    size_t len = fread(buf, 1, 1 << 17, f);
    fclose(f);
    bool ok = false;
    if (len < 44 || memcmp(buf, "TZif", 4) != 0)
        goto done;
    /* skip the version 1 block (32-bit times) to the version 2 one when there is one */
    const unsigned char *h = buf;
    int time_size = 4;
    for (int pass = 0; pass < 2; pass++) {
        int64_t isut = be_int(h + 20, 4), isstd = be_int(h + 24, 4), leap = be_int(h + 28, 4);
        int64_t timecnt = be_int(h + 32, 4), typecnt = be_int(h + 36, 4), charcnt = be_int(h + 40, 4);
        size_t block = (size_t)(timecnt * time_size + timecnt + typecnt * 6 + charcnt + leap * (time_size + 4) + isstd + isut);
        if (timecnt < 0 || typecnt < 1 || (size_t)(h - buf) + 44 + block > len)
            goto done;
        if (pass == 0 && h[4] >= '2') {
            h += 44 + block;
            time_size = 8;
            if ((size_t)(h - buf) + 44 > len || memcmp(h, "TZif", 4) != 0)
                goto done;
            continue;
        }
        const unsigned char *times = h + 44, *idx = times + timecnt * time_size, *types = idx + timecnt;
        z->n = (int)timecnt;
        z->when = aiq_xmalloc(sizeof *z->when * (size_t)(timecnt + 1));
        z->off_after = aiq_xmalloc(sizeof *z->off_after * (size_t)(timecnt + 1));
        for (int64_t k = 0; k < timecnt; k++) {
            int t = idx[k] < typecnt ? idx[k] : 0;
            z->when[k] = be_int(times + k * time_size, time_size);
            z->off_after[k] = (int32_t)be_int(types + 6 * t, 4);
        }
        z->first_off = (int32_t)be_int(types, 4);
        const unsigned char *foot = types + typecnt * 6 + charcnt + leap * (time_size + 4) + isstd + isut;
        if (time_size == 8 && foot < buf + len && *foot == '\n') {
            const unsigned char *nl = memchr(foot + 1, '\n', (size_t)(buf + len - foot - 1));
            if (nl) {
                char rule[128];
                size_t rl = (size_t)(nl - foot - 1) < sizeof rule - 1 ? (size_t)(nl - foot - 1) : sizeof rule - 1;
                memcpy(rule, foot + 1, rl);
                rule[rl] = '\0';
                parse_footer(z, rule);
            }
        }
        ok = true;
        break;
    }
done:
    aiq_xfree(buf);
    if (!ok) {
        aiq_xfree(z->when);
        aiq_xfree(z->off_after);
        z->when = NULL;
        z->off_after = NULL;
    }
    return ok;
}

static void free_zone(TzZone *z)
{
    aiq_xfree(z->when);
    aiq_xfree(z->off_after);
}

/* The UTC offset of zone z at instant t (Unix seconds), in seconds. */
static int32_t zone_offset(const TzZone *z, int64_t t)
{
    if (z->n == 0 || t < z->when[0])
        return z->n == 0 && z->has_rule ? rule_offset(z, t) : z->first_off;
    if (t >= z->when[z->n - 1] && z->has_rule)
        return rule_offset(z, t);
    int lo = 0, hi = z->n - 1; /* the last transition at or before t */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (z->when[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return z->off_after[lo];
}

bool aiq_tz_known(const char *name, size_t n)
{
    TzZone z;
    bool ok = load_zone(name, n, &z);
    if (ok)
        free_zone(&z);
    return ok;
}

/* ---- kernels ----------------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* The zone of a row: the last one read when it has the same name. */
typedef struct ZoneCache {
    TzZone zone;
    bool loaded, valid;
} ZoneCache;

static const TzZone *zone_for(ZoneCache *c, AiqStr name)
{
    if (c->loaded && strlen(c->zone.name) == name.len && memcmp(c->zone.name, name.ptr, name.len) == 0)
        return c->valid ? &c->zone : NULL;
    if (c->loaded && c->valid)
        free_zone(&c->zone);
    c->loaded = true;
    c->valid = load_zone(name.ptr, name.len, &c->zone);
    if (!c->valid)
        snprintf(c->zone.name, sizeof c->zone.name, "%.*s", name.len < 120 ? (int)name.len : 120, name.ptr);
    return c->valid ? &c->zone : NULL;
}

/* datetime_utc_to_local(utc, zone): the local time; datetime_local_to_utc
 * (local, zone): the instant, read with the offset in force an offset of
 * the zone's standard time before it (so a local time the clocks skipped
 * takes the offset after the change, as the page's Brussels example
 * shows: 02:00 on 2022-03-27 is 00:00 UTC). Null for an unknown zone. */
KERNEL(k_datetime_tz)
{
    bool to_local = e->fn->id == AIQ_FN_DATETIME_UTC_TO_LOCAL;
    ZoneCache cache = {0};
    FOR_ROWS(i) {
        const TzZone *z = zone_for(&cache, STR(a[1], i));
        if (!z) {
            SETNULL(ctx, out, i);
            continue;
        }
        int64_t t = I64(a[0], i), secs = floor_div(t - AIQ_UNIX_EPOCH_TICKS, AIQ_TICKS_PER_SECOND);
        int64_t off;
        if (to_local) {
            off = zone_offset(z, secs);
        } else {
            int32_t before = zone_offset(z, secs - 86400), after = zone_offset(z, secs + 86400);
            int32_t std = before < after ? before : after;
            off = -(int64_t)zone_offset(z, secs - std);
        }
        out->data.i64[i] = t + off * AIQ_TICKS_PER_SECOND;
    }
    if (cache.loaded && cache.valid)
        free_zone(&cache.zone);
}

static int name_order(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* Adds the zones under dir (a path below the zone directory) to names. */
static void list_zones(const char *root, const char *dir, char ***names, size_t *n, size_t *cap, int depth)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", root, *dir ? "/" : "", dir);
    DIR *d = opendir(path);
    if (!d || depth > 4) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *ent;
    while ((ent = readdir(d))) {
        const char *nm = ent->d_name;
        /* posix/ and right/ repeat the zones; the rest are not zones */
        if (nm[0] == '.' || !isupper((unsigned char)nm[0]) || strchr(nm, '.') ||
            (depth == 0 && (strcmp(nm, "posix") == 0 || strcmp(nm, "right") == 0 || strcmp(nm, "Factory") == 0)))
            continue;
        char rel[512];
        snprintf(rel, sizeof rel, "%s%s%s", dir, *dir ? "/" : "", nm);
        char full[1024];
        snprintf(full, sizeof full, "%s/%s", root, rel);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            list_zones(root, rel, names, n, cap, depth + 1);
            continue;
        }
        FILE *f = fopen(full, "rb");
        char magic[4] = {0};
        if (f) {
            if (fread(magic, 1, 4, f) != 4)
                magic[0] = 0;
            fclose(f);
        }
        if (memcmp(magic, "TZif", 4) != 0)
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 512;
            *names = aiq_xrealloc(*names, sizeof **names * *cap);
        }
        (*names)[(*n)++] = aiq_xstrndup(rel, strlen(rel));
    }
    closedir(d);
}

/* datetime_list_timezones(): the zones of the system's database, sorted. */
KERNEL(k_datetime_list_timezones)
{
    char **names = NULL;
    size_t nn = 0, cap = 0;
    list_zones(zone_dir(), "", &names, &nn, &cap, 0);
    aiq_sort(names, nn, sizeof *names, name_order);
    json_t *arr = json_array();
    for (size_t k = 0; k < nn; k++) {
        json_array_append_new(arr, json_string(names[k]));
        aiq_xfree(names[k]);
    }
    aiq_xfree(names);
    aiq_eval_own(ctx, arr);
    FOR_ROWS(i) out->data.dyn[i] = arr;
}
