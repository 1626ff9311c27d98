/*
 * The shared fixtures (the JSON files in tests/fixtures), read here as every other language reads them:
 * signing vectors, answer bodies and their meaning, receipt bodies.
 */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

static void signing(void) {
    cJSON *doc = fixture_load("signing.json");
    const cJSON *c;
    int count = 0;
    case_begin("fixtures: signing.json loads");
    if (!CHECK(doc != NULL)) return;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "cases")) {
        char pw[33];
        const char *method = fixture_str(c, "method");
        uint64_t time = (uint64_t)cJSON_GetObjectItemCaseSensitive(c, "time")->valuedouble;
        case_begin("fixtures: signing: %s", fixture_str(c, "name"));
        if (strcmp(method, "Submit") == 0) {
            CHECK_STATUS(ihuyi_submit_password(fixture_str(c, "account"), fixture_str(c, "apikey"),
                                               fixture_str(c, "mobile"), fixture_str(c, "content"), time, pw,
                                               sizeof pw),
                         IHUYI_OK);
        } else {
            CHECK_STATUS(ihuyi_get_num_password(fixture_str(c, "account"), fixture_str(c, "apikey"), time, pw,
                                                sizeof pw),
                         IHUYI_OK);
        }
        CHECK_STR(pw, fixture_str(c, "password"));
        count++;
    }
    case_begin("fixtures: signing.json had cases");
    CHECK(count >= 5);
    case_end();
    cJSON_Delete(doc);
}

static void responses(void) {
    cJSON *doc = fixture_load("responses.json");
    const cJSON *c;
    int count = 0;
    case_begin("fixtures: responses.json loads");
    if (!CHECK(doc != NULL)) return;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "cases")) {
        const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
        const char *product = fixture_str(c, "product"), *body = fixture_str(c, "body");
        const char *outcome = fixture_str(expect, "outcome");
        int submit = strcmp(fixture_str(c, "method"), "Submit") == 0;
        uint16_t status = (uint16_t)fixture_num(c, "status");
        char *id = NULL, *msg = NULL;
        int64_t balance = -1;
        ihuyi_status want = strcmp(outcome, "ok") == 0 ? IHUYI_OK
                            : strcmp(outcome, "api") == 0 ? IHUYI_ERR_API
                            : IHUYI_ERR_OUTCOME_UNKNOWN;
        ihuyi_status got;
        case_begin("fixtures: responses: %s (%s %s)", fixture_str(c, "name"), product, fixture_str(c, "method"));
        CHECK(strcmp(outcome, "ok") == 0 || strcmp(outcome, "api") == 0 ||
              strcmp(outcome, "outcome_unknown") == 0);
        got = submit ? ihuyi_submit_outcome(product, status, (const uint8_t *)body, strlen(body),
                                            &id, &msg)
                     : ihuyi_get_num_outcome(product, status, (const uint8_t *)body,
                                             strlen(body), &balance, &msg);
        CHECK_STATUS(got, want);
        if (got == IHUYI_OK && want == IHUYI_OK) {
            CHECK_STR(msg, fixture_str(expect, "msg"));
            if (submit) CHECK_STR(id, fixture_str(expect, "id"));
            else CHECK_I64(balance, fixture_num(expect, "num"));
        } else if (got == IHUYI_ERR_API) {
            CHECK_I64(ihuyi_last_result_code(), fixture_num(expect, "code"));
            CHECK_STR(last_api_message(), fixture_str(expect, "msg"));
            CHECK_STR(last_api_class(), fixture_str(expect, "class"));
            CHECK(id == NULL && msg == NULL && balance == -1);
        } else {
            CHECK_I64(ihuyi_last_result_code(), -1);
            CHECK(id == NULL && msg == NULL && balance == -1);
        }
        ihuyi_string_free(id);
        ihuyi_string_free(msg);
        count++;
    }
    case_begin("fixtures: responses.json had cases");
    CHECK(count >= 20);
    case_end();
    cJSON_Delete(doc);
}

static void text_is(const ihuyi_receipt *r, ihuyi_status (*get)(const ihuyi_receipt *, char **),
                    const char *want, const char *what) {
    char *value = NULL;
    if (want == NULL) return;
    if (check_status(get(r, &value), IHUYI_OK, what, __FILE__, __LINE__))
        check_str(value, want, what, __FILE__, __LINE__);
    ihuyi_string_free(value);
}

static void receipts(void) {
    cJSON *doc = fixture_load("receipts.json");
    const cJSON *c;
    int count = 0;
    case_begin("fixtures: receipts.json loads");
    if (!CHECK(doc != NULL)) return;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "cases")) {
        const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(expect, "code");
        const cJSON *extra = cJSON_GetObjectItemCaseSensitive(expect, "extra");
        const char *body = fixture_str(c, "body");
        int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(expect, "ok"));
        ihuyi_receipt *r = NULL;
        case_begin("fixtures: receipts: %s", fixture_str(c, "name"));
        if (!ok) {
            CHECK_STATUS(ihuyi_receipt_parse((const uint8_t *)body, strlen(body), &r),
                         IHUYI_ERR_VALIDATION);
            CHECK(r == NULL);
            count++;
            continue;
        }
        if (!CHECK_STATUS(ihuyi_receipt_parse((const uint8_t *)body, strlen(body), &r),
                          IHUYI_OK))
            continue;
        text_is(r, ihuyi_receipt_id, fixture_str(expect, "id"), "id");
        text_is(r, ihuyi_receipt_product, fixture_str(expect, "product"), "product");
        text_is(r, ihuyi_receipt_msg, fixture_str(expect, "msg"), "msg");
        text_is(r, ihuyi_receipt_mobile, fixture_str(expect, "mobile"), "mobile");
        text_is(r, ihuyi_receipt_time, fixture_str(expect, "time"), "time");
        {
            int64_t got_code = -1;
            bool delivered = false;
            if (cJSON_IsNull(code)) {
                CHECK_STATUS(ihuyi_receipt_code(r, &got_code), IHUYI_ERR_NOT_FOUND);
                CHECK_I64(got_code, -1);
            } else {
                CHECK_STATUS(ihuyi_receipt_code(r, &got_code), IHUYI_OK);
                CHECK_I64(got_code, (int64_t)code->valuedouble);
            }
            CHECK_STATUS(ihuyi_receipt_delivered(r, &delivered), IHUYI_OK);
            CHECK(delivered ==
                  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(expect, "delivered")));
        }
        if (extra != NULL) {
            const cJSON *field;
            cJSON_ArrayForEach(field, extra) {
                char *value = NULL;
                if (CHECK_STATUS(ihuyi_receipt_field(r, field->string, &value), IHUYI_OK))
                    CHECK_STR(value, field->valuestring);
                ihuyi_string_free(value);
            }
        }
        {
            char *value = NULL;
            CHECK_STATUS(ihuyi_receipt_field(r, "no_such_field", &value), IHUYI_ERR_NOT_FOUND);
            CHECK(value == NULL);
        }
        ihuyi_receipt_free(r);
        count++;
    }
    case_begin("fixtures: receipts.json had cases");
    CHECK(count >= 8);
    case_end();
    cJSON_Delete(doc);
}

void test_fixtures(void) {
    signing();
    responses();
    receipts();
}
