/* Fixture: a plugin whose describe extension returns a manifest without "kind" and "version". */
#include "retort/retort.h"
#include <stdlib.h>
#include <string.h>

static retort_status manifest(char **out, char **err) {
    (void)err;
    const char *text = "{\"id\":\"fixture-incomplete\",\"name\":\"Fixture\",\"description\":\"No kind and no version.\"}";
    *out = malloc(strlen(text) + 1);
    if (*out) strcpy(*out, text);
    return RETORT_OK;
}
static const retort_describe_v1 describe = {true, manifest};

static bool fixture_init(const retort_host *host, const char *dir) { (void)host; (void)dir; return true; }
static void fixture_deinit(void) {}
static const void *fixture_get_extension(const char *id) {
    return strcmp(id, RETORT_EXT_DESCRIBE_V1) == 0 ? &describe : NULL;
}
static void fixture_free_string(char *s) { free(s); }

const retort_plugin_entry_t retort_plugin_entry = {
    {RETORT_ABI_MAJOR, RETORT_ABI_MINOR}, fixture_init, fixture_deinit, fixture_get_extension, fixture_free_string,
};
