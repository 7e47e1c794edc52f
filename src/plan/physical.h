/*
 * physical.h -- physical planning: the one step that decides, for each scan
 * of a bound plan, what its reader does -- the columns it reads, the keys
 * of dynamic columns it keeps (and which it hands over as key vectors),
 * the conjuncts of wheres right above it that it tests on each line, and
 * whether a top right above lets it drop rows that cannot enter. The
 * decisions are written on the plan (AiqPlan.scan, .pushed): --explain
 * prints them, the executor hands them to the reader, and nothing else
 * decides them again.
 */
#ifndef AIQ_PLAN_PHYSICAL_H
#define AIQ_PLAN_PHYSICAL_H

#include "plan/plan.h"
#include "util/arena.h"

/* Plans root for running: every operator reached by two paths (a tabular
 * argument a function uses twice) becomes two, as the executor runs two,
 * so that each scan has one reader; tabular lets stay one (they are
 * materialized once). Then fills in the scan specs and pushed conjuncts.
 * Returns the plan to run (root, or its copy), allocated in arena. */
AiqPlan *aiq_plan_physical(AiqPlan *root, AiqArena *arena);

#endif
