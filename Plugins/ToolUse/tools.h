/*
 * tools.h — the table that describes the tool-use plugin's native tools (declared in
 * include/tool_use_tools.h) to the host and to the plugin's own checks.
 *
 * The table (tool_table) is the one source of truth for a tool's name, description, parameters,
 * C prototype and symbol: the JSON Schema the host shows, the schema check of a teacher's call
 * and the in-plugin execution used by the execution-verified filter are all derived from it.
 */
#ifndef TOOL_USE_TOOLS_H
#define TOOL_USE_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_value.h"
#include "text_buffer.h"
#include "tool_use_tools.h"

/* Internal to the plugin: only the tools and retort_plugin_entry are exported. */
#pragma GCC visibility push(hidden)

/* ── The table ───────────────────────────────────────────────────────────────────────────── */
typedef enum parameter_type {
    PARAMETER_STRING,
    PARAMETER_NUMBER,
    PARAMETER_INTEGER,
    PARAMETER_BOOLEAN,
} parameter_type;

typedef struct tool_parameter {
    const char *name;
    parameter_type type;
    const char *description;
    /* Numbers and integers: inclusive bounds when has_range. */
    bool has_range;
    double minimum;
    double maximum;
    /* Strings: the longest accepted value in bytes (0: no limit). */
    size_t max_length;
    /* Strings: the only accepted values, NULL-terminated, or NULL for any. */
    const char *const *choices;
} tool_parameter;

typedef struct tool_definition {
    const char *name;
    const char *description;
    /* The C prototype without the name, parameter names as in `parameters`, in call order. */
    const char *signature;
    const char *symbol;
    const tool_parameter *parameters;
    size_t parameter_count;
    /* Runs the tool on arguments that passed tool_check_arguments; returns the tool's JSON. */
    char *(*run)(const json_value *arguments);
} tool_definition;

extern const tool_definition tool_table[];
extern const size_t tool_count;

const tool_definition *tool_find(const char *name);
/* "calculator, convert_units, …" for error messages. */
void tool_append_names(text_buffer *b);
/* The JSON Schema of the tool's arguments object. */
void tool_write_schema(text_buffer *b, const tool_definition *tool);
/* Checks an arguments object against the tool's schema: an object, every parameter present with
 * its type and bounds, no other member. On failure writes why (naming the argument) to `error`. */
bool tool_check_arguments(const tool_definition *tool, const json_value *arguments, char *error, size_t error_size);
/* Runs a checked call and parses the tool's JSON result; NULL only when out of memory. */
json_value *tool_execute(const tool_definition *tool, const json_value *arguments);

/* Builds a tool's result: {"result": <number>} and friends, or {"error": message}. */
char *tool_result_number(double value);
char *tool_result_string(const char *value);
char *tool_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

#pragma GCC visibility pop

#endif
