/* One client shared by 16 threads, 200 sends each: all accepted, every id distinct. */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 16
#define SENDS 200

struct worker {
    const ihuyi_client *client;
    int index;
    int ok;
    int first_failure;
    char failure[256];
    char *ids[SENDS];
};

static void *work(void *arg) {
    struct worker *w = arg;
    int i;
    for (i = 0; i < SENDS; i++) {
        char mobile[16];
        ihuyi_status rc;
        /* a distinct number per send, so no per-number limit of the sandbox applies */
        snprintf(mobile, sizeof mobile, "138%08d", w->index * 10000 + i);
        rc = ihuyi_client_send(w->client, mobile, TEMPLATE, &w->ids[i]);
        if (rc == IHUYI_OK) {
            w->ok++;
        } else {
            w->ids[i] = NULL;
            if (w->first_failure == 0) {
                w->first_failure = (int)rc;
                ihuyi_last_error_message(w->failure, sizeof w->failure);
            }
        }
    }
    return NULL;
}

static int compare(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void test_threads(void) {
    static struct worker workers[THREADS];
    static char *all[THREADS * SENDS];
    pthread_t threads[THREADS];
    ihuyi_client *client = NULL;
    uint64_t before = sandbox_requests();
    int t, i, n = 0, total = 0, distinct = 1, started = 0;

    case_begin("threads: %d threads x %d sends on one shared client", THREADS, SENDS);
    if (!CHECK_STATUS(ihuyi_client_new("sms", ctx.account[0], ctx.apikey[0], ctx.base_url,
                                       &client),
                      IHUYI_OK))
        return;
    for (t = 0; t < THREADS; t++) {
        memset(&workers[t], 0, sizeof workers[t]);
        workers[t].client = client;
        workers[t].index = t;
        if (pthread_create(&threads[t], NULL, work, &workers[t]) == 0) started++;
    }
    CHECK(started == THREADS);
    for (t = 0; t < started; t++) pthread_join(threads[t], NULL);
    for (t = 0; t < THREADS; t++) {
        total += workers[t].ok;
        if (workers[t].first_failure != 0)
            printf("  thread %d: first failure %s: %s\n", t,
                   ihuyi_status_name(workers[t].first_failure), workers[t].failure);
        for (i = 0; i < SENDS; i++)
            if (workers[t].ids[i] != NULL) all[n++] = workers[t].ids[i];
    }
    CHECK_I64(total, THREADS * SENDS);
    qsort(all, (size_t)n, sizeof all[0], compare);
    for (i = 1; i < n; i++)
        if (strcmp(all[i - 1], all[i]) == 0) distinct = 0;
    CHECK(distinct);
    CHECK_I64((int64_t)sandbox_requests(), (int64_t)(before + THREADS * SENDS));
    for (i = 0; i < n; i++) ihuyi_string_free(all[i]);
    ihuyi_client_free(client);
    case_end();
}
