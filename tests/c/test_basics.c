/* Version, status names, the last-error record and its copy rules, the panic boundary. */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifndef IHUYI_EXPECTED_VERSION
#error "build with -DIHUYI_EXPECTED_VERSION=\"$(pkg-config --modversion ihuyi)\""
#endif

/* True when s[0..n) is valid UTF-8 (no sequence cut at the end). */
static int valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        size_t len = s[i] < 0x80 ? 1 : (s[i] >> 5) == 6 ? 2 : (s[i] >> 4) == 14 ? 3
                   : (s[i] >> 3) == 30 ? 4 : 0;
        size_t k;
        if (len == 0 || i + len > n) return 0;
        for (k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80) return 0;
        i += len;
    }
    return 1;
}

static const char REFUSAL[] =
    "<SubmitResult><code>4051</code><msg>剩余条数不足</msg><smsid>0</smsid></SubmitResult>";

static void *fail_in_thread(void *arg) {
    int *seen_ok = arg;
    /* A fresh thread starts with no failure, whatever the main thread did. */
    *seen_ok = ihuyi_last_status() == IHUYI_OK && ihuyi_last_error_message(NULL, 0) == 0;
    ihuyi_selftest_panic();
    return NULL;
}

void test_basics(void) {
    char buf[64];
    char *id = NULL;
    size_t full, n;
    int i, all_ok;
    static const ihuyi_status statuses[] = {
        IHUYI_OK, IHUYI_ERR_VALIDATION, IHUYI_ERR_API, IHUYI_ERR_UNREACHABLE,
        IHUYI_ERR_OUTCOME_UNKNOWN, IHUYI_ERR_NULL_ARGUMENT, IHUYI_ERR_INVALID_UTF8,
        IHUYI_ERR_INVALID_ARGUMENT, IHUYI_ERR_BUFFER_TOO_SMALL, IHUYI_ERR_INVALID_HANDLE,
        IHUYI_ERR_NOT_FOUND, IHUYI_ERR_IO, IHUYI_ERR_PANIC};
    static const char *const names[] = {
        "IHUYI_OK", "IHUYI_ERR_VALIDATION", "IHUYI_ERR_API", "IHUYI_ERR_UNREACHABLE",
        "IHUYI_ERR_OUTCOME_UNKNOWN", "IHUYI_ERR_NULL_ARGUMENT", "IHUYI_ERR_INVALID_UTF8",
        "IHUYI_ERR_INVALID_ARGUMENT", "IHUYI_ERR_BUFFER_TOO_SMALL", "IHUYI_ERR_INVALID_HANDLE",
        "IHUYI_ERR_NOT_FOUND", "IHUYI_ERR_IO", "IHUYI_ERR_PANIC"};

    case_begin("basics: ihuyi_version matches the installed package");
    CHECK_STR(ihuyi_version(), IHUYI_EXPECTED_VERSION);

    case_begin("basics: the status numbers are the published ones");
    CHECK_I64(IHUYI_OK, 0);
    CHECK_I64(IHUYI_ERR_VALIDATION, 1);
    CHECK_I64(IHUYI_ERR_API, 2);
    CHECK_I64(IHUYI_ERR_UNREACHABLE, 3);
    CHECK_I64(IHUYI_ERR_OUTCOME_UNKNOWN, 4);
    CHECK_I64(IHUYI_ERR_NULL_ARGUMENT, 100);
    CHECK_I64(IHUYI_ERR_INVALID_UTF8, 101);
    CHECK_I64(IHUYI_ERR_INVALID_ARGUMENT, 102);
    CHECK_I64(IHUYI_ERR_BUFFER_TOO_SMALL, 103);
    CHECK_I64(IHUYI_ERR_INVALID_HANDLE, 104);
    CHECK_I64(IHUYI_ERR_NOT_FOUND, 105);
    CHECK_I64(IHUYI_ERR_IO, 106);
    CHECK_I64(IHUYI_ERR_PANIC, 199);

    case_begin("basics: ihuyi_status_name names every status and any other number");
    for (i = 0; i < (int)(sizeof statuses / sizeof statuses[0]); i++)
        CHECK_STR(ihuyi_status_name((int)statuses[i]), names[i]);
    CHECK_STR(ihuyi_status_name(-1), "IHUYI_UNKNOWN_STATUS");
    CHECK_STR(ihuyi_status_name(5), "IHUYI_UNKNOWN_STATUS");
    CHECK_STR(ihuyi_status_name(2147483647), "IHUYI_UNKNOWN_STATUS");

    case_begin("basics: a success leaves an empty last error");
    CHECK_STATUS(ihuyi_get_num_password("a", "b", 1, buf, sizeof buf), IHUYI_OK);
    CHECK_STATUS(ihuyi_last_status(), IHUYI_OK);
    CHECK_I64((int64_t)ihuyi_last_error_message(NULL, 0), 0);
    memset(buf, 'X', sizeof buf);
    CHECK_I64((int64_t)ihuyi_last_error_message(buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    CHECK_I64(ihuyi_last_result_code(), -1);

    case_begin("basics: an API refusal gives its code, vendor message and class");
    CHECK_STATUS(ihuyi_submit_outcome("sms", 200, (const uint8_t *)REFUSAL, strlen(REFUSAL),
                                      &id, NULL),
                 IHUYI_ERR_API);
    CHECK(id == NULL);
    CHECK_STATUS(ihuyi_last_status(), IHUYI_ERR_API);
    CHECK_I64(ihuyi_last_result_code(), 4051);
    CHECK_STR(last_api_message(), "剩余条数不足");
    CHECK_STR(last_api_class(), "balance");
    CHECK(strstr(last_message(), "4051") != NULL);
    CHECK(strstr(last_message(), "剩余条数不足") != NULL);

    case_begin("basics: ihuyi_last_error_message cuts on UTF-8 boundaries, NUL-terminated");
    full = ihuyi_last_error_message(NULL, 0);
    CHECK(full > 20);
    all_ok = 1;
    for (n = 1; n <= full + 2; n++) {
        char *small = malloc(n + 8);
        size_t got;
        memset(small, 'Z', n + 8);
        got = ihuyi_last_error_message(small, n);
        all_ok &= got == full;                          /* always the full length */
        all_ok &= memchr(small, 0, n) != NULL;          /* terminated inside the buffer */
        all_ok &= strlen(small) <= n - 1;
        all_ok &= strlen(small) + 3 >= (n - 1 < full ? n - 1 : full); /* cut at most 3 bytes early */
        all_ok &= valid_utf8((const unsigned char *)small, strlen(small));
        all_ok &= small[n] == 'Z';                      /* nothing written past len */
        free(small);
    }
    CHECK(all_ok);

    case_begin("basics: a zero-length buffer is not written and reports the needed length");
    memset(buf, 'Q', sizeof buf);
    CHECK_I64((int64_t)ihuyi_last_error_message(buf, 0), (int64_t)full);
    CHECK(buf[0] == 'Q');
    CHECK_I64((int64_t)ihuyi_last_api_message(buf, 0), (int64_t)strlen("剩余条数不足"));
    CHECK(buf[0] == 'Q');
    CHECK_I64((int64_t)ihuyi_last_api_class(NULL, 0), 7);

    case_begin("basics: the last error survives the _free functions and the accessors");
    ihuyi_string_free(NULL);
    ihuyi_client_free(NULL);
    ihuyi_client_builder_free(NULL);
    ihuyi_receipt_free(NULL);
    ihuyi_sandbox_stop(NULL);
    (void)ihuyi_status_name(0);
    (void)ihuyi_version();
    CHECK_STATUS(ihuyi_last_status(), IHUYI_ERR_API);
    CHECK_I64(ihuyi_last_result_code(), 4051);

    case_begin("basics: a panic inside the library becomes IHUYI_ERR_PANIC");
    CHECK_STATUS(ihuyi_selftest_panic(), IHUYI_ERR_PANIC);
    CHECK(strstr(last_message(), "deliberate panic") != NULL);
    CHECK_I64(ihuyi_last_result_code(), -1);
    /* and the library still works afterwards */
    CHECK_STATUS(ihuyi_get_num_password("a", "b", 1, buf, sizeof buf), IHUYI_OK);

    case_begin("basics: the last error belongs to its thread");
    {
        pthread_t t;
        int seen_ok = 0;
        CHECK_STATUS(ihuyi_selftest_panic(), IHUYI_ERR_PANIC);
        CHECK(pthread_create(&t, NULL, fail_in_thread, &seen_ok) == 0);
        pthread_join(t, NULL);
        CHECK(seen_ok);
        CHECK_STATUS(ihuyi_last_status(), IHUYI_ERR_PANIC);
        CHECK(ihuyi_get_num_password("a", "b", 1, buf, sizeof buf) == IHUYI_OK);
        CHECK_STATUS(ihuyi_last_status(), IHUYI_OK);
    }

    case_begin("basics: a dynamic password needs a 33-byte buffer; smaller ones are not written");
    for (n = 0; n <= 33; n++) {
        ihuyi_status want = n < 33 ? IHUYI_ERR_BUFFER_TOO_SMALL : IHUYI_OK;
        memset(buf, 'X', sizeof buf);
        if (!CHECK_STATUS(ihuyi_get_num_password("test", "1q784322ba1d9bb88d50cf5cdfd89k7d",
                                                 1451544941, buf, n),
                          want))
            break;
        if (n < 33) CHECK(buf[0] == 'X');
    }
    CHECK_STR(buf, "73f6e7a36e0fd30ad7eea940ca1896b2");
    CHECK(buf[33] == 'X');
    case_end();
}
