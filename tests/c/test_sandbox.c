/* The three products against the in-process sandbox: clients, the one-call functions, options. */
#include "runner.h"

#include <stdio.h>
#include <string.h>

static const char *const MOBILES[3] = {"13800138000", "13912345678", "63 9171234567"};
static const char *const CONTENTS[3] = {TEMPLATE, "482193", "Your code is 5512 & welcome"};
static const char *const DEFAULT_ACCOUNTS[3] = {"C80000001", "V80000001", "I80000001"};
static const char *const DEFAULT_KEYS[3] = {"8f14e45fceea167a5a36dedd4bea2543",
                                            "c9f0f895fb98ab9159f51fd0297e236d",
                                            "45c48cce2e2d7fbdea1afc51c7c6ad26"};

static int is_id(const char *id) {
    size_t i, n = id ? strlen(id) : 0;
    if (n == 0 || n > 20) return 0;
    for (i = 0; i < n; i++)
        if (id[i] < '0' || id[i] > '9') return 0;
    return 1;
}

static void products(void) {
    int p;
    for (p = 0; p < 3; p++) {
        ihuyi_client *client = NULL;
        char *id = NULL;
        int64_t before = -1, after = -1;
        uint64_t requests = sandbox_requests();
        case_begin("sandbox: %s: default account, send, balance", PRODUCTS[p]);
        CHECK_STR(ctx.account[p], DEFAULT_ACCOUNTS[p]);
        CHECK_STR(ctx.apikey[p], DEFAULT_KEYS[p]);
        if (!CHECK_STATUS(ihuyi_client_new(PRODUCTS[p], ctx.account[p], ctx.apikey[p],
                                           ctx.base_url, &client),
                          IHUYI_OK))
            continue;
        CHECK_STATUS(ihuyi_client_balance(client, &before), IHUYI_OK);
        CHECK_STATUS(ihuyi_client_send(client, MOBILES[p], CONTENTS[p], &id), IHUYI_OK);
        CHECK(is_id(id));
        CHECK_STATUS(ihuyi_client_balance(client, &after), IHUYI_OK);
        CHECK_I64(after, before - 1);
        CHECK_I64((int64_t)sandbox_requests(), (int64_t)requests + 3);
        ihuyi_string_free(id);
        ihuyi_client_free(client);
    }
}

static void one_call(void) {
    int p;
    for (p = 0; p < 3; p++) {
        int64_t code = -1, balance = -1;
        char *id = NULL;
        case_begin("sandbox: %s: ihuyi_send_sms and ihuyi_get_num (IHUYI_BASE_URL)", PRODUCTS[p]);
        CHECK_STATUS(ihuyi_send_sms(PRODUCTS[p], ctx.account[p], ctx.apikey[p], MOBILES[p],
                                    CONTENTS[p], &code, &id),
                     IHUYI_OK);
        CHECK_I64(code, 2);
        CHECK(is_id(id));
        ihuyi_string_free(id);
        CHECK_STATUS(ihuyi_get_num(PRODUCTS[p], ctx.account[p], ctx.apikey[p], &balance),
                     IHUYI_OK);
        CHECK(balance > 0 && balance < 100000);
    }

    case_begin("sandbox: ihuyi_send_sms without out_code");
    {
        char *id = NULL;
        CHECK_STATUS(ihuyi_send_sms("sms", ctx.account[0], ctx.apikey[0], "13700137000",
                                    TEMPLATE, NULL, &id),
                     IHUYI_OK);
        CHECK(is_id(id));
        ihuyi_string_free(id);
    }

    /* A dynamic password made with the wrong key fails the check: 40502 for domestic SMS. */
    case_begin("sandbox: a wrong key is refused (40502): code written, id not");
    {
        int64_t code = -1;
        char *id = NULL;
        CHECK_STATUS(ihuyi_send_sms("sms", ctx.account[0], "00000000000000000000000000000000",
                                    "13800138000", TEMPLATE, &code, &id),
                     IHUYI_ERR_API);
        CHECK_I64(code, 40502);
        CHECK(id == NULL);
        CHECK_I64(ihuyi_last_result_code(), 40502);
        CHECK_STR(last_api_message(), "动态密码校验失败");
        CHECK_STR(last_api_class(), "auth");
        CHECK(strstr(last_message(), "00000000000000000000000000000000") == NULL);
    }

    case_begin("sandbox: a wrong key on GetNum: balance not written");
    {
        int64_t balance = -1;
        CHECK_STATUS(ihuyi_get_num("voice", ctx.account[1], "wrong", &balance), IHUYI_ERR_API);
        CHECK_I64(balance, -1);
        CHECK_I64(ihuyi_last_result_code(), 405);
        CHECK_STR(last_api_message(), "用户名或密码不正确");
        CHECK(strstr(last_message(), "wrong") == NULL);
    }

    case_begin("sandbox: an account of another product is refused");
    {
        char *id = NULL;
        CHECK_STATUS(ihuyi_send_sms("isms", ctx.account[0], ctx.apikey[0], MOBILES[2],
                                    CONTENTS[2], NULL, &id),
                     IHUYI_ERR_API);
        CHECK(id == NULL);
    }
}

/* A client built with the given format and password mode sends and reads its balance. */
static void builder_variant(const char *format, const char *mode) {
    ihuyi_client_builder *b = NULL;
    ihuyi_client *client = NULL, *second = NULL;
    char *id = NULL;
    int64_t balance = -1;
    case_begin("sandbox: builder with format %s, password %s, timeouts, idle connections",
               format, mode);
    if (!CHECK_STATUS(ihuyi_client_builder_new("isms", ctx.account[2], ctx.apikey[2], &b),
                      IHUYI_OK))
        return;
    CHECK_STATUS(ihuyi_client_builder_set_base_url(b, ctx.base_url), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_set_format(b, format), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_set_password_mode(b, mode), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_set_timeouts_ms(b, 2000, 3000, 4000), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_set_max_idle_connections(b, 4), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_build(b, &client), IHUYI_OK);
    /* the builder is not consumed: it builds a second, independent client */
    CHECK_STATUS(ihuyi_client_builder_build(b, &second), IHUYI_OK);
    CHECK(client != second);
    ihuyi_client_builder_free(b);
    CHECK_STATUS(ihuyi_client_send(client, "44 7700900123", "Your code is 0042", &id), IHUYI_OK);
    CHECK(is_id(id));
    CHECK_STATUS(ihuyi_client_balance(second, &balance), IHUYI_OK);
    CHECK(balance > 0);
    ihuyi_string_free(id);
    ihuyi_client_free(client);
    ihuyi_client_free(second);
}

static void sandbox_itself(void) {
    uint16_t port = 0;
    char expected[64];
    ihuyi_sandbox *other = NULL;

    case_begin("sandbox: port and base URL agree");
    CHECK_STATUS(ihuyi_sandbox_port(ctx.sandbox, &port), IHUYI_OK);
    CHECK(port > 0);
    snprintf(expected, sizeof expected, "http://127.0.0.1:%u", (unsigned)port);
    CHECK_STR(ctx.base_url, expected);

    case_begin("sandbox: a port already in use gives IHUYI_ERR_IO");
    CHECK_STATUS(ihuyi_sandbox_start(port, &other), IHUYI_ERR_IO);
    CHECK(other == NULL);
    CHECK(strstr(last_message(), "127.0.0.1") != NULL);

    case_begin("sandbox: a second sandbox runs beside the first, and reset restores balances");
    if (CHECK_STATUS(ihuyi_sandbox_start(0, &other), IHUYI_OK)) {
        char *url = NULL, *acct = NULL, *key = NULL, *id = NULL;
        ihuyi_client *client = NULL;
        int64_t balance = -1;
        uint64_t count = 99;
        CHECK_STATUS(ihuyi_sandbox_base_url(other, &url), IHUYI_OK);
        CHECK(strcmp(url, ctx.base_url) != 0);
        CHECK_STATUS(ihuyi_sandbox_account(other, "voice", &acct, &key), IHUYI_OK);
        CHECK_STATUS(ihuyi_client_new("voice", acct, key, url, &client), IHUYI_OK);
        CHECK_STATUS(ihuyi_client_send(client, "13912345678", "1234", &id), IHUYI_OK);
        CHECK_STATUS(ihuyi_client_balance(client, &balance), IHUYI_OK);
        CHECK_I64(balance, 99999);
        CHECK_STATUS(ihuyi_sandbox_request_count(other, &count), IHUYI_OK);
        CHECK_I64((int64_t)count, 2);
        CHECK_STATUS(ihuyi_sandbox_reset(other), IHUYI_OK);
        CHECK_STATUS(ihuyi_sandbox_request_count(other, &count), IHUYI_OK);
        CHECK_I64((int64_t)count, 0);
        CHECK_STATUS(ihuyi_client_balance(client, &balance), IHUYI_OK);
        CHECK_I64(balance, 100000);
        ihuyi_string_free(id);
        ihuyi_client_free(client);
        ihuyi_string_free(url);
        ihuyi_string_free(acct);
        ihuyi_string_free(key);
        ihuyi_sandbox_stop(other);
    }
    case_end();
}

void test_sandbox(void) {
    products();
    one_call();
    builder_variant("xml", "dynamic");
    builder_variant("json", "plain");
    builder_variant("JSON", "Dynamic");
    sandbox_itself();
}
