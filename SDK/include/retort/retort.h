/*
 * retort.h — the C ABI between the Retort host and its plugins.
 *
 * This header is the whole contract. A plugin author should never need to read host code.
 *
 * ── Shape ──────────────────────────────────────────────────────────────────────────────────────
 * A plugin is a shared library that exports one constant struct named `retort_plugin_entry`
 * (see `retort_plugin_entry_t` below). The host dlopen()s the library, reads that struct, checks
 * the ABI version, calls `init`, and then asks `get_extension` for capabilities by string id
 * ("retort.parser.v1", …). Everything a plugin offers is reached through extensions.
 *
 * ── Rules that apply everywhere ────────────────────────────────────────────────────────────────
 * Strings:    UTF-8, NUL-terminated, in both directions.
 * Ownership:  Every `char *` a plugin hands to the host (through an `out_*` parameter) belongs to
 *             the plugin. The host calls the plugin's `free_string` on it exactly once when done,
 *             and never calls libc `free` on it. A plugin that returns static text must still
 *             return a copy it can free (or make `free_string` ignore that pointer).
 *             Every pointer the host passes *in* (strings, float buffers, structs) is borrowed
 *             for the duration of the call only: copy what you need to keep.
 * Errors:     Functions return a `retort_status`. On anything but RETORT_OK the plugin should set
 *             `*out_error` to a message that says what was wrong and what to do; the host shows
 *             it to the user next to the plugin id. Out parameters other than `out_error` are
 *             ignored when the status is not RETORT_OK.
 * Threads:    Each extension struct starts with `thread_safe`. When it is false the host never
 *             calls two functions of that extension at the same time (it serializes them).
 *             When true, any function of it may be called from any thread concurrently.
 * Lifetime:   Plugins are never unloaded (the host opens them with RTLD_NODELETE and never calls
 *             dlclose). `deinit` is called once at host shutdown if the host shuts down cleanly.
 *             Extension structs returned by `get_extension` must stay valid until `deinit`.
 * Evolution:  A published struct never changes. A new capability, or a changed one, is a new
 *             extension id ("retort.parser.v2") with its own struct; the old id keeps working.
 *             RETORT_ABI_MINOR grows when ids are added; RETORT_ABI_MAJOR changes only if this
 *             header's entry or host struct had to change, and the host then refuses plugins
 *             built against another major, naming both versions and the file.
 * JSON:       Descriptive data (manifests, template lists, records, scores) crosses the boundary
 *             as JSON text, so the structs here stay small and stable.
 */
#ifndef RETORT_RETORT_H
#define RETORT_RETORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. A plugin records the values it was compiled with in its entry. */
#define RETORT_ABI_MAJOR 1
#define RETORT_ABI_MINOR 0

/* Exported symbol name the host looks up with dlsym. */
#define RETORT_PLUGIN_ENTRY_SYMBOL "retort_plugin_entry"

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * Status codes
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
typedef enum retort_status {
    RETORT_OK = 0,
    /* The input was not what the function accepts (wrong shape, bad JSON, unknown name, …). */
    RETORT_ERROR_INVALID_ARGUMENT = 1,
    /* The teacher output (or other text) could not be parsed. `out_error` gives the reason;
     * the host stores it as the rejection reason of that output. */
    RETORT_ERROR_PARSE = 2,
    /* A named item (parser, filter, objective, …) does not exist in this plugin. */
    RETORT_ERROR_NOT_FOUND = 3,
    /* The operation is known but not supported in this configuration. */
    RETORT_ERROR_UNSUPPORTED = 4,
    /* Anything else that went wrong inside the plugin (I/O, allocation, a bug). */
    RETORT_ERROR_INTERNAL = 5,
} retort_status;

typedef enum retort_log_level {
    RETORT_LOG_TRACE = 0,
    RETORT_LOG_DEBUG = 1,
    RETORT_LOG_INFO = 2,
    RETORT_LOG_WARNING = 3,
    RETORT_LOG_ERROR = 4,
} retort_log_level;

typedef struct retort_version {
    uint32_t major;
    uint32_t minor;
} retort_version;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * Host services, given to the plugin in `init`. The pointer stays valid until `deinit`.
 * All functions are thread-safe and may be called from any thread.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
typedef struct retort_host {
    /* The ABI version of the running host. */
    retort_version abi_version;

    /* Opaque host data; pass the host pointer back, never read this. */
    void *host_data;

    /* Writes `message` to the host's log under the plugin's id. `message` is borrowed. */
    void (*log)(const struct retort_host *host, retort_log_level level, const char *message);

    /* Allocates `size` bytes that the host may later release with `free`. Returns NULL on
     * failure. Use it for memory that the *host* will own; strings returned through `out_*`
     * parameters are still released with the plugin's own `free_string`. */
    void *(*alloc)(const struct retort_host *host, size_t size);

    /* Releases memory from `alloc`. NULL is ignored. */
    void (*free)(const struct retort_host *host, void *ptr);
} retort_host;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * The entry point. Export exactly one, named `retort_plugin_entry`:
 *
 *     const retort_plugin_entry_t retort_plugin_entry = {
 *         { RETORT_ABI_MAJOR, RETORT_ABI_MINOR }, my_init, my_deinit, my_get_extension,
 *         my_free_string,
 *     };
 *
 * Every function pointer must be non-NULL; the host refuses the plugin otherwise.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
typedef struct retort_plugin_entry_t {
    /* The ABI the plugin was compiled against: always { RETORT_ABI_MAJOR, RETORT_ABI_MINOR }. */
    retort_version abi_version;

    /* Called once, on the host's main thread, before any other function except `free_string`.
     * `host` stays valid until `deinit`. `plugin_dir` is the folder holding the library, where
     * the plugin keeps its resources (seeds, templates); borrowed for the call.
     * Returns false if the plugin cannot run; it should log why through `host->log` first. */
    bool (*init)(const retort_host *host, const char *plugin_dir);

    /* Called once at clean host shutdown. The library is not unloaded afterwards. */
    void (*deinit)(void);

    /* Returns the extension struct for `id` (for example "retort.parser.v1"), or NULL if the
     * plugin does not offer it. Called after `init`, from any thread. The returned pointer
     * must stay valid until `deinit`. */
    const void *(*get_extension)(const char *id);

    /* Releases a string the plugin returned through an `out_*` parameter. NULL is ignored.
     * Thread-safe: called from any thread. */
    void (*free_string)(char *string);
} retort_plugin_entry_t;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.describe.v1" — required. The plugin's manifest.
 *
 * Manifest JSON (an object):
 *   "id"          string, required: unique, lowercase letters, digits, '-' and '.' ("medical")
 *   "kind"        string, required: "skill" or "vertical"
 *   "name"        string, required: human name ("Medical question answering")
 *   "version"     string, required: the plugin's own version ("1.0.0")
 *   "description" string, required: one or two sentences for `retort plugins list`
 *   "provides"    object, optional: { "strategies": ["self-instruct", …],
 *                                     "recommended_objectives": [{"name": "sft", "weight": 1}] }
 *   "license"     string, optional
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_DESCRIBE_V1 "retort.describe.v1"
typedef struct retort_describe_v1 {
    bool thread_safe;
    /* Writes the manifest JSON to `*out_json`. */
    retort_status (*manifest)(char **out_json, char **out_error);
} retort_describe_v1;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.templates.v1" — prompt templates (the I of the survey's Eq. 1).
 *
 * `list` writes a JSON array; each element:
 *   "name"      string, required, unique within the plugin ("self-instruct.generate")
 *   "role"      string, required: "system", "user" or "assistant"
 *   "strategy"  string, required: the elicitation strategy it serves ("labeling",
 *               "expansion" (Self-Instruct, Evol-Instruct), "curation", "feature", "feedback",
 *               "self-knowledge") or "any"; informative: recipes name templates explicitly
 *   "slots"     array of strings, required: the names the template needs; rendering without
 *               one of them is an error. Every top-level {{tag}} must be a declared slot.
 *               A slot given as "" or null renders as nothing and is false in a section, so
 *               {{#input}}Input: {{input}}{{/input}} leaves no empty heading.
 *   "template"  string, required: Mustache text (https://mustache.github.io/mustache.5.html)
 *   "description" string, optional
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_TEMPLATES_V1 "retort.templates.v1"
typedef struct retort_templates_v1 {
    bool thread_safe;
    retort_status (*list)(char **out_json, char **out_error);
} retort_templates_v1;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.parser.v1" — teacher output → records (the Parse of Eq. 1).
 *
 * `list` writes a JSON array of { "name", "description", "yields": [field names],
 * "method": "paper or method it follows" }.
 * `parse` turns one teacher output into a JSON array of records (objects). `context_json` is a
 * JSON object with what the host knows about the call (seed, template, slot values); it may be
 * "{}". A teacher output that cannot be parsed returns RETORT_ERROR_PARSE with the reason.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_PARSER_V1 "retort.parser.v1"
typedef struct retort_parser_v1 {
    bool thread_safe;
    retort_status (*list)(char **out_json, char **out_error);
    retort_status (*parse)(const char *parser_name, const char *teacher_output,
                           const char *context_json, char **out_records_json, char **out_error);
} retort_parser_v1;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.filter.v1" — keep or reject one record, with a reason and a score.
 *
 * `list` writes a JSON array of { "name", "description", "method" }.
 * `apply` judges `record_json` (one record object) and fills `out_verdict`. A rejection must
 * set `reason` (plugin-owned, released with `free_string`); a kept record may leave it NULL.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_FILTER_V1 "retort.filter.v1"
typedef struct retort_filter_verdict {
    bool keep;
    /* Higher is better; NAN when the filter has no score. */
    double score;
    char *reason;
} retort_filter_verdict;

typedef struct retort_filter_v1 {
    bool thread_safe;
    retort_status (*list)(char **out_json, char **out_error);
    retort_status (*apply)(const char *filter_name, const char *record_json,
                           const char *context_json, retort_filter_verdict *out_verdict,
                           char **out_error);
} retort_filter_v1;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.objective.v1" — training objectives (the L_objective of Eq. 2).
 *
 * `list` writes a JSON array of { "name", "level": "token" | "sequence", "description",
 * "parameters": { name: default number } }.
 *
 * Token level: the host gives a view of the student logits for `positions` rows of `vocab`
 * columns and the teacher's distribution, dense or sparse; the plugin writes the scalar loss
 * L = Σ_i m_i ℓ_i / Σ_i m_i (0 when Σ_i m_i = 0; m is `loss_mask`) into `*out_loss` and dL/dlogits
 * into `grad_logits`, a host buffer of positions × vocab floats that the plugin must fully
 * overwrite. The host may call it on a chunk of positions and recombine chunks with Σ_i m_i, so
 * the mask is the only weighting: a position with m_i > 0 but target -1 is an invalid argument
 * for an objective that needs targets.
 *
 * Sequence level: the host gives per-sequence log-probabilities (summed over response tokens)
 * and the plugin writes the loss and dL/dlogp (one float per sequence) into `grad_logps`; the
 * host applies the chain rule through the model.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_OBJECTIVE_V1 "retort.objective.v1"

typedef struct retort_token_batch_v1 {
    /* Student logits, row-major [positions][vocab]. Borrowed. */
    const float *student_logits;
    int64_t positions;
    int64_t vocab;
    /* Target token id per position (ground-truth next token), or -1 where there is none. */
    const int32_t *targets;
    /* Weight per position (0 = ignore, 1 = train). Never NULL. */
    const float *loss_mask;
    /* Dense teacher log-probabilities [positions][vocab], or NULL when sparse or absent. */
    const float *teacher_logprobs;
    /* Sparse teacher: `teacher_k` ids and log-probabilities per position ([positions][k]),
     * the rest of the probability mass spread over the other ids. NULL when absent. */
    const int32_t *teacher_topk_ids;
    const float *teacher_topk_logprobs;
    int32_t teacher_k;
    /* Softmax temperature applied to both student and teacher logits. */
    float temperature;
    /* JSON object of hyper-parameters from the recipe (for example {"beta": 0.5}). */
    const char *parameters_json;
} retort_token_batch_v1;

typedef struct retort_sequence_batch_v1 {
    /* Per-sequence summed log-probability under the policy (student). */
    const float *logps;
    int64_t count;
    /* Same under the frozen reference model, or NULL. */
    const float *reference_logps;
    /* Scalar reward per sequence, or NULL. */
    const float *rewards;
    /* Sequences with the same group id answer the same prompt. */
    const int32_t *group_ids;
    /* Rank within the group, 0 = best, or NULL. */
    const int32_t *ranks;
    /* Number of response tokens per sequence (for length normalization). */
    const int32_t *lengths;
    const char *parameters_json;
} retort_sequence_batch_v1;

typedef struct retort_objective_v1 {
    bool thread_safe;
    retort_status (*list)(char **out_json, char **out_error);
    retort_status (*token_loss)(const char *objective_name, const retort_token_batch_v1 *batch,
                                float *out_loss, float *grad_logits, char **out_error);
    retort_status (*sequence_loss)(const char *objective_name,
                                   const retort_sequence_batch_v1 *batch, float *out_loss,
                                   float *grad_logps, char **out_error);
} retort_objective_v1;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.evaluator.v1" — score a prediction.
 *
 * `list` writes a JSON array of { "name", "description", "metrics": [names], "higher_is_better":
 * true|false }. `evaluate` writes a JSON object { metric: number, … } for one example.
 * `reference` may be "" when the evaluator needs none.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_EVALUATOR_V1 "retort.evaluator.v1"
typedef struct retort_evaluator_v1 {
    bool thread_safe;
    retort_status (*list)(char **out_json, char **out_error);
    retort_status (*evaluate)(const char *evaluator_name, const char *prompt,
                              const char *reference, const char *prediction,
                              char **out_scores_json, char **out_error);
} retort_evaluator_v1;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.tools.v1" — native functions the host calls through libffi.
 *
 * `list` writes a JSON array; each element:
 *   "name"        string, required, unique within the plugin ("convert_units")
 *   "description" string, required
 *   "parameters"  object, required: JSON Schema of the arguments object
 *   "signature"   string, required: the C prototype without the function name, with parameter
 *                 names that match the schema's properties, in call order:
 *                     "double (double value, const char *from_unit, const char *to_unit)"
 *                 Parameter types: int32_t, int64_t, double, float, bool, const char *.
 *                 Return types: the same, or `char *` for a string the plugin allocates and the
 *                 host releases with `free_string` (`const char *` is copied and never freed).
 *   "symbol"      string, required: the exported function name the host finds with dlsym.
 * Each tool function must be thread-safe if the extension says so. A tool reports failure by
 * returning a string result such as {"error": "..."}; it must not abort the process.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_TOOLS_V1 "retort.tools.v1"
typedef struct retort_tools_v1 {
    bool thread_safe;
    retort_status (*list)(char **out_json, char **out_error);
} retort_tools_v1;

/* ──────────────────────────────────────────────────────────────────────────────────────────────
 * "retort.seeds.v1" — seed knowledge (the S of Eq. 1).
 *
 * `list` writes a JSON array; each element:
 *   "name"    string, required ("seed-tasks")
 *   "kind"    string, required: "tasks", "topics", "documents", "eval" or "images"
 *   "items"   array, inline seed items (objects), or
 *   "path"    string: a JSON Lines file relative to `plugin_dir`, one item per line
 *   "description" string, optional
 * Exactly one of "items" and "path" is given.
 * ────────────────────────────────────────────────────────────────────────────────────────────── */
#define RETORT_EXT_SEEDS_V1 "retort.seeds.v1"
typedef struct retort_seeds_v1 {
    bool thread_safe;
    retort_status (*list)(char **out_json, char **out_error);
} retort_seeds_v1;

/* A static English name for a status ("invalid argument"); never NULL. Inline, so a plugin
 * built with nothing but this header can use it. */
static inline const char *retort_status_name(retort_status status) {
    switch (status) {
    case RETORT_OK: return "ok";
    case RETORT_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case RETORT_ERROR_PARSE: return "parse error";
    case RETORT_ERROR_NOT_FOUND: return "not found";
    case RETORT_ERROR_UNSUPPORTED: return "unsupported";
    case RETORT_ERROR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

#ifdef __cplusplus
}
#endif

#endif /* RETORT_RETORT_H */
