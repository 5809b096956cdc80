/*
 * judging.c — the filters (execution-verified, injection-guard) and the evaluators
 * (call-accuracy, argument-exact-match) behind their extension functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_parts.h"
#include "trajectory.h"

const char *const filter_list_text =
    "[{\"name\": \"execution-verified\", \"description\": \"Runs every call of the trajectory with the plugin's tools; keeps it "
    "only when no call fails, every result the teacher wrote agrees with the real one and the final answer reports the real result "
    "of the last call.\", \"method\": \"execution filtering of tool-use data (Toolformer, Schick et al., 2023; ToolLLM, Qin et al., "
    "2023)\"},"
    "{\"name\": \"injection-guard\", \"description\": \"Rejects trajectories with chat-template control tokens or "
    "instruction-override phrases in arguments, results, thoughts or the answer, and outputs that speak for the system or the "
    "user.\", \"method\": \"prompt-injection screening of tool calls and tool results (Greshake et al., 2023)\"}]";

const char *const evaluator_list_text =
    "[{\"name\": \"call-accuracy\", \"description\": \"The share of positions where the predicted call names the same tool as the "
    "reference call (over the longer of the two call lists).\", \"metrics\": [\"call_accuracy\"], \"higher_is_better\": true},"
    "{\"name\": \"argument-exact-match\", \"description\": \"The share of positions where the predicted call has the reference's "
    "tool and exactly its arguments (numbers equal to 1e-9, objects regardless of member order).\", \"metrics\": "
    "[\"argument_exact_match\"], \"higher_is_better\": true}]";

retort_status judge_record(const char *filter, const char *record_json, judgement *out, char **out_error) {
    bool execution = strcmp(filter, "execution-verified") == 0, injection = strcmp(filter, "injection-guard") == 0;
    if (!execution && !injection)
        return plugin_failure(out_error, RETORT_ERROR_NOT_FOUND, "no filter \"%.60s\"; this plugin has execution-verified, injection-guard",
                              filter);
    char problem[200];
    json_value *record = json_parse_whole(record_json, problem, sizeof problem);
    if (record == NULL) return plugin_failure(out_error, RETORT_ERROR_INVALID_ARGUMENT, "the record is not JSON: %s", problem);
    if (record->type != JSON_OBJECT) {
        json_free(record);
        return plugin_failure(out_error, RETORT_ERROR_INVALID_ARGUMENT, "the record must be a JSON object");
    }
    *out = execution ? verify_execution(record) : guard_injection(record);
    json_free(record);
    return RETORT_OK;
}

retort_status evaluate_prediction(const char *evaluator, const char *reference, const char *prediction, char **out_scores,
                                  char **out_error) {
    bool calls = strcmp(evaluator, "call-accuracy") == 0, arguments = strcmp(evaluator, "argument-exact-match") == 0;
    if (!calls && !arguments)
        return plugin_failure(out_error, RETORT_ERROR_NOT_FOUND,
                              "no evaluator \"%.60s\"; this plugin has call-accuracy, argument-exact-match", evaluator);
    trajectory expected, predicted;
    char problem[400];
    /* The reference: [{"name", "arguments"}, …] (a seed task's expected_calls) or a trajectory. */
    if (!trajectory_read_any(reference, false, &expected, problem, sizeof problem))
        return plugin_failure(out_error, RETORT_ERROR_INVALID_ARGUMENT, "the reference has no tool calls to compare with: %s", problem);
    /* A prediction that is not a trajectory made no correct call. */
    if (!trajectory_read_any(prediction, false, &predicted, problem, sizeof problem)) memset(&predicted, 0, sizeof predicted);
    size_t total = expected.count > predicted.count ? expected.count : predicted.count, same_tool = 0, same_call = 0;
    for (size_t i = 0; i < expected.count && i < predicted.count; i++) {
        if (strcmp(expected.calls[i].name, predicted.calls[i].name) != 0) continue;
        same_tool++;
        if (json_equal(expected.calls[i].arguments, predicted.calls[i].arguments)) same_call++;
    }
    trajectory_free(&expected);
    trajectory_free(&predicted);
    text_buffer b = {0};
    text_buffer_appendf(&b, "{\"%s\": ", calls ? "call_accuracy" : "argument_exact_match");
    text_buffer_append_number(&b, (double)(calls ? same_tool : same_call) / (double)total);
    text_buffer_append(&b, "}");
    *out_scores = text_buffer_take(&b);
    return *out_scores != NULL ? RETORT_OK : plugin_failure(out_error, RETORT_ERROR_INTERNAL, "out of memory");
}
