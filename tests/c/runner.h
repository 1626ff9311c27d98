/*
 * A small test runner for the C suite: named cases, checks that record the file and line, and
 * the closing line "N passed, M failed" (cases, not checks). Checks are made from the main
 * thread only; threaded tests collect results and check them after joining.
 */
#ifndef IHUYI_TEST_RUNNER_H
#define IHUYI_TEST_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include <ihuyi.h>

/* Starts a case; every check until case_end() belongs to it. */
void case_begin(const char *fmt, ...);
/* Ends the current case, counting it passed when none of its checks failed. */
void case_end(void);

int check_true(int ok, const char *expr, const char *file, int line);
int check_status(ihuyi_status got, ihuyi_status want, const char *expr, const char *file,
                 int line);
int check_str(const char *got, const char *want, const char *expr, const char *file, int line);
int check_i64(int64_t got, int64_t want, const char *expr, const char *file, int line);

#define CHECK(cond) check_true(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_STATUS(call, want) check_status((call), (want), #call, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_I64(got, want) check_i64((got), (want), #got, __FILE__, __LINE__)

/* The last error message of this thread, in a static buffer (main thread only). */
const char *last_message(void);
/* The vendor message / class of the last API refusal, in static buffers. */
const char *last_api_message(void);
const char *last_api_class(void);

/* The shared test context, set up by main(). */
struct context {
    ihuyi_sandbox *sandbox;
    char *base_url;
    char *account[3];
    char *apikey[3];
    const char *fixtures_dir;
};
extern struct context ctx;
extern const char *const PRODUCTS[3];
/* Index of a product name in PRODUCTS. */
int product_index(const char *product);
/* Requests the sandbox has received so far. */
uint64_t sandbox_requests(void);

/* The default domestic template the vendor requires while testing. */
#define TEMPLATE "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】"

/* The test groups. */
void test_basics(void);
void test_bad_input(void);
void test_fixtures(void);
void test_sandbox(void);
void test_network(void);
void test_handles(void);
void test_threads(void);
void test_more(void);

#endif
