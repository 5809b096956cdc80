/*
 * verification.c — see verification.h. Execution verification follows the idea of keeping only
 * tool-use data whose calls really run and whose answers follow from the real results (as in
 * Toolformer's execution filtering, Schick et al. 2023, and ToolLLM's solution checking, Qin et
 * al. 2023): the teacher's trajectory is executed call by call with the plugin's own tools.
 */
#include "verification.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools.h"
#include "trajectory.h"

/* ── Agreement between a real result and the teacher's text ─────────────────────────────── */

typedef struct number_in_text {
    double value;
    int decimals;
    size_t start, end;
} number_in_text;

/* Reads up to `capacity` numbers written in `text` ("1,250.5", "-3", "$4.50"). */
static size_t numbers_in(const char *text, number_in_text *out, size_t capacity) {
    size_t count = 0, i = 0, n = strlen(text);
    while (i < n && count < capacity) {
        if (!isdigit((unsigned char)text[i]) || (i > 0 && (isalpha((unsigned char)text[i - 1]) || text[i - 1] == '.'))) {
            i++;
            continue;
        }
        size_t start = i;
        bool negative = start > 0 && text[start - 1] == '-' && (start < 2 || !isalnum((unsigned char)text[start - 2]));
        char digits[64];
        size_t d = 0;
        int decimals = -1;
        while (i < n && d + 1 < sizeof digits) {
            char c = text[i];
            if (isdigit((unsigned char)c)) {
                digits[d++] = c;
                if (decimals >= 0) decimals++;
            } else if (c == ',' && decimals < 0 && i + 3 < n && isdigit((unsigned char)text[i + 1]) &&
                       isdigit((unsigned char)text[i + 2]) && isdigit((unsigned char)text[i + 3]) &&
                       (i + 4 >= n || !isdigit((unsigned char)text[i + 4]))) {
                /* a thousands separator: skip it */
            } else if (c == '.' && decimals < 0 && i + 1 < n && isdigit((unsigned char)text[i + 1])) {
                digits[d++] = '.';
                decimals = 0;
            } else {
                break;
            }
            i++;
        }
        digits[d] = '\0';
        double value = 0, scale = 1;
        bool fraction = false;
        for (size_t k = 0; k < d; k++) {
            if (digits[k] == '.') {
                fraction = true;
                continue;
            }
            if (fraction) {
                scale /= 10;
                value += (digits[k] - '0') * scale;
            } else {
                value = value * 10 + (digits[k] - '0');
            }
        }
        out[count++] = (number_in_text){negative ? -value : value, decimals < 0 ? 0 : decimals, start, i};
    }
    return count;
}

static bool number_agrees(double real, const number_in_text *written) {
    double scale = fmax(1.0, fabs(real));
    if (fabs(written->value - real) <= 1e-9 * scale) return true;
    if (written->decimals >= 1 && written->decimals <= 12) {
        double factor = pow(10, written->decimals);
        if (fabs(round(real * factor) / factor - written->value) <= 1e-9 * scale) return true;
    }
    /* A whole number for a result of at least 10 that rounds to it ("about 398" for 397.8). */
    return written->decimals == 0 && fabs(real) >= 10 && fabs(round(real) - written->value) <= 1e-9 * scale;
}

static bool contains_without_case(const char *text, const char *needle) {
    size_t n = strlen(needle);
    if (n == 0) return false;
    for (const char *p = text; *p; p++)
        if (strncasecmp(p, needle, n) == 0) return true;
    return false;
}

static bool has_word(const char *text, const char *word) {
    size_t n = strlen(word);
    for (const char *p = text; *p; p++) {
        if (strncasecmp(p, word, n) != 0) continue;
        bool before = p == text || !isalnum((unsigned char)p[-1]);
        bool after = !isalnum((unsigned char)p[n]);
        if (before && after) return true;
    }
    return false;
}

#define MAX_NUMBERS 64

static bool scalar_agrees(const json_value *leaf, const char *text, const number_in_text *numbers, size_t count) {
    switch (leaf->type) {
    case JSON_NUMBER:
        for (size_t i = 0; i < count; i++)
            if (number_agrees(leaf->number, &numbers[i])) return true;
        return false;
    case JSON_STRING: {
        /* Trim the result before searching: " closed " is reported as "closed". */
        const char *s = leaf->string;
        while (isspace((unsigned char)*s)) s++;
        size_t n = strlen(s);
        while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
        char *trimmed = copy_text_n(s, n);
        bool found = trimmed != NULL && contains_without_case(text, trimmed);
        free(trimmed);
        return found;
    }
    case JSON_BOOL:
        return leaf->boolean ? (has_word(text, "true") || has_word(text, "yes")) : (has_word(text, "false") || has_word(text, "no"));
    case JSON_NULL: return has_word(text, "null") || has_word(text, "none");
    default: return false;
    }
}

static bool some_leaf_agrees(const json_value *value, const char *text, const number_in_text *numbers, size_t count) {
    if (value->type != JSON_ARRAY && value->type != JSON_OBJECT) return scalar_agrees(value, text, numbers, count);
    for (size_t i = 0; i < value->count; i++)
        if (some_leaf_agrees(value->items[i], text, numbers, count)) return true;
    return false;
}

/* Whether the written number is some numeric leaf, or part of a string leaf ("09" of "09:00"). */
static bool number_is_a_leaf(const json_value *value, const char *text, const number_in_text *written) {
    if (value->type == JSON_NUMBER) return number_agrees(value->number, written);
    if (value->type == JSON_STRING) {
        char *digits = copy_text_n(text + written->start, written->end - written->start);
        bool found = digits != NULL && strstr(value->string, digits) != NULL;
        free(digits);
        return found;
    }
    for (size_t i = 0; i < value->count; i++)
        if (number_is_a_leaf(value->items[i], text, written)) return true;
    return false;
}

bool text_agrees(const json_value *result, const char *text, bool strict) {
    if (result == NULL || text == NULL) return false;
    number_in_text numbers[MAX_NUMBERS];
    size_t count = numbers_in(text, numbers, MAX_NUMBERS);
    if (!some_leaf_agrees(result, text, numbers, count)) return false;
    if (strict && (result->type == JSON_ARRAY || result->type == JSON_OBJECT)) {
        for (size_t i = 0; i < count; i++)
            if (!number_is_a_leaf(result, text, &numbers[i])) return false;
    }
    return true;
}

/* ── Grounding: a call's arguments come from the task or from earlier results ────────────── */

/* Whether a number or a word (3+ letters) of `value` appears in `sources`. */
static bool value_grounded(const json_value *value, const char *sources, const number_in_text *numbers, size_t count) {
    if (value->type == JSON_NUMBER) {
        for (size_t i = 0; i < count; i++)
            if (fabs(numbers[i].value - value->number) <= 1e-9 * fmax(1.0, fabs(value->number))) return true;
        return false;
    }
    if (value->type != JSON_STRING) return false;
    number_in_text own[MAX_NUMBERS];
    size_t own_count = numbers_in(value->string, own, MAX_NUMBERS);
    for (size_t i = 0; i < own_count; i++) {
        json_value number = {.type = JSON_NUMBER, .number = own[i].value};
        if (value_grounded(&number, sources, numbers, count)) return true;
    }
    const char *p = value->string;
    while (*p) {
        while (*p && !isalpha((unsigned char)*p)) p++;
        const char *start = p;
        while (isalpha((unsigned char)*p)) p++;
        size_t n = (size_t)(p - start);
        if (n >= 3) {
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), start);
            if (contains_without_case(sources, word)) return true;
        }
    }
    return false;
}

/* Whether some argument of the call is grounded (booleans alone ground nothing). */
static bool call_grounded(const json_value *arguments, const char *sources) {
    number_in_text numbers[MAX_NUMBERS];
    size_t count = numbers_in(sources, numbers, MAX_NUMBERS);
    for (size_t i = 0; arguments != NULL && i < arguments->count; i++)
        if (value_grounded(arguments->items[i], sources, numbers, count)) return true;
    return false;
}

/* ── Execution verification ──────────────────────────────────────────────────────────────── */

static judgement rejected(double score, const char *format, ...) __attribute__((format(printf, 2, 3)));

static judgement rejected(double score, const char *format, ...) {
    judgement j = {false, score, {0}};
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(j.reason, sizeof j.reason, format, arguments);
    va_end(arguments);
    return j;
}

/* A short quotation of teacher text for a reason: the first line, at most 60 bytes. */
static void quote(const char *text, char *out, size_t size) {
    size_t n = strcspn(text, "\n");
    if (n > 60) snprintf(out, size, "%.57s...", text);
    else snprintf(out, size, "%.*s", (int)n, text);
}

/* The record's trajectory, read and schema-checked, or a rejection. */
static bool read_record(const json_value *record, trajectory *t, judgement *verdict) {
    const char *response = json_get_string(record, "response");
    if (response == NULL) {
        *verdict = rejected(0, "the record has no string \"response\" holding a trajectory");
        return false;
    }
    char problem[400];
    if (!trajectory_read_any(response, true, t, problem, sizeof problem)) {
        *verdict = rejected(0, "the response is not a complete tool-call trajectory: %s", problem);
        return false;
    }
    if (!trajectory_check(t, problem, sizeof problem)) {
        *verdict = rejected(0, "%s", problem);
        trajectory_free(t);
        return false;
    }
    return true;
}

/* Why the executed result of call `index` disagrees with what the teacher wrote for it. */
static judgement observation_mismatch(size_t index, const char *tool, const char *observation, const json_value *result, double score) {
    char written[72];
    quote(observation, written, sizeof written);
    text_buffer real = {0};
    json_write(&real, result);
    char *real_text = text_buffer_take(&real);
    judgement verdict = rejected(score, "call %zu (%s): the trajectory says the result is \"%s\" but executing it gives %s", index + 1, tool,
                                 written, real_text ? real_text : "another value");
    free(real_text);
    return verdict;
}

judgement verify_execution(const json_value *record) {
    trajectory t;
    judgement verdict = {true, 1, {0}};
    if (!read_record(record, &t, &verdict)) return verdict;
    json_value *last = NULL;
    size_t agreed = 0;
    /* What a call may take its arguments from: the task, then every earlier result. Without an
     * instruction in the record there is nothing to ground on and the check is skipped. */
    const char *instruction = json_get_string(record, "instruction");
    text_buffer sources = {0};
    if (instruction != NULL) text_buffer_append(&sources, instruction);
    for (size_t i = 0; i < t.count && verdict.keep; i++) {
        const tool_definition *tool = tool_find(t.calls[i].name);
        double score = (double)agreed / (double)t.count;
        if (instruction != NULL && !call_grounded(t.calls[i].arguments, sources.data ? sources.data : "")) {
            verdict = rejected(score, "call %zu (%s): none of its arguments comes from the task or an earlier result (a call copied "
                               "from elsewhere)", i + 1, tool->name);
            break;
        }
        json_value *output = tool_execute(tool, t.calls[i].arguments);
        const char *failure = output != NULL ? json_get_string(output, "error") : "out of memory";
        const json_value *result = json_get(output, "result");
        if (failure != NULL) {
            verdict = rejected(score, "call %zu (%s) fails when executed: %s", i + 1, tool->name, failure);
        } else if (t.calls[i].observation != NULL && !text_agrees(result, t.calls[i].observation, true)) {
            verdict = observation_mismatch(i, tool->name, t.calls[i].observation, result, score);
        } else {
            agreed++;
            text_buffer_append(&sources, "\n");
            json_write(&sources, output);
            json_free(last);
            last = output;
            continue;
        }
        json_free(output);
    }
    if (verdict.keep) {
        const json_value *final_result = json_get(last, "result");
        if (!text_agrees(final_result, t.final_answer, false)) {
            char written[72];
            quote(t.final_answer, written, sizeof written);
            text_buffer real = {0};
            json_write(&real, final_result);
            char *real_text = text_buffer_take(&real);
            verdict = rejected(0.5, "the final answer \"%s\" does not report the executed result %s of the last call (%s)", written,
                               real_text ? real_text : "", t.calls[t.count - 1].name);
            free(real_text);
        }
    }
    text_buffer_free(&sources);
    json_free(last);
    trajectory_free(&t);
    return verdict;
}

/* ── Injection guard ─────────────────────────────────────────────────────────────────────── */

static const char *const control_tokens[] = {
    "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>", "<|eot_id|>",
    "<|start_header_id|>", "[INST]", "<<SYS>>", "<|begin_of_text|>", NULL,
};

static const char *const override_phrases[] = {
    "ignore previous instructions", "ignore all previous", "ignore the previous", "ignore the above", "ignore your instructions",
    "disregard previous", "disregard all previous", "disregard the above", "forget your instructions", "new instructions:",
    "you are now", "system prompt", "developer mode", "jailbreak", NULL,
};

/* The first control token or override phrase in `text`, or NULL. */
static const char *injection_in(const char *text) {
    if (text == NULL) return NULL;
    for (size_t i = 0; control_tokens[i] != NULL; i++)
        if (strstr(text, control_tokens[i]) != NULL) return control_tokens[i];
    for (size_t i = 0; override_phrases[i] != NULL; i++)
        if (contains_without_case(text, override_phrases[i])) return override_phrases[i];
    return NULL;
}

/* The first injection in any string inside `value`; `where` names the member. */
static const char *injection_in_value(const json_value *value, const char **where) {
    if (value == NULL) return NULL;
    if (value->type == JSON_STRING) return injection_in(value->string);
    for (size_t i = 0; i < value->count; i++) {
        const char *found = injection_in_value(value->items[i], where);
        if (found != NULL) {
            if (value->type == JSON_OBJECT && *where == NULL) *where = value->keys[i];
            return found;
        }
    }
    return NULL;
}

judgement guard_injection(const json_value *record) {
    const char *response = json_get_string(record, "response");
    if (response == NULL) return rejected(0, "the record has no string \"response\" to check");
    trajectory t;
    char problem[400];
    if (!trajectory_read_any(response, false, &t, problem, sizeof problem)) {
        /* Not a trajectory: still scan the raw text. */
        const char *found = injection_in(response);
        if (found != NULL) return rejected(0, "the response carries the injection marker \"%s\"", found);
        return (judgement){true, 1, {0}};
    }
    judgement verdict = {true, 1, {0}};
    if (t.foreign_roles > 0) {
        verdict = rejected(0, "the trajectory contains a \"%s\" message: a teacher's output must not speak for the system or the user",
                           t.foreign_role);
    }
    for (size_t i = 0; i < t.count && verdict.keep; i++) {
        const char *where = NULL;
        const char *found = injection_in_value(t.calls[i].arguments, &where);
        if (found != NULL) {
            verdict = rejected(0, "call %zu (%.40s): argument \"%s\" carries the injection marker \"%s\"", i + 1, t.calls[i].name,
                               where ? where : "?", found);
        } else if ((found = injection_in(t.calls[i].observation)) != NULL) {
            verdict = rejected(0, "call %zu (%.40s): its result carries the injection marker \"%s\"", i + 1, t.calls[i].name, found);
        } else if ((found = injection_in(t.calls[i].thought)) != NULL) {
            verdict = rejected(0, "the thought before call %zu carries the injection marker \"%s\"", i + 1, found);
        }
    }
    const char *found;
    if (verdict.keep && (found = injection_in(t.final_answer)) != NULL)
        verdict = rejected(0, "the final answer carries the injection marker \"%s\"", found);
    if (verdict.keep && (found = injection_in(t.final_thought)) != NULL)
        verdict = rejected(0, "the last thought carries the injection marker \"%s\"", found);
    trajectory_free(&t);
    return verdict;
}
