/* The runner and main(): sets up one sandbox from C, runs every group, prints the totals. */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct context ctx;
const char *const PRODUCTS[3] = {"sms", "voice", "isms"};

static char case_name[256];
/* Which statuses the suite has seen returned when it expected them: every one must be. */
static int seen_status[200];
static int case_open, case_failures, passed, failed;

void case_begin(const char *fmt, ...) {
    va_list ap;
    if (case_open) case_end();
    va_start(ap, fmt);
    vsnprintf(case_name, sizeof case_name, fmt, ap);
    va_end(ap);
    case_open = 1;
    case_failures = 0;
}

void case_end(void) {
    if (!case_open) return;
    case_open = 0;
    if (case_failures == 0) {
        passed++;
        printf("ok   %s\n", case_name);
    } else {
        failed++;
        printf("FAIL %s\n", case_name);
    }
}

static int record(int ok, const char *file, int line, const char *what) {
    if (!ok) {
        case_failures++;
        if (!case_open) failed++;
        printf("  %s:%d: %s [%s]\n", file, line, what, case_open ? case_name : "outside a case");
    }
    return ok;
}

int check_true(int ok, const char *expr, const char *file, int line) {
    char what[512];
    snprintf(what, sizeof what, "check failed: %s", expr);
    return record(ok, file, line, what);
}

int check_status(ihuyi_status got, ihuyi_status want, const char *expr, const char *file,
                 int line) {
    char what[1024];
    if (got == want) {
        if ((int)got >= 0 && (int)got < 200) seen_status[(int)got] = 1;
        return 1;
    }
    snprintf(what, sizeof what, "%s gave %s, expected %s (last error: %s)", expr,
             ihuyi_status_name((int)got), ihuyi_status_name((int)want), last_message());
    return record(0, file, line, what);
}

int check_str(const char *got, const char *want, const char *expr, const char *file, int line) {
    char what[1024];
    if (got != NULL && want != NULL && strcmp(got, want) == 0) return 1;
    snprintf(what, sizeof what, "%s is \"%s\", expected \"%s\"", expr, got ? got : "(NULL)",
             want ? want : "(NULL)");
    return record(0, file, line, what);
}

int check_i64(int64_t got, int64_t want, const char *expr, const char *file, int line) {
    char what[512];
    if (got == want) return 1;
    snprintf(what, sizeof what, "%s is %lld, expected %lld", expr, (long long)got,
             (long long)want);
    return record(0, file, line, what);
}

const char *last_message(void) {
    static char buf[2048];
    ihuyi_last_error_message(buf, sizeof buf);
    return buf;
}

const char *last_api_message(void) {
    static char buf[1024];
    ihuyi_last_api_message(buf, sizeof buf);
    return buf;
}

const char *last_api_class(void) {
    static char buf[64];
    ihuyi_last_api_class(buf, sizeof buf);
    return buf;
}

int product_index(const char *product) {
    int i;
    for (i = 0; i < 3; i++)
        if (strcmp(PRODUCTS[i], product) == 0) return i;
    return -1;
}

uint64_t sandbox_requests(void) {
    uint64_t n = 0;
    if (ihuyi_sandbox_request_count(ctx.sandbox, &n) != IHUYI_OK) {
        printf("  cannot read the sandbox request count: %s\n", last_message());
    }
    return n;
}

int main(int argc, char **argv) {
    int i;
    ctx.fixtures_dir = argc > 1 ? argv[1] : "tests/fixtures";
    setvbuf(stdout, NULL, _IOLBF, 0);

    case_begin("setup: a sandbox started from C");
    if (!CHECK_STATUS(ihuyi_sandbox_start(0, &ctx.sandbox), IHUYI_OK)) {
        case_end();
        printf("%d passed, %d failed\n", passed, failed);
        return 1;
    }
    CHECK_STATUS(ihuyi_sandbox_base_url(ctx.sandbox, &ctx.base_url), IHUYI_OK);
    for (i = 0; i < 3; i++)
        CHECK_STATUS(ihuyi_sandbox_account(ctx.sandbox, PRODUCTS[i], &ctx.account[i],
                                           &ctx.apikey[i]),
                     IHUYI_OK);
    /* The one-call functions read their origin from here: never the real service in tests. */
    setenv("IHUYI_BASE_URL", ctx.base_url, 1);
    case_end();

    test_basics();
    test_bad_input();
    test_fixtures();
    test_sandbox();
    test_network();
    test_handles();
    test_threads();
    test_more();

    case_begin("every ihuyi_status value was returned by some call above");
    {
        static const ihuyi_status all[] = {
            IHUYI_OK, IHUYI_ERR_VALIDATION, IHUYI_ERR_API, IHUYI_ERR_UNREACHABLE,
            IHUYI_ERR_OUTCOME_UNKNOWN, IHUYI_ERR_NULL_ARGUMENT, IHUYI_ERR_INVALID_UTF8,
            IHUYI_ERR_INVALID_ARGUMENT, IHUYI_ERR_BUFFER_TOO_SMALL, IHUYI_ERR_INVALID_HANDLE,
            IHUYI_ERR_NOT_FOUND, IHUYI_ERR_IO, IHUYI_ERR_PANIC};
        for (i = 0; i < (int)(sizeof all / sizeof all[0]); i++)
            if (!CHECK(seen_status[all[i]])) printf("  never seen: %s\n", ihuyi_status_name(all[i]));
    }
    case_end();

    for (i = 0; i < 3; i++) {
        ihuyi_string_free(ctx.account[i]);
        ihuyi_string_free(ctx.apikey[i]);
    }
    ihuyi_string_free(ctx.base_url);
    ihuyi_sandbox_stop(ctx.sandbox);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
