/* text_buffer.c — see text_buffer.h. */
#include "text_buffer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void text_buffer_append_n(text_buffer *b, const char *text, size_t n) {
    if (b->failed || n == 0) return;
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 256;
        while (capacity < b->length + n + 1) {
            if (capacity > (size_t)-1 / 2) { b->failed = true; return; }
            capacity *= 2;
        }
        char *grown = realloc(b->data, capacity);
        if (grown == NULL) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, text, n);
    b->length += n;
    b->data[b->length] = '\0';
}

void text_buffer_append(text_buffer *b, const char *text) {
    if (text != NULL) text_buffer_append_n(b, text, strlen(text));
}

void text_buffer_appendf(text_buffer *b, const char *format, ...) {
    char line[1024];
    va_list arguments;
    va_start(arguments, format);
    int n = vsnprintf(line, sizeof line, format, arguments);
    va_end(arguments);
    if (n < 0) return;
    text_buffer_append_n(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void text_buffer_append_json_string(text_buffer *b, const char *text, size_t n) {
    text_buffer_append(b, "\"");
    size_t run = 0; /* bytes copied unchanged since the last escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *escape = NULL;
        char unicode[8];
        switch (c) {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(unicode, sizeof unicode, "\\u%04x", c);
                escape = unicode;
            }
        }
        if (escape != NULL) {
            text_buffer_append_n(b, text + i - run, run);
            run = 0;
            text_buffer_append(b, escape);
        } else {
            run++;
        }
    }
    text_buffer_append_n(b, text + n - run, run);
    text_buffer_append(b, "\"");
}

void format_number(double value, char out[40]) {
    if (!isfinite(value)) {
        strcpy(out, "null");
        return;
    }
    if (value == floor(value) && fabs(value) < 1e15) {
        snprintf(out, 40, "%.0f", value);
        if (strcmp(out, "-0") == 0) strcpy(out, "0");
        return;
    }
    snprintf(out, 40, "%.15g", value);
    /* A host that set a locale with a decimal comma must still get JSON. */
    for (char *p = out; *p; p++)
        if (*p == ',') *p = '.';
}

void text_buffer_append_number(text_buffer *b, double value) {
    char text[40];
    format_number(value, text);
    text_buffer_append(b, text);
}

char *text_buffer_take(text_buffer *b) {
    if (b->failed) {
        text_buffer_free(b);
        return NULL;
    }
    char *data = b->data != NULL ? b->data : copy_text("");
    b->data = NULL;
    b->length = b->capacity = 0;
    return data;
}

void text_buffer_free(text_buffer *b) {
    free(b->data);
    b->data = NULL;
    b->length = b->capacity = 0;
    b->failed = false;
}

char *copy_text_n(const char *text, size_t n) {
    char *copy = malloc(n + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, text, n);
    copy[n] = '\0';
    return copy;
}

char *copy_text(const char *text) { return text == NULL ? NULL : copy_text_n(text, strlen(text)); }
