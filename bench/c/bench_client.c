/* Load driver for the C ABI (libihuyi.so), the twin of examples/rust/bench_client.rs.
 *
 *   bench_c BASE_URL THREADS SECONDS   T threads share one client and send for D seconds; prints
 *                                      one JSON line: sends, errors, seconds, rate, p50/p99 (us)
 *   bench_c --rss BASE_URL SENDS       VmRSS after a 2 000-send warm-up and after SENDS more
 *                                      sends on one client (one thread); prints one JSON line
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ihuyi.h"

static const char *MOBILE = "13800138000";
static const char *CONTENT = "您的验证码是:1234。【互亿无线】";

static struct ihuyi_client *client;
static double deadline;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct worker {
    pthread_t thread;
    uint32_t *lat;
    size_t len, cap;
    uint64_t errors;
};

static int send_one(void) {
    char *id = NULL;
    enum ihuyi_status st = ihuyi_client_send(client, MOBILE, CONTENT, &id);
    if (st != IHUYI_OK) return 0;
    ihuyi_string_free(id);
    return 1;
}

static void *work(void *arg) {
    struct worker *w = arg;
    while (now() < deadline) {
        double t = now();
        if (!send_one()) {
            w->errors++;
            continue;
        }
        if (w->len == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 1 << 16;
            w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
            if (!w->lat) abort();
        }
        w->lat[w->len++] = (uint32_t)((now() - t) * 1e6);
    }
    return NULL;
}

static int cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static long vm_rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

static void make_client(const char *base_url) {
    if (ihuyi_client_new("sms", "C80000001", "8f14e45fceea167a5a36dedd4bea2543", base_url,
                         &client) != IHUYI_OK) {
        fprintf(stderr, "client: %s\n", ihuyi_status_name(ihuyi_last_status()));
        exit(1);
    }
}

static int rss(const char *base_url, long sends) {
    make_client(base_url);
    long errors = 0;
    for (int i = 0; i < 2000; i++) errors += !send_one();
    long before = vm_rss_kib();
    double t = now();
    for (long i = 0; i < sends; i++) errors += !send_one();
    double seconds = now() - t;
    long after = vm_rss_kib();
    ihuyi_client_free(client);
    printf("{\"surface\":\"c\",\"sends\":%ld,\"errors\":%ld,\"seconds\":%.3f,"
           "\"rss_before_kib\":%ld,\"rss_after_kib\":%ld,\"rss_growth_kib\":%ld}\n",
           sends, errors, seconds, before, after, after - before);
    return errors ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--rss") == 0) return rss(argv[2], atol(argv[3]));
    if (argc != 4) {
        fprintf(stderr, "usage: bench_c BASE_URL THREADS SECONDS | bench_c --rss BASE_URL SENDS\n");
        return 2;
    }
    int threads = atoi(argv[2]);
    double seconds = atof(argv[3]);
    if (threads < 1 || seconds <= 0) return 2;
    make_client(argv[1]);
    struct worker *ws = calloc((size_t)threads, sizeof *ws);
    double started = now();
    deadline = started + seconds;
    for (int i = 0; i < threads; i++) pthread_create(&ws[i].thread, NULL, work, &ws[i]);
    size_t total = 0;
    uint64_t errors = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ws[i].thread, NULL);
        total += ws[i].len;
        errors += ws[i].errors;
    }
    double elapsed = now() - started;
    uint32_t *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + k, ws[i].lat, ws[i].len * sizeof *all);
        k += ws[i].len;
        free(ws[i].lat);
    }
    qsort(all, total, sizeof *all, cmp);
#define PCT(p) (total ? all[(size_t)((double)total * (p)) < total ? (size_t)((double)total * (p)) : total - 1] : 0)
    printf("{\"surface\":\"c\",\"threads\":%d,\"sends\":%zu,\"errors\":%llu,\"seconds\":%.3f,"
           "\"rate\":%.1f,\"p50_us\":%u,\"p99_us\":%u}\n",
           threads, total, (unsigned long long)errors, elapsed, (double)total / elapsed,
           PCT(0.50), PCT(0.99));
    ihuyi_client_free(client);
    free(all);
    free(ws);
    return 0;
}
