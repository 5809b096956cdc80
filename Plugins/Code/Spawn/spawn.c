/*
 * spawn.c — the code plugin's contained child process (see retort_code_spawn.h for the layers).
 *
 * The parent prepares everything that allocates (pipes, the Landlock ruleset, the child's
 * stack) before clone(); the child then only makes raw system calls until execve(), because it is
 * a copy of a multithreaded process and may not take locks (malloc, stdio, glibc's setuid
 * broadcast) that another thread held at the moment of the copy.
 */
#define _GNU_SOURCE
#include "retort_code_spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#ifdef __linux__

/* ── Landlock (defined here: distribution headers often predate the ABI versions used) ─────── */

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define CLOSE_RANGE_CLOEXEC_FLAG (1u << 2)

#define LL_CREATE_RULESET_VERSION (1u << 0)
#define LL_RULE_PATH_BENEATH 1

#define LL_FS_EXECUTE (1ull << 0)
#define LL_FS_WRITE_FILE (1ull << 1)
#define LL_FS_READ_FILE (1ull << 2)
#define LL_FS_READ_DIR (1ull << 3)
#define LL_FS_REMOVE_DIR (1ull << 4)
#define LL_FS_REMOVE_FILE (1ull << 5)
#define LL_FS_MAKE_CHAR (1ull << 6)
#define LL_FS_MAKE_DIR (1ull << 7)
#define LL_FS_MAKE_REG (1ull << 8)
#define LL_FS_MAKE_SOCK (1ull << 9)
#define LL_FS_MAKE_FIFO (1ull << 10)
#define LL_FS_MAKE_BLOCK (1ull << 11)
#define LL_FS_MAKE_SYM (1ull << 12)
#define LL_FS_REFER (1ull << 13)    /* ABI 2 */
#define LL_FS_TRUNCATE (1ull << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ull << 15) /* ABI 5 */
#define LL_NET_BIND_TCP (1ull << 0)    /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ull << 1) /* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ull << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ull << 1)               /* ABI 6 */

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

int retort_sandbox_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    return abi > 0 ? (int)abi : 0;
}

/* The ruleset: everything beneath the working directory; read and execute beneath each read
 * path; nothing else. Returns the ruleset fd (close-on-exec) or -1; sets the Landlock flags. */
static int build_ruleset(const retort_sandbox_request *request, int abi, uint32_t *isolation) {
    uint64_t write_rights = LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR | LL_FS_MAKE_DIR
        | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO | LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM;
    if (abi >= 2) write_rights |= LL_FS_REFER;
    if (abi >= 3) write_rights |= LL_FS_TRUNCATE;
    if (abi >= 5) write_rights |= LL_FS_IOCTL_DEV;
    uint64_t read_rights = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR;
    struct ll_ruleset_attr attr = {write_rights | read_rights, 0, 0};
    size_t size = sizeof(uint64_t);
    if (abi >= 4) {
        attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP; /* no rule: all TCP denied */
        size = 2 * sizeof(uint64_t);
    }
    if (abi >= 6) {
        attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
        size = 3 * sizeof(uint64_t);
    }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) return -1;
    fcntl(ruleset, F_SETFD, FD_CLOEXEC);

    int dir = open(request->working_directory, O_PATH | O_CLOEXEC | O_DIRECTORY);
    struct ll_path_beneath_attr rule = {write_rights | read_rights, dir};
    if (dir < 0 || syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0) != 0) {
        if (dir >= 0) close(dir);
        close(ruleset);
        return -1;
    }
    close(dir);
    for (const char *const *path = request->read_paths; path != NULL && *path != NULL; path++) {
        int fd = open(*path, O_PATH | O_CLOEXEC);
        if (fd < 0) continue; /* a missing system folder (/lib32) is not an error */
        struct stat st;
        if (fstat(fd, &st) != 0) {
            close(fd);
            continue;
        }
        struct ll_path_beneath_attr r = {0, fd};
        if (S_ISDIR(st.st_mode)) {
            r.allowed_access = read_rights;
        } else if (S_ISCHR(st.st_mode)) {
            /* Devices such as /dev/null may be written too. */
            r.allowed_access = LL_FS_READ_FILE | LL_FS_WRITE_FILE | (abi >= 3 ? LL_FS_TRUNCATE : 0)
                | (abi >= 5 ? LL_FS_IOCTL_DEV : 0);
        } else {
            r.allowed_access = LL_FS_EXECUTE | LL_FS_READ_FILE;
        }
        syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &r, 0);
        close(fd);
    }
    *isolation |= RETORT_SANDBOX_LANDLOCK_FS;
    if (abi >= 4) *isolation |= RETORT_SANDBOX_LANDLOCK_NET;
    if (abi >= 6) *isolation |= RETORT_SANDBOX_LANDLOCK_SCOPE;
    return ruleset;
}

/* ── The child: raw system calls only, from clone() to execve() ───────────────────────────── */

enum setup_step {
    STEP_SIGNALS = 1, STEP_PROCESS_GROUP, STEP_FILE_DESCRIPTORS, STEP_RLIMIT_CPU, STEP_RLIMIT_AS,
    STEP_RLIMIT_FSIZE, STEP_RLIMIT_NOFILE, STEP_RLIMIT_NPROC, STEP_RLIMIT_CORE, STEP_GROUPS, STEP_GID,
    STEP_UID, STEP_CHDIR, STEP_NO_NEW_PRIVS, STEP_LANDLOCK, STEP_PARENT_DEATH_SIGNAL, STEP_EXEC,
};

static const char *step_name(int step) {
    switch (step) {
    case STEP_SIGNALS: return "resetting signal handlers";
    case STEP_PROCESS_GROUP: return "setpgid";
    case STEP_FILE_DESCRIPTORS: return "redirecting standard input and output";
    case STEP_RLIMIT_CPU: return "setrlimit(RLIMIT_CPU)";
    case STEP_RLIMIT_AS: return "setrlimit(RLIMIT_AS)";
    case STEP_RLIMIT_FSIZE: return "setrlimit(RLIMIT_FSIZE)";
    case STEP_RLIMIT_NOFILE: return "setrlimit(RLIMIT_NOFILE)";
    case STEP_RLIMIT_NPROC: return "setrlimit(RLIMIT_NPROC)";
    case STEP_RLIMIT_CORE: return "setrlimit(RLIMIT_CORE)";
    case STEP_GROUPS: return "setgroups";
    case STEP_GID: return "setresgid";
    case STEP_UID: return "setresuid";
    case STEP_CHDIR: return "chdir to the working directory";
    case STEP_NO_NEW_PRIVS: return "prctl(PR_SET_NO_NEW_PRIVS)";
    case STEP_LANDLOCK: return "landlock_restrict_self";
    case STEP_PARENT_DEATH_SIGNAL: return "prctl(PR_SET_PDEATHSIG)";
    case STEP_EXEC: return "execve";
    }
    return "setup";
}

struct child_plan {
    const retort_sandbox_request *request;
    int stdin_fd, stdout_fd, stderr_fd, channel_fd; /* the child's ends of the pipes */
    int report_fd;                                  /* close-on-exec: EOF means execve worked */
    int ruleset_fd;
    bool switch_user;
};

static void child_fail(int report_fd, int step) {
    int32_t message[2] = {step, errno};
    ssize_t ignored = write(report_fd, message, sizeof message);
    (void)ignored;
    _exit(127);
}

static int set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit limit = {soft, hard};
    return setrlimit(resource, &limit);
}

static int child_main(void *argument) {
    const struct child_plan *plan = argument;
    const retort_sandbox_request *request = plan->request;
    int report = plan->report_fd;

    /* Handlers and the blocked-signal mask survive execve: reset them so SIGXCPU and SIGXFSZ act. */
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0) child_fail(report, STEP_SIGNALS);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = SIG_DFL;
        sigaction(sig, &action, NULL); /* real-time signals glibc reserves refuse; that is fine */
    }
    if (setpgid(0, 0) != 0) child_fail(report, STEP_PROCESS_GROUP);

    /* Move the pipe ends out of 0–3 first, so a pipe that happens to be fd 1 is not clobbered. */
    int ends[4] = {plan->stdin_fd, plan->stdout_fd, plan->stderr_fd, plan->channel_fd};
    for (int i = 0; i < 4; i++) {
        ends[i] = fcntl(ends[i], F_DUPFD_CLOEXEC, 16);
        if (ends[i] < 0) child_fail(report, STEP_FILE_DESCRIPTORS);
    }
    for (int i = 0; i < 4; i++) {
        if (dup2(ends[i], i) != i) child_fail(report, STEP_FILE_DESCRIPTORS);
    }

    if (set_limit(RLIMIT_CORE, 0, 0) != 0) child_fail(report, STEP_RLIMIT_CORE);
    if (set_limit(RLIMIT_CPU, request->cpu_seconds, request->cpu_seconds + 1) != 0) child_fail(report, STEP_RLIMIT_CPU);
    if (set_limit(RLIMIT_AS, request->memory_bytes, request->memory_bytes) != 0) child_fail(report, STEP_RLIMIT_AS);
    if (set_limit(RLIMIT_FSIZE, request->max_file_bytes, request->max_file_bytes) != 0) child_fail(report, STEP_RLIMIT_FSIZE);
    if (set_limit(RLIMIT_NOFILE, request->max_open_files, request->max_open_files) != 0) child_fail(report, STEP_RLIMIT_NOFILE);
    if (set_limit(RLIMIT_NPROC, request->max_processes, request->max_processes) != 0) child_fail(report, STEP_RLIMIT_NPROC);

    if (plan->switch_user) {
        /* Raw system calls: glibc's wrappers would signal the parent's other (absent) threads. */
        if (syscall(SYS_setgroups, 0, NULL) != 0) child_fail(report, STEP_GROUPS);
        gid_t gid = (gid_t)request->run_as_gid;
        uid_t uid = (uid_t)request->run_as_uid;
        if (syscall(SYS_setresgid, gid, gid, gid) != 0) child_fail(report, STEP_GID);
        if (syscall(SYS_setresuid, uid, uid, uid) != 0) child_fail(report, STEP_UID);
    }
    if (chdir(request->working_directory) != 0) child_fail(report, STEP_CHDIR);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(report, STEP_NO_NEW_PRIVS);
    if (plan->ruleset_fd >= 0 && syscall(SYS_landlock_restrict_self, plan->ruleset_fd, 0) != 0) {
        child_fail(report, STEP_LANDLOCK);
    }
    /* After the user switch, which clears it. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) child_fail(report, STEP_PARENT_DEATH_SIGNAL);
    /* Descriptors the host's other threads opened without O_CLOEXEC must not reach the program
     * (the report pipe is close-on-exec already: it closes exactly when execve succeeds). */
    if (syscall(SYS_close_range, 4, ~0u, CLOSE_RANGE_CLOEXEC_FLAG) != 0) {
        for (int fd = 4; fd < 65536; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    execve(request->executable, (char *const *)request->argv, (char *const *)request->envp);
    child_fail(report, STEP_EXEC);
    return 127;
}

/* ── The parent: start, feed, collect, enforce the deadline ───────────────────────────────── */

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void append(retort_sandbox_output *output, const char *bytes, size_t n, size_t limit) {
    output->total += n;
    size_t room = output->length < limit ? limit - output->length : 0;
    size_t take = n < room ? n : room;
    if (take == 0) return;
    char *grown = realloc(output->data, output->length + take + 1);
    if (grown == NULL) return; /* keep what we have; the total still counts */
    memcpy(grown + output->length, bytes, take);
    output->data = grown;
    output->length += take;
    output->data[output->length] = '\0';
}

/* Writes to a pipe whose reader may already be gone (a child that failed its setup) without
 * letting SIGPIPE kill the host: the signal is blocked for this thread and a pending one consumed. */
static void write_without_sigpipe(int fd, const char *data, size_t length) {
    sigset_t pipe_signal, previous, pending;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    bool was_pending = false;
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    ssize_t written = write(fd, data, length);
    if (written < 0 && errno == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_signal, NULL, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
}

static void close_pipe(int pipe_fds[2]) {
    for (int i = 0; i < 2; i++) {
        if (pipe_fds[i] >= 0) close(pipe_fds[i]);
        pipe_fds[i] = -1;
    }
}

/* Clone flags to try, most isolated first; 0 (no namespaces) always comes last. */
static int namespace_attempts(const retort_sandbox_request *request, int attempts[3]) {
    int count = 0;
    if (request->use_namespaces) {
        int base = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC;
        attempts[count++] = geteuid() == 0 ? base : base | CLONE_NEWUSER;
    }
    attempts[count++] = 0;
    return count;
}

static void set_error(retort_sandbox_result *result, const char *what, int error) {
    snprintf(result->error, sizeof result->error, "%s: %s", what, strerror(error));
}

int retort_sandbox_run(const retort_sandbox_request *request, retort_sandbox_result *result) {
    memset(result, 0, sizeof *result);
    result->exit_code = -1;
    int pipes[5][2] = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}}; /* in, out, err, channel, report */
    for (int i = 0; i < 5; i++) {
        if (pipe2(pipes[i], O_CLOEXEC) != 0) {
            set_error(result, "creating a pipe", errno);
            for (int j = 0; j < i; j++) close_pipe(pipes[j]);
            return -1;
        }
    }
    result->landlock_abi = retort_sandbox_landlock_abi();
    int ruleset = -1;
    if (request->use_landlock && result->landlock_abi > 0) ruleset = build_ruleset(request, result->landlock_abi, &result->isolation);

    struct child_plan plan = {
        request, pipes[0][0], pipes[1][1], pipes[2][1], pipes[3][1], pipes[4][1], ruleset,
        request->run_as_uid >= 0 && geteuid() == 0,
    };
    const size_t stack_size = 256 * 1024;
    char *stack = malloc(stack_size);
    if (stack == NULL) {
        set_error(result, "allocating the child's stack", ENOMEM);
        for (int i = 0; i < 5; i++) close_pipe(pipes[i]);
        if (ruleset >= 0) close(ruleset);
        return -1;
    }
    int attempts[3];
    int count = namespace_attempts(request, attempts);
    pid_t pid = -1;
    int used_flags = 0;
    for (int i = 0; i < count && pid < 0; i++) {
        pid = clone(child_main, stack + stack_size, attempts[i] | SIGCHLD, &plan);
        if (pid >= 0) used_flags = attempts[i];
        else if (errno != EPERM && errno != EINVAL && errno != ENOSPC && errno != EUSERS) break;
    }
    int clone_error = errno;
    free(stack); /* the child has its own copy of the address space */
    if (ruleset >= 0) close(ruleset);
    close(pipes[0][0]);
    close(pipes[1][1]);
    close(pipes[2][1]);
    close(pipes[3][1]);
    close(pipes[4][1]);
    if (pid < 0) {
        close(pipes[0][1]);
        close(pipes[1][0]);
        close(pipes[2][0]);
        close(pipes[3][0]);
        close(pipes[4][0]);
        set_error(result, "starting the sandboxed process (clone)", clone_error);
        result->isolation = 0;
        return -1;
    }
    if (used_flags & CLONE_NEWNET) result->isolation |= RETORT_SANDBOX_NET_NAMESPACE;
    if (used_flags & CLONE_NEWPID) result->isolation |= RETORT_SANDBOX_PID_NAMESPACE;
    if (used_flags & CLONE_NEWUSER) result->isolation |= RETORT_SANDBOX_USER_NAMESPACE;
    if (plan.switch_user) result->isolation |= RETORT_SANDBOX_UNPRIVILEGED_USER;
    bool own_pid_namespace = (used_flags & CLONE_NEWPID) != 0;

    double start = now_seconds();
    /* Standard input is small (the harness's token); a full pipe would only mean a short write. */
    if (request->stdin_length > 0) {
        fcntl(pipes[0][1], F_SETFL, O_NONBLOCK);
        write_without_sigpipe(pipes[0][1], request->stdin_data, request->stdin_length);
    }
    close(pipes[0][1]);

    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int fds[4] = {pipes[1][0], pipes[2][0], pipes[3][0], pipes[4][0]};
    retort_sandbox_output *outputs[3] = {&result->out, &result->err, &result->channel};
    int32_t report[2] = {0, 0};
    size_t report_length = 0;
    bool exited = false;
    bool reaped_elsewhere = false;
    int status = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    double deadline = start + request->wall_seconds;
    double drain_until = 0; /* after exit: how long to wait for stragglers holding the pipes */
    char buffer[16384];

    for (;;) {
        bool open_fds = false;
        for (int i = 0; i < 4; i++) open_fds = open_fds || fds[i] >= 0;
        if (exited && (!open_fds || now_seconds() >= drain_until)) break;

        if (!exited && !result->timed_out && now_seconds() >= deadline) {
            result->timed_out = true;
            kill(pid, SIGKILL); /* the namespace's init: the kernel kills the rest with it */
            if (!own_pid_namespace) kill(-pid, SIGKILL);
        }
        if (!exited) {
            pid_t done = wait4(pid, &status, WNOHANG, &usage);
            if (done < 0 && errno == ECHILD) {
                /* Another part of the host reaped it (a waitpid(-1) elsewhere): it has ended, but
                 * how is unknown; the harness's events still tell what it did. */
                reaped_elsewhere = true;
                done = pid;
            }
            if (done == pid) {
                exited = true;
                if (!own_pid_namespace) kill(-pid, SIGKILL); /* children left in its group */
                drain_until = now_seconds() + 0.5;
                continue;
            }
        }
        struct pollfd polled[5];
        int slots[5];
        int n = 0;
        for (int i = 0; i < 4; i++) {
            if (fds[i] < 0) continue;
            polled[n] = (struct pollfd){fds[i], POLLIN, 0};
            slots[n++] = i;
        }
        if (!exited && pidfd >= 0) {
            polled[n] = (struct pollfd){pidfd, POLLIN, 0};
            slots[n++] = -1;
        }
        double until = exited ? drain_until : result->timed_out ? now_seconds() + 0.01 : deadline;
        double wait = until - now_seconds();
        if (pidfd < 0 && !exited && wait > 0.05) wait = 0.05; /* no pidfd: look for the exit regularly */
        int timeout = wait > 0 ? (int)(wait * 1000) + 1 : 0;
        int ready = poll(polled, (nfds_t)n, timeout);
        if (ready < 0 && errno != EINTR) break;
        for (int k = 0; k < n && ready > 0; k++) {
            if (polled[k].revents == 0 || slots[k] < 0) continue;
            int i = slots[k];
            ssize_t got = read(fds[i], buffer, sizeof buffer);
            if (got > 0) {
                if (i < 3) {
                    append(outputs[i], buffer, (size_t)got, request->output_limit);
                } else {
                    size_t take = (size_t)got < sizeof report - report_length ? (size_t)got : sizeof report - report_length;
                    memcpy((char *)report + report_length, buffer, take);
                    report_length += take;
                }
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i]);
                fds[i] = -1;
            }
        }
    }
    if (!exited) {
        kill(pid, SIGKILL);
        if (!own_pid_namespace) kill(-pid, SIGKILL);
        wait4(pid, &status, 0, &usage);
    }
    for (int i = 0; i < 4; i++) {
        if (fds[i] >= 0) close(fds[i]);
    }
    if (pidfd >= 0) close(pidfd);

    result->wall_seconds = now_seconds() - start;
    result->cpu_seconds = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6
        + (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
    result->max_rss_kib = usage.ru_maxrss;
    if (reaped_elsewhere) {
        result->exit_code = -1;
    } else if (WIFEXITED(status)) {
        result->exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result->signal = WTERMSIG(status);
    }
    if (report_length == sizeof report) {
        char what[96];
        snprintf(what, sizeof what, "sandbox setup failed at %s", step_name(report[0]));
        set_error(result, what, report[1]);
        return -1;
    }
    return 0;
}

void retort_sandbox_result_free(retort_sandbox_result *result) {
    free(result->out.data);
    free(result->err.data);
    free(result->channel.data);
    result->out.data = result->err.data = result->channel.data = NULL;
}

#else /* not Linux */

/* Namespaces, Landlock, prctl and pidfd are Linux interfaces: elsewhere the sandbox refuses to run
 * code rather than run it uncontained. */
int retort_sandbox_landlock_abi(void) { return 0; }

int retort_sandbox_run(const retort_sandbox_request *request, retort_sandbox_result *result) {
    (void)request;
    memset(result, 0, sizeof *result);
    snprintf(result->error, sizeof result->error,
             "the code sandbox needs Linux (namespaces, Landlock, rlimits set between clone and exec); it does not run code on this system");
    return -1;
}

void retort_sandbox_result_free(retort_sandbox_result *result) { (void)result; }

#endif

/* ── Removing the working directory ───────────────────────────────────────────────────────── */

static int remove_at(int parent, const char *name) {
    struct stat st;
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) return unlinkat(parent, name, 0);
    fchmodat(parent, name, 0700, 0); /* a folder the program locked with chmod 000 */
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    DIR *dir = fdopendir(fd);
    if (dir == NULL) {
        close(fd);
        return -1;
    }
    int failed = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        if (remove_at(dirfd(dir), entry->d_name) != 0) failed = errno ? errno : EIO;
    }
    closedir(dir);
    if (unlinkat(parent, name, AT_REMOVEDIR) != 0) return -1;
    if (failed) {
        errno = failed;
        return -1;
    }
    return 0;
}

int retort_sandbox_remove_tree(const char *path) { return remove_at(AT_FDCWD, path); }
