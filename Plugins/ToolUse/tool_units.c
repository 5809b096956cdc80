/*
 * tool_units.c — the `convert_units` tool. Each unit is a factor to its kind's base unit (meter,
 * kilogram, liter, second, meter per second, square meter, byte); temperatures are affine
 * (base = (value + offset) × factor, in kelvin). US customary volumes; exact definitions where
 * they exist (1 in = 2.54 cm, 1 lb = 0.45359237 kg, 1 US gal = 3.785411784 L).
 */
#include "tools.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit {
    const char *symbol;
    const char *kind;
    double factor;
    double offset;
    /* Other spellings, separated by '|', matched without case. */
    const char *aliases;
} unit;

static const unit units[] = {
    {"m", "length", 1, 0, "meter|meters|metre|metres"},
    {"km", "length", 1000, 0, "kilometer|kilometers|kilometre|kilometres"},
    {"cm", "length", 0.01, 0, "centimeter|centimeters|centimetre|centimetres"},
    {"mm", "length", 0.001, 0, "millimeter|millimeters|millimetre|millimetres"},
    {"mi", "length", 1609.344, 0, "mile|miles"},
    {"yd", "length", 0.9144, 0, "yard|yards"},
    {"ft", "length", 0.3048, 0, "foot|feet"},
    {"in", "length", 0.0254, 0, "inch|inches"},
    {"nmi", "length", 1852, 0, "nautical mile|nautical miles"},
    {"kg", "mass", 1, 0, "kilogram|kilograms|kilo|kilos"},
    {"g", "mass", 0.001, 0, "gram|grams"},
    {"mg", "mass", 1e-6, 0, "milligram|milligrams"},
    {"t", "mass", 1000, 0, "tonne|tonnes|metric ton|metric tons"},
    {"lb", "mass", 0.45359237, 0, "lbs|pound|pounds"},
    {"oz", "mass", 0.028349523125, 0, "ounce|ounces"},
    {"st", "mass", 6.35029318, 0, "stone|stones"},
    {"l", "volume", 1, 0, "liter|liters|litre|litres"},
    {"ml", "volume", 0.001, 0, "milliliter|milliliters|millilitre|millilitres"},
    {"m3", "volume", 1000, 0, "m^3|m³|cubic meter|cubic meters|cubic metre|cubic metres"},
    {"gal", "volume", 3.785411784, 0, "gallon|gallons|us gallon|us gallons"},
    {"qt", "volume", 0.946352946, 0, "quart|quarts"},
    {"pt", "volume", 0.473176473, 0, "pint|pints"},
    {"cup", "volume", 0.2365882365, 0, "cups"},
    {"fl oz", "volume", 0.0295735295625, 0, "floz|fluid ounce|fluid ounces"},
    {"tbsp", "volume", 0.01478676478125, 0, "tablespoon|tablespoons"},
    {"tsp", "volume", 0.00492892159375, 0, "teaspoon|teaspoons"},
    {"s", "time", 1, 0, "sec|secs|second|seconds"},
    {"ms", "time", 0.001, 0, "millisecond|milliseconds"},
    {"min", "time", 60, 0, "mins|minute|minutes"},
    {"h", "time", 3600, 0, "hr|hrs|hour|hours"},
    {"day", "time", 86400, 0, "d|days"},
    {"week", "time", 604800, 0, "wk|weeks"},
    {"m/s", "speed", 1, 0, "mps|meters per second|metres per second"},
    {"km/h", "speed", 1 / 3.6, 0, "kph|kmh|kmph|kilometers per hour|kilometres per hour"},
    {"mph", "speed", 0.44704, 0, "mi/h|miles per hour"},
    {"knot", "speed", 1852.0 / 3600.0, 0, "knots|kn|kt"},
    {"ft/s", "speed", 0.3048, 0, "fps|feet per second"},
    {"m2", "area", 1, 0, "m^2|m²|sq m|square meter|square meters|square metre|square metres"},
    {"km2", "area", 1e6, 0, "km^2|km²|sq km|square kilometer|square kilometers|square kilometre|square kilometres"},
    {"cm2", "area", 1e-4, 0, "cm^2|cm²|sq cm|square centimeter|square centimeters"},
    {"ha", "area", 1e4, 0, "hectare|hectares"},
    {"acre", "area", 4046.8564224, 0, "acres"},
    {"ft2", "area", 0.09290304, 0, "ft^2|ft²|sq ft|square foot|square feet"},
    {"C", "temperature", 1, 273.15, "°c|celsius|degc|degrees celsius|centigrade"},
    {"F", "temperature", 5.0 / 9.0, 459.67, "°f|fahrenheit|degf|degrees fahrenheit"},
    {"K", "temperature", 1, 0, "kelvin|kelvins"},
    {"B", "data", 1, 0, "byte|bytes"},
    {"KB", "data", 1e3, 0, "kilobyte|kilobytes"},
    {"MB", "data", 1e6, 0, "megabyte|megabytes"},
    {"GB", "data", 1e9, 0, "gigabyte|gigabytes"},
    {"TB", "data", 1e12, 0, "terabyte|terabytes"},
    {"KiB", "data", 1024, 0, "kibibyte|kibibytes"},
    {"MiB", "data", 1048576, 0, "mebibyte|mebibytes"},
    {"GiB", "data", 1073741824, 0, "gibibyte|gibibytes"},
};

static const size_t unit_count = sizeof units / sizeof units[0];

/* Case-insensitive equality of `name` (n bytes) with a NUL-terminated candidate. */
static bool same_name(const char *name, size_t n, const char *candidate) {
    if (strlen(candidate) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)name[i]) != tolower((unsigned char)candidate[i])) return false;
    return true;
}

static const unit *find_unit(const char *text) {
    if (text == NULL) return NULL;
    while (isspace((unsigned char)*text)) text++;
    size_t n = strlen(text);
    while (n > 0 && (isspace((unsigned char)text[n - 1]) || text[n - 1] == '.')) n--;
    if (n == 0) return NULL;
    for (size_t i = 0; i < unit_count; i++) {
        if (same_name(text, n, units[i].symbol)) return &units[i];
        const char *alias = units[i].aliases;
        while (*alias) {
            const char *end = strchr(alias, '|');
            size_t length = end ? (size_t)(end - alias) : strlen(alias);
            char candidate[48];
            if (length < sizeof candidate) {
                memcpy(candidate, alias, length);
                candidate[length] = '\0';
                if (same_name(text, n, candidate)) return &units[i];
            }
            alias += length + (end ? 1 : 0);
        }
    }
    return NULL;
}

/* "m, km, cm, …" for one kind, for error messages. */
static void append_symbols(text_buffer *b, const char *kind) {
    bool first = true;
    for (size_t i = 0; i < unit_count; i++) {
        if (kind != NULL && strcmp(units[i].kind, kind) != 0) continue;
        if (!first) text_buffer_append(b, ", ");
        text_buffer_append(b, units[i].symbol);
        first = false;
    }
}

static char *unknown_unit(const char *role, const char *text) {
    text_buffer b = {0};
    append_symbols(&b, NULL);
    char *known = text_buffer_take(&b);
    char *result = tool_error("unknown %s \"%.40s\"; known units: %s", role, text ? text : "", known ? known : "");
    free(known);
    return result;
}

char *tool_use_convert_units(double value, const char *from_unit, const char *to_unit) {
    if (!isfinite(value)) return tool_error("the value must be a finite number");
    const unit *from = find_unit(from_unit);
    if (from == NULL) return unknown_unit("from_unit", from_unit);
    const unit *to = find_unit(to_unit);
    if (to == NULL) return unknown_unit("to_unit", to_unit);
    if (strcmp(from->kind, to->kind) != 0) {
        text_buffer b = {0};
        append_symbols(&b, from->kind);
        char *same = text_buffer_take(&b);
        char *result = tool_error("cannot convert %s (%s) to %s (%s); %s converts to %s", from->symbol, from->kind, to->symbol,
                                  to->kind, from->symbol, same ? same : "");
        free(same);
        return result;
    }
    double base = (value + from->offset) * from->factor;
    if (strcmp(from->kind, "temperature") == 0 && base < -1e-9) return tool_error("%g %s is below absolute zero", value, from->symbol);
    double converted = base / to->factor - to->offset;
    if (!isfinite(converted)) return tool_error("overflow: the converted value is too large");
    /* 12 significant digits: 0.1 m in cm is 10, not 10.000000000000002. */
    if (converted != 0) {
        double magnitude = pow(10, 11 - floor(log10(fabs(converted))));
        if (isfinite(magnitude) && isfinite(converted * magnitude)) converted = round(converted * magnitude) / magnitude;
    }
    text_buffer b = {0};
    text_buffer_append(&b, "{\"result\": ");
    text_buffer_append_number(&b, converted == 0 ? 0 : converted);
    text_buffer_append(&b, ", \"unit\": ");
    text_buffer_append_json_string(&b, to->symbol, strlen(to->symbol));
    text_buffer_append(&b, "}");
    return text_buffer_take(&b);
}
