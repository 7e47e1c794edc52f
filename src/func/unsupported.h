/*
 * unsupported.h -- Kusto built-ins that aiq knows by name and leaves out,
 * each with the reason, so that a query using one gets "valid KQL but not
 * supported by aiq: REASON" rather than "unknown function". The README's
 * list of left-out built-ins says the same.
 */
#ifndef AIQ_FUNC_UNSUPPORTED_H
#define AIQ_FUNC_UNSUPPORTED_H

/* Why aiq leaves out the Kusto function called name, or NULL when name is
 * not one of Kusto's left-out functions. */
const char *aiq_func_unsupported_reason(const char *name);

#endif
