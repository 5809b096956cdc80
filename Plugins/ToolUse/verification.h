/*
 * verification.h — the tool-use plugin's filters: execution-verified trajectories and the
 * injection guard. Each judges one record ({"response": <trajectory text>, …}).
 */
#ifndef TOOL_USE_VERIFICATION_H
#define TOOL_USE_VERIFICATION_H

#include <stdbool.h>

#include "json_value.h"

/* Internal to the plugin: only the tools and retort_plugin_entry are exported. */
#pragma GCC visibility push(hidden)

typedef struct judgement {
    bool keep;
    double score;
    char reason[512];  /* why it was rejected; empty when kept */
} judgement;

/* Runs every call of the trajectory with the plugin's own tools and keeps it only when no call
 * fails, every result the teacher wrote agrees with the real one, and the final answer reports
 * the real result of the last call. Score: the share of calls whose written result (if any)
 * agreed. */
judgement verify_execution(const json_value *record);

/* Rejects trajectories that carry prompt injection: chat-template control tokens or
 * instruction-override phrases in arguments, results, thoughts or the answer, or messages that
 * speak for the system or the user. */
judgement guard_injection(const json_value *record);

/* Whether `text` reports `result` (a tool's "result" value): a number within rounding at the
 * precision written, a string (case-insensitive), a boolean; for arrays and objects some leaf,
 * and when `strict` no number in the text that no leaf has. */
bool text_agrees(const json_value *result, const char *text, bool strict);

#pragma GCC visibility pop

#endif
