/*
 * c-example: a Retort plugin written in plain C, to prove the ABI is language neutral.
 *
 * It elicits question–answer pairs about a topic: a prompt template, a parser for the teacher's
 * "Q: … / A: …" lines, a few seed topics, and native tools (one per C type the host supports)
 * that the host calls through libffi. Build it alone with:
 *
 *     cc -std=c11 -shared -fPIC -I SDK/include -o libretort_plugin_c_example.so \
 *        Examples/Plugins/CExample/c_example_plugin.c
 */
#include "retort/retort.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const retort_host *g_host;

static void log_message(retort_log_level level, const char *message) {
    if (g_host != NULL && g_host->log != NULL) g_host->log(g_host, level, message);
}

/* ── A growable string, for building JSON ─────────────────────────────────────────────────── */

typedef struct {
    char *data;
    size_t length;
    size_t capacity;
} buffer;

static void buffer_append_n(buffer *b, const char *text, size_t n) {
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 256;
        while (capacity < b->length + n + 1) capacity *= 2;
        char *grown = realloc(b->data, capacity);
        if (grown == NULL) abort(); /* out of memory: nothing sensible to return */
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, text, n);
    b->length += n;
    b->data[b->length] = '\0';
}

static void buffer_append(buffer *b, const char *text) { buffer_append_n(b, text, strlen(text)); }

/* Appends `text` (n bytes) as a JSON string literal. */
static void buffer_append_json_string(buffer *b, const char *text, size_t n) {
    buffer_append(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        char escaped[8];
        switch (c) {
        case '"': buffer_append(b, "\\\""); break;
        case '\\': buffer_append(b, "\\\\"); break;
        case '\n': buffer_append(b, "\\n"); break;
        case '\r': buffer_append(b, "\\r"); break;
        case '\t': buffer_append(b, "\\t"); break;
        default:
            if (c < 0x20) {
                snprintf(escaped, sizeof escaped, "\\u%04x", c);
                buffer_append(b, escaped);
            } else {
                buffer_append_n(b, (const char *)&text[i], 1);
            }
        }
    }
    buffer_append(b, "\"");
}

static char *copy_string(const char *text) {
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy != NULL) memcpy(copy, text, n);
    return copy;
}

static retort_status fail(char **out_error, retort_status status, const char *message) {
    if (out_error != NULL) *out_error = copy_string(message);
    return status;
}

/* ── retort.describe.v1 ───────────────────────────────────────────────────────────────────── */

static retort_status describe_manifest(char **out_json, char **out_error) {
    (void)out_error;
    *out_json = copy_string(
        "{\"id\":\"c-example\",\"kind\":\"skill\",\"name\":\"Question–answer pairs (C example)\","
        "\"version\":\"1.0.0\",\"description\":\"Elicits question-answer pairs about a topic; "
        "written in C to show the plugin ABI is language neutral.\",\"license\":\"Apache-2.0\","
        "\"provides\":{\"strategies\":[\"curation\"],"
        "\"recommended_objectives\":[{\"name\":\"sft\",\"weight\":1}]}}");
    return RETORT_OK;
}

static const retort_describe_v1 describe_extension = {true, describe_manifest};

/* ── retort.templates.v1 ──────────────────────────────────────────────────────────────────── */

static retort_status templates_list(char **out_json, char **out_error) {
    (void)out_error;
    *out_json = copy_string(
        "[{\"name\":\"qa.system\",\"role\":\"system\",\"strategy\":\"any\",\"slots\":[],"
        "\"template\":\"You are a patient teacher who writes short, correct question-answer "
        "pairs.\"},"
        "{\"name\":\"qa.generate\",\"role\":\"user\",\"strategy\":\"curation\","
        "\"slots\":[\"topic\",\"count\"],"
        "\"template\":\"Write {{count}} question-answer pairs about {{topic}}. Put each question "
        "on a line starting with 'Q:' and its answer on the next line starting with 'A:'.\","
        "\"description\":\"Asks the teacher for question-answer pairs on one topic.\"}]");
    return RETORT_OK;
}

static const retort_templates_v1 templates_extension = {true, templates_list};

/* ── retort.parser.v1 ─────────────────────────────────────────────────────────────────────── */

static retort_status parser_list(char **out_json, char **out_error) {
    (void)out_error;
    *out_json = copy_string(
        "[{\"name\":\"qa-lines\",\"description\":\"Reads 'Q:' lines each followed by an 'A:' "
        "line.\",\"yields\":[\"question\",\"answer\"],\"method\":\"line-prefixed pairs\"}]");
    return RETORT_OK;
}

/* Returns a pointer past leading spaces and the prefix `Q:`/`A:` if `line` starts with it. */
static const char *after_prefix(const char *line, size_t n, char letter, size_t *rest) {
    size_t i = 0;
    while (i < n && isspace((unsigned char)line[i])) i++;
    if (i + 1 < n && toupper((unsigned char)line[i]) == letter && line[i + 1] == ':') {
        i += 2;
        while (i < n && isspace((unsigned char)line[i])) i++;
        size_t end = n;
        while (end > i && isspace((unsigned char)line[end - 1])) end--;
        *rest = end - i;
        return line + i;
    }
    return NULL;
}

static retort_status parser_parse(const char *parser_name, const char *teacher_output,
                                  const char *context_json, char **out_records_json,
                                  char **out_error) {
    (void)context_json;
    if (parser_name == NULL || strcmp(parser_name, "qa-lines") != 0) {
        return fail(out_error, RETORT_ERROR_NOT_FOUND, "no parser with that name; this plugin has: qa-lines");
    }
    if (teacher_output == NULL) return fail(out_error, RETORT_ERROR_INVALID_ARGUMENT, "teacher output is NULL");

    buffer json = {0};
    buffer_append(&json, "[");
    const char *question = NULL;
    size_t question_length = 0;
    int pairs = 0, line_number = 0;
    const char *cursor = teacher_output;
    while (*cursor != '\0') {
        const char *end = strchr(cursor, '\n');
        size_t n = end ? (size_t)(end - cursor) : strlen(cursor);
        line_number++;
        size_t rest = 0;
        const char *q = after_prefix(cursor, n, 'Q', &rest);
        if (q != NULL) {
            if (question != NULL) {
                char message[128];
                snprintf(message, sizeof message, "line %d: a new 'Q:' before the answer to the previous question",
                         line_number);
                free(json.data);
                return fail(out_error, RETORT_ERROR_PARSE, message);
            }
            question = q;
            question_length = rest;
        } else {
            const char *a = after_prefix(cursor, n, 'A', &rest);
            if (a != NULL) {
                if (question == NULL || question_length == 0 || rest == 0) {
                    char message[128];
                    snprintf(message, sizeof message, "line %d: an 'A:' without a non-empty question and answer",
                             line_number);
                    free(json.data);
                    return fail(out_error, RETORT_ERROR_PARSE, message);
                }
                if (pairs > 0) buffer_append(&json, ",");
                buffer_append(&json, "{\"question\":");
                buffer_append_json_string(&json, question, question_length);
                buffer_append(&json, ",\"answer\":");
                buffer_append_json_string(&json, a, rest);
                buffer_append(&json, "}");
                pairs++;
                question = NULL;
            }
        }
        cursor = end ? end + 1 : cursor + n;
    }
    buffer_append(&json, "]");
    if (pairs == 0) {
        free(json.data);
        return fail(out_error, RETORT_ERROR_PARSE, "no 'Q:' line followed by an 'A:' line in the teacher output");
    }
    *out_records_json = json.data;
    return RETORT_OK;
}

static const retort_parser_v1 parser_extension = {true, parser_list, parser_parse};

/* ── retort.seeds.v1 ──────────────────────────────────────────────────────────────────────── */

static retort_status seeds_list(char **out_json, char **out_error) {
    (void)out_error;
    *out_json = copy_string(
        "[{\"name\":\"topics\",\"kind\":\"topics\",\"description\":\"School science topics.\","
        "\"items\":[{\"topic\":\"the water cycle\"},{\"topic\":\"photosynthesis\"},"
        "{\"topic\":\"the phases of the Moon\"},{\"topic\":\"magnets\"}]}]");
    return RETORT_OK;
}

static const retort_seeds_v1 seeds_extension = {true, seeds_list};

/* ── retort.tools.v1: one native tool per C type the host supports ────────────────────────── */

int32_t c_example_add(int32_t a, int32_t b) { return a + b; }

int64_t c_example_factorial(int32_t n) {
    int64_t result = 1;
    for (int32_t i = 2; i <= n && i <= 20; i++) result *= i;
    return n > 20 ? -1 : result; /* 21! overflows int64; -1 says so */
}

double c_example_celsius_to_fahrenheit(double celsius) { return celsius * 9.0 / 5.0 + 32.0; }

float c_example_scale(float value, float factor) { return value * factor; }

bool c_example_is_prime(int64_t n) {
    if (n < 2) return false;
    for (int64_t d = 2; d * d <= n; d++)
        if (n % d == 0) return false;
    return true;
}

int32_t c_example_word_count(const char *text) {
    int32_t words = 0;
    bool in_word = false;
    for (const char *p = text; p != NULL && *p != '\0'; p++) {
        bool space = isspace((unsigned char)*p);
        if (!space && !in_word) words++;
        in_word = !space;
    }
    return words;
}

/* Counts characters (UTF-8 code points), with or without whitespace: the example's bool parameter. */
int32_t c_example_count_characters(const char *text, bool include_spaces) {
    int32_t count = 0;
    for (const char *p = text; p != NULL && *p != '\0'; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80) continue; /* a UTF-8 continuation byte */
        if (!include_spaces && isspace((unsigned char)*p)) continue;
        count++;
    }
    return count;
}

/* Reverses by Unicode code point (UTF-8 continuation bytes stay with their lead byte). The
 * result is allocated here and released by the host through free_string. */
char *c_example_reverse(const char *text) {
    size_t n = text ? strlen(text) : 0;
    char *out = malloc(n + 1);
    if (out == NULL) return NULL;
    size_t written = 0, i = n;
    while (i > 0) {
        size_t start = i - 1;
        while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80) start--;
        memcpy(out + written, text + start, i - start);
        written += i - start;
        i = start;
    }
    out[written] = '\0';
    return out;
}

/* A borrowed static string: the host copies it and never frees it. */
const char *c_example_greeting(void) { return "hello from C"; }

static retort_status tools_list(char **out_json, char **out_error) {
    (void)out_error;
    *out_json = copy_string(
        "["
        "{\"name\":\"add\",\"description\":\"Adds two 32-bit integers.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
        "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]},"
        "\"signature\":\"int32_t (int32_t a, int32_t b)\",\"symbol\":\"c_example_add\"},"
        "{\"name\":\"factorial\",\"description\":\"n! as a 64-bit integer (-1 above 20).\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},"
        "\"required\":[\"n\"]},"
        "\"signature\":\"int64_t (int32_t n)\",\"symbol\":\"c_example_factorial\"},"
        "{\"name\":\"celsius_to_fahrenheit\",\"description\":\"Converts a temperature.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"celsius\":{\"type\":\"number\"}},"
        "\"required\":[\"celsius\"]},"
        "\"signature\":\"double (double celsius)\",\"symbol\":\"c_example_celsius_to_fahrenheit\"},"
        "{\"name\":\"scale\",\"description\":\"Multiplies a single-precision value.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"number\"},"
        "\"factor\":{\"type\":\"number\"}},\"required\":[\"value\",\"factor\"]},"
        "\"signature\":\"float (float value, float factor)\",\"symbol\":\"c_example_scale\"},"
        "{\"name\":\"is_prime\",\"description\":\"Whether n is prime.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},"
        "\"required\":[\"n\"]},"
        "\"signature\":\"bool (int64_t n)\",\"symbol\":\"c_example_is_prime\"},"
        "{\"name\":\"word_count\",\"description\":\"Counts whitespace-separated words.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
        "\"required\":[\"text\"]},"
        "\"signature\":\"int32_t (const char *text)\",\"symbol\":\"c_example_word_count\"},"
        "{\"name\":\"count_characters\",\"description\":\"Counts characters, optionally skipping whitespace.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"},"
        "\"include_spaces\":{\"type\":\"boolean\"}},\"required\":[\"text\",\"include_spaces\"]},"
        "\"signature\":\"int32_t (const char *text, bool include_spaces)\","
        "\"symbol\":\"c_example_count_characters\"},"
        "{\"name\":\"reverse\",\"description\":\"Reverses text by character.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
        "\"required\":[\"text\"]},"
        "\"signature\":\"char * (const char *text)\",\"symbol\":\"c_example_reverse\"},"
        "{\"name\":\"greeting\",\"description\":\"A fixed greeting.\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{}},"
        "\"signature\":\"const char * (void)\",\"symbol\":\"c_example_greeting\"}"
        "]");
    return RETORT_OK;
}

static const retort_tools_v1 tools_extension = {true, tools_list};

/* ── Entry ────────────────────────────────────────────────────────────────────────────────── */

static bool plugin_init(const retort_host *host, const char *plugin_dir) {
    (void)plugin_dir;
    g_host = host;
    log_message(RETORT_LOG_DEBUG, "c-example initialized");
    return true;
}

static void plugin_deinit(void) { g_host = NULL; }

static const void *plugin_get_extension(const char *id) {
    if (id == NULL) return NULL;
    if (strcmp(id, RETORT_EXT_DESCRIBE_V1) == 0) return &describe_extension;
    if (strcmp(id, RETORT_EXT_TEMPLATES_V1) == 0) return &templates_extension;
    if (strcmp(id, RETORT_EXT_PARSER_V1) == 0) return &parser_extension;
    if (strcmp(id, RETORT_EXT_SEEDS_V1) == 0) return &seeds_extension;
    if (strcmp(id, RETORT_EXT_TOOLS_V1) == 0) return &tools_extension;
    return NULL;
}

static void plugin_free_string(char *string) { free(string); }

const retort_plugin_entry_t retort_plugin_entry = {
    {RETORT_ABI_MAJOR, RETORT_ABI_MINOR}, plugin_init, plugin_deinit, plugin_get_extension, plugin_free_string,
};
