/*
 * tool_lookup.c — `lookup` and `list_keys`: a small read-only key-value store of a made-up shop,
 * Harbor Lane Stationery, written for this project. A teacher cannot know these values, so a
 * trajectory that answers from them must have called the tool (and the execution-verified
 * filter checks that it reports what the store says).
 */
#include "tools.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct record {
    const char *key;
    /* A text value, or NULL for a number. */
    const char *text;
    double number;
} record;

static const record store[] = {
    {"price:notebook", NULL, 3.5},
    {"price:pen", NULL, 1.2},
    {"price:backpack", NULL, 24.99},
    {"price:stapler", NULL, 8.75},
    {"price:marker", NULL, 2.4},
    {"price:calculator", NULL, 12.4},
    {"price:envelope", NULL, 0.15},
    {"price:sketchbook", NULL, 9.8},
    {"stock:notebook", NULL, 140},
    {"stock:pen", NULL, 520},
    {"stock:backpack", NULL, 18},
    {"stock:stapler", NULL, 35},
    {"stock:marker", NULL, 260},
    {"stock:calculator", NULL, 42},
    {"stock:envelope", NULL, 1200},
    {"stock:sketchbook", NULL, 0},
    {"hours:monday", "09:00-18:00", 0},
    {"hours:tuesday", "09:00-18:00", 0},
    {"hours:wednesday", "09:00-18:00", 0},
    {"hours:thursday", "09:00-20:00", 0},
    {"hours:friday", "09:00-18:00", 0},
    {"hours:saturday", "10:00-14:00", 0},
    {"hours:sunday", "closed", 0},
    {"shipping:standard:days", NULL, 5},
    {"shipping:express:days", NULL, 2},
    {"shipping:standard:cost", NULL, 4.5},
    {"shipping:express:cost", NULL, 11},
    {"shipping:free-over", NULL, 60},
    {"discount:member:percent", NULL, 10},
    {"discount:student:percent", NULL, 15},
    {"store:city", "Port Avalon", 0},
    {"store:phone", "+1 555 0142", 0},
    {"store:founded", NULL, 1987},
    {"store:manager", "Imogen Castell", 0},
};

static const size_t store_count = sizeof store / sizeof store[0];

/* The key, trimmed and lowercased, into `out` (false when too long). */
static bool normalized_key(const char *key, char *out, size_t size) {
    while (isspace((unsigned char)*key)) key++;
    size_t n = strlen(key);
    while (n > 0 && isspace((unsigned char)key[n - 1])) n--;
    if (n + 1 > size) return false;
    for (size_t i = 0; i < n; i++) out[i] = (char)tolower((unsigned char)key[i]);
    out[n] = '\0';
    return true;
}

char *tool_use_lookup(const char *key) {
    if (key == NULL) return tool_error("no key was given");
    char wanted[128];
    if (!normalized_key(key, wanted, sizeof wanted)) return tool_error("the key is longer than 127 characters");
    for (size_t i = 0; i < store_count; i++) {
        if (strcmp(store[i].key, wanted) != 0) continue;
        text_buffer b = {0};
        text_buffer_append(&b, "{\"result\": ");
        if (store[i].text == NULL) text_buffer_append_number(&b, store[i].number);
        else text_buffer_append_json_string(&b, store[i].text, strlen(store[i].text));
        text_buffer_append(&b, "}");
        return text_buffer_take(&b);
    }
    /* Suggest keys of the same group ("price:…") so the next call can be right. */
    const char *colon = strchr(wanted, ':');
    size_t group = colon ? (size_t)(colon - wanted) + 1 : strlen(wanted);
    text_buffer b = {0};
    text_buffer_append(&b, "{\"error\": ");
    char message[200];
    snprintf(message, sizeof message, "no record with key \"%.100s\"; see similar keys or call list_keys", wanted);
    text_buffer_append_json_string(&b, message, strlen(message));
    text_buffer_append(&b, ", \"similar\": [");
    int shown = 0;
    for (size_t i = 0; i < store_count && shown < 8; i++) {
        if (group == 0 || strncmp(store[i].key, wanted, group) != 0) continue;
        if (shown++ > 0) text_buffer_append(&b, ", ");
        text_buffer_append_json_string(&b, store[i].key, strlen(store[i].key));
    }
    text_buffer_append(&b, "]}");
    return text_buffer_take(&b);
}

char *tool_use_list_keys(const char *prefix) {
    if (prefix == NULL) return tool_error("no prefix was given");
    char wanted[128];
    if (!normalized_key(prefix, wanted, sizeof wanted)) return tool_error("the prefix is longer than 127 characters");
    text_buffer b = {0};
    text_buffer_append(&b, "{\"result\": [");
    size_t n = strlen(wanted), shown = 0;
    for (size_t i = 0; i < store_count; i++) {
        if (strncmp(store[i].key, wanted, n) != 0) continue;
        if (shown++ > 0) text_buffer_append(&b, ", ");
        text_buffer_append_json_string(&b, store[i].key, strlen(store[i].key));
    }
    text_buffer_append(&b, "]}");
    return text_buffer_take(&b);
}
