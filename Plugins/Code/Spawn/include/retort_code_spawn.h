/*
 * retort_code_spawn.h — runs one untrusted program in a contained child process, for the code
 * plugin's sandbox. It lives in C because the containment has to be set up between clone() and
 * execve(), where only async-signal-safe system calls may run (no Swift runtime, no malloc).
 *
 * Layers, each applied when the system permits it (the result says which were active):
 *   - new PID, network and IPC namespaces (clone with CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC,
 *     plus CLONE_NEWUSER when not root): no network interface but a downed loopback; every
 *     process the program starts dies with it;
 *   - setrlimit: RLIMIT_CPU (SIGXCPU, then SIGKILL a second later), RLIMIT_AS, RLIMIT_NPROC,
 *     RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_CORE = 0;
 *   - a switch to an unprivileged user when started as root (RLIMIT_NPROC never binds root);
 *   - Landlock: writes only beneath the working directory, reads only beneath `read_paths`,
 *     TCP bind/connect denied (Landlock ABI 4+), signals and abstract sockets scoped (ABI 6+);
 *   - no_new_privs, parent-death signal SIGKILL, a wall-clock deadline enforced by the parent.
 */
#ifndef RETORT_CODE_SPAWN_H
#define RETORT_CODE_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which isolation layers a run had (bit flags of `retort_sandbox_result.isolation`). */
enum {
    RETORT_SANDBOX_NET_NAMESPACE = 1u << 0,
    RETORT_SANDBOX_PID_NAMESPACE = 1u << 1,
    RETORT_SANDBOX_USER_NAMESPACE = 1u << 2,
    RETORT_SANDBOX_UNPRIVILEGED_USER = 1u << 3,
    RETORT_SANDBOX_LANDLOCK_FS = 1u << 4,
    RETORT_SANDBOX_LANDLOCK_NET = 1u << 5,
    RETORT_SANDBOX_LANDLOCK_SCOPE = 1u << 6,
};

typedef struct retort_sandbox_request {
    /* Absolute path of the program and its NULL-terminated argv and envp. */
    const char *executable;
    const char *const *argv;
    const char *const *envp;
    /* The throwaway working directory (already created; owned by `run_as_uid` when that is set). */
    const char *working_directory;
    /* NULL-terminated list of files and folders the program may read and execute beneath. */
    const char *const *read_paths;
    /* Bytes written to the program's standard input, which is then closed. */
    const char *stdin_data;
    size_t stdin_length;
    double wall_seconds;
    uint32_t cpu_seconds;
    uint64_t memory_bytes;
    uint32_t max_processes;
    uint64_t max_file_bytes;
    uint32_t max_open_files;
    /* Bytes kept of each output stream; the rest is read and counted but dropped. */
    size_t output_limit;
    /* When >= 0 (and the caller is root), the child switches to this user and group. */
    int64_t run_as_uid;
    int64_t run_as_gid;
    /* Try namespaces (falls back to none when the kernel refuses them). */
    bool use_namespaces;
    /* Apply Landlock when the kernel has it. */
    bool use_landlock;
} retort_sandbox_request;

typedef struct retort_sandbox_output {
    char *data; /* malloc'ed, NUL-terminated; NULL when empty */
    size_t length;
    size_t total; /* bytes the program wrote, kept or not */
} retort_sandbox_output;

typedef struct retort_sandbox_result {
    /* The program's exit status, or -1 when a signal ended it. */
    int exit_code;
    /* The signal that ended it, 0 if it exited. */
    int signal;
    /* The parent killed it at the wall-clock deadline. */
    bool timed_out;
    double wall_seconds;
    double cpu_seconds;
    long max_rss_kib;
    /* Standard output, standard error, and file descriptor 3 (the harness's result channel). */
    retort_sandbox_output out;
    retort_sandbox_output err;
    retort_sandbox_output channel;
    /* RETORT_SANDBOX_* flags of the layers that were in force. */
    uint32_t isolation;
    /* The Landlock ABI version the kernel offers (0: none). */
    int landlock_abi;
    /* Set when the run could not be started or set up: what failed and why. */
    char error[256];
} retort_sandbox_result;

/* Runs the request. Returns 0 when the program ran (whatever it did), -1 when the sandbox could
 * not start it (see `result->error`). Thread-safe; release the result with
 * `retort_sandbox_result_free`. */
int retort_sandbox_run(const retort_sandbox_request *request, retort_sandbox_result *result);

void retort_sandbox_result_free(retort_sandbox_result *result);

/* The Landlock ABI version of the running kernel, 0 when it has none. */
int retort_sandbox_landlock_abi(void);

/* Removes `path` and everything beneath it without following symbolic links, first making
 * folders the program locked (chmod 000) writable again. Returns 0, or -1 with errno set. */
int retort_sandbox_remove_tree(const char *path);

#ifdef __cplusplus
}
#endif

#endif
