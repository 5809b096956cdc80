/*
 * parsers.c — teacher output → records (the Parse of Eq. 1):
 *
 *   openai-tool-calls  an OpenAI tool-call trajectory, every call checked against its schema
 *   react              a ReAct trajectory, every call checked against its schema
 *   plan               a numbered plan of tool steps (arguments, when given, checked too)
 *   task-list          new task requests, one per numbered line
 *
 * A trajectory record is {"response": the trajectory in canonical form, "tool_calls":
 * [{"name", "arguments"}], "final_answer", "format"}; the response is what a labeling stage stores
 * as the assistant turn and what the filters read back.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plugin_parts.h"
#include "tools.h"
#include "trajectory.h"

const char *const parser_list_text =
    "[{\"name\": \"openai-tool-calls\", \"description\": \"A trajectory in the OpenAI tool-call format (messages with tool_calls, "
    "tool results, a final assistant answer); every call is checked against its tool's JSON Schema.\", \"yields\": [\"response\", "
    "\"tool_calls\", \"final_answer\", \"format\"], \"method\": \"OpenAI function calling; schema validation of each call\"},"
    "{\"name\": \"react\", \"description\": \"A trajectory in the ReAct format (Thought, Action, Action Input, Observation, Final "
    "Answer); every call is checked against its tool's JSON Schema.\", \"yields\": [\"response\", \"tool_calls\", \"final_answer\", "
    "\"format\"], \"method\": \"ReAct (Yao et al., 2023); schema validation of each call\"},"
    "{\"name\": \"plan\", \"description\": \"A numbered plan, one tool per step, with the arguments when given (checked against "
    "the schema); steps naming a tool that does not exist are rejected.\", \"yields\": [\"response\", \"steps\"], \"method\": "
    "\"task decomposition into tool steps (plan-and-solve, Wang et al., 2023)\"},"
    "{\"name\": \"task-list\", \"description\": \"Every numbered request of at least 3 words, numbering and chatter removed.\", "
    "\"yields\": [\"instruction\"], \"method\": \"Self-Instruct list splitting (Wang et al., 2023)\"}]";

static retort_status trajectory_record(const char *output, trajectory_format format, char **out_records, char **out_error) {
    trajectory t;
    char problem[400];
    bool read = format == FORMAT_OPENAI ? trajectory_read_openai(output, true, &t, problem, sizeof problem)
                                        : trajectory_read_react(output, true, &t, problem, sizeof problem);
    if (!read) return plugin_failure(out_error, RETORT_ERROR_PARSE, "%s", problem);
    if (!trajectory_check(&t, problem, sizeof problem)) {
        trajectory_free(&t);
        return plugin_failure(out_error, RETORT_ERROR_PARSE, "%s", problem);
    }
    text_buffer canonical = {0};
    if (format == FORMAT_OPENAI) trajectory_write_openai(&canonical, &t);
    else trajectory_write_react(&canonical, &t);
    char *response = text_buffer_take(&canonical);
    text_buffer b = {0};
    text_buffer_append(&b, "[{\"response\": ");
    if (response != NULL) text_buffer_append_json_string(&b, response, strlen(response));
    else b.failed = true;
    free(response);
    text_buffer_append(&b, ", \"tool_calls\": ");
    trajectory_write_calls(&b, &t);
    text_buffer_append(&b, ", \"final_answer\": ");
    text_buffer_append_json_string(&b, t.final_answer, strlen(t.final_answer));
    text_buffer_appendf(&b, ", \"format\": \"%s\"}]", format == FORMAT_OPENAI ? "openai" : "react");
    trajectory_free(&t);
    *out_records = text_buffer_take(&b);
    return *out_records != NULL ? RETORT_OK : plugin_failure(out_error, RETORT_ERROR_INTERNAL, "out of memory");
}

/* The text of a numbered or bulleted line without its marker ("1.", "2)", "Step 3:", "- "), or
 * NULL when the line has no marker. */
static const char *after_marker(const char *line, const char *end, bool allow_bullets) {
    const char *p = line;
    while (p < end && (isspace((unsigned char)*p) || *p == '*' || *p == '_' || *p == '#')) p++;
    if ((size_t)(end - p) > 4 && strncasecmp(p, "step", 4) == 0) {
        p += 4;
        while (p < end && *p == ' ') p++;
    }
    const char *digits = p;
    while (p < end && isdigit((unsigned char)*p)) p++;
    if (p > digits && p - digits <= 3 && p < end && (*p == '.' || *p == ')' || *p == ':')) p++;
    else if (allow_bullets && p == digits && p < end && (*p == '-' || *p == '+')) p++;
    else return NULL;
    while (p < end && (isspace((unsigned char)*p) || *p == '*' || *p == '_')) p++;
    return p;
}

/* The first tool named as a whole word in `text` (n bytes), or NULL. */
static const tool_definition *named_tool(const char *text, size_t n) {
    const tool_definition *best = NULL;
    size_t best_at = n;
    for (size_t t = 0; t < tool_count; t++) {
        size_t length = strlen(tool_table[t].name);
        for (size_t i = 0; i + length <= n; i++) {
            if (strncmp(text + i, tool_table[t].name, length) != 0) continue;
            bool before = i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_');
            bool after = i + length == n || !(isalnum((unsigned char)text[i + length]) || text[i + length] == '_');
            if (before && after && i < best_at) {
                best = &tool_table[t];
                best_at = i;
            }
            if (before && after) break;
        }
    }
    return best;
}

static retort_status parse_plan(const char *output, char **out_records, char **out_error) {
    text_buffer steps = {0}, response = {0};
    int count = 0, with_tool = 0, line_number = 0;
    char problem[400];
    text_buffer_append(&steps, "[");
    for (const char *line = output; *line;) {
        const char *end = strchr(line, '\n');
        if (end == NULL) end = line + strlen(line);
        line_number++;
        const char *text = after_marker(line, end, false);
        if (text != NULL && text < end) {
            size_t n = (size_t)(end - text);
            while (n > 0 && isspace((unsigned char)text[n - 1])) n--;
            const tool_definition *tool = named_tool(text, n);
            if (tool == NULL) {
                /* "search_web: …" or "browser(…)" at the start names a tool that does not exist. */
                size_t word = 0;
                while (word < n && (isalnum((unsigned char)text[word]) || text[word] == '_')) word++;
                bool looks_like_tool = word > 0 && word < n && (text[word] == ':' || text[word] == '(') && memchr(text, '_', word) != NULL;
                if (looks_like_tool) {
                    text_buffer_free(&steps);
                    text_buffer_free(&response);
                    return plugin_failure(out_error, RETORT_ERROR_PARSE, "line %d: step %d uses \"%.*s\", which is not one of the tools",
                                          line_number, count + 1, (int)word, text);
                }
            }
            if (++count > 12) {
                text_buffer_free(&steps);
                text_buffer_free(&response);
                return plugin_failure(out_error, RETORT_ERROR_PARSE, "the plan has more than 12 steps");
            }
            /* Arguments written in the step ("with {"expression": "3 * 2"}") are checked. */
            char *step_text = copy_text_n(text, n);
            size_t start = 0, stop = 0;
            json_value *arguments = step_text ? find_json(step_text, 0, &start, &stop, NULL, 0) : NULL;
            if (arguments != NULL && (tool == NULL || !tool_check_arguments(tool, arguments, problem, sizeof problem))) {
                if (tool == NULL) snprintf(problem, sizeof problem, "it gives arguments but names no tool");
                json_free(arguments);
                free(step_text);
                text_buffer_free(&steps);
                text_buffer_free(&response);
                return plugin_failure(out_error, RETORT_ERROR_PARSE, "line %d: step %d: %s", line_number, count, problem);
            }
            if (tool != NULL) with_tool++;
            text_buffer_append(&steps, count > 1 ? ", {\"step\": " : "{\"step\": ");
            text_buffer_appendf(&steps, "%d, \"tool\": ", count);
            if (tool != NULL) text_buffer_append_json_string(&steps, tool->name, strlen(tool->name));
            else text_buffer_append(&steps, "null");
            text_buffer_append(&steps, ", \"text\": ");
            text_buffer_append_json_string(&steps, text, n);
            if (arguments != NULL) {
                text_buffer_append(&steps, ", \"arguments\": ");
                json_write(&steps, arguments);
            }
            text_buffer_append(&steps, "}");
            text_buffer_appendf(&response, "%s%d. %.*s", count > 1 ? "\n" : "", count, (int)n, text);
            json_free(arguments);
            free(step_text);
        }
        line = *end ? end + 1 : end;
    }
    text_buffer_append(&steps, "]");
    if (count == 0 || with_tool == 0) {
        text_buffer_free(&steps);
        text_buffer_free(&response);
        return plugin_failure(out_error, RETORT_ERROR_PARSE,
                              count == 0 ? "no numbered steps (\"1. <tool>: …\") in the plan" : "no step of the plan names one of the tools");
    }
    char *steps_json = text_buffer_take(&steps), *plan = text_buffer_take(&response);
    text_buffer b = {0};
    text_buffer_append(&b, "[{\"response\": ");
    if (plan != NULL) text_buffer_append_json_string(&b, plan, strlen(plan));
    text_buffer_append(&b, ", \"steps\": ");
    text_buffer_append(&b, steps_json);
    text_buffer_append(&b, "}]");
    if (plan == NULL || steps_json == NULL) b.failed = true;
    free(plan);
    free(steps_json);
    *out_records = text_buffer_take(&b);
    return *out_records != NULL ? RETORT_OK : plugin_failure(out_error, RETORT_ERROR_INTERNAL, "out of memory");
}

static bool is_chatter(const char *text, size_t n) {
    static const char *const openers[] = {"sure", "here are", "here is", "certainly", "of course", "i hope", "let me know", NULL};
    for (size_t i = 0; openers[i] != NULL; i++)
        if (n >= strlen(openers[i]) && strncasecmp(text, openers[i], strlen(openers[i])) == 0) return true;
    return n > 0 && text[n - 1] == ':';
}

static retort_status parse_task_list(const char *output, char **out_records, char **out_error) {
    text_buffer b = {0};
    int count = 0;
    text_buffer_append(&b, "[");
    for (const char *line = output; *line;) {
        const char *end = strchr(line, '\n');
        if (end == NULL) end = line + strlen(line);
        const char *text = after_marker(line, end, true);
        if (text != NULL) {
            size_t n = (size_t)(end - text);
            while (n > 0 && (isspace((unsigned char)text[n - 1]) || text[n - 1] == '*')) n--;
            if (n >= 2 && text[0] == '"' && text[n - 1] == '"') {
                text++;
                n -= 2;
            }
            int words = 0;
            for (size_t i = 0; i < n; i++)
                if (!isspace((unsigned char)text[i]) && (i == 0 || isspace((unsigned char)text[i - 1]))) words++;
            if (words >= 3 && !is_chatter(text, n) && count < 50) {
                text_buffer_append(&b, count > 0 ? ", {\"instruction\": " : "{\"instruction\": ");
                text_buffer_append_json_string(&b, text, n);
                text_buffer_append(&b, "}");
                count++;
            }
        }
        line = *end ? end + 1 : end;
    }
    text_buffer_append(&b, "]");
    if (count == 0) {
        text_buffer_free(&b);
        return plugin_failure(out_error, RETORT_ERROR_PARSE, "no numbered request of at least 3 words in the teacher output");
    }
    *out_records = text_buffer_take(&b);
    return *out_records != NULL ? RETORT_OK : plugin_failure(out_error, RETORT_ERROR_INTERNAL, "out of memory");
}

retort_status parse_teacher_output(const char *parser, const char *output, char **out_records, char **out_error) {
    bool empty = true;
    for (const char *p = output; *p && empty; p++) empty = isspace((unsigned char)*p) != 0;
    bool known = strcmp(parser, "openai-tool-calls") == 0 || strcmp(parser, "react") == 0 || strcmp(parser, "plan") == 0 ||
                 strcmp(parser, "task-list") == 0;
    if (!known)
        return plugin_failure(out_error, RETORT_ERROR_NOT_FOUND, "no parser \"%.60s\"; this plugin has openai-tool-calls, react, plan, task-list",
                              parser);
    if (empty) return plugin_failure(out_error, RETORT_ERROR_PARSE, "the teacher output is empty");
    if (strcmp(parser, "openai-tool-calls") == 0) return trajectory_record(output, FORMAT_OPENAI, out_records, out_error);
    if (strcmp(parser, "react") == 0) return trajectory_record(output, FORMAT_REACT, out_records, out_error);
    if (strcmp(parser, "plan") == 0) return parse_plan(output, out_records, out_error);
    return parse_task_list(output, out_records, out_error);
}
