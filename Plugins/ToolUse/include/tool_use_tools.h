/*
 * tool_use_tools.h — the native tools the tool-use plugin exports, as a C program or another
 * plugin would call them directly (the Retort host finds them by symbol and calls them through
 * libffi, as declared in retort.tools.v1).
 *
 * Every tool returns a JSON object in a string allocated with malloc, which the caller frees (the
 * host hands it back to the plugin's free_string): {"result": …} on success, {"error": "…"} when
 * the input cannot be used. No tool aborts, evaluates code, touches files or the network, and all
 * are thread-safe.
 */
#ifndef TOOL_USE_TOOLS_PUBLIC_H
#define TOOL_USE_TOOLS_PUBLIC_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Arithmetic: + - * / % ^ (**), parentheses, pi, e, sqrt abs round floor ceil min max pow ln log10 exp. */
char *tool_use_calculator(const char *expression);
/* Length, mass, volume, time, speed, area, temperature and data-size units ("km", "°F", "GiB", …). */
char *tool_use_convert_units(double value, const char *from_unit, const char *to_unit);
/* Dates are YYYY-MM-DD on the proleptic Gregorian calendar, years 1 to 9999. */
char *tool_use_date_add(const char *date, int32_t days);
char *tool_use_date_diff(const char *start_date, const char *end_date);
char *tool_use_weekday(const char *date);
/* UTF-8 text: characters are code points; case changes apply to ASCII letters. */
char *tool_use_text_stats(const char *text);
char *tool_use_transform_text(const char *text, const char *operation);
char *tool_use_count_occurrences(const char *text, const char *substring, bool case_sensitive);
/* The read-only store of Harbor Lane Stationery, a made-up shop. */
char *tool_use_lookup(const char *key);
char *tool_use_list_keys(const char *prefix);

#ifdef __cplusplus
}
#endif

#endif
