/*
 * kusto.c -- aiq schema --kusto: what loads a session's table into Azure
 * Data Explorer from the same JSON-lines files, so that the saved queries
 * run there unchanged. For each table: `.create table` with the types aiq
 * uses, a JSON ingestion mapping taking each column from the top-level
 * key of the same name (nested objects such as Properties stay one dynamic
 * column), and an example `.ingest` per file with the mapping. Commands
 * are separated by blank lines, as Kusto's tools run one command a block.
 */
#include "session/session_internal.h"

#include <jansson.h>
#include <string.h>

#include "core/json_text.h"
#include "io/jsonl.h"
#include "lex/lexer.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The placeholder of the storage account, where the files are uploaded. */
#define BLOB_ROOT "https://ACCOUNT.blob.core.windows.net/CONTAINER/"

/* Appends text as a JSON string. */
static void put_json_string(AiqStrBuf *sb, const char *text)
{
    json_t *j = json_string(text);
    char *dumped = aiq_json_dumps(j, 0);
    aiq_sb_puts(sb, dumped ? dumped : "\"\"");
    aiq_xfree(dumped);
    json_decref(j);
}

/* Whether name can follow "$." in a JSON path (else it is bracketed). */
static bool plain_key(const char *name)
{
    if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_'))
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* The JSON path of a top-level key: $.Name, or $['odd name'] with ' and \
 * escaped by a backslash (Kusto's JSONPath). */
static void put_json_path(AiqStrBuf *path, const char *name)
{
    if (plain_key(name)) {
        aiq_sb_printf(path, "$.%s", name);
        return;
    }
    aiq_sb_puts(path, "$['");
    for (const char *p = name; *p; p++) {
        if (*p == '\'' || *p == '\\')
            aiq_sb_putc(path, '\\');
        aiq_sb_putc(path, *p);
    }
    aiq_sb_puts(path, "']");
}

/* The mapping's name as a KQL string literal, and as text. */
static void put_mapping_name(AiqStrBuf *sb, const char *table, char quote)
{
    aiq_sb_putc(sb, quote);
    for (const char *p = table; *p; p++) {
        if (*p == quote || *p == '\\')
            aiq_sb_putc(sb, '\\');
        aiq_sb_putc(sb, *p);
    }
    aiq_sb_printf(sb, "_mapping%c", quote);
}

/* Appends text as a KQL string literal that holds it unescaped: a
 * multi-line ``` literal, readable as JSON; a verbatim @'...' (quotes
 * doubled) should the text hold ``` itself. */
static void put_kql_block(AiqStrBuf *sb, const char *text)
{
    if (!strstr(text, "```")) {
        aiq_sb_printf(sb, "```\n%s\n```\n", text);
        return;
    }
    aiq_sb_puts(sb, "@'");
    for (const char *p = text; *p; p++) {
        if (*p == '\'')
            aiq_sb_putc(sb, '\'');
        aiq_sb_putc(sb, *p == '\n' ? ' ' : *p);
    }
    aiq_sb_puts(sb, "'\n");
}

/* .create-or-alter table T ingestion json mapping "T_mapping" [...]: each
 * column from the key of its name, with its type. */
static void put_mapping(AiqStrBuf *sb, const AiqCatalogTable *t)
{
    AiqStrBuf json, path;
    aiq_sb_init(&json);
    aiq_sb_init(&path);
    aiq_sb_puts(&json, "[");
    for (int c = 0; c < t->schema.ncols; c++) {
        const AiqColumn *col = &t->schema.cols[c];
        aiq_sb_puts(&json, c ? ",\n  " : "\n  ");
        aiq_sb_puts(&json, "{\"column\": ");
        put_json_string(&json, col->name);
        aiq_sb_printf(&json, ", \"datatype\": \"%s\", \"Properties\": {\"Path\": ", aiq_type_name(col->type));
        aiq_sb_clear(&path);
        put_json_path(&path, col->name);
        put_json_string(&json, aiq_sb_str(&path));
        aiq_sb_puts(&json, "}}");
    }
    aiq_sb_puts(&json, "\n]");
    aiq_sb_puts(sb, ".create-or-alter table ");
    aiq_lex_quote_name(sb, t->name);
    aiq_sb_puts(sb, " ingestion json mapping ");
    put_mapping_name(sb, t->name, '"');
    aiq_sb_putc(sb, '\n');
    put_kql_block(sb, aiq_sb_str(&json));
    aiq_sb_free(&json);
    aiq_sb_free(&path);
}

/* t's paths as bound (stdin, not the copy it was read from: spool.c). */
static char *const *bound_paths(const AiqCatalogTable *t)
{
    return t->bound_paths ? t->bound_paths : t->paths;
}

/* The length of the directory part the paths of t share ("logs/" of
 * logs/a.jsonl and logs/b/c.log): what is left names each file's blob. */
static size_t common_dir(const AiqCatalogTable *t)
{
    char *const *paths = bound_paths(t);
    size_t n = t->npaths ? strlen(paths[0]) : 0;
    for (int i = 1; i < t->npaths; i++) {
        size_t k = 0;
        while (k < n && paths[i][k] == paths[0][k])
            k++;
        n = k;
    }
    while (n > 0 && paths[0][n - 1] != '/')
        n--;
    return n;
}

/* Appends a blob's name as a URL path: bytes other than letters, digits,
 * '/' and -._~ percent-encoded (a table named "odd name" makes a blob
 * folder of that name). */
static void put_url_path(AiqStrBuf *sb, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                     strchr("/-._~", *p);
        if (plain)
            aiq_sb_putc(sb, (char)*p);
        else
            aiq_sb_printf(sb, "%%%02X", *p);
    }
}

/* One file's .ingest, after a comment on what must happen to the file
 * first: ADX reads plain and gzip files (not zstd), and takes a records
 * export as a single record. */
static void put_ingest(AiqStrBuf *sb, const AiqCatalogTable *t, const char *path, const char *blob)
{
    AiqFileShape shape = {0};
    bool readable = strcmp(path, "-") != 0 && aiq_jsonl_shape(path, &shape);
    AiqStrBuf name;
    aiq_sb_init(&name);
    aiq_sb_puts(&name, blob);
    bool zstd = shape.codec && strcmp(shape.codec, "zstd") == 0;
    if (zstd && name.len > 4 && strcmp(name.data + name.len - 4, ".zst") == 0)
        name.data[name.len -= 4] = '\0';
    if (zstd)
        aiq_sb_puts(&name, ".gz");
    if (!readable)
        aiq_sb_printf(sb, "// %s: upload it as %s\n", path, aiq_sb_str(&name));
    else if (zstd)
        aiq_sb_printf(sb, "// %s: zstd, which ADX does not read; upload it as gzip: zstd -dc %s | gzip > %s\n", path,
                      path, aiq_sb_str(&name));
    else
        aiq_sb_printf(sb, "// %s\n", path);
    if (shape.records)
        aiq_sb_printf(sb, "// (it holds {\"records\": [...]}, which ADX ingests as one row: upload its records "
                          "one a line instead: jq -c '.records[]')\n");
    aiq_sb_puts(sb, ".ingest into table ");
    aiq_lex_quote_name(sb, t->name);
    aiq_sb_puts(sb, " (h'" BLOB_ROOT);
    put_url_path(sb, aiq_sb_str(&name));
    aiq_sb_puts(sb, ";impersonate')\n    with (format='multijson', ingestionMappingReference=");
    put_mapping_name(sb, t->name, '\'');
    aiq_sb_puts(sb, ")\n");
    aiq_sb_free(&name);
}

char *aiq_session_kusto_table(AiqSession *s, int i, AiqError *err)
{
    char *create = aiq_session_create_table(s, i, err);
    if (!create)
        return NULL;
    const AiqCatalogTable *t = &s->catalog.tables[i];
    AiqStrBuf sb, blob;
    aiq_sb_init(&sb);
    aiq_sb_init(&blob);
    aiq_sb_printf(&sb, "// %s into Azure Data Explorer: run each command in the database; upload the files to "
                       "blob storage first (ACCOUNT, CONTAINER)\n",
                  t->name);
    aiq_sb_puts(&sb, create);
    aiq_string_free(create);
    aiq_sb_putc(&sb, '\n');
    put_mapping(&sb, t);
    size_t dir = common_dir(t);
    for (int p = 0; p < t->npaths; p++) {
        aiq_sb_clear(&blob);
        const char *path = bound_paths(t)[p];
        aiq_sb_printf(&blob, "%s/%s", t->name, strcmp(path, "-") == 0 ? "stdin.jsonl" : path + dir);
        aiq_sb_putc(&sb, '\n');
        put_ingest(&sb, t, path, aiq_sb_str(&blob));
    }
    aiq_sb_free(&blob);
    return sb.data;
}
