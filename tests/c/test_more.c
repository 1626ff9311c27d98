/*
 * Receipt de-duplication, freeing a client while other threads send on it, and random bytes
 * fed to every parser: statuses only, never a crash.
 */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dedupe(void) {
    static const char *const pushes[] = {
        "code=2&smsid=111&mobilephone=13800138000", /* first */
        "code=2&smsid=111&mobilephone=13800138000", /* the platform's repeat */
        "code=2&voiceid=111",                       /* same id, another product */
        "code=0&smsid=222",                          /* another id */
        "smsid=111&code=2&report_time=later",        /* a repeat with other fields */
    };
    static const bool want[] = {true, false, true, true, false};
    ihuyi_receipt_deduper *d = NULL;
    size_t i;
    case_begin("receipts: the de-duplicator tells first pushes from repeats, by product and id");
    if (!CHECK_STATUS(ihuyi_receipt_deduper_new(&d), IHUYI_OK)) return;
    for (i = 0; i < sizeof pushes / sizeof pushes[0]; i++) {
        ihuyi_receipt *r = NULL;
        bool first = !want[i];
        if (CHECK_STATUS(ihuyi_receipt_parse((const uint8_t *)pushes[i], strlen(pushes[i]), &r),
                         IHUYI_OK)) {
            CHECK_STATUS(ihuyi_receipt_deduper_first_seen(d, r, &first), IHUYI_OK);
            CHECK(first == want[i]);
        }
        ihuyi_receipt_free(r);
    }
    {
        bool first = true;
        CHECK_STATUS(ihuyi_receipt_deduper_first_seen(d, NULL, &first), IHUYI_ERR_NULL_ARGUMENT);
        CHECK_STATUS(ihuyi_receipt_deduper_first_seen(d, (ihuyi_receipt *)d, &first),
                     IHUYI_ERR_INVALID_HANDLE);
        CHECK(first == true);
        ihuyi_receipt_deduper_free(d);
        CHECK_STATUS(ihuyi_receipt_deduper_first_seen(d, NULL, NULL), IHUYI_ERR_NULL_ARGUMENT);
        ihuyi_receipt_deduper_free(d);
    }
    case_end();
}

struct sender {
    ihuyi_client *client;
    int index, ok, invalid, other;
};

/* Sends accepted so far by all senders: the client is freed once some went through. */
static pthread_mutex_t progress_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t progress_cond = PTHREAD_COND_INITIALIZER;
static int progress, finished;

#define SENDS_EACH 200

static void *send_until_freed(void *arg) {
    struct sender *s = arg;
    int i;
    for (i = 0; i < SENDS_EACH; i++) {
        char mobile[16], *id = NULL;
        ihuyi_status rc;
        snprintf(mobile, sizeof mobile, "137%08d", s->index * 1000 + i);
        rc = ihuyi_client_send(s->client, mobile, TEMPLATE, &id);
        if (rc == IHUYI_OK) {
            s->ok++;
            pthread_mutex_lock(&progress_lock);
            progress++;
            pthread_cond_signal(&progress_cond);
            pthread_mutex_unlock(&progress_lock);
        }
        else if (rc == IHUYI_ERR_INVALID_HANDLE) s->invalid++;
        else s->other++;
        ihuyi_string_free(id);
    }
    /* a sender that ends without progress must not leave the main thread waiting */
    pthread_mutex_lock(&progress_lock);
    finished++;
    pthread_cond_signal(&progress_cond);
    pthread_mutex_unlock(&progress_lock);
    return NULL;
}

static void free_while_sending(void) {
    enum { N = 4 };
    struct sender senders[N];
    pthread_t threads[N];
    ihuyi_client *client = NULL;
    int t, ok = 0, invalid = 0, other = 0;
    case_begin("handles: a client freed while 4 threads send on it: each send succeeds or "
               "gives IHUYI_ERR_INVALID_HANDLE");
    if (!CHECK_STATUS(ihuyi_client_new("sms", ctx.account[0], ctx.apikey[0], ctx.base_url,
                                       &client),
                      IHUYI_OK))
        return;
    for (t = 0; t < N; t++) {
        memset(&senders[t], 0, sizeof senders[t]);
        senders[t].client = client;
        senders[t].index = 50 + t;
        pthread_create(&threads[t], NULL, send_until_freed, &senders[t]);
    }
    pthread_mutex_lock(&progress_lock);
    while (progress < N && finished < N) pthread_cond_wait(&progress_cond, &progress_lock);
    pthread_mutex_unlock(&progress_lock);
    ihuyi_client_free(client);
    for (t = 0; t < N; t++) {
        pthread_join(threads[t], NULL);
        ok += senders[t].ok;
        invalid += senders[t].invalid;
        other += senders[t].other;
    }
    CHECK_I64(ok + invalid, N * SENDS_EACH);
    CHECK(ok >= N);
    CHECK_I64(other, 0);
    CHECK(invalid > 0); /* after the free, the handle is refused */
    case_end();
}

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t next(uint32_t *state) {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

static void garbage(void) {
    static const char *const pieces[] = {
        "<SubmitResult>", "</SubmitResult>", "<code>", "</code>", "2", "4051", "<msg>",
        "</msg>", "<smsid>", "</smsid>", "{\"code\":", "\"msg\":\"", "\"}", ",", "&", "=",
        "smsid", "code", "%00", "%", "\xe4\xbd\xa0", "\xff", "\0", "<![CDATA[", "]]>", "&#0;",
        "\\u0000", "<GetNumResult>", "<num>", "-9223372036854775808", "99999999999999999999"};
    uint32_t state = 0x1234567u;
    int i, bad = 0;
    case_begin("parsers: 3000 random bodies give only their documented statuses");
    for (i = 0; i < 3000; i++) {
        unsigned char body[512];
        size_t len = 0;
        int parts = (int)(next(&state) % 12), k;
        char *id = NULL, *msg = NULL;
        int64_t num;
        ihuyi_receipt *r = NULL;
        ihuyi_status rc;
        for (k = 0; k < parts; k++) {
            if (next(&state) % 3 == 0) {
                size_t n = next(&state) % 8, j;
                for (j = 0; j < n && len < sizeof body; j++) body[len++] = (unsigned char)next(&state);
            } else {
                const char *p = pieces[next(&state) % (sizeof pieces / sizeof pieces[0])];
                size_t n = p[0] == 0 ? 1 : strlen(p);
                if (len + n <= sizeof body) {
                    memcpy(body + len, p, n);
                    len += n;
                }
            }
        }
        rc = ihuyi_submit_outcome(PRODUCTS[i % 3], i % 7 == 0 ? 500 : 200, body, len, &id, &msg);
        bad += !(rc == IHUYI_OK || rc == IHUYI_ERR_API || rc == IHUYI_ERR_OUTCOME_UNKNOWN ||
                 rc == IHUYI_ERR_INVALID_ARGUMENT);
        ihuyi_string_free(id);
        ihuyi_string_free(msg);
        msg = NULL;
        rc = ihuyi_get_num_outcome(PRODUCTS[i % 3], 200, body, len, &num, &msg);
        bad += !(rc == IHUYI_OK || rc == IHUYI_ERR_API || rc == IHUYI_ERR_OUTCOME_UNKNOWN ||
                 rc == IHUYI_ERR_INVALID_ARGUMENT);
        ihuyi_string_free(msg);
        rc = ihuyi_receipt_parse(body, len, &r);
        bad += !(rc == IHUYI_OK || rc == IHUYI_ERR_VALIDATION || rc == IHUYI_ERR_INVALID_ARGUMENT);
        ihuyi_receipt_free(r);
    }
    CHECK_I64(bad, 0);
    case_end();
}

void test_more(void) {
    dedupe();
    free_while_sending();
    garbage();
}
