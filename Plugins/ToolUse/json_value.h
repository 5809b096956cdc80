/*
 * json_value.h — a small, strict JSON reader and writer for the tool-use plugin.
 *
 * Teacher outputs are hostile input: the reader never recurses deeper than JSON_MAX_DEPTH, rejects
 * duplicate object keys (so {"a": 1, "a": 2} cannot smuggle a second value past a check), NUL
 * characters in strings and anything RFC 8259 does not allow, and reports the byte offset, line
 * and column of the first problem.
 */
#ifndef TOOL_USE_JSON_VALUE_H
#define TOOL_USE_JSON_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "text_buffer.h"

/* Internal to the plugin: only the tools and retort_plugin_entry are exported. */
#pragma GCC visibility push(hidden)

#define JSON_MAX_DEPTH 48

typedef enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_type;

typedef struct json_value json_value;
struct json_value {
    json_type type;
    bool boolean;
    double number;
    char *string;        /* JSON_STRING: NUL-terminated UTF-8 */
    size_t count;        /* JSON_ARRAY, JSON_OBJECT: number of items */
    json_value **items;  /* array elements, or object member values */
    char **keys;         /* JSON_OBJECT: member names, parallel to items */
};

/* Parses one JSON value starting at `text` (leading whitespace allowed). On success returns the
 * value and, when `consumed` is not NULL, the number of bytes read through the end of the value;
 * text after it is left to the caller. On failure returns NULL and writes the reason to `error`. */
json_value *json_parse(const char *text, size_t length, size_t *consumed, char *error, size_t error_size);
/* Parses `text` as exactly one JSON value (only whitespace may follow). */
json_value *json_parse_whole(const char *text, char *error, size_t error_size);
void json_free(json_value *value);

/* The member `key` of an object, or NULL (also when `object` is not an object). */
const json_value *json_get(const json_value *object, const char *key);
/* The string member `key`, or NULL when absent or not a string. */
const char *json_get_string(const json_value *object, const char *key);
const char *json_type_name(json_type type);

/* Structural equality: numbers within 1e-9 relative, objects by key set regardless of order. */
bool json_equal(const json_value *a, const json_value *b);

/* Writes compact JSON (object members in their original order). */
void json_write(text_buffer *b, const json_value *value);

/* Builders for records; every function tolerates NULL (allocation failure) and passes it on. */
json_value *json_new(json_type type);
json_value *json_new_string(const char *text);
json_value *json_new_number(double number);
/* Adds `item` to an array; takes ownership of `item`. Returns false when out of memory. */
bool json_append(json_value *array, json_value *item);
/* Adds member `key` to an object; takes ownership of `item`. */
bool json_set(json_value *object, const char *key, json_value *item);
/* A deep copy, or NULL. */
json_value *json_copy(const json_value *value);

#pragma GCC visibility pop

#endif
