/*
 * aiq_types.h -- the value types of aiq's KQL subset, shared by every stage.
 *
 * datetime and timespan are 64-bit counts of 100 ns ticks (datetime from
 * 0001-01-01T00:00:00Z), exactly as Kusto stores them. int is a distinct
 * type for naming and typing (toint() returns int) but is stored as int64.
 */
#ifndef AIQ_TYPES_H
#define AIQ_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* ORDER TYPES: aiq_type_name() in src/util/types.c follows this order. */
typedef enum AiqType {
    AIQ_TYPE_UNKNOWN = 0, /* not yet typed (binder internal) */
    AIQ_TYPE_BOOL,
    AIQ_TYPE_INT,
    AIQ_TYPE_LONG,
    AIQ_TYPE_REAL,
    AIQ_TYPE_STRING,
    AIQ_TYPE_DATETIME,
    AIQ_TYPE_TIMESPAN,
    AIQ_TYPE_DYNAMIC,
    AIQ_TYPE_COUNT
} AiqType;

/* A string slice; not NUL-terminated, points into an arena or chunk heap. */
typedef struct AiqStr {
    const char *ptr;
    uint32_t len;
} AiqStr;

#define AIQ_TICKS_PER_SECOND 10000000LL
#define AIQ_TICKS_PER_MS 10000LL
#define AIQ_TICKS_PER_MINUTE (60 * AIQ_TICKS_PER_SECOND)
#define AIQ_TICKS_PER_HOUR (3600 * AIQ_TICKS_PER_SECOND)
#define AIQ_TICKS_PER_DAY (86400 * AIQ_TICKS_PER_SECOND)
/* Ticks between 0001-01-01 and the Unix epoch 1970-01-01. */
#define AIQ_UNIX_EPOCH_TICKS 621355968000000000LL

/* Sort flags of sort/top keys, and the kinds of join; shared by the parser,
 * the plan and the executor. */
enum { AIQ_SORT_DESC = 1, AIQ_SORT_ASC = 2, AIQ_SORT_NULLS_FIRST = 4, AIQ_SORT_NULLS_LAST = 8 };

typedef enum AiqJoinKind {
    AIQ_JOIN_INNERUNIQUE = 0, AIQ_JOIN_INNER, AIQ_JOIN_LEFTOUTER, AIQ_JOIN_RIGHTOUTER,
    AIQ_JOIN_FULLOUTER, AIQ_JOIN_LEFTANTI, AIQ_JOIN_RIGHTANTI, AIQ_JOIN_LEFTSEMI,
    AIQ_JOIN_RIGHTSEMI, AIQ_JOIN_KIND_COUNT
} AiqJoinKind;

/* The kinds of parse (kind=simple, regex, relaxed). */
enum { AIQ_PARSE_SIMPLE = 0, AIQ_PARSE_REGEX, AIQ_PARSE_RELAXED };

/* Returns the KQL name of a type ("long", "datetime", ...); never NULL. */
const char *aiq_type_name(AiqType t);
/* Parses a KQL type name (also int32/int64/double/decimal/guid/date/time aliases).
 * Returns AIQ_TYPE_UNKNOWN when the name is not a type. */
AiqType aiq_type_from_name(const char *name, int len);
/* True for types stored as int64 payloads (int, long, datetime, timespan). */
static inline bool aiq_type_is_i64(AiqType t)
{
    return t == AIQ_TYPE_INT || t == AIQ_TYPE_LONG || t == AIQ_TYPE_DATETIME ||
           t == AIQ_TYPE_TIMESPAN;
}
static inline bool aiq_type_is_numeric(AiqType t)
{
    return t == AIQ_TYPE_INT || t == AIQ_TYPE_LONG || t == AIQ_TYPE_REAL;
}
/* Truncates a real to a long. False for NaN, infinities and values outside
 * the long range: converting those in C is undefined behaviour, and in KQL
 * the result is null. */
static inline bool aiq_real_to_long(double d, int64_t *out)
{
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0))
        return false;
    *out = (int64_t)d;
    return true;
}

#endif
