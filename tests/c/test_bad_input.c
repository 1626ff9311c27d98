/*
 * Bad input of every sort: each case gives its status and a message, never a crash, never
 * writes an out-parameter, and none of them sends a request.
 */
#include "runner.h"

#include <stdlib.h>
#include <string.h>

/* Out-parameters start as these sentinels and must still hold them after a failure. */
static char SENTINEL_STRING[] = "untouched";
static char *out_str;
static int64_t out_i64;
static ihuyi_receipt *out_receipt;
static ihuyi_client *out_client;
static char pwbuf[64];

static char *big_string(size_t n, char fill) {
    char *s = malloc(n + 1);
    memset(s, fill, n);
    s[n] = 0;
    return s;
}

#define SMS ctx.account[0], ctx.apikey[0]
#define VOICE ctx.account[1], ctx.apikey[1]
#define ISMS ctx.account[2], ctx.apikey[2]

static ihuyi_status send_sms(const char *product, const char *account, const char *apikey,
                             const char *mobile, const char *content) {
    return ihuyi_send_sms(product, account, apikey, mobile, content, &out_i64, &out_str);
}

static ihuyi_status build_with(const char *what) {
    ihuyi_client_builder *b = NULL;
    ihuyi_status rc = ihuyi_client_builder_new("sms", SMS, &b);
    if (rc != IHUYI_OK) return rc;
    if (strcmp(what, "format") == 0) rc = ihuyi_client_builder_set_format(b, "yaml");
    else if (strcmp(what, "format-null") == 0) rc = ihuyi_client_builder_set_format(b, NULL);
    else if (strcmp(what, "mode") == 0) rc = ihuyi_client_builder_set_password_mode(b, "md5");
    else if (strcmp(what, "mode-null") == 0)
        rc = ihuyi_client_builder_set_password_mode(b, NULL);
    else if (strcmp(what, "idle") == 0) rc = ihuyi_client_builder_set_max_idle_connections(b, 0);
    else if (strcmp(what, "timeout") == 0) {
        rc = ihuyi_client_builder_set_timeouts_ms(b, 1000, 0, 1000);
        if (rc == IHUYI_OK) rc = ihuyi_client_builder_build(b, &out_client);
    } else if (strcmp(what, "base-url") == 0) {
        rc = ihuyi_client_builder_set_base_url(b, "ftp://127.0.0.1");
        if (rc == IHUYI_OK) rc = ihuyi_client_builder_build(b, &out_client);
    } else if (strcmp(what, "out-null") == 0) {
        rc = ihuyi_client_builder_build(b, NULL);
    }
    ihuyi_client_builder_free(b);
    return rc;
}

static ihuyi_status outcome(const char *product, const void *body, size_t len) {
    return ihuyi_submit_outcome(product, 200, body, len, &out_str, NULL);
}

static ihuyi_status receipt(const void *body, size_t len) {
    return ihuyi_receipt_parse(body, len, &out_receipt);
}

void test_bad_input(void) {
    int fake_handle = 0;
    char *long_content = big_string(65537, 'a');   /* over the 64 KiB argument limit */
    char *at_limit = big_string(65536, 'a');       /* at it: accepted, then too long to send */
    char *chars301 = big_string(301, 'b');
    char *big_body = big_string(70 * 1024, 'x');
    uint64_t before = sandbox_requests();
    int n = 0;
    struct bad {
        const char *name;
        ihuyi_status got;
        ihuyi_status want;
    } cases[64];

#define BAD(label, call, expect)                                                              \
    do {                                                                                      \
        out_str = SENTINEL_STRING;                                                            \
        out_i64 = -777;                                                                       \
        out_receipt = (ihuyi_receipt *)&fake_handle;                                          \
        out_client = (ihuyi_client *)&fake_handle;                                            \
        memset(pwbuf, 'X', sizeof pwbuf);                                                     \
        case_begin("bad input %02d: %s", n + 1, label);                                       \
        cases[n].name = label;                                                                \
        cases[n].got = (call);                                                                \
        cases[n].want = (expect);                                                             \
        CHECK_STATUS(cases[n].got, cases[n].want);                                            \
        CHECK(ihuyi_last_error_message(NULL, 0) > 0);                                         \
        CHECK(out_str == SENTINEL_STRING);                                                    \
        CHECK(out_i64 == -777);                                                               \
        CHECK(out_receipt == (ihuyi_receipt *)&fake_handle);                                  \
        CHECK(out_client == (ihuyi_client *)&fake_handle);                                    \
        CHECK(pwbuf[0] == 'X');                                                               \
        n++;                                                                                  \
    } while (0)

    BAD("send_sms: product NULL", send_sms(NULL, SMS, "13800138000", TEMPLATE),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("send_sms: account NULL", send_sms("sms", NULL, ctx.apikey[0], "13800138000", TEMPLATE),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("send_sms: apikey NULL", send_sms("sms", ctx.account[0], NULL, "13800138000", TEMPLATE),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("send_sms: mobile NULL", send_sms("sms", SMS, NULL, TEMPLATE), IHUYI_ERR_NULL_ARGUMENT);
    BAD("send_sms: content NULL", send_sms("sms", SMS, "13800138000", NULL),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("send_sms: out_id NULL",
        ihuyi_send_sms("sms", SMS, "13800138000", TEMPLATE, &out_i64, NULL),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("send_sms: unknown product \"mms\"", send_sms("mms", SMS, "13800138000", TEMPLATE),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("send_sms: empty product", send_sms("", SMS, "13800138000", TEMPLATE),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("send_sms: content not UTF-8 (GBK bytes)",
        send_sms("sms", SMS, "13800138000", "\xc4\xfa\xb5\xc4"), IHUYI_ERR_INVALID_UTF8);
    BAD("send_sms: mobile with a cut UTF-8 sequence", send_sms("sms", SMS, "138\xe4\xbd", "x"),
        IHUYI_ERR_INVALID_UTF8);
    BAD("send_sms: account with a lone continuation byte",
        send_sms("sms", "\x80" "C1", ctx.apikey[0], "13800138000", TEMPLATE),
        IHUYI_ERR_INVALID_UTF8);
    BAD("send_sms: content over 64 KiB", send_sms("sms", SMS, "13800138000", long_content),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("send_sms: content of exactly 64 KiB is read, then refused",
        send_sms("sms", SMS, "13800138000", at_limit), IHUYI_ERR_VALIDATION);
    BAD("send_sms: content of 301 characters", send_sms("sms", SMS, "13800138000", chars301),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: empty content", send_sms("sms", SMS, "13800138000", ""),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: empty mobile", send_sms("sms", SMS, "", TEMPLATE), IHUYI_ERR_VALIDATION);
    BAD("send_sms: mobile too short", send_sms("sms", SMS, "12345", TEMPLATE),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: two recipients", send_sms("sms", SMS, "13800138000,13800138001", TEMPLATE),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: sms to an international number",
        send_sms("sms", SMS, "63 9171234567", TEMPLATE), IHUYI_ERR_VALIDATION);
    BAD("send_sms: isms number without its space", send_sms("isms", ISMS, "639171234567", "x"),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: voice code with letters", send_sms("voice", VOICE, "13912345678", "12ab"),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: voice code of 7 digits", send_sms("voice", VOICE, "13912345678", "1234567"),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: empty account", send_sms("sms", "", ctx.apikey[0], "13800138000", TEMPLATE),
        IHUYI_ERR_VALIDATION);
    BAD("send_sms: empty apikey", send_sms("sms", ctx.account[0], "", "13800138000", TEMPLATE),
        IHUYI_ERR_VALIDATION);
    BAD("get_num: out_num NULL", ihuyi_get_num("sms", SMS, NULL), IHUYI_ERR_NULL_ARGUMENT);
    BAD("get_num: unknown product", ihuyi_get_num("SMS2", SMS, &out_i64),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("client_new: base URL that is not a URL",
        ihuyi_client_new("sms", SMS, "not a url", &out_client), IHUYI_ERR_VALIDATION);
    BAD("client_new: base URL with credentials",
        ihuyi_client_new("sms", SMS, "http://user:pw@127.0.0.1:1", &out_client),
        IHUYI_ERR_VALIDATION);
    BAD("client_new: out_client NULL", ihuyi_client_new("sms", SMS, NULL, NULL),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("client_send: client NULL",
        ihuyi_client_send(NULL, "13800138000", TEMPLATE, &out_str), IHUYI_ERR_NULL_ARGUMENT);
    BAD("client_send: a pointer that is no client",
        ihuyi_client_send((ihuyi_client *)&fake_handle, "13800138000", TEMPLATE, &out_str),
        IHUYI_ERR_INVALID_HANDLE);
    BAD("client_balance: a pointer that is no client",
        ihuyi_client_balance((ihuyi_client *)&fake_handle, &out_i64), IHUYI_ERR_INVALID_HANDLE);
    BAD("builder: format \"yaml\"", build_with("format"), IHUYI_ERR_INVALID_ARGUMENT);
    BAD("builder: format NULL", build_with("format-null"), IHUYI_ERR_NULL_ARGUMENT);
    BAD("builder: password mode \"md5\"", build_with("mode"), IHUYI_ERR_INVALID_ARGUMENT);
    BAD("builder: password mode NULL", build_with("mode-null"), IHUYI_ERR_NULL_ARGUMENT);
    BAD("builder: zero idle connections", build_with("idle"), IHUYI_ERR_INVALID_ARGUMENT);
    BAD("builder: a zero timeout", build_with("timeout"), IHUYI_ERR_VALIDATION);
    BAD("builder: ftp base URL", build_with("base-url"), IHUYI_ERR_VALIDATION);
    BAD("builder: out_client NULL", build_with("out-null"), IHUYI_ERR_NULL_ARGUMENT);
    BAD("builder_new: unknown product",
        ihuyi_client_builder_new("fax", SMS, (ihuyi_client_builder **)&out_client),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("submit_password: buf NULL",
        ihuyi_submit_password("a", "b", "c", "d", 1, NULL, 33), IHUYI_ERR_NULL_ARGUMENT);
    BAD("submit_password: zero-length buffer",
        ihuyi_submit_password("a", "b", "c", "d", 1, pwbuf, 0), IHUYI_ERR_BUFFER_TOO_SMALL);
    BAD("submit_password: 32-byte buffer",
        ihuyi_submit_password("a", "b", "c", "d", 1, pwbuf, 32), IHUYI_ERR_BUFFER_TOO_SMALL);
    BAD("submit_password: content not UTF-8",
        ihuyi_submit_password("a", "b", "c", "\xff", 1, pwbuf, 33), IHUYI_ERR_INVALID_UTF8);
    BAD("get_num_password: apikey NULL", ihuyi_get_num_password("a", NULL, 1, pwbuf, 33),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("submit_outcome: body NULL with a length", outcome("sms", NULL, 5),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("submit_outcome: body NULL and empty: not an API answer", outcome("sms", NULL, 0),
        IHUYI_ERR_OUTCOME_UNKNOWN);
    BAD("submit_outcome: product with a trailing space", outcome("sms ", "x", 1),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("submit_outcome: binary garbage", outcome("sms", "\x00\x01\xfe\xff<", 5),
        IHUYI_ERR_OUTCOME_UNKNOWN);
    BAD("submit_outcome: out_id NULL",
        ihuyi_submit_outcome("sms", 200, (const uint8_t *)"x", 1, NULL, NULL),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("get_num_outcome: out_num NULL",
        ihuyi_get_num_outcome("sms", 200, (const uint8_t *)"x", 1, NULL, NULL),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("receipt: a field holding %00", receipt("smsid=1&msg=a%00b", 17),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("receipt: an id holding a raw NUL byte", receipt("smsid=7\0&code=2", 15),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("receipt: not a receipt", receipt("hello world", 11), IHUYI_ERR_VALIDATION);
    BAD("receipt: empty body", receipt("", 0), IHUYI_ERR_VALIDATION);
    BAD("receipt: 70 KiB body", receipt(big_body, strlen(big_body)), IHUYI_ERR_VALIDATION);
    BAD("receipt: out_receipt NULL", ihuyi_receipt_parse((const uint8_t *)"smsid=1", 7, NULL),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("sandbox_account: unknown product",
        ihuyi_sandbox_account(ctx.sandbox, "fax", &out_str, &out_str),
        IHUYI_ERR_INVALID_ARGUMENT);
    BAD("sandbox_account: out_apikey NULL",
        ihuyi_sandbox_account(ctx.sandbox, "sms", &out_str, NULL), IHUYI_ERR_NULL_ARGUMENT);
    BAD("sandbox_port: sandbox NULL", ihuyi_sandbox_port(NULL, (uint16_t *)&out_i64),
        IHUYI_ERR_NULL_ARGUMENT);
    BAD("sandbox_base_url: a pointer that is no sandbox",
        ihuyi_sandbox_base_url((ihuyi_sandbox *)&fake_handle, &out_str),
        IHUYI_ERR_INVALID_HANDLE);
#undef BAD

    case_begin("bad input: at least 30 cases ran, and none of them sent a request");
    CHECK(n >= 30);
    CHECK_I64((int64_t)sandbox_requests(), (int64_t)before);

    case_begin("bad input: freeing what was never handed out is ignored");
    ihuyi_string_free(SENTINEL_STRING);
    ihuyi_client_free((ihuyi_client *)&fake_handle);
    ihuyi_receipt_free((ihuyi_receipt *)&fake_handle);
    ihuyi_sandbox_stop((ihuyi_sandbox *)&fake_handle);
    ihuyi_client_builder_free((ihuyi_client_builder *)&fake_handle);
    CHECK_STR(SENTINEL_STRING, "untouched");
    case_end();

    free(long_content);
    free(at_limit);
    free(chars301);
    free(big_body);
}
