/*
 * trajectory_react.c — reads a trajectory in the ReAct text format (Yao et al., 2023):
 *
 *     Thought: I need the price first.
 *     Action: lookup
 *     Action Input: {"key": "price:pen"}
 *     Observation: {"result": 1.2}
 *     Thought: …
 *     Final Answer: A pen costs 1.20 dollars.
 *
 * Labels are read only at the start of a line (markdown emphasis and the paper's numbered
 * "Action 2:" are accepted); a value may continue on the following lines. An "Action:" written
 * inside an Observation line is text of that observation, never a call.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "trajectory.h"

typedef enum field {
    FIELD_NONE,
    FIELD_THOUGHT,
    FIELD_ACTION,
    FIELD_INPUT,
    FIELD_OBSERVATION,
    FIELD_FINAL,
} field;

/* Recognizes a label at the start of `line` and returns where its value starts. */
static field read_label(const char *line, const char *end, const char **value) {
    static const struct {
        const char *word;
        field kind;
    } labels[] = {{"final answer", FIELD_FINAL}, {"action input", FIELD_INPUT}, {"action", FIELD_ACTION},
                  {"thought", FIELD_THOUGHT},     {"observation", FIELD_OBSERVATION}};
    const char *p = line;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '*' || *p == '_' || *p == '>')) p++;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t n = strlen(labels[i].word);
        if ((size_t)(end - p) < n || strncasecmp(p, labels[i].word, n) != 0) continue;
        const char *q = p + n;
        while (q < end && (*q == ' ' || isdigit((unsigned char)*q) || *q == '*' || *q == '_')) q++;
        if (q >= end || *q != ':') continue;
        q++;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '*' || *q == '_')) q++;
        *value = q;
        return labels[i].kind;
    }
    return FIELD_NONE;
}

/* Text being collected for the current label. */
typedef struct pending {
    field kind;
    int line;
    text_buffer text;
} pending;

static char *trimmed_copy(const char *text) {
    if (text == NULL) return copy_text("");
    const char *start = text;
    while (isspace((unsigned char)*start)) start++;
    size_t n = strlen(start);
    while (n > 0 && isspace((unsigned char)start[n - 1])) n--;
    return copy_text_n(start, n);
}

/* Strips a ``` fence (and its "json" tag) around an Action Input. */
static char *without_fence(char *text) {
    if (strncmp(text, "```", 3) != 0) return text;
    char *body = text + 3;
    if (strncasecmp(body, "json", 4) == 0) body += 4;
    size_t n = strlen(body);
    if (n >= 3 && strcmp(body + n - 3, "```") == 0) body[n - 3] = '\0';
    char *clean = trimmed_copy(body);
    free(text);
    return clean;
}

typedef struct react {
    trajectory *t;
    char *error;
    size_t error_size;
    bool finished;          /* a Final Answer was read */
    bool awaiting_input;    /* an Action waits for its Action Input */
    char *thought;          /* the latest thought, owned until a call or the answer takes it */
} react;

static bool fail_at(react *r, int line, const char *message) {
    snprintf(r->error, r->error_size, "line %d: %s", line, message);
    return false;
}

/* fail_at, releasing the field's text first. */
static bool fail_freeing(react *r, char *value, int line, const char *message) {
    free(value);
    return fail_at(r, line, message);
}

/* Stores the collected text of the label that just ended. */
static bool close_field(react *r, pending *p) {
    trajectory *t = r->t;
    if (p->kind == FIELD_NONE) {
        text_buffer_free(&p->text);
        return true;
    }
    char *raw = text_buffer_take(&p->text);
    char *value = trimmed_copy(raw);
    free(raw);
    if (value == NULL) return fail_at(r, p->line, "out of memory");
    switch (p->kind) {
    case FIELD_THOUGHT:
        free(r->thought);
        r->thought = value;
        return true;
    case FIELD_ACTION: {
        if (r->finished) return fail_freeing(r, value, p->line, "an Action after the Final Answer");
        if (r->awaiting_input) return fail_freeing(r, value, p->line, "the previous Action has no \"Action Input:\" line");
        if (t->count == TRAJECTORY_MAX_CALLS) return fail_freeing(r, value, p->line, "more than 16 tool calls in one trajectory");
        /* `calculator`, "calculator", [calculator] → calculator */
        char *name = value;
        while (*name == '`' || *name == '"' || *name == '\'' || *name == '[') name++;
        size_t n = strlen(name);
        while (n > 0 && (name[n - 1] == '`' || name[n - 1] == '"' || name[n - 1] == '\'' || name[n - 1] == ']' || name[n - 1] == '.')) n--;
        if (n == 0) return fail_freeing(r, value, p->line, "an Action without a tool name");
        if (memchr(name, '(', n) != NULL || memchr(name, '{', n) != NULL) {
            free(value);
            return fail_at(r, p->line, "write only the tool name after \"Action:\" and its arguments as JSON on an \"Action Input:\" line");
        }
        tool_call *call = &t->calls[t->count++];
        call->name = copy_text_n(name, n);
        call->line = p->line;
        call->thought = r->thought;
        r->thought = NULL;
        free(value);
        r->awaiting_input = true;
        return call->name != NULL || fail_at(r, p->line, "out of memory");
    }
    case FIELD_INPUT: {
        if (!r->awaiting_input) return fail_freeing(r, value, p->line, "an \"Action Input:\" without an \"Action:\" before it");
        value = without_fence(value);
        if (value == NULL) return fail_at(r, p->line, "out of memory");
        char problem[200], message[300];
        json_value *arguments = json_parse_whole(value, problem, sizeof problem);
        free(value);
        if (arguments == NULL) {
            snprintf(message, sizeof message, "the Action Input of %.40s is not JSON: %s", t->calls[t->count - 1].name, problem);
            return fail_at(r, p->line, message);
        }
        t->calls[t->count - 1].arguments = arguments;
        r->awaiting_input = false;
        return true;
    }
    case FIELD_OBSERVATION: {
        if (t->count == 0 || r->awaiting_input) {
            free(value);
            return fail_at(r, p->line, t->count == 0 ? "an Observation before any Action" : "an Observation before the Action Input");
        }
        tool_call *call = &t->calls[t->count - 1];
        if (call->observation == NULL) {
            call->observation = value;
            return true;
        }
        text_buffer joined = {0};
        text_buffer_append(&joined, call->observation);
        text_buffer_append(&joined, "\n");
        text_buffer_append(&joined, value);
        free(value);
        free(call->observation);
        call->observation = text_buffer_take(&joined);
        return call->observation != NULL || fail_at(r, p->line, "out of memory");
    }
    case FIELD_FINAL:
        if (r->awaiting_input) return fail_freeing(r, value, p->line, "the last Action has no \"Action Input:\" line");
        free(t->final_answer);
        t->final_answer = value;
        t->final_thought = r->thought;
        r->thought = NULL;
        r->finished = true;
        return true;
    case FIELD_NONE: break;
    }
    free(value);
    return true;
}

bool trajectory_read_react(const char *text, bool need_final_answer, trajectory *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    out->format = FORMAT_REACT;
    react r = {out, error, error_size, false, false, NULL};
    pending current = {FIELD_NONE, 0, {0}};
    int number = 0;
    bool ok = true;
    for (const char *line = text; ok && *line;) {
        const char *end = strchr(line, '\n');
        if (end == NULL) end = line + strlen(line);
        number++;
        const char *value = NULL;
        field kind = read_label(line, end, &value);
        if (kind != FIELD_NONE) {
            ok = close_field(&r, &current);
            current.kind = kind;
            current.line = number;
            current.text = (text_buffer){0};
            text_buffer_append_n(&current.text, value, (size_t)(end - value));
        } else if (current.kind != FIELD_NONE) {
            /* A continuation line; an Action name never continues, so its next line ends it. */
            if (current.kind == FIELD_ACTION) {
                ok = close_field(&r, &current);
                current.kind = FIELD_NONE;
            } else {
                text_buffer_append(&current.text, "\n");
                text_buffer_append_n(&current.text, line, (size_t)(end - line));
            }
        }
        line = *end ? end + 1 : end;
    }
    if (ok) ok = close_field(&r, &current);
    else text_buffer_free(&current.text);
    free(r.thought);
    if (ok && r.awaiting_input) ok = fail_at(&r, out->calls[out->count - 1].line, "the last Action has no \"Action Input:\" line");
    if (ok && out->count == 0) {
        snprintf(error, error_size, "no \"Action:\" line: a ReAct trajectory calls at least one tool");
        ok = false;
    }
    if (ok && need_final_answer && (out->final_answer == NULL || out->final_answer[0] == '\0')) {
        snprintf(error, error_size, "no \"Final Answer:\" line after the last Observation");
        ok = false;
    }
    if (!ok) trajectory_free(out);
    return ok;
}
