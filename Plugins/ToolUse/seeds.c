/*
 * seeds.c — the seed knowledge (the S of Eq. 1), written for this project:
 *
 *   tasks        40 tasks across the tools, each with the calls that solve it and the answer those
 *                calls produce (the tests run every expected call and check the answer)
 *   tool-topics  one topic per tool, for curating new tasks with the task-ideas template
 *
 * Ids are stable: add new tasks at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_parts.h"
#include "tools.h"

typedef struct seed_task {
    const char *id;
    const char *instruction;
    /* The calls that solve it, as JSON: [{"name": …, "arguments": {…}}, …]. */
    const char *calls;
    /* The answer the last call's result gives. */
    const char *answer;
} seed_task;

static const seed_task tasks[] = {
    {"tool-001", "What is 17.5% of 2,480?", "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2480 * 17.5 / 100\"}}]", "434"},
    {"tool-002", "Compute (128 - 47) * 3 + 19.", "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"(128 - 47) * 3 + 19\"}}]", "262"},
    {"tool-003", "What is the square root of 1764?", "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"sqrt(1764)\"}}]", "42"},
    {"tool-004", "Seven friends split a bill of 389.55 dollars equally. How much does each person pay?",
     "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"389.55 / 7\"}}]", "55.65"},
    {"tool-005", "What is 2 to the power of 20?", "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2^20\"}}]", "1048576"},
    {"tool-006", "What is 1000 divided by 8, minus 12.5?", "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1000 / 8 - 12.5\"}}]",
     "112.5"},
    {"tool-007", "How many miles is a 42.195 km marathon?",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 42.195, \"from_unit\": \"km\", \"to_unit\": \"mi\"}}]", "26.22"},
    {"tool-008", "Convert 98.6 degrees Fahrenheit to Celsius.",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 98.6, \"from_unit\": \"F\", \"to_unit\": \"C\"}}]", "37"},
    {"tool-009", "How many grams are in 2.5 pounds?",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 2.5, \"from_unit\": \"lb\", \"to_unit\": \"g\"}}]", "1133.98"},
    {"tool-010", "A recipe needs 3 cups of milk. How many milliliters is that?",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 3, \"from_unit\": \"cup\", \"to_unit\": \"ml\"}}]", "709.76"},
    {"tool-011", "How many seconds are there in one week?",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 1, \"from_unit\": \"week\", \"to_unit\": \"s\"}}]", "604800"},
    {"tool-012", "What is 120 km/h in miles per hour?",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 120, \"from_unit\": \"km/h\", \"to_unit\": \"mph\"}}]", "74.56"},
    {"tool-013", "How many MiB are 3 GB?",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 3, \"from_unit\": \"GB\", \"to_unit\": \"MiB\"}}]", "2861.02"},
    {"tool-014", "What date is 90 days after 2025-01-15?",
     "[{\"name\": \"date_add\", \"arguments\": {\"date\": \"2025-01-15\", \"days\": 90}}]", "2025-04-15"},
    {"tool-015", "How many days are there from 2024-02-10 to 2024-03-10?",
     "[{\"name\": \"date_diff\", \"arguments\": {\"start_date\": \"2024-02-10\", \"end_date\": \"2024-03-10\"}}]", "29"},
    {"tool-016", "On which day of the week was 1969-07-20?", "[{\"name\": \"weekday\", \"arguments\": {\"date\": \"1969-07-20\"}}]",
     "Sunday"},
    {"tool-017", "What date was 1000 days before 2025-06-01?",
     "[{\"name\": \"date_add\", \"arguments\": {\"date\": \"2025-06-01\", \"days\": -1000}}]", "2022-09-05"},
    {"tool-018", "How many days are there from 2025-09-01 until 2025-12-25?",
     "[{\"name\": \"date_diff\", \"arguments\": {\"start_date\": \"2025-09-01\", \"end_date\": \"2025-12-25\"}}]", "115"},
    {"tool-019", "How many words are in the sentence \"The quick brown fox jumps over the lazy dog\"?",
     "[{\"name\": \"text_stats\", \"arguments\": {\"text\": \"The quick brown fox jumps over the lazy dog\"}}]", "9"},
    {"tool-020", "Write \"harbor lane stationery\" in title case.",
     "[{\"name\": \"transform_text\", \"arguments\": {\"text\": \"harbor lane stationery\", \"operation\": \"title_case\"}}]",
     "Harbor Lane Stationery"},
    {"tool-021", "How many times does the letter e appear in \"Seventeen elephants entered\", counting upper and lower case?",
     "[{\"name\": \"count_occurrences\", \"arguments\": {\"text\": \"Seventeen elephants entered\", \"substring\": \"e\", "
     "\"case_sensitive\": false}}]",
     "9"},
    {"tool-022", "Reverse the word \"stressed\".",
     "[{\"name\": \"transform_text\", \"arguments\": {\"text\": \"stressed\", \"operation\": \"reverse\"}}]", "desserts"},
    {"tool-023", "How many characters are in \"Port Avalon\"?", "[{\"name\": \"text_stats\", \"arguments\": {\"text\": \"Port Avalon\"}}]",
     "11"},
    {"tool-024", "Write \"fire drill at noon\" in capital letters.",
     "[{\"name\": \"transform_text\", \"arguments\": {\"text\": \"fire drill at noon\", \"operation\": \"uppercase\"}}]",
     "FIRE DRILL AT NOON"},
    {"tool-025", "How much does a backpack cost at Harbor Lane Stationery?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"price:backpack\"}}]", "24.99"},
    {"tool-026", "How many staplers does Harbor Lane Stationery have in stock?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"stock:stapler\"}}]", "35"},
    {"tool-027", "When is Harbor Lane Stationery open on Saturdays?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"hours:saturday\"}}]", "10:00-14:00"},
    {"tool-028", "Who is the manager of Harbor Lane Stationery?", "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"store:manager\"}}]",
     "Imogen Castell"},
    {"tool-029", "Which records about shipping does the Harbor Lane Stationery store have?",
     "[{\"name\": \"list_keys\", \"arguments\": {\"prefix\": \"shipping:\"}}]",
     "shipping:standard:days, shipping:express:days, shipping:standard:cost, shipping:express:cost, shipping:free-over"},
    {"tool-030", "What do 4 notebooks cost at Harbor Lane Stationery?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"price:notebook\"}}, {\"name\": \"calculator\", \"arguments\": "
     "{\"expression\": \"4 * 3.5\"}}]",
     "14"},
    {"tool-031", "How much do 3 markers and 2 pens cost together at Harbor Lane Stationery?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"price:marker\"}}, {\"name\": \"lookup\", \"arguments\": {\"key\": "
     "\"price:pen\"}}, {\"name\": \"calculator\", \"arguments\": {\"expression\": \"3 * 2.4 + 2 * 1.2\"}}]",
     "9.6"},
    {"tool-032", "A student buys a calculator at Harbor Lane Stationery with the student discount. What does it cost?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"price:calculator\"}}, {\"name\": \"lookup\", \"arguments\": {\"key\": "
     "\"discount:student:percent\"}}, {\"name\": \"calculator\", \"arguments\": {\"expression\": \"12.4 * (1 - 15 / 100)\"}}]",
     "10.54"},
    {"tool-033", "I order today, 2025-03-03, with express shipping from Harbor Lane Stationery. On what date does the parcel arrive?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"shipping:express:days\"}}, {\"name\": \"date_add\", \"arguments\": "
     "{\"date\": \"2025-03-03\", \"days\": 2}}]",
     "2025-03-05"},
    {"tool-034", "How many years before 2025 was Harbor Lane Stationery founded?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"store:founded\"}}, {\"name\": \"calculator\", \"arguments\": "
     "{\"expression\": \"2025 - 1987\"}}]",
     "38"},
    {"tool-035", "What is the total price of all the backpacks Harbor Lane Stationery has in stock?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"price:backpack\"}}, {\"name\": \"lookup\", \"arguments\": {\"key\": "
     "\"stock:backpack\"}}, {\"name\": \"calculator\", \"arguments\": {\"expression\": \"24.99 * 18\"}}]",
     "449.82"},
    {"tool-036", "A parcel weighs 5 kg. How many pounds is that, to one decimal place?",
     "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 5, \"from_unit\": \"kg\", \"to_unit\": \"lb\"}}]", "11.0"},
    {"tool-037", "How many whole weeks are there between 2025-01-01 and 2025-07-02?",
     "[{\"name\": \"date_diff\", \"arguments\": {\"start_date\": \"2025-01-01\", \"end_date\": \"2025-07-02\"}}, {\"name\": "
     "\"calculator\", \"arguments\": {\"expression\": \"182 / 7\"}}]",
     "26"},
    {"tool-038", "Which day of the week is 100 days after 2025-05-20?",
     "[{\"name\": \"date_add\", \"arguments\": {\"date\": \"2025-05-20\", \"days\": 100}}, {\"name\": \"weekday\", \"arguments\": "
     "{\"date\": \"2025-08-28\"}}]",
     "Thursday"},
    {"tool-039", "What is the remainder when 2024 is divided by 8?", "[{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2024 % 8\"}}]",
     "0"},
    {"tool-040", "At Harbor Lane Stationery, what is the total for 2 sketchbooks plus express shipping?",
     "[{\"name\": \"lookup\", \"arguments\": {\"key\": \"price:sketchbook\"}}, {\"name\": \"lookup\", \"arguments\": {\"key\": "
     "\"shipping:express:cost\"}}, {\"name\": \"calculator\", \"arguments\": {\"expression\": \"2 * 9.8 + 11\"}}]",
     "30.6"},
};

static const size_t task_count = sizeof tasks / sizeof tasks[0];

char *seeds_list_json(void) {
    text_buffer b = {0};
    text_buffer_appendf(&b, "[{\"name\": \"tasks\", \"kind\": \"tasks\", \"description\": \"%zu tasks across the tools, each with the calls "
                            "that solve it and their answer.\", \"items\": [", task_count);
    for (size_t i = 0; i < task_count; i++) {
        const seed_task *task = &tasks[i];
        text_buffer_append(&b, i > 0 ? ", {\"id\": " : "{\"id\": ");
        text_buffer_append_json_string(&b, task->id, strlen(task->id));
        text_buffer_append(&b, ", \"instruction\": ");
        text_buffer_append_json_string(&b, task->instruction, strlen(task->instruction));
        text_buffer_append(&b, ", \"expected_calls\": ");
        text_buffer_append(&b, task->calls);
        text_buffer_append(&b, ", \"answer\": ");
        text_buffer_append_json_string(&b, task->answer, strlen(task->answer));
        text_buffer_append(&b, "}");
    }
    text_buffer_append(&b, "]}, {\"name\": \"tool-topics\", \"kind\": \"topics\", \"description\": \"One topic per tool, for curating "
                           "new tasks with task-ideas.\", \"items\": [");
    for (size_t i = 0; i < tool_count; i++) {
        const tool_definition *tool = &tool_table[i];
        char topic[96];
        snprintf(topic, sizeof topic, "the %s tool", tool->name);
        text_buffer_append(&b, i > 0 ? ", {\"id\": " : "{\"id\": ");
        text_buffer_appendf(&b, "\"tool-topic-%s\", \"tool\": \"%s\", \"topic\": ", tool->name, tool->name);
        text_buffer_append_json_string(&b, topic, strlen(topic));
        text_buffer_append(&b, ", \"knowledge\": ");
        text_buffer knowledge = {0};
        text_buffer_append(&knowledge, tool->description);
        text_buffer_append(&knowledge, " It takes ");
        for (size_t p = 0; p < tool->parameter_count; p++) {
            text_buffer_appendf(&knowledge, "%s%s (%s)", p == 0 ? "" : p + 1 == tool->parameter_count ? " and " : ", ",
                                tool->parameters[p].name, tool->parameters[p].description);
        }
        text_buffer_append(&knowledge, ".");
        char *text = text_buffer_take(&knowledge);
        if (text == NULL) b.failed = true;
        else text_buffer_append_json_string(&b, text, strlen(text));
        free(text);
        text_buffer_append(&b, "}");
    }
    text_buffer_append(&b, "]}]");
    return text_buffer_take(&b);
}
