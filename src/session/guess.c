/*
 * guess.c -- one pass over a table without a schema: its types are guessed
 * from the first block of its first file, and the query reads it at once
 * with them, every row verified against the guess (a member the guess
 * lacks, or a value whose kind would change a column's type, stops the
 * stream: AiqReadOptions.verify). The answer is the one the types of every
 * row give, always:
 *
 *  - a stream that read every row without a misfit proves the guess equal
 *    to the schema a first pass would infer (same columns, in the same
 *    order of first appearance, same types): the table is declared with it;
 *  - a row that breaks the guess, or a query that did not read every row
 *    (take, a join that stopped early, getschema), leaves the guess
 *    unproven: after the run, a first pass infers the types from every row
 *    (as without a guess), and when they differ from the guess, or a row
 *    broke it, the query is bound and run again with them.
 *
 * So a first run costs one pass where logs are regular, and at worst what
 * it did before (a first pass and the query) plus the rows read before a
 * misfit. The inferred schema is remembered (schema_cache.c) as before.
 *
 * A scan that reads only some columns (count, summarize by one column)
 * verifies the types of those only (scan_stream.c, outside the REPL): no
 * other column's type can change what it reads. (Every key must still be
 * a column of the guess: project-away or a wildcard depend on which
 * columns there are without reading them.) When every
 * stream of the guess read to its end that way, the answer stands without
 * a first pass, but the guess is proven for those columns only: it is not
 * remembered, and the table goes back to undeclared, so a later query
 * guesses again from the first block (cheap) and verifies what it reads.
 */
#include "session/session_internal.h"

#include <string.h>

bool aiq_session_guess_types(AiqSession *s, AiqCatalogTable *t)
{
    if (!s->may_guess || !aiq_jsonl_guess_schema(t, &t->schema, &t->guess_fits, &s->catalog.arena))
        return false;
    t->declared = t->inferred = t->guessed = true;
    t->guess_broken = t->guess_partly = t->guess_short = false;
    return true;
}

bool aiq_session_has_guesses(const AiqSession *s)
{
    for (int i = 0; i < s->catalog.ntables; i++)
        if (s->catalog.tables[i].guessed)
            return true;
    return false;
}

/* Whether the run's answer stands on t's guess: every stream of it read
 * to its end without a misfit, verifying the columns its scan reads. (A
 * scan is opened when its operator is built, before anything runs, so a
 * scan of the query that read nothing left a stream stopped short.) */
static bool answer_stands(const AiqCatalogTable *t)
{
    return t->guess_partly && !t->guess_short && !t->guess_broken;
}

/* t back to undeclared: its next query guesses its types again. */
static void forget_guess(AiqSession *s, AiqCatalogTable *t)
{
    aiq_batch_cache_clear(&aiq_session_cached(s, t)->batches); /* (none outside the REPL) */
    t->declared = t->inferred = t->guessed = false;
    t->guess_broken = t->guess_partly = t->guess_short = false;
    t->schema = (AiqSchema){0};
}

/* After a run with an answer: true when every guess the query holds
 * stands for it (and each table is then undeclared again). */
static bool all_stand(AiqSession *s)
{
    for (int i = 0; i < s->catalog.ntables; i++)
        if (s->catalog.tables[i].guessed && !answer_stands(&s->catalog.tables[i]))
            return false;
    for (int i = 0; i < s->catalog.ntables; i++)
        if (s->catalog.tables[i].guessed)
            forget_guess(s, &s->catalog.tables[i]);
    return true;
}

bool aiq_session_settle_guesses(AiqSession *s, bool answered, AiqError *err)
{
    bool again = false;
    /* (when one table's guess needs its first pass, every one gets it: the
     * run again must not meet a guess it would break unseen) */
    if (answered && all_stand(s))
        return false;
    for (int i = 0; i < s->catalog.ntables; i++) {
        AiqCatalogTable *t = &s->catalog.tables[i];
        if (!t->guessed)
            continue;
        AiqCatalogTable probe = *t; /* (undeclared: the types of every row) */
        probe.declared = probe.inferred = probe.guessed = false;
        probe.schema = (AiqSchema){0};
        if (!aiq_session_first_pass(s, &probe, err))
            return false;
        bool differs = !aiq_schema_same(&probe.schema, &t->schema);
        if (differs || t->guess_broken) {
            again = true;
            aiq_batch_cache_clear(&aiq_session_cached(s, t)->batches); /* (kept with the guessed types) */
        }
        t->schema = probe.schema;
        t->guessed = t->guess_broken = t->guess_partly = t->guess_short = false;
        if (t->schema.ncols > 0)
            aiq_schema_cache_save(t);
    }
    return again;
}
