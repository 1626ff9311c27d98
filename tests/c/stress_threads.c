/*
 * 64 threads x 1000 sends on one shared client against a sandbox started from C: every send
 * accepted, every id distinct, exactly one request per send. Run natively (not under valgrind,
 * which serializes threads) by scripts/test-c.sh; prints "stress: ok ..." and exits 0 on success.
 * Threads and sends per thread can be lowered with argv[1] and argv[2].
 */
#define _POSIX_C_SOURCE 200809L
#include <ihuyi.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEMPLATE "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】"

struct worker {
    const ihuyi_client *client;
    int sends;
    int ok;
    int first_failure;
    char failure[256];
    char **ids;
};

static void *work(void *arg) {
    struct worker *w = arg;
    int i;
    for (i = 0; i < w->sends; i++) {
        ihuyi_status rc = ihuyi_client_send(w->client, "13800138000", TEMPLATE, &w->ids[i]);
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

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 64;
    int sends = argc > 2 ? atoi(argv[2]) : 1000;
    ihuyi_sandbox *sandbox = NULL;
    ihuyi_client *client = NULL;
    char *base_url = NULL, *account = NULL, *apikey = NULL;
    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    char **all = calloc((size_t)threads * (size_t)sends, sizeof *all);
    uint64_t requests = 0;
    int t, i, n = 0, total = 0, duplicates = 0, failed = 0;
    struct timespec start, end;

    if (workers == NULL || tids == NULL || all == NULL ||
        ihuyi_sandbox_start(0, &sandbox) != IHUYI_OK ||
        ihuyi_sandbox_base_url(sandbox, &base_url) != IHUYI_OK ||
        ihuyi_sandbox_account(sandbox, "sms", &account, &apikey) != IHUYI_OK ||
        ihuyi_client_new("sms", account, apikey, base_url, &client) != IHUYI_OK) {
        fprintf(stderr, "stress: setup failed\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (t = 0; t < threads; t++) {
        workers[t].client = client;
        workers[t].sends = sends;
        workers[t].ids = all + (size_t)t * (size_t)sends;
        if (pthread_create(&tids[t], NULL, work, &workers[t]) != 0) {
            fprintf(stderr, "stress: cannot start thread %d\n", t);
            return 2;
        }
    }
    for (t = 0; t < threads; t++) pthread_join(tids[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    for (t = 0; t < threads; t++) {
        total += workers[t].ok;
        if (workers[t].first_failure != 0) {
            failed++;
            fprintf(stderr, "stress: thread %d: first failure %s: %s\n", t,
                    ihuyi_status_name(workers[t].first_failure), workers[t].failure);
        }
    }
    for (i = 0; i < threads * sends; i++)
        if (all[i] != NULL) all[n++] = all[i];
    qsort(all, (size_t)n, sizeof all[0], compare);
    for (i = 1; i < n; i++)
        if (strcmp(all[i - 1], all[i]) == 0) duplicates++;
    ihuyi_sandbox_request_count(sandbox, &requests);
    printf("stress: %d threads x %d sends: %d ok, %d errors, %d distinct ids, %llu requests, "
           "%.1f s\n",
           threads, sends, total, threads * sends - total, n - duplicates,
           (unsigned long long)requests,
           (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
    for (i = 0; i < n; i++) ihuyi_string_free(all[i]);
    ihuyi_client_free(client);
    ihuyi_string_free(base_url);
    ihuyi_string_free(account);
    ihuyi_string_free(apikey);
    ihuyi_sandbox_stop(sandbox);
    free(workers);
    free(tids);
    free(all);
    if (failed || total != threads * sends || duplicates != 0 ||
        requests != (uint64_t)threads * (uint64_t)sends) {
        printf("stress: FAILED\n");
        return 1;
    }
    printf("stress: ok\n");
    return 0;
}
