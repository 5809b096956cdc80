/* Fixture: a plugin declaring a tool whose symbol the library does not export. The host must
 * refuse it at load, naming the tool and the symbol, rather than call a NULL pointer later. */
#include "retort/retort.h"
#include <stdlib.h>
#include <string.h>

static char *copy(const char *s) { char *c = malloc(strlen(s) + 1); if (c) strcpy(c, s); return c; }

static retort_status manifest(char **out, char **err) {
    (void)err;
    *out = copy("{\"id\":\"fixture-missing-tool\",\"kind\":\"skill\",\"name\":\"Fixture\","
                "\"version\":\"0.0.1\",\"description\":\"A tool without its symbol.\"}");
    return RETORT_OK;
}
static retort_status tools_list(char **out, char **err) {
    (void)err;
    *out = copy("[{\"name\":\"ghost\",\"description\":\"Not exported.\",\"parameters\":{\"type\":\"object\","
                "\"properties\":{\"x\":{\"type\":\"number\"}}},\"signature\":\"double (double x)\","
                "\"symbol\":\"fixture_ghost_tool\"}]");
    return RETORT_OK;
}
static const retort_describe_v1 describe = {true, manifest};
static const retort_tools_v1 tools = {true, tools_list};

static bool fixture_init(const retort_host *host, const char *dir) { (void)host; (void)dir; return true; }
static void fixture_deinit(void) {}
static const void *fixture_get_extension(const char *id) {
    if (strcmp(id, RETORT_EXT_DESCRIBE_V1) == 0) return &describe;
    if (strcmp(id, RETORT_EXT_TOOLS_V1) == 0) return &tools;
    return NULL;
}
static void fixture_free_string(char *s) { free(s); }

const retort_plugin_entry_t retort_plugin_entry = {
    {RETORT_ABI_MAJOR, RETORT_ABI_MINOR}, fixture_init, fixture_deinit, fixture_get_extension, fixture_free_string,
};
