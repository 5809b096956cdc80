/* Fixture: an entry whose `deinit` pointer is NULL. The host must refuse it before calling it. */
#include "retort/retort.h"

static bool fixture_init(const retort_host *host, const char *dir) { (void)host; (void)dir; return true; }
static const void *fixture_get_extension(const char *id) { (void)id; return NULL; }
static void fixture_free_string(char *s) { (void)s; }

const retort_plugin_entry_t retort_plugin_entry = {
    {RETORT_ABI_MAJOR, RETORT_ABI_MINOR}, fixture_init, NULL, fixture_get_extension, fixture_free_string,
};
