/*
 * trajectory_openai.c — reads a trajectory in the OpenAI tool-call format. The teacher writes
 * JSON (fenced or not, one value or several): a messages array ({"role": "assistant",
 * "tool_calls": [...]}, {"role": "tool", "content": ...}, a last assistant "content"), a bare
 * {"tool_calls": [...]} object, or single calls ({"name", "arguments"}). Arguments may be a JSON
 * string (as the OpenAI API sends them) or an object. A "Final answer: …" line outside the JSON
 * also counts as the final answer.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "trajectory.h"

typedef struct reading {
    trajectory *t;
    char *error;
    size_t error_size;
} reading;

static bool failure(reading *r, const char *message, const char *detail) {
    snprintf(r->error, r->error_size, "%s%s", message, detail ? detail : "");
    return false;
}

/* A JSON value written as text: strings as they are, anything else as compact JSON. */
static char *value_text(const json_value *value) {
    if (value->type == JSON_STRING) return copy_text(value->string);
    text_buffer b = {0};
    json_write(&b, value);
    return text_buffer_take(&b);
}

static bool set_text(char **slot, const json_value *value) {
    char *text = value_text(value);
    if (text == NULL) return false;
    free(*slot);
    *slot = text;
    return true;
}

static bool read_call(reading *r, const json_value *call) {
    trajectory *t = r->t;
    if (call->type != JSON_OBJECT) return failure(r, "a tool call must be a JSON object, not ", json_type_name(call->type));
    if (t->count == TRAJECTORY_MAX_CALLS) return failure(r, "more than 16 tool calls in one trajectory", NULL);
    const json_value *function = json_get(call, "function");
    if (function == NULL) function = call; /* {"name", "arguments"} without the "function" wrapper */
    const char *name = json_get_string(function, "name");
    if (name == NULL || name[0] == '\0') return failure(r, "a tool call without a function name (\"function\": {\"name\": …})", NULL);
    const json_value *arguments = json_get(function, "arguments");
    if (arguments == NULL) arguments = json_get(function, "parameters");
    char problem[200];
    json_value *parsed = NULL;
    if (arguments == NULL) {
        snprintf(r->error, r->error_size, "call %zu (%.40s) has no \"arguments\"", t->count + 1, name);
        return false;
    } else if (arguments->type == JSON_STRING) {
        parsed = json_parse_whole(arguments->string, problem, sizeof problem);
        if (parsed == NULL) {
            snprintf(r->error, r->error_size, "call %zu (%.40s): the arguments string is not JSON: %s", t->count + 1, name, problem);
            return false;
        }
    } else if (arguments->type == JSON_OBJECT) {
        parsed = json_copy(arguments);
        if (parsed == NULL) return failure(r, "out of memory", NULL);
    } else {
        snprintf(r->error, r->error_size, "call %zu (%.40s): \"arguments\" must be an object or a JSON string holding one, not %s",
                 t->count + 1, name, json_type_name(arguments->type));
        return false;
    }
    tool_call *slot = &t->calls[t->count];
    slot->name = copy_text(name);
    slot->arguments = parsed;
    const char *id = json_get_string(call, "id");
    snprintf(slot->id, sizeof slot->id, "%s", id ? id : "");
    t->count++;
    if (slot->name == NULL) return failure(r, "out of memory", NULL);
    return true;
}

static bool read_calls(reading *r, const json_value *calls) {
    if (calls->type != JSON_ARRAY) return failure(r, "\"tool_calls\" must be an array, not ", json_type_name(calls->type));
    for (size_t i = 0; i < calls->count; i++)
        if (!read_call(r, calls->items[i])) return false;
    return true;
}

/* A tool message: the result for the call with its tool_call_id, else the first without one. */
static bool read_tool_result(reading *r, const json_value *message) {
    trajectory *t = r->t;
    const json_value *content = json_get(message, "content");
    if (content == NULL) return failure(r, "a tool message without \"content\"", NULL);
    const char *id = json_get_string(message, "tool_call_id");
    tool_call *target = NULL;
    for (size_t i = 0; i < t->count && target == NULL; i++)
        if (id != NULL && id[0] != '\0' && strcmp(t->calls[i].id, id) == 0) target = &t->calls[i];
    for (size_t i = 0; i < t->count && target == NULL; i++)
        if (t->calls[i].observation == NULL) target = &t->calls[i];
    if (target == NULL) return failure(r, "a tool message with no tool call before it to answer", NULL);
    return set_text(&target->observation, content) || failure(r, "out of memory", NULL);
}

static bool read_message(reading *r, const json_value *message) {
    const char *role = json_get_string(message, "role");
    if (role == NULL) return failure(r, "a message without a \"role\"", NULL);
    const json_value *content = json_get(message, "content");
    if (strcmp(role, "assistant") == 0) {
        const json_value *calls = json_get(message, "tool_calls");
        if (calls != NULL && calls->type != JSON_NULL) {
            size_t first = r->t->count;
            if (!read_calls(r, calls)) return false;
            if (content != NULL && content->type == JSON_STRING && content->string[0] != '\0' && first < r->t->count)
                return set_text(&r->t->calls[first].thought, content) || failure(r, "out of memory", NULL);
            return true;
        }
        if (content != NULL && content->type == JSON_STRING && content->string[0] != '\0')
            return set_text(&r->t->final_answer, content) || failure(r, "out of memory", NULL);
        return true;
    }
    if (strcmp(role, "tool") == 0 || strcmp(role, "function") == 0) return read_tool_result(r, message);
    if (strcmp(role, "system") == 0 || strcmp(role, "user") == 0 || strcmp(role, "developer") == 0) {
        r->t->foreign_roles++;
        snprintf(r->t->foreign_role, sizeof r->t->foreign_role, "%s", role);
        return true;
    }
    return failure(r, "a message with an unknown role: ", role);
}

static bool read_value(reading *r, const json_value *value, int depth) {
    if (depth > 2) return failure(r, "tool calls nested inside each other", NULL);
    if (value->type == JSON_ARRAY) {
        for (size_t i = 0; i < value->count; i++)
            if (!read_value(r, value->items[i], depth + 1)) return false;
        return true;
    }
    if (value->type != JSON_OBJECT) return failure(r, "expected a JSON object or array of messages or tool calls, found ", json_type_name(value->type));
    const json_value *messages = json_get(value, "messages");
    if (messages != NULL) {
        if (messages->type != JSON_ARRAY) return failure(r, "\"messages\" must be an array, not ", json_type_name(messages->type));
        for (size_t i = 0; i < messages->count; i++) {
            if (messages->items[i]->type != JSON_OBJECT) return failure(r, "every message must be a JSON object", NULL);
            if (!read_message(r, messages->items[i])) return false;
        }
        return true;
    }
    if (json_get(value, "role") != NULL) return read_message(r, value);
    const json_value *calls = json_get(value, "tool_calls");
    if (calls != NULL) {
        if (!read_calls(r, calls)) return false;
    } else if (json_get(value, "function") != NULL || json_get(value, "name") != NULL) {
        if (!read_call(r, value)) return false;
    }
    const json_value *final = json_get(value, "final_answer");
    if (final == NULL) final = json_get(value, "answer");
    if (final != NULL && !set_text(&r->t->final_answer, final)) return failure(r, "out of memory", NULL);
    if (calls == NULL && final == NULL && json_get(value, "function") == NULL && json_get(value, "name") == NULL)
        return failure(r, "a JSON object that is neither a message, a tool call, \"tool_calls\" nor \"final_answer\"", NULL);
    return true;
}

/* "Final answer: …" (or "Answer: …") at the start of a line outside the JSON. */
static char *final_answer_line(const char *text, size_t from, size_t to) {
    char *found = NULL;
    const char *line = text + from;
    while (line < text + to) {
        const char *end = memchr(line, '\n', (size_t)(text + to - line));
        if (end == NULL) end = text + to;
        const char *p = line;
        while (p < end && (isspace((unsigned char)*p) || *p == '*' || *p == '_' || *p == '#')) p++;
        size_t skip = strncasecmp(p, "final answer", 12) == 0 ? 12 : strncasecmp(p, "answer", 6) == 0 ? 6 : 0;
        if (skip > 0) {
            p += skip;
            while (p < end && (*p == '*' || *p == '_' || *p == ' ')) p++;
            if (p < end && *p == ':') {
                p++;
                while (p < end && (isspace((unsigned char)*p) || *p == '*' || *p == '_')) p++;
                const char *stop = end;
                while (stop > p && (isspace((unsigned char)stop[-1]) || stop[-1] == '*' || stop[-1] == '_')) stop--;
                if (stop > p) {
                    free(found);
                    found = copy_text_n(p, (size_t)(stop - p));
                }
            }
        }
        line = end + 1;
    }
    return found;
}

bool trajectory_read_openai(const char *text, bool need_final_answer, trajectory *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    out->format = FORMAT_OPENAI;
    reading r = {out, error, error_size};
    size_t from = 0, start = 0, end = 0, length = strlen(text);
    bool found = false;
    char first_problem[200] = "";
    char *outside = NULL;
    json_value *value;
    while ((value = find_json(text, from, &start, &end, first_problem[0] ? NULL : first_problem, sizeof first_problem)) != NULL) {
        found = true;
        char *line = final_answer_line(text, from, start);
        if (line != NULL) {
            free(outside);
            outside = line;
        }
        bool ok = read_value(&r, value, 0);
        json_free(value);
        if (!ok) {
            free(outside);
            trajectory_free(out);
            return false;
        }
        from = end;
    }
    char *line = final_answer_line(text, from, length);
    if (line != NULL) {
        free(outside);
        outside = line;
    }
    if (!found) {
        free(outside);
        if (first_problem[0] != '\0') return failure(&r, "no usable JSON tool call: ", first_problem);
        return failure(&r, "no JSON tool call in the output; expected {\"tool_calls\": [{\"type\": \"function\", \"function\": "
                           "{\"name\": …, \"arguments\": …}}]} or a messages array", NULL);
    }
    if (out->final_answer == NULL) out->final_answer = outside;
    else free(outside);
    if (out->count == 0) {
        trajectory_free(out);
        return failure(&r, "the JSON holds no tool call (expected \"tool_calls\" with a function name and arguments)", NULL);
    }
    if (need_final_answer && (out->final_answer == NULL || out->final_answer[0] == '\0')) {
        trajectory_free(out);
        return failure(&r, "no final answer: end with an assistant message with \"content\" or a line \"Final answer: …\"", NULL);
    }
    return true;
}
