/*
 * plugin_parts.h — what tool_use_plugin.c (the entry and extension structs) takes from the other
 * files: the JSON lists of templates, seeds, parsers, filters and evaluators, and the functions
 * behind them. Every `char *` returned here is malloc'd (released by the plugin's free_string) and
 * NULL only when memory ran out.
 */
#ifndef TOOL_USE_PLUGIN_PARTS_H
#define TOOL_USE_PLUGIN_PARTS_H

#include "retort/retort.h"

#include "verification.h"

/* Internal to the plugin: only the tools and retort_plugin_entry are exported. */
#pragma GCC visibility push(hidden)

char *templates_list_json(void);
char *seeds_list_json(void);
char *tools_list_json(void);

/* Parsers: on success *out_records is a JSON array; on failure the status and *out_error say why. */
extern const char *const parser_list_text;
retort_status parse_teacher_output(const char *parser, const char *output, char **out_records, char **out_error);

/* Filters. Returns RETORT_ERROR_NOT_FOUND for an unknown name. */
extern const char *const filter_list_text;
retort_status judge_record(const char *filter, const char *record_json, judgement *out, char **out_error);

/* Evaluators: call accuracy and argument exact match of a predicted trajectory. */
extern const char *const evaluator_list_text;
retort_status evaluate_prediction(const char *evaluator, const char *reference, const char *prediction, char **out_scores,
                                  char **out_error);

/* A malloc'd copy of a message for *out_error (printf-style). */
retort_status plugin_failure(char **out_error, retort_status status, const char *format, ...) __attribute__((format(printf, 3, 4)));

#pragma GCC visibility pop

#endif
