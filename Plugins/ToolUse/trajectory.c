/*
 * trajectory.c — what the two trajectory formats share: finding JSON in free text, the schema
 * check of every call, the canonical writers and cleanup. The readers are trajectory_openai.c
 * and trajectory_react.c.
 */
#include "trajectory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools.h"

/* Parse attempts find_json makes before giving up: bounds the work on long hostile outputs. */
#define FIND_JSON_ATTEMPTS 200

/* The index just past the bracket that closes the one at `start` (brackets inside strings are
 * skipped), or `length` when it is never closed. */
static size_t balanced_end(const char *text, size_t start, size_t length) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = start; i < length; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return length;
}

json_value *find_json(const char *text, size_t from, size_t *start, size_t *end, char *error, size_t error_size) {
    size_t length = strlen(text);
    int attempts = 0;
    bool reported = false;
    if (error != NULL && error_size > 0) error[0] = '\0';
    for (size_t i = from; i < length && attempts < FIND_JSON_ATTEMPTS; i++) {
        if (text[i] != '{' && text[i] != '[') continue;
        attempts++;
        char problem[200];
        size_t consumed = 0;
        json_value *value = json_parse(text + i, length - i, &consumed, problem, sizeof problem);
        if (value != NULL && (value->type == JSON_OBJECT || value->type == JSON_ARRAY)) {
            *start = i;
            *end = i + consumed;
            return value;
        }
        json_free(value);
        /* "[1]" or "[see above]" in prose is not an attempt at JSON; an object is. */
        if (!reported && text[i] == '{' && error != NULL) {
            snprintf(error, error_size, "%s", problem);
            reported = true;
        }
        /* Never salvage a fragment from inside a malformed value (a nesting bomb, a cut-off
         * object): go on after its closing bracket. */
        i = balanced_end(text, i, length) - 1;
    }
    return NULL;
}

void trajectory_free(trajectory *t) {
    for (size_t i = 0; i < t->count; i++) {
        free(t->calls[i].name);
        json_free(t->calls[i].arguments);
        free(t->calls[i].observation);
        free(t->calls[i].thought);
    }
    free(t->final_answer);
    free(t->final_thought);
    memset(t, 0, sizeof *t);
}

bool trajectory_check(const trajectory *t, char *error, size_t error_size) {
    for (size_t i = 0; i < t->count; i++) {
        const tool_call *call = &t->calls[i];
        const tool_definition *tool = tool_find(call->name);
        if (tool == NULL) {
            text_buffer names = {0};
            tool_append_names(&names);
            char *list = text_buffer_take(&names);
            snprintf(error, error_size, "call %zu uses the unknown tool \"%.40s\"; the tools are %s", i + 1, call->name, list ? list : "");
            free(list);
            return false;
        }
        char problem[300];
        if (!tool_check_arguments(tool, call->arguments, problem, sizeof problem)) {
            snprintf(error, error_size, "call %zu (%s): %s", i + 1, tool->name, problem);
            return false;
        }
    }
    return true;
}

static char *arguments_text(const json_value *arguments) {
    text_buffer b = {0};
    json_write(&b, arguments);
    return text_buffer_take(&b);
}

void trajectory_write_openai(text_buffer *b, const trajectory *t) {
    text_buffer_append(b, "{\"messages\": [");
    for (size_t i = 0; i < t->count; i++) {
        const tool_call *call = &t->calls[i];
        char id[32];
        snprintf(id, sizeof id, "call_%zu", i + 1);
        if (i > 0) text_buffer_append(b, ", ");
        text_buffer_append(b, "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": ");
        text_buffer_append_json_string(b, id, strlen(id));
        text_buffer_append(b, ", \"type\": \"function\", \"function\": {\"name\": ");
        text_buffer_append_json_string(b, call->name, strlen(call->name));
        text_buffer_append(b, ", \"arguments\": ");
        char *arguments = arguments_text(call->arguments);
        if (arguments != NULL) text_buffer_append_json_string(b, arguments, strlen(arguments));
        else b->failed = true;
        free(arguments);
        text_buffer_append(b, "}}]}");
        if (call->observation != NULL) {
            text_buffer_append(b, ", {\"role\": \"tool\", \"tool_call_id\": ");
            text_buffer_append_json_string(b, id, strlen(id));
            text_buffer_append(b, ", \"content\": ");
            text_buffer_append_json_string(b, call->observation, strlen(call->observation));
            text_buffer_append(b, "}");
        }
    }
    if (t->final_answer != NULL) {
        text_buffer_append(b, t->count > 0 ? ", " : "");
        text_buffer_append(b, "{\"role\": \"assistant\", \"content\": ");
        text_buffer_append_json_string(b, t->final_answer, strlen(t->final_answer));
        text_buffer_append(b, "}");
    }
    text_buffer_append(b, "]}");
}

void trajectory_write_react(text_buffer *b, const trajectory *t) {
    for (size_t i = 0; i < t->count; i++) {
        const tool_call *call = &t->calls[i];
        if (call->thought != NULL) {
            text_buffer_append(b, i > 0 ? "\nThought: " : "Thought: ");
            text_buffer_append(b, call->thought);
        }
        text_buffer_append(b, (i > 0 || call->thought != NULL) ? "\nAction: " : "Action: ");
        text_buffer_append(b, call->name);
        text_buffer_append(b, "\nAction Input: ");
        json_write(b, call->arguments);
        if (call->observation != NULL) {
            text_buffer_append(b, "\nObservation: ");
            text_buffer_append(b, call->observation);
        }
    }
    if (t->final_thought != NULL) {
        text_buffer_append(b, "\nThought: ");
        text_buffer_append(b, t->final_thought);
    }
    if (t->final_answer != NULL) {
        text_buffer_append(b, t->count > 0 ? "\nFinal Answer: " : "Final Answer: ");
        text_buffer_append(b, t->final_answer);
    }
}

void trajectory_write_calls(text_buffer *b, const trajectory *t) {
    text_buffer_append(b, "[");
    for (size_t i = 0; i < t->count; i++) {
        if (i > 0) text_buffer_append(b, ", ");
        text_buffer_append(b, "{\"name\": ");
        text_buffer_append_json_string(b, t->calls[i].name, strlen(t->calls[i].name));
        text_buffer_append(b, ", \"arguments\": ");
        json_write(b, t->calls[i].arguments);
        text_buffer_append(b, "}");
    }
    text_buffer_append(b, "]");
}

bool trajectory_read_any(const char *text, bool need_final_answer, trajectory *out, char *error, size_t error_size) {
    /* A ReAct "Action:" line decides for ReAct even when its Action Input is JSON. */
    bool react = false;
    for (const char *line = text; line != NULL && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '*' || *p == '_') p++;
        if (strncasecmp(p, "action", 6) != 0) continue;
        p += 6;
        while (*p == ' ' || (*p >= '0' && *p <= '9') || *p == '*' || *p == '_') p++;
        if (*p == ':') {
            react = true;
            break;
        }
    }
    return react ? trajectory_read_react(text, need_final_answer, out, error, error_size)
                 : trajectory_read_openai(text, need_final_answer, out, error, error_size);
}
