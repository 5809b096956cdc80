/* json_value.c — see json_value.h. A recursive-descent reader with a depth limit. */
#include "json_value.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *text;
    size_t length;
    size_t position;
    int depth;
    char *error;
    size_t error_size;
    bool failed;
} reader;

static void fail(reader *r, const char *message) {
    if (r->failed) return;
    r->failed = true;
    size_t line = 1, column = 1;
    for (size_t i = 0; i < r->position && i < r->length; i++) {
        if (r->text[i] == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
    }
    if (r->error != NULL && r->error_size > 0)
        snprintf(r->error, r->error_size, "malformed JSON at line %zu, column %zu: %s", line, column, message);
}

static void skip_space(reader *r) {
    while (r->position < r->length) {
        char c = r->text[r->position];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        r->position++;
    }
}

static bool at_end(const reader *r) { return r->position >= r->length; }
static char peek(const reader *r) { return at_end(r) ? '\0' : r->text[r->position]; }

static json_value *read_value(reader *r);

json_value *json_new(json_type type) {
    json_value *v = calloc(1, sizeof *v);
    if (v != NULL) v->type = type;
    return v;
}

json_value *json_new_string(const char *text) {
    json_value *v = json_new(JSON_STRING);
    if (v == NULL) return NULL;
    v->string = copy_text(text != NULL ? text : "");
    if (v->string == NULL) {
        free(v);
        return NULL;
    }
    return v;
}

json_value *json_new_number(double number) {
    json_value *v = json_new(JSON_NUMBER);
    if (v != NULL) v->number = number;
    return v;
}

static bool grow(json_value *container) {
    size_t count = container->count + 1;
    json_value **items = realloc(container->items, count * sizeof *items);
    if (items == NULL) return false;
    container->items = items;
    if (container->type == JSON_OBJECT) {
        char **keys = realloc(container->keys, count * sizeof *keys);
        if (keys == NULL) return false;
        container->keys = keys;
    }
    return true;
}

bool json_append(json_value *array, json_value *item) {
    if (array == NULL || item == NULL || array->type != JSON_ARRAY || !grow(array)) {
        json_free(item);
        return false;
    }
    array->items[array->count++] = item;
    return true;
}

bool json_set(json_value *object, const char *key, json_value *item) {
    char *name = copy_text(key);
    if (object == NULL || item == NULL || name == NULL || object->type != JSON_OBJECT || !grow(object)) {
        free(name);
        json_free(item);
        return false;
    }
    object->keys[object->count] = name;
    object->items[object->count++] = item;
    return true;
}

void json_free(json_value *value) {
    if (value == NULL) return;
    for (size_t i = 0; i < value->count; i++) {
        json_free(value->items[i]);
        if (value->keys != NULL) free(value->keys[i]);
    }
    free(value->items);
    free(value->keys);
    free(value->string);
    free(value);
}

/* Appends the UTF-8 encoding of `code` to `out` (at least 4 bytes free). */
static size_t encode_utf8(uint32_t code, char *out) {
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xC0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xE0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

static bool read_hex4(reader *r, uint32_t *out) {
    if (r->position + 4 > r->length) {
        fail(r, "a \\u escape needs four hex digits");
        return false;
    }
    uint32_t code = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->text[r->position++];
        code <<= 4;
        if (c >= '0' && c <= '9') code |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') code |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') code |= (uint32_t)(c - 'A' + 10);
        else {
            r->position--;
            fail(r, "a \\u escape needs four hex digits");
            return false;
        }
    }
    *out = code;
    return true;
}

/* Reads a string literal (the opening quote is at the current position) into a malloc'd copy. */
static char *read_string(reader *r) {
    r->position++; /* the opening quote */
    text_buffer out = {0};
    size_t run_start = r->position;
    while (true) {
        if (at_end(r)) {
            text_buffer_free(&out);
            fail(r, "a string is never closed");
            return NULL;
        }
        unsigned char c = (unsigned char)r->text[r->position];
        if (c == '"') {
            text_buffer_append_n(&out, r->text + run_start, r->position - run_start);
            r->position++;
            char *result = text_buffer_take(&out);
            if (result == NULL) fail(r, "out of memory");
            return result;
        }
        if (c < 0x20) {
            text_buffer_free(&out);
            fail(r, "a control character (such as a raw line break) inside a string; escape it as \\n");
            return NULL;
        }
        if (c != '\\') {
            r->position++;
            continue;
        }
        text_buffer_append_n(&out, r->text + run_start, r->position - run_start);
        r->position++;
        if (at_end(r)) continue; /* reported as an unclosed string */
        char e = r->text[r->position++];
        char utf8[8];
        size_t n = 1;
        switch (e) {
        case '"': utf8[0] = '"'; break;
        case '\\': utf8[0] = '\\'; break;
        case '/': utf8[0] = '/'; break;
        case 'b': utf8[0] = '\b'; break;
        case 'f': utf8[0] = '\f'; break;
        case 'n': utf8[0] = '\n'; break;
        case 'r': utf8[0] = '\r'; break;
        case 't': utf8[0] = '\t'; break;
        case 'u': {
            uint32_t code;
            if (!read_hex4(r, &code)) {
                text_buffer_free(&out);
                return NULL;
            }
            if (code >= 0xD800 && code <= 0xDBFF) {
                uint32_t low;
                if (r->position + 2 > r->length || r->text[r->position] != '\\' || r->text[r->position + 1] != 'u') {
                    text_buffer_free(&out);
                    fail(r, "a high surrogate \\u escape without its low surrogate");
                    return NULL;
                }
                r->position += 2;
                if (!read_hex4(r, &low) || low < 0xDC00 || low > 0xDFFF) {
                    text_buffer_free(&out);
                    fail(r, "a high surrogate \\u escape without its low surrogate");
                    return NULL;
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            } else if (code >= 0xDC00 && code <= 0xDFFF) {
                text_buffer_free(&out);
                fail(r, "a low surrogate \\u escape without a high one");
                return NULL;
            }
            if (code == 0) {
                text_buffer_free(&out);
                fail(r, "\\u0000 (a NUL character) is not allowed in strings here");
                return NULL;
            }
            n = encode_utf8(code, utf8);
            break;
        }
        default:
            r->position--;
            text_buffer_free(&out);
            fail(r, "an unknown escape sequence in a string");
            return NULL;
        }
        text_buffer_append_n(&out, utf8, n);
        run_start = r->position;
    }
}

static json_value *read_number(reader *r) {
    size_t start = r->position;
    if (peek(r) == '-') r->position++;
    if (peek(r) == '0') {
        r->position++;
    } else if (peek(r) >= '1' && peek(r) <= '9') {
        while (peek(r) >= '0' && peek(r) <= '9') r->position++;
    } else {
        fail(r, "expected a digit");
        return NULL;
    }
    if (peek(r) == '.') {
        r->position++;
        if (!(peek(r) >= '0' && peek(r) <= '9')) {
            fail(r, "expected a digit after the decimal point");
            return NULL;
        }
        while (peek(r) >= '0' && peek(r) <= '9') r->position++;
    }
    if (peek(r) == 'e' || peek(r) == 'E') {
        r->position++;
        if (peek(r) == '+' || peek(r) == '-') r->position++;
        if (!(peek(r) >= '0' && peek(r) <= '9')) {
            fail(r, "expected a digit in the exponent");
            return NULL;
        }
        while (peek(r) >= '0' && peek(r) <= '9') r->position++;
    }
    size_t n = r->position - start;
    char digits[64];
    if (n >= sizeof digits) {
        r->position = start;
        fail(r, "a number with more than 63 characters");
        return NULL;
    }
    memcpy(digits, r->text + start, n);
    digits[n] = '\0';
    /* strtod follows the C locale's decimal point; write the host's if it differs. */
    const char *point = localeconv()->decimal_point;
    if (point != NULL && point[0] != '.' && point[0] != '\0' && point[1] == '\0')
        for (char *p = digits; *p; p++)
            if (*p == '.') *p = point[0];
    double value = strtod(digits, NULL);
    if (!isfinite(value)) {
        r->position = start;
        fail(r, "a number too large for a double");
        return NULL;
    }
    return json_new_number(value);
}

static bool read_literal(reader *r, const char *word) {
    size_t n = strlen(word);
    if (r->position + n <= r->length && memcmp(r->text + r->position, word, n) == 0) {
        r->position += n;
        return true;
    }
    return false;
}

static json_value *read_container(reader *r, bool object) {
    if (++r->depth > JSON_MAX_DEPTH) {
        fail(r, "nested deeper than 48 levels");
        return NULL;
    }
    r->position++; /* [ or { */
    json_value *container = json_new(object ? JSON_OBJECT : JSON_ARRAY);
    if (container == NULL) {
        fail(r, "out of memory");
        return NULL;
    }
    char close = object ? '}' : ']';
    skip_space(r);
    if (peek(r) == close) {
        r->position++;
        r->depth--;
        return container;
    }
    while (true) {
        skip_space(r);
        char *key = NULL;
        if (object) {
            if (peek(r) != '"') {
                fail(r, peek(r) == '\'' ? "member names must use double quotes, not single quotes" : "expected a member name in double quotes");
                json_free(container);
                return NULL;
            }
            key = read_string(r);
            if (key == NULL) {
                json_free(container);
                return NULL;
            }
            for (size_t i = 0; i < container->count; i++) {
                if (strcmp(container->keys[i], key) == 0) {
                    free(key);
                    fail(r, "a duplicate member name");
                    json_free(container);
                    return NULL;
                }
            }
            skip_space(r);
            if (peek(r) != ':') {
                free(key);
                fail(r, "expected ':' after a member name");
                json_free(container);
                return NULL;
            }
            r->position++;
        }
        json_value *item = read_value(r);
        if (item == NULL) {
            free(key);
            json_free(container);
            return NULL;
        }
        bool added = object ? json_set(container, key, item) : json_append(container, item);
        free(key);
        if (!added) {
            fail(r, "out of memory");
            json_free(container);
            return NULL;
        }
        skip_space(r);
        if (peek(r) == ',') {
            r->position++;
            continue;
        }
        if (peek(r) == close) {
            r->position++;
            r->depth--;
            return container;
        }
        fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
        json_free(container);
        return NULL;
    }
}

static json_value *read_value(reader *r) {
    skip_space(r);
    if (at_end(r)) {
        fail(r, "the text ends where a value was expected");
        return NULL;
    }
    char c = peek(r);
    if (c == '{' || c == '[') return read_container(r, c == '{');
    if (c == '"') {
        char *text = read_string(r);
        if (text == NULL) return NULL;
        json_value *v = json_new(JSON_STRING);
        if (v == NULL) {
            free(text);
            fail(r, "out of memory");
            return NULL;
        }
        v->string = text;
        return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return read_number(r);
    bool truth = read_literal(r, "true");
    if (truth || read_literal(r, "false")) {
        json_value *v = json_new(JSON_BOOL);
        if (v != NULL) v->boolean = truth;
        return v;
    }
    if (read_literal(r, "null")) return json_new(JSON_NULL);
    fail(r, c == '\'' ? "strings must use double quotes, not single quotes" : "expected a value (object, array, string, number, true, false or null)");
    return NULL;
}

json_value *json_parse(const char *text, size_t length, size_t *consumed, char *error, size_t error_size) {
    if (error != NULL && error_size > 0) error[0] = '\0';
    reader r = {text, length, 0, 0, error, error_size, false};
    if (text == NULL) {
        fail(&r, "no text");
        return NULL;
    }
    json_value *value = read_value(&r);
    if (value == NULL && !r.failed) fail(&r, "out of memory");
    if (value != NULL && consumed != NULL) *consumed = r.position;
    return value;
}

json_value *json_parse_whole(const char *text, char *error, size_t error_size) {
    if (text == NULL) return json_parse(NULL, 0, NULL, error, error_size);
    size_t length = strlen(text), consumed = 0;
    json_value *value = json_parse(text, length, &consumed, error, error_size);
    if (value == NULL) return NULL;
    reader r = {text, length, consumed, 0, error, error_size, false};
    skip_space(&r);
    if (!at_end(&r)) {
        fail(&r, "unexpected text after the JSON value");
        json_free(value);
        return NULL;
    }
    return value;
}

const json_value *json_get(const json_value *object, const char *key) {
    if (object == NULL || object->type != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->keys[i], key) == 0) return object->items[i];
    return NULL;
}

const char *json_get_string(const json_value *object, const char *key) {
    const json_value *v = json_get(object, key);
    return v != NULL && v->type == JSON_STRING ? v->string : NULL;
}

const char *json_type_name(json_type type) {
    switch (type) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "a boolean";
    case JSON_NUMBER: return "a number";
    case JSON_STRING: return "a string";
    case JSON_ARRAY: return "an array";
    case JSON_OBJECT: return "an object";
    }
    return "unknown";
}

bool json_equal(const json_value *a, const json_value *b) {
    if (a == NULL || b == NULL) return a == b;
    if (a->type != b->type) return false;
    switch (a->type) {
    case JSON_NULL: return true;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NUMBER: {
        double scale = fmax(1.0, fmax(fabs(a->number), fabs(b->number)));
        return fabs(a->number - b->number) <= 1e-9 * scale;
    }
    case JSON_STRING: return strcmp(a->string, b->string) == 0;
    case JSON_ARRAY:
        if (a->count != b->count) return false;
        for (size_t i = 0; i < a->count; i++)
            if (!json_equal(a->items[i], b->items[i])) return false;
        return true;
    case JSON_OBJECT:
        if (a->count != b->count) return false;
        for (size_t i = 0; i < a->count; i++)
            if (!json_equal(a->items[i], json_get(b, a->keys[i]))) return false;
        return true;
    }
    return false;
}

void json_write(text_buffer *b, const json_value *value) {
    if (value == NULL) {
        text_buffer_append(b, "null");
        return;
    }
    switch (value->type) {
    case JSON_NULL: text_buffer_append(b, "null"); break;
    case JSON_BOOL: text_buffer_append(b, value->boolean ? "true" : "false"); break;
    case JSON_NUMBER: text_buffer_append_number(b, value->number); break;
    case JSON_STRING: text_buffer_append_json_string(b, value->string, strlen(value->string)); break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        text_buffer_append(b, value->type == JSON_ARRAY ? "[" : "{");
        for (size_t i = 0; i < value->count; i++) {
            if (i > 0) text_buffer_append(b, ",");
            if (value->type == JSON_OBJECT) {
                text_buffer_append_json_string(b, value->keys[i], strlen(value->keys[i]));
                text_buffer_append(b, ":");
            }
            json_write(b, value->items[i]);
        }
        text_buffer_append(b, value->type == JSON_ARRAY ? "]" : "}");
        break;
    }
}

json_value *json_copy(const json_value *value) {
    if (value == NULL) return NULL;
    json_value *copy = json_new(value->type);
    if (copy == NULL) return NULL;
    copy->boolean = value->boolean;
    copy->number = value->number;
    if (value->type == JSON_STRING) {
        copy->string = copy_text(value->string);
        if (copy->string == NULL) {
            free(copy);
            return NULL;
        }
    }
    for (size_t i = 0; i < value->count; i++) {
        json_value *item = json_copy(value->items[i]);
        bool added = value->type == JSON_OBJECT ? json_set(copy, value->keys[i], item) : json_append(copy, item);
        if (!added) {
            json_free(copy);
            return NULL;
        }
    }
    return copy;
}
