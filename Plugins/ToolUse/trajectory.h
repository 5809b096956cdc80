/*
 * trajectory.h — a teacher's tool-use trajectory: the tool calls it made (name, arguments, the
 * result it wrote for each), its thoughts and its final answer, read from the OpenAI tool-call
 * format or the ReAct text format, checked against the tools' schemas and written back in a
 * canonical form.
 */
#ifndef TOOL_USE_TRAJECTORY_H
#define TOOL_USE_TRAJECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "json_value.h"
#include "text_buffer.h"

/* Internal to the plugin: only the tools and retort_plugin_entry are exported. */
#pragma GCC visibility push(hidden)

#define TRAJECTORY_MAX_CALLS 16

typedef enum trajectory_format {
    FORMAT_OPENAI,
    FORMAT_REACT,
} trajectory_format;

typedef struct tool_call {
    char *name;
    json_value *arguments;  /* the arguments object as the teacher wrote it */
    char *observation;      /* the result the teacher wrote for this call, or NULL */
    char *thought;          /* ReAct: the thought before the call, or NULL */
    int line;               /* ReAct: the line of the Action; OpenAI: 0 */
    char id[48];            /* OpenAI: the call id ("call_1"), to match tool messages */
} tool_call;

typedef struct trajectory {
    trajectory_format format;
    tool_call calls[TRAJECTORY_MAX_CALLS];
    size_t count;
    char *final_answer;     /* NULL when absent */
    char *final_thought;    /* ReAct: the thought before the final answer */
    /* OpenAI messages whose role is neither assistant nor tool ("system", "user"): a teacher
     * output that speaks for other roles. The injection guard rejects it. */
    size_t foreign_roles;
    char foreign_role[16];
} trajectory;

/* Each reader fills `out` (zeroed first) or writes why it cannot into `error` and returns false.
 * A trajectory needs at least one call, and a final answer when `need_final_answer` (evaluators
 * score the calls of a prediction that never finished). */
bool trajectory_read_openai(const char *text, bool need_final_answer, trajectory *out, char *error, size_t error_size);
bool trajectory_read_react(const char *text, bool need_final_answer, trajectory *out, char *error, size_t error_size);
/* ReAct when the text has an "Action:" line, else OpenAI. */
bool trajectory_read_any(const char *text, bool need_final_answer, trajectory *out, char *error, size_t error_size);
/* Checks every call against its tool's schema; the error names the call and the argument. */
bool trajectory_check(const trajectory *t, char *error, size_t error_size);
void trajectory_free(trajectory *t);

/* Canonical forms: OpenAI {"messages": [...]} (arguments as a JSON string, one assistant message
 * per call, a tool message where a result was written) or ReAct text. */
void trajectory_write_openai(text_buffer *b, const trajectory *t);
void trajectory_write_react(text_buffer *b, const trajectory *t);
/* [{"name", "arguments"}, …] */
void trajectory_write_calls(text_buffer *b, const trajectory *t);

/* Finds the first JSON object or array in `text` at or after `from` that parses; returns it and
 * sets *start / *end to its byte range, or NULL (with the first parse error in `error` when a
 * candidate looked like JSON but was malformed). */
json_value *find_json(const char *text, size_t from, size_t *start, size_t *end, char *error, size_t error_size);

#pragma GCC visibility pop

#endif
