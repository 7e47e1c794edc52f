/*
 * types.c -- names of the KQL types (see include/aiq/aiq_types.h).
 */
#include <string.h>
#include <strings.h>

#include "aiq/aiq_types.h"

/* ORDER TYPES */
static const char *const type_names[AIQ_TYPE_COUNT] = {
    "unknown", "bool", "int", "long", "real", "string", "datetime", "timespan", "dynamic",
};

const char *aiq_type_name(AiqType t)
{
    return (unsigned)t < AIQ_TYPE_COUNT ? type_names[t] : "unknown";
}

AiqType aiq_type_from_name(const char *name, int len)
{
    static const struct {
        const char *name;
        AiqType type;
    } aliases[] = {
        {"bool", AIQ_TYPE_BOOL},         {"boolean", AIQ_TYPE_BOOL},
        {"int", AIQ_TYPE_INT},           {"int32", AIQ_TYPE_INT},
        {"long", AIQ_TYPE_LONG},         {"int64", AIQ_TYPE_LONG},
        {"real", AIQ_TYPE_REAL},         {"double", AIQ_TYPE_REAL},
        {"decimal", AIQ_TYPE_REAL},      {"string", AIQ_TYPE_STRING},
        {"guid", AIQ_TYPE_STRING},       {"uniqueid", AIQ_TYPE_STRING},
        {"datetime", AIQ_TYPE_DATETIME}, {"date", AIQ_TYPE_DATETIME},
        {"timespan", AIQ_TYPE_TIMESPAN}, {"time", AIQ_TYPE_TIMESPAN},
        {"dynamic", AIQ_TYPE_DYNAMIC},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if ((int)strlen(aliases[i].name) == len && strncmp(aliases[i].name, name, len) == 0)
            return aliases[i].type;
    return AIQ_TYPE_UNKNOWN;
}
