/* The C half of the Swift plugin SDK. Swift cannot export a constant struct, so this file
 * defines `retort_plugin_entry` and forwards each call to the Swift SDK (`retort_sdk_*`,
 * exported with @_cdecl) and to the plugin's own definition function. */
#ifndef RETORT_PLUGIN_ENTRY_H
#define RETORT_PLUGIN_ENTRY_H

#include "retort/retort.h"

/* Implemented by the Swift SDK (RetortPluginSDK/EntryPoints.swift). */
bool retort_sdk_init(const retort_host *host, const char *plugin_dir, const void *definition);
void retort_sdk_deinit(void);
const void *retort_sdk_get_extension(const char *id);
void retort_sdk_free_string(char *string);

/* Implemented by the plugin: returns its definition (see SDK/README.md). Weak, so a library
 * that forgot it fails `init` with a message instead of failing to load. */
const void *retort_swift_plugin(void) __attribute__((weak));

#endif
