/*
 * text_buffer.h — a growable UTF-8 string for building JSON and messages in the tool-use plugin.
 *
 * Appending never aborts: when memory runs out the buffer remembers it, further appends do
 * nothing, and text_buffer_take returns NULL so the caller can report RETORT_ERROR_INTERNAL.
 */
#ifndef TOOL_USE_TEXT_BUFFER_H
#define TOOL_USE_TEXT_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

/* Internal to the plugin: only the tools and retort_plugin_entry are exported. */
#pragma GCC visibility push(hidden)

typedef struct text_buffer {
    char *data;
    size_t length;
    size_t capacity;
    bool failed;
} text_buffer;

void text_buffer_append_n(text_buffer *b, const char *text, size_t n);
void text_buffer_append(text_buffer *b, const char *text);
/* printf-style append; output longer than 1 KiB is cut (only used for short messages). */
void text_buffer_appendf(text_buffer *b, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Appends `n` bytes of `text` as a JSON string literal, quotes included. */
void text_buffer_append_json_string(text_buffer *b, const char *text, size_t n);
/* Appends a number as JSON: whole numbers below 1e15 without a fraction, others with 15
 * significant digits, and null for NaN or infinity (JSON has neither). */
void text_buffer_append_number(text_buffer *b, double value);
/* Hands over the text (the caller frees it with free) and empties the buffer; NULL after an
 * allocation failure. An empty buffer yields "". */
char *text_buffer_take(text_buffer *b);
void text_buffer_free(text_buffer *b);

/* malloc'd copies; NULL when out of memory. */
char *copy_text(const char *text);
char *copy_text_n(const char *text, size_t n);

/* Writes `value` the way tools print numbers (see text_buffer_append_number) into `out`. */
void format_number(double value, char out[40]);

#pragma GCC visibility pop

#endif
