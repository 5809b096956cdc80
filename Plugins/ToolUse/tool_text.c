/*
 * tool_text.c — the text tools (`text_stats`, `transform_text`, `count_occurrences`). Texts are
 * UTF-8: characters are code points, reversal keeps each character's bytes together, and case
 * changes apply to ASCII letters only (other letters are kept as they are).
 */
#include "tools.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

char *tool_use_text_stats(const char *text) {
    if (text == NULL) return tool_error("no text was given");
    long characters = 0, words = 0, sentences = 0, lines = text[0] ? 1 : 0;
    bool in_word = false, in_sentence = false;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (is_continuation(*p)) continue;
        characters++;
        bool space = isspace(*p) != 0;
        if (*p == '\n') lines++;
        if (!space && !in_word) words++;
        in_word = !space;
        if (*p == '.' || *p == '!' || *p == '?') {
            if (in_sentence) sentences++;
            in_sentence = false;
        } else if (isalnum(*p) || *p >= 0x80) {
            in_sentence = true;
        }
    }
    if (in_sentence) sentences++; /* a last sentence without its full stop */
    text_buffer b = {0};
    text_buffer_appendf(&b, "{\"result\": {\"characters\": %ld, \"words\": %ld, \"sentences\": %ld, \"lines\": %ld}}", characters, words,
                        sentences, lines);
    return text_buffer_take(&b);
}

char *tool_use_transform_text(const char *text, const char *operation) {
    if (text == NULL) return tool_error("no text was given");
    if (operation == NULL) return tool_error("no operation was given");
    size_t n = strlen(text);
    char *out = malloc(n + 1);
    if (out == NULL) return NULL;
    if (strcmp(operation, "uppercase") == 0 || strcmp(operation, "lowercase") == 0 || strcmp(operation, "title_case") == 0) {
        bool start_of_word = true;
        for (size_t i = 0; i <= n; i++) {
            unsigned char c = (unsigned char)text[i];
            if (c >= 0x80) out[i] = (char)c;
            else if (operation[0] == 'u') out[i] = (char)toupper(c);
            else if (operation[0] == 'l') out[i] = (char)tolower(c);
            else out[i] = (char)(start_of_word ? toupper(c) : tolower(c));
            start_of_word = isspace(c) || c == '-';
        }
    } else if (strcmp(operation, "reverse") == 0) {
        size_t written = 0, end = n;
        while (end > 0) {
            size_t start = end - 1;
            while (start > 0 && is_continuation((unsigned char)text[start])) start--;
            memcpy(out + written, text + start, end - start);
            written += end - start;
            end = start;
        }
        out[written] = '\0';
    } else if (strcmp(operation, "trim") == 0) {
        size_t start = 0, end = n;
        while (start < end && isspace((unsigned char)text[start])) start++;
        while (end > start && isspace((unsigned char)text[end - 1])) end--;
        memcpy(out, text + start, end - start);
        out[end - start] = '\0';
    } else {
        free(out);
        return tool_error("unknown operation \"%.30s\"; use uppercase, lowercase, title_case, reverse or trim", operation);
    }
    char *result = tool_result_string(out);
    free(out);
    return result;
}

char *tool_use_count_occurrences(const char *text, const char *substring, bool case_sensitive) {
    if (text == NULL || substring == NULL) return tool_error("both text and substring are needed");
    size_t needle = strlen(substring);
    if (needle == 0) return tool_error("the substring is empty; give at least one character to count");
    long count = 0;
    for (const char *p = text; *p;) {
        bool match = true;
        for (size_t i = 0; i < needle && match; i++) {
            unsigned char a = (unsigned char)p[i], b = (unsigned char)substring[i];
            if (a == '\0') {
                match = false;
                break;
            }
            match = case_sensitive || a >= 0x80 ? a == b : tolower(a) == tolower(b);
        }
        if (match) {
            count++;
            p += needle;
        } else {
            p++;
        }
    }
    return tool_result_number((double)count);
}
