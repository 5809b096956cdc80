/*
 * tool-use: the skill plugin for agent tool use and planning, written in C to keep the ABI honest.
 *
 * It exports ten native tools (calculator, unit conversion, date arithmetic, text utilities and a
 * key-value store) that the host calls through libffi, templates that elicit OpenAI tool-call and
 * ReAct trajectories and plans, parsers that check every call against its tool's JSON Schema, an
 * execution-verified filter that really runs each call, an injection guard, call-accuracy and
 * argument-exact-match evaluators, and seed tasks with their expected calls. Everything is
 * stateless and thread-safe.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_parts.h"
#include "tools.h"

static const retort_host *g_host;

retort_status plugin_failure(char **out_error, retort_status status, const char *format, ...) {
    char message[600];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    if (out_error != NULL) *out_error = copy_text(message);
    return status;
}

/* Hands a malloc'd list to the host, or reports that memory ran out. */
static retort_status hand_over(char *json, char **out_json, char **out_error) {
    if (json == NULL) return plugin_failure(out_error, RETORT_ERROR_INTERNAL, "out of memory");
    *out_json = json;
    return RETORT_OK;
}

static retort_status copy_list(const char *text, char **out_json, char **out_error) {
    return hand_over(copy_text(text), out_json, out_error);
}

/* ── retort.describe.v1 ──────────────────────────────────────────────────────────────────── */

static retort_status describe_manifest(char **out_json, char **out_error) {
    return copy_list(
        "{\"id\": \"tool-use\", \"kind\": \"skill\", \"name\": \"Agent tool use and planning\", \"version\": \"1.0.0\", "
        "\"description\": \"Elicits function-calling (OpenAI format) and ReAct trajectories and tool plans from a teacher, checks every "
        "call against its JSON Schema and keeps a trajectory only when its calls, really executed with the plugin's native tools, agree "
        "with its answer.\", \"license\": \"Apache-2.0\", "
        "\"provides\": {\"strategies\": [\"labeling\", \"curation\"], "
        "\"recommended_objectives\": [{\"name\": \"sft\", \"weight\": 1}]}}",
        out_json, out_error);
}

static const retort_describe_v1 describe_extension = {true, describe_manifest};

/* ── retort.templates.v1, retort.seeds.v1, retort.tools.v1 ───────────────────────────────── */

static retort_status templates_list(char **out_json, char **out_error) { return hand_over(templates_list_json(), out_json, out_error); }
static const retort_templates_v1 templates_extension = {true, templates_list};

static retort_status seeds_list(char **out_json, char **out_error) { return hand_over(seeds_list_json(), out_json, out_error); }
static const retort_seeds_v1 seeds_extension = {true, seeds_list};

char *tools_list_json(void) {
    text_buffer b = {0};
    text_buffer_append(&b, "[");
    for (size_t i = 0; i < tool_count; i++) {
        const tool_definition *tool = &tool_table[i];
        text_buffer_append(&b, i > 0 ? ", {\"name\": " : "{\"name\": ");
        text_buffer_append_json_string(&b, tool->name, strlen(tool->name));
        text_buffer_append(&b, ", \"description\": ");
        text_buffer_append_json_string(&b, tool->description, strlen(tool->description));
        text_buffer_append(&b, ", \"parameters\": ");
        tool_write_schema(&b, tool);
        text_buffer_append(&b, ", \"signature\": ");
        text_buffer_append_json_string(&b, tool->signature, strlen(tool->signature));
        text_buffer_append(&b, ", \"symbol\": ");
        text_buffer_append_json_string(&b, tool->symbol, strlen(tool->symbol));
        text_buffer_append(&b, "}");
    }
    text_buffer_append(&b, "]");
    return text_buffer_take(&b);
}

static retort_status tools_list(char **out_json, char **out_error) { return hand_over(tools_list_json(), out_json, out_error); }
static const retort_tools_v1 tools_extension = {true, tools_list};

/* ── retort.parser.v1 ────────────────────────────────────────────────────────────────────── */

static retort_status parsers_list(char **out_json, char **out_error) { return copy_list(parser_list_text, out_json, out_error); }

static retort_status parser_parse(const char *parser_name, const char *teacher_output, const char *context_json,
                                  char **out_records_json, char **out_error) {
    (void)context_json;
    if (parser_name == NULL || teacher_output == NULL)
        return plugin_failure(out_error, RETORT_ERROR_INVALID_ARGUMENT, "the parser name and the teacher output must not be NULL");
    return parse_teacher_output(parser_name, teacher_output, out_records_json, out_error);
}

static const retort_parser_v1 parser_extension = {true, parsers_list, parser_parse};

/* ── retort.filter.v1 ────────────────────────────────────────────────────────────────────── */

static retort_status filters_list(char **out_json, char **out_error) { return copy_list(filter_list_text, out_json, out_error); }

static retort_status filter_apply(const char *filter_name, const char *record_json, const char *context_json,
                                  retort_filter_verdict *out_verdict, char **out_error) {
    (void)context_json;
    if (filter_name == NULL || record_json == NULL || out_verdict == NULL)
        return plugin_failure(out_error, RETORT_ERROR_INVALID_ARGUMENT, "the filter name, record and verdict must not be NULL");
    judgement verdict;
    retort_status status = judge_record(filter_name, record_json, &verdict, out_error);
    if (status != RETORT_OK) return status;
    out_verdict->keep = verdict.keep;
    out_verdict->score = verdict.score;
    out_verdict->reason = NULL;
    if (!verdict.keep) {
        out_verdict->reason = copy_text(verdict.reason);
        if (out_verdict->reason == NULL) return plugin_failure(out_error, RETORT_ERROR_INTERNAL, "out of memory");
    }
    return RETORT_OK;
}

static const retort_filter_v1 filter_extension = {true, filters_list, filter_apply};

/* ── retort.evaluator.v1 ─────────────────────────────────────────────────────────────────── */

static retort_status evaluators_list(char **out_json, char **out_error) { return copy_list(evaluator_list_text, out_json, out_error); }

static retort_status evaluator_evaluate(const char *evaluator_name, const char *prompt, const char *reference,
                                        const char *prediction, char **out_scores_json, char **out_error) {
    (void)prompt;
    if (evaluator_name == NULL || reference == NULL || prediction == NULL)
        return plugin_failure(out_error, RETORT_ERROR_INVALID_ARGUMENT, "the evaluator name, reference and prediction must not be NULL");
    return evaluate_prediction(evaluator_name, reference, prediction, out_scores_json, out_error);
}

static const retort_evaluator_v1 evaluator_extension = {true, evaluators_list, evaluator_evaluate};

/* ── Entry ───────────────────────────────────────────────────────────────────────────────── */

static bool plugin_init(const retort_host *host, const char *plugin_dir) {
    (void)plugin_dir;
    g_host = host;
    if (host != NULL && host->log != NULL) host->log(host, RETORT_LOG_DEBUG, "tool-use initialized");
    return true;
}

static void plugin_deinit(void) { g_host = NULL; }

static const void *plugin_get_extension(const char *id) {
    if (id == NULL) return NULL;
    if (strcmp(id, RETORT_EXT_DESCRIBE_V1) == 0) return &describe_extension;
    if (strcmp(id, RETORT_EXT_TEMPLATES_V1) == 0) return &templates_extension;
    if (strcmp(id, RETORT_EXT_PARSER_V1) == 0) return &parser_extension;
    if (strcmp(id, RETORT_EXT_FILTER_V1) == 0) return &filter_extension;
    if (strcmp(id, RETORT_EXT_EVALUATOR_V1) == 0) return &evaluator_extension;
    if (strcmp(id, RETORT_EXT_TOOLS_V1) == 0) return &tools_extension;
    if (strcmp(id, RETORT_EXT_SEEDS_V1) == 0) return &seeds_extension;
    return NULL;
}

static void plugin_free_string(char *string) { free(string); }

const retort_plugin_entry_t retort_plugin_entry = {
    {RETORT_ABI_MAJOR, RETORT_ABI_MINOR}, plugin_init, plugin_deinit, plugin_get_extension, plugin_free_string,
};
