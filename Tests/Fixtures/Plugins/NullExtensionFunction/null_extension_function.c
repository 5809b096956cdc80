/* Fixture: a valid plugin whose parser extension has a NULL `parse`. The host must refuse the
 * plugin, naming the extension and the field. */
#include "retort/retort.h"
#include <stdlib.h>
#include <string.h>

static char *copy(const char *s) { char *c = malloc(strlen(s) + 1); if (c) strcpy(c, s); return c; }

static retort_status manifest(char **out, char **err) {
    (void)err;
    *out = copy("{\"id\":\"fixture-null-extension\",\"kind\":\"skill\",\"name\":\"Fixture\","
                "\"version\":\"0.0.1\",\"description\":\"A parser with a NULL parse function.\"}");
    return RETORT_OK;
}
static retort_status parser_list(char **out, char **err) {
    (void)err;
    *out = copy("[{\"name\":\"p\",\"description\":\"d\",\"yields\":[],\"method\":\"m\"}]");
    return RETORT_OK;
}
static const retort_describe_v1 describe = {true, manifest};
static const retort_parser_v1 parser = {true, parser_list, NULL};

static bool fixture_init(const retort_host *host, const char *dir) { (void)host; (void)dir; return true; }
static void fixture_deinit(void) {}
static const void *fixture_get_extension(const char *id) {
    if (strcmp(id, RETORT_EXT_DESCRIBE_V1) == 0) return &describe;
    if (strcmp(id, RETORT_EXT_PARSER_V1) == 0) return &parser;
    return NULL;
}
static void fixture_free_string(char *s) { free(s); }

const retort_plugin_entry_t retort_plugin_entry = {
    {RETORT_ABI_MAJOR, RETORT_ABI_MINOR}, fixture_init, fixture_deinit, fixture_get_extension, fixture_free_string,
};
