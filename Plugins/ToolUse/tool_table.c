/*
 * tool_table.c — the description of every tool (see tools.h), its JSON Schema, the schema check
 * applied to a teacher's calls and the in-plugin execution of checked calls.
 */
#include "tools.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define TEXT_LIMIT 20000

static const char *const transform_operations[] = {"uppercase", "lowercase", "title_case", "reverse", "trim", NULL};

static const tool_parameter calculator_parameters[] = {
    {"expression", PARAMETER_STRING, "Arithmetic with numbers, + - * / % ^ (or **), parentheses, pi, e and "
     "sqrt, abs, round, floor, ceil, min, max, pow, ln, log10, exp. Example: \"(12.5 + 7) * 3\".", false, 0, 0, 1000, NULL},
};
static const tool_parameter convert_parameters[] = {
    {"value", PARAMETER_NUMBER, "The quantity to convert.", true, -1e15, 1e15, 0, NULL},
    {"from_unit", PARAMETER_STRING, "The unit of value, e.g. \"km\", \"lb\", \"°F\", \"cup\", \"GiB\".", false, 0, 0, 40, NULL},
    {"to_unit", PARAMETER_STRING, "The unit to convert to, of the same kind (length, mass, volume, time, speed, area, "
     "temperature or data size).", false, 0, 0, 40, NULL},
};
static const tool_parameter date_add_parameters[] = {
    {"date", PARAMETER_STRING, "A calendar date as YYYY-MM-DD.", false, 0, 0, 10, NULL},
    {"days", PARAMETER_INTEGER, "Days to add; negative to go back.", true, -3000000, 3000000, 0, NULL},
};
static const tool_parameter date_diff_parameters[] = {
    {"start_date", PARAMETER_STRING, "The earlier date, YYYY-MM-DD.", false, 0, 0, 10, NULL},
    {"end_date", PARAMETER_STRING, "The later date, YYYY-MM-DD.", false, 0, 0, 10, NULL},
};
static const tool_parameter weekday_parameters[] = {
    {"date", PARAMETER_STRING, "A calendar date as YYYY-MM-DD.", false, 0, 0, 10, NULL},
};
static const tool_parameter text_stats_parameters[] = {
    {"text", PARAMETER_STRING, "The text to measure.", false, 0, 0, TEXT_LIMIT, NULL},
};
static const tool_parameter transform_parameters[] = {
    {"text", PARAMETER_STRING, "The text to change.", false, 0, 0, TEXT_LIMIT, NULL},
    {"operation", PARAMETER_STRING, "One of uppercase, lowercase, title_case, reverse, trim.", false, 0, 0, 20, transform_operations},
};
static const tool_parameter count_parameters[] = {
    {"text", PARAMETER_STRING, "The text to search.", false, 0, 0, TEXT_LIMIT, NULL},
    {"substring", PARAMETER_STRING, "What to count (non-overlapping occurrences).", false, 0, 0, 200, NULL},
    {"case_sensitive", PARAMETER_BOOLEAN, "Whether upper and lower case letters differ.", false, 0, 0, 0, NULL},
};
static const tool_parameter lookup_parameters[] = {
    {"key", PARAMETER_STRING, "A key of the store's records, e.g. \"price:notebook\", \"stock:pen\", \"hours:saturday\".",
     false, 0, 0, 100, NULL},
};
static const tool_parameter list_keys_parameters[] = {
    {"prefix", PARAMETER_STRING, "Lists the keys that start with this text (\"\" lists all).", false, 0, 0, 100, NULL},
};

static const char *string_argument(const json_value *arguments, const char *name) {
    return json_get_string(arguments, name);
}

static double number_argument(const json_value *arguments, const char *name) {
    const json_value *v = json_get(arguments, name);
    return v != NULL && v->type == JSON_NUMBER ? v->number : 0;
}

static char *run_calculator(const json_value *a) { return tool_use_calculator(string_argument(a, "expression")); }
static char *run_convert(const json_value *a) {
    return tool_use_convert_units(number_argument(a, "value"), string_argument(a, "from_unit"), string_argument(a, "to_unit"));
}
static char *run_date_add(const json_value *a) {
    return tool_use_date_add(string_argument(a, "date"), (int32_t)number_argument(a, "days"));
}
static char *run_date_diff(const json_value *a) {
    return tool_use_date_diff(string_argument(a, "start_date"), string_argument(a, "end_date"));
}
static char *run_weekday(const json_value *a) { return tool_use_weekday(string_argument(a, "date")); }
static char *run_text_stats(const json_value *a) { return tool_use_text_stats(string_argument(a, "text")); }
static char *run_transform(const json_value *a) {
    return tool_use_transform_text(string_argument(a, "text"), string_argument(a, "operation"));
}
static char *run_count(const json_value *a) {
    const json_value *flag = json_get(a, "case_sensitive");
    return tool_use_count_occurrences(string_argument(a, "text"), string_argument(a, "substring"), flag != NULL && flag->boolean);
}
static char *run_lookup(const json_value *a) { return tool_use_lookup(string_argument(a, "key")); }
static char *run_list_keys(const json_value *a) { return tool_use_list_keys(string_argument(a, "prefix")); }

const tool_definition tool_table[] = {
    {"calculator", "Evaluates an arithmetic expression exactly as written and returns the number.",
     "char * (const char *expression)", "tool_use_calculator", calculator_parameters, COUNT(calculator_parameters), run_calculator},
    {"convert_units", "Converts a quantity between units of length, mass, volume, time, speed, area, temperature or data size.",
     "char * (double value, const char *from_unit, const char *to_unit)", "tool_use_convert_units", convert_parameters,
     COUNT(convert_parameters), run_convert},
    {"date_add", "Adds a number of days to a date and returns the new date and its weekday.",
     "char * (const char *date, int32_t days)", "tool_use_date_add", date_add_parameters, COUNT(date_add_parameters), run_date_add},
    {"date_diff", "Counts the days from start_date to end_date (negative when end_date is earlier).",
     "char * (const char *start_date, const char *end_date)", "tool_use_date_diff", date_diff_parameters,
     COUNT(date_diff_parameters), run_date_diff},
    {"weekday", "Returns the day of the week of a date.", "char * (const char *date)", "tool_use_weekday", weekday_parameters,
     COUNT(weekday_parameters), run_weekday},
    {"text_stats", "Counts the characters, words, sentences and lines of a text.", "char * (const char *text)",
     "tool_use_text_stats", text_stats_parameters, COUNT(text_stats_parameters), run_text_stats},
    {"transform_text", "Changes a text to upper case, lower case or title case, reverses it, or trims its spaces.",
     "char * (const char *text, const char *operation)", "tool_use_transform_text", transform_parameters,
     COUNT(transform_parameters), run_transform},
    {"count_occurrences", "Counts how often a substring occurs in a text.",
     "char * (const char *text, const char *substring, bool case_sensitive)", "tool_use_count_occurrences", count_parameters,
     COUNT(count_parameters), run_count},
    {"lookup", "Reads one record of the Harbor Lane Stationery store (prices, stock, opening hours, shipping, discounts).",
     "char * (const char *key)", "tool_use_lookup", lookup_parameters, COUNT(lookup_parameters), run_lookup},
    {"list_keys", "Lists the store's record keys that start with a prefix, to find the key to look up.",
     "char * (const char *prefix)", "tool_use_list_keys", list_keys_parameters, COUNT(list_keys_parameters), run_list_keys},
};

const size_t tool_count = COUNT(tool_table);

const tool_definition *tool_find(const char *name) {
    if (name == NULL) return NULL;
    for (size_t i = 0; i < tool_count; i++)
        if (strcmp(tool_table[i].name, name) == 0) return &tool_table[i];
    return NULL;
}

void tool_append_names(text_buffer *b) {
    for (size_t i = 0; i < tool_count; i++) {
        if (i > 0) text_buffer_append(b, ", ");
        text_buffer_append(b, tool_table[i].name);
    }
}

static const char *type_name(parameter_type type) {
    switch (type) {
    case PARAMETER_STRING: return "string";
    case PARAMETER_NUMBER: return "number";
    case PARAMETER_INTEGER: return "integer";
    case PARAMETER_BOOLEAN: return "boolean";
    }
    return "string";
}

void tool_write_schema(text_buffer *b, const tool_definition *tool) {
    text_buffer_append(b, "{\"type\": \"object\", \"properties\": {");
    for (size_t i = 0; i < tool->parameter_count; i++) {
        const tool_parameter *p = &tool->parameters[i];
        if (i > 0) text_buffer_append(b, ", ");
        text_buffer_append_json_string(b, p->name, strlen(p->name));
        text_buffer_appendf(b, ": {\"type\": \"%s\", \"description\": ", type_name(p->type));
        text_buffer_append_json_string(b, p->description, strlen(p->description));
        if (p->has_range) {
            text_buffer_append(b, ", \"minimum\": ");
            text_buffer_append_number(b, p->minimum);
            text_buffer_append(b, ", \"maximum\": ");
            text_buffer_append_number(b, p->maximum);
        }
        if (p->max_length > 0) text_buffer_appendf(b, ", \"maxLength\": %zu", p->max_length);
        if (p->choices != NULL) {
            text_buffer_append(b, ", \"enum\": [");
            for (size_t c = 0; p->choices[c] != NULL; c++) {
                if (c > 0) text_buffer_append(b, ", ");
                text_buffer_append_json_string(b, p->choices[c], strlen(p->choices[c]));
            }
            text_buffer_append(b, "]");
        }
        text_buffer_append(b, "}");
    }
    text_buffer_append(b, "}, \"required\": [");
    for (size_t i = 0; i < tool->parameter_count; i++) {
        if (i > 0) text_buffer_append(b, ", ");
        text_buffer_append_json_string(b, tool->parameters[i].name, strlen(tool->parameters[i].name));
    }
    text_buffer_append(b, "], \"additionalProperties\": false}");
}

/* Quotes at most 40 bytes of a value for an error message, as JSON. */
static void describe_value(const json_value *value, char *out, size_t size) {
    text_buffer b = {0};
    json_write(&b, value);
    char *text = text_buffer_take(&b);
    if (text == NULL) {
        snprintf(out, size, "%s", json_type_name(value->type));
        return;
    }
    if (strlen(text) > 40) snprintf(out, size, "%.37s...", text);
    else snprintf(out, size, "%s", text);
    free(text);
}

bool tool_check_arguments(const tool_definition *tool, const json_value *arguments, char *error, size_t error_size) {
    if (arguments == NULL || arguments->type != JSON_OBJECT) {
        snprintf(error, error_size, "the arguments of %s must be a JSON object, not %s", tool->name,
                 arguments == NULL ? "nothing" : json_type_name(arguments->type));
        return false;
    }
    for (size_t i = 0; i < arguments->count; i++) {
        bool known = false;
        for (size_t p = 0; p < tool->parameter_count; p++) known = known || strcmp(tool->parameters[p].name, arguments->keys[i]) == 0;
        if (!known) {
            text_buffer names = {0};
            for (size_t p = 0; p < tool->parameter_count; p++) {
                if (p > 0) text_buffer_append(&names, ", ");
                text_buffer_append(&names, tool->parameters[p].name);
            }
            char *list = text_buffer_take(&names);
            snprintf(error, error_size, "%s has no argument \"%.60s\"; it takes %s", tool->name, arguments->keys[i], list ? list : "");
            free(list);
            return false;
        }
    }
    for (size_t p = 0; p < tool->parameter_count; p++) {
        const tool_parameter *parameter = &tool->parameters[p];
        const json_value *value = json_get(arguments, parameter->name);
        if (value == NULL) {
            snprintf(error, error_size, "%s is missing its required argument \"%s\" (%s)", tool->name, parameter->name,
                     type_name(parameter->type));
            return false;
        }
        char shown[48];
        describe_value(value, shown, sizeof shown);
        switch (parameter->type) {
        case PARAMETER_STRING:
            if (value->type != JSON_STRING) {
                snprintf(error, error_size, "argument \"%s\" of %s must be a string, got %s", parameter->name, tool->name, shown);
                return false;
            }
            if (parameter->max_length > 0 && strlen(value->string) > parameter->max_length) {
                snprintf(error, error_size, "argument \"%s\" of %s is %zu bytes long, more than %zu", parameter->name, tool->name,
                         strlen(value->string), parameter->max_length);
                return false;
            }
            if (parameter->choices != NULL) {
                bool allowed = false;
                for (size_t c = 0; parameter->choices[c] != NULL; c++) allowed = allowed || strcmp(parameter->choices[c], value->string) == 0;
                if (!allowed) {
                    snprintf(error, error_size, "argument \"%s\" of %s must be one of the listed values, got %s", parameter->name,
                             tool->name, shown);
                    return false;
                }
            }
            break;
        case PARAMETER_NUMBER:
        case PARAMETER_INTEGER:
            if (value->type != JSON_NUMBER) {
                snprintf(error, error_size, "argument \"%s\" of %s must be %s, got %s", parameter->name, tool->name,
                         parameter->type == PARAMETER_INTEGER ? "an integer" : "a number", shown);
                return false;
            }
            if (parameter->type == PARAMETER_INTEGER && value->number != floor(value->number)) {
                snprintf(error, error_size, "argument \"%s\" of %s must be a whole number, got %s", parameter->name, tool->name, shown);
                return false;
            }
            if (parameter->has_range && (value->number < parameter->minimum || value->number > parameter->maximum)) {
                char low[40], high[40];
                format_number(parameter->minimum, low);
                format_number(parameter->maximum, high);
                snprintf(error, error_size, "argument \"%s\" of %s must be between %s and %s, got %s", parameter->name, tool->name,
                         low, high, shown);
                return false;
            }
            break;
        case PARAMETER_BOOLEAN:
            if (value->type != JSON_BOOL) {
                snprintf(error, error_size, "argument \"%s\" of %s must be true or false, got %s", parameter->name, tool->name, shown);
                return false;
            }
            break;
        }
    }
    return true;
}

json_value *tool_execute(const tool_definition *tool, const json_value *arguments) {
    char *text = tool->run(arguments);
    if (text == NULL) return NULL;
    json_value *result = json_parse_whole(text, NULL, 0);
    free(text);
    return result;
}

/* ── Result builders ──────────────────────────────────────────────────────────────────────── */

char *tool_result_number(double value) {
    text_buffer b = {0};
    text_buffer_append(&b, "{\"result\": ");
    text_buffer_append_number(&b, value);
    text_buffer_append(&b, "}");
    return text_buffer_take(&b);
}

char *tool_result_string(const char *value) {
    text_buffer b = {0};
    text_buffer_append(&b, "{\"result\": ");
    text_buffer_append_json_string(&b, value, strlen(value));
    text_buffer_append(&b, "}");
    return text_buffer_take(&b);
}

char *tool_error(const char *format, ...) {
    char message[512];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    text_buffer b = {0};
    text_buffer_append(&b, "{\"error\": ");
    text_buffer_append_json_string(&b, message, strlen(message));
    text_buffer_append(&b, "}");
    return text_buffer_take(&b);
}
