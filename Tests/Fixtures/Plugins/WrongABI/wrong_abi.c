/* Fixture: a plugin built against ABI 99.0. The host must refuse it, naming both versions. */
#include "retort/retort.h"

static bool fixture_init(const retort_host *host, const char *dir) { (void)host; (void)dir; return true; }
static void fixture_deinit(void) {}
static const void *fixture_get_extension(const char *id) { (void)id; return NULL; }
static void fixture_free_string(char *s) { (void)s; }

const retort_plugin_entry_t retort_plugin_entry = {
    {99, 0}, fixture_init, fixture_deinit, fixture_get_extension, fixture_free_string,
};
