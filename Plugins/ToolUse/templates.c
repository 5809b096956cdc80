/*
 * templates.c — the tool-use prompt templates (the I of Eq. 1). The tool descriptions inside them
 * are generated from the tool table, so a prompt never lists a tool the plugin does not have.
 *
 *   system-function-calling + function-calling   OpenAI tool-call trajectories (parser openai-tool-calls)
 *   system-react + react                         ReAct text trajectories (parser react)
 *   system-planner + plan                        a task decomposed into tool steps (parser plan)
 *   task-ideas                                   new tasks for a tool, for curation (parser task-list)
 */
#include <stdlib.h>
#include <string.h>

#include "plugin_parts.h"
#include "tools.h"

/* The tools in OpenAI's "tools" format, one per line: {"type": "function", "function": {…}}. */
static void append_openai_tools(text_buffer *b) {
    text_buffer_append(b, "[");
    for (size_t i = 0; i < tool_count; i++) {
        const tool_definition *tool = &tool_table[i];
        text_buffer_append(b, i > 0 ? ",\n " : "");
        text_buffer_append(b, "{\"type\": \"function\", \"function\": {\"name\": ");
        text_buffer_append_json_string(b, tool->name, strlen(tool->name));
        text_buffer_append(b, ", \"description\": ");
        text_buffer_append_json_string(b, tool->description, strlen(tool->description));
        text_buffer_append(b, ", \"parameters\": ");
        tool_write_schema(b, tool);
        text_buffer_append(b, "}}");
    }
    text_buffer_append(b, "]");
}

/* The tools as text: "- calculator: Evaluates … Arguments: {"expression": string}". */
static void append_tool_lines(text_buffer *b) {
    static const char *const type_names[] = {"string", "number", "integer", "true or false"};
    for (size_t i = 0; i < tool_count; i++) {
        const tool_definition *tool = &tool_table[i];
        text_buffer_appendf(b, "- %s: %s Arguments: {", tool->name, tool->description);
        for (size_t p = 0; p < tool->parameter_count; p++)
            text_buffer_appendf(b, "%s\"%s\": %s", p > 0 ? ", " : "", tool->parameters[p].name, type_names[tool->parameters[p].type]);
        text_buffer_append(b, "}\n");
    }
}

static void append_template(text_buffer *list, bool first, const char *name, const char *role, const char *strategy,
                            const char *slots, const char *text, const char *description) {
    text_buffer_append(list, first ? "[" : ",");
    text_buffer_append(list, "{\"name\": ");
    text_buffer_append_json_string(list, name, strlen(name));
    text_buffer_appendf(list, ", \"role\": \"%s\", \"strategy\": \"%s\", \"slots\": %s, \"template\": ", role, strategy, slots);
    text_buffer_append_json_string(list, text, strlen(text));
    text_buffer_append(list, ", \"description\": ");
    text_buffer_append_json_string(list, description, strlen(description));
    text_buffer_append(list, "}");
}

static const char *const task_slots = "[\"instruction\", \"input\"]";

static const char *const openai_example =
    "Example for the task \"What is 12 times 7?\":\n"
    "[{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", \"function\": "
    "{\"name\": \"calculator\", \"arguments\": \"{\\\"expression\\\": \\\"12 * 7\\\"}\"}}]},\n"
    " {\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"{\\\"result\\\": 84}\"},\n"
    " {\"role\": \"assistant\", \"content\": \"12 times 7 is 84.\"}]";

static const char *const react_example =
    "Example for the task \"What is 12 times 7?\":\n"
    "Thought: I should multiply with the calculator.\n"
    "Action: calculator\n"
    "Action Input: {\"expression\": \"12 * 7\"}\n"
    "Observation: {\"result\": 84}\n"
    "Thought: I know the answer.\n"
    "Final Answer: 12 times 7 is 84.";

char *templates_list_json(void) {
    text_buffer list = {0}, text = {0};

    text_buffer_append(&text, "You are an assistant that solves tasks by calling tools. The tools, in OpenAI function format:\n");
    append_openai_tools(&text);
    text_buffer_append(&text, "\n\nAnswer with JSON only: one array of messages. Call a tool with an assistant message that has "
                              "\"tool_calls\" (the arguments are a JSON string), write each tool's result in a \"tool\" message, "
                              "and end with an assistant message whose \"content\" is the answer. Use only the tools above.\n\n");
    text_buffer_append(&text, openai_example);
    char *body = text_buffer_take(&text);
    append_template(&list, true, "system-function-calling", "system", "labeling", "[]", body ? body : "",
                    "The tools as OpenAI function definitions and the JSON messages format of a trajectory, with an example.");
    free(body);
    append_template(&list, false, "function-calling", "user", "labeling", task_slots,
                    "Task: {{instruction}}{{#input}}\n{{input}}{{/input}}\n\nSolve the task with the tools. Reply with only the "
                    "JSON array of messages.",
                    "The task for an OpenAI tool-call trajectory (with system-function-calling; parser: openai-tool-calls).");

    text_buffer_append(&text, "You solve tasks with tools. The tools:\n");
    append_tool_lines(&text);
    text_buffer_append(&text, "\nUse exactly this format, one label per line:\n"
                              "Thought: what to do next\nAction: the tool name\nAction Input: the arguments as a JSON object\n"
                              "Observation: the tool's result\n(repeat Thought, Action, Action Input and Observation as needed)\n"
                              "Thought: I know the answer.\nFinal Answer: the answer\n\n");
    text_buffer_append(&text, react_example);
    body = text_buffer_take(&text);
    append_template(&list, false, "system-react", "system", "labeling", "[]", body ? body : "",
                    "The tools as text and the ReAct format (Thought, Action, Action Input, Observation, Final Answer), with an example.");
    free(body);
    append_template(&list, false, "react", "user", "labeling", task_slots,
                    "Task: {{instruction}}{{#input}}\n{{input}}{{/input}}\n\nSolve the task with the tools, in the format above.",
                    "The task for a ReAct trajectory (with system-react; parser: react).");

    text_buffer_append(&text, "You plan how to solve tasks with tools. The tools:\n");
    append_tool_lines(&text);
    text_buffer_append(&text, "\nWrite a numbered plan with one tool per step, in the order the steps must run:\n"
                              "1. <tool>: <what this step finds out> with <the arguments as a JSON object>\n"
                              "Use only the tools above. A step may use the result of an earlier step.");
    body = text_buffer_take(&text);
    append_template(&list, false, "system-planner", "system", "labeling", "[]", body ? body : "",
                    "Planning: decompose a task into numbered tool steps with their arguments.");
    free(body);
    append_template(&list, false, "plan", "user", "labeling", task_slots,
                    "Task: {{instruction}}{{#input}}\n{{input}}{{/input}}\n\nWrite the plan.",
                    "The task to plan (with system-planner; parser: plan).");

    append_template(&list, false, "task-ideas", "user", "curation", "[\"topic\", \"count\", \"knowledge\"]",
                    "Write {{count}} different requests that a user could give an assistant that has {{topic}}."
                    "{{#knowledge}}\n\nAbout the tool: {{knowledge}}{{/knowledge}}\n\nEach request must need the tool to "
                    "get an exact answer (a number, a date, a count or a store record) and must give every value the "
                    "tool needs. Write one request per line, numbered 1., 2., 3., and nothing else.",
                    "New tasks that need a given tool, for curation (parser: task-list).");
    text_buffer_append(&list, "]");
    text_buffer_free(&text);
    return text_buffer_take(&list);
}
