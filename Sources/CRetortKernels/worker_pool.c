/* A pool of worker threads for the ops' parallel loops. A decode step runs a few hundred short
 * parallel regions; waking sleeping threads for each (as Dispatch does) costs more than the work of
 * a small one. These workers spin for a short while after a region before they sleep, so the next
 * region starts at once. Each region is split statically: participant p (the caller is 0) runs
 * range p of `parts`, and the caller returns only when every worker has finished the region, so no
 * worker can still be reading a region's description when the next one is written. */
#include "retort_kernels.h"

#include <pthread.h>
#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define RELAX() _mm_pause()
#elif defined(__aarch64__)
#define RELAX() __asm__ __volatile__("yield")
#else
#define RELAX() ((void)0)
#endif

enum { MAX_WORKERS = 255, SPINS_BEFORE_SLEEP = 1 << 15 };

static struct {
    pthread_mutex_t owner; /* held by the thread running a region */
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    int workers;
    /* The region, written by the caller before it publishes `generation`. */
    retort_range_fn fn;
    void *context;
    int64_t count;
    int parts;
    uint64_t generation;       /* atomic */
    int hush;                  /* atomic: 1 sends spinning workers to sleep now */
    uint64_t *finished;        /* per worker, the last generation it completed (atomic) */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static pthread_once_t started = PTHREAD_ONCE_INIT;
static int requested_workers = 0;
static __thread int inside_pool = 0;

static void run_part(int part) {
    int64_t begin = pool.count * part / pool.parts, end = pool.count * (part + 1) / pool.parts;
    if (begin < end) pool.fn(pool.context, begin, end);
}

static void *worker_main(void *argument) {
    int index = (int)(intptr_t)argument;
    inside_pool = 1;
    uint64_t seen = 0;
    for (;;) {
        uint64_t generation;
        int spins = 0;
        while ((generation = __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE)) == seen) {
            if (++spins < SPINS_BEFORE_SLEEP && !__atomic_load_n(&pool.hush, __ATOMIC_RELAXED)) {
                RELAX();
                continue;
            }
            pthread_mutex_lock(&pool.sleep_lock);
            while ((generation = __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE)) == seen)
                pthread_cond_wait(&pool.wake, &pool.sleep_lock);
            pthread_mutex_unlock(&pool.sleep_lock);
            break;
        }
        seen = generation;
        if (index + 1 < pool.parts) run_part(index + 1);
        __atomic_store_n(&pool.finished[index], generation, __ATOMIC_RELEASE);
    }
    return NULL;
}

static void start_workers(void) {
    int workers = requested_workers < MAX_WORKERS ? requested_workers : MAX_WORKERS;
    pool.finished = calloc((size_t)(workers > 0 ? workers : 1), sizeof(uint64_t));
    if (!pool.finished) return;
    for (int i = 0; i < workers; i++) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attributes, worker_main, (void *)(intptr_t)i) != 0) {
            pthread_attr_destroy(&attributes);
            break;
        }
        pthread_attr_destroy(&attributes);
        pool.workers = i + 1;
    }
}

int retort_pool_run(int threads, int64_t count, retort_range_fn fn, void *context) {
    if (threads < 2 || count < 2 || inside_pool) return 0;
    if (requested_workers == 0) requested_workers = threads - 1; /* the first caller sizes the pool */
    pthread_once(&started, start_workers);
    if (pool.workers == 0) return 0;
    if (pthread_mutex_trylock(&pool.owner) != 0) return 0; /* another thread's region: the caller splits it its own way */
    inside_pool = 1;
    pool.fn = fn;
    pool.context = context;
    pool.count = count;
    pool.parts = pool.workers + 1 < count ? pool.workers + 1 : (int)count;
    __atomic_store_n(&pool.hush, 0, __ATOMIC_RELAXED);
    uint64_t generation = pool.generation + 1;
    pthread_mutex_lock(&pool.sleep_lock);
    __atomic_store_n(&pool.generation, generation, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.sleep_lock);
    run_part(0);
    for (int i = 0; i < pool.workers; i++)
        while (__atomic_load_n(&pool.finished[i], __ATOMIC_ACQUIRE) != generation) RELAX();
    inside_pool = 0;
    pthread_mutex_unlock(&pool.owner);
    return 1;
}

void retort_pool_hush(void) { __atomic_store_n(&pool.hush, 1, __ATOMIC_RELAXED); }
