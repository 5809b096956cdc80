/* Defines the exported `retort_plugin_entry` of every Swift plugin; see RetortPluginEntry.h. */
#include "RetortPluginEntry.h"

static bool entry_init(const retort_host *host, const char *plugin_dir) {
    if (retort_swift_plugin == NULL) {
        if (host != NULL && host->log != NULL) {
            host->log(host, RETORT_LOG_ERROR,
                      "this Swift plugin defines no `retort_swift_plugin` function; add "
                      "`@_cdecl(\"retort_swift_plugin\") public func definition() -> "
                      "UnsafeRawPointer { plugin.export() }` (see SDK/README.md)");
        }
        return false;
    }
    return retort_sdk_init(host, plugin_dir, retort_swift_plugin());
}

const retort_plugin_entry_t retort_plugin_entry = {
    {RETORT_ABI_MAJOR, RETORT_ABI_MINOR},
    entry_init,
    retort_sdk_deinit,
    retort_sdk_get_extension,
    retort_sdk_free_string,
};
