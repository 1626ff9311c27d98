/*
 * Knowing before sending: the estimate and normalization against the shared fixtures
 * (tests/fixtures/estimate.json, normalize.json), strict numbers, and the local frequency guard
 * refusing before the sandbox would (its request log shows no refused request).
 */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

/* Whether the JSON array `set` holds the string `kind` (and, if found, its index). */
static int find_kind(const cJSON *set, const char *kind) {
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, set) {
        if (cJSON_IsString(item) && strcmp(item->valuestring, kind) == 0) return i;
        i++;
    }
    return -1;
}

/* Whether the JSON array `set` holds `code` (-1 stands for JSON null). */
static int has_code(const cJSON *set, int64_t code) {
    const cJSON *item;
    cJSON_ArrayForEach(item, set) {
        if (code < 0 ? cJSON_IsNull(item) : (cJSON_IsNumber(item) && (int64_t)item->valuedouble == code))
            return 1;
    }
    return 0;
}

static void estimate_fixtures(void) {
    cJSON *doc = fixture_load("estimate.json");
    const cJSON *c;
    case_begin("estimate fixtures: estimate.json loads");
    if (!CHECK(doc != NULL)) return;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "cases")) {
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(c, "expected");
        const cJSON *kinds = cJSON_GetObjectItemCaseSensitive(want, "kinds");
        const cJSON *codes = cJSON_GetObjectItemCaseSensitive(want, "codes");
        ihuyi_estimate *e = NULL;
        size_t characters = 0, count = 0, i;
        uint64_t segments = 0;
        char *message = NULL;
        case_begin("estimate fixtures: %s", fixture_str(c, "name"));
        if (!CHECK_STATUS(ihuyi_estimate_new(fixture_str(c, "product"), fixture_str(c, "content"),
                                             fixture_str(c, "signature"), fixture_str(c, "rule"), &e),
                          IHUYI_OK))
            continue;
        CHECK_STATUS(ihuyi_estimate_characters(e, &characters), IHUYI_OK);
        CHECK_I64((int64_t)characters, fixture_num(want, "characters"));
        CHECK_STATUS(ihuyi_estimate_segments(e, &segments), IHUYI_OK);
        CHECK_I64((int64_t)segments, fixture_num(want, "segments"));
        if (CHECK_STATUS(ihuyi_estimate_message(e, &message), IHUYI_OK)) {
            CHECK_STR(message, fixture_str(want, "message"));
            ihuyi_string_free(message);
        }
        CHECK_STATUS(ihuyi_estimate_warning_count(e, &count), IHUYI_OK);
        CHECK_I64((int64_t)count, cJSON_GetArraySize(kinds));
        for (i = 0; i < count; i++) {
            char *kind = NULL, *text = NULL;
            int64_t code = 0;
            if (!CHECK_STATUS(ihuyi_estimate_warning(e, i, &kind, &code, &text), IHUYI_OK))
                continue;
            if (!CHECK(find_kind(kinds, kind) >= 0)) printf("  unexpected warning %s\n", kind);
            if (!CHECK(has_code(codes, code))) printf("  unexpected code %lld\n", (long long)code);
            CHECK(text != NULL && text[0] != 0);
            ihuyi_string_free(kind);
            ihuyi_string_free(text);
        }
        {
            char *rule = NULL;
            uint32_t single = 0, multi = 0;
            if (strcmp(fixture_str(c, "product"), "voice") == 0) {
                CHECK_STATUS(ihuyi_estimate_rule(e, &rule, &single, &multi), IHUYI_ERR_NOT_FOUND);
                CHECK(rule == NULL);
            } else if (CHECK_STATUS(ihuyi_estimate_rule(e, &rule, &single, &multi), IHUYI_OK)) {
                CHECK_STR(rule, fixture_str(c, "rule"));
                CHECK_I64(single, 70);
                CHECK_I64(multi, strcmp(fixture_str(c, "rule"), "70/66") == 0 ? 66 : 67);
                ihuyi_string_free(rule);
            }
        }
        ihuyi_estimate_free(e);
    }
    case_end();
    cJSON_Delete(doc);
}

static void estimate_edges(void) {
    ihuyi_estimate *e = NULL;
    char *kind = NULL;
    size_t n = 0;
    bool flag = true;
    case_begin("estimate: bad arguments and a warning index out of range");
    CHECK_STATUS(ihuyi_estimate_new(NULL, "x", NULL, NULL, &e), IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_estimate_new("sms", NULL, NULL, NULL, &e), IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_estimate_new("sms", "x", NULL, NULL, NULL), IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_estimate_new("fax", "x", NULL, NULL, &e), IHUYI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ihuyi_estimate_new("sms", "x", NULL, "70/65", &e), IHUYI_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "70/66") != NULL);
    CHECK_STATUS(ihuyi_estimate_new("sms", "\xff\xfe", NULL, NULL, &e), IHUYI_ERR_INVALID_UTF8);
    CHECK(e == NULL);
    if (CHECK_STATUS(ihuyi_estimate_new("SMS", TEMPLATE, NULL, NULL, &e), IHUYI_OK)) {
        CHECK_STATUS(ihuyi_estimate_acceptable(e, &flag), IHUYI_OK);
        CHECK(flag);
        CHECK_STATUS(ihuyi_estimate_signature_added(e, &flag), IHUYI_OK);
        CHECK(!flag);
        CHECK_STATUS(ihuyi_estimate_warning_count(e, &n), IHUYI_OK);
        CHECK_I64((int64_t)n, 0);
        CHECK_STATUS(ihuyi_estimate_warning(e, 0, &kind, NULL, NULL), IHUYI_ERR_NOT_FOUND);
        CHECK(kind == NULL);
        CHECK_STATUS(ihuyi_estimate_warning(e, 0, NULL, NULL, NULL), IHUYI_ERR_NULL_ARGUMENT);
        CHECK_STATUS(ihuyi_estimate_characters(e, NULL), IHUYI_ERR_NULL_ARGUMENT);
        CHECK_STATUS(ihuyi_estimate_utf16_units(e, &n), IHUYI_OK);
        ihuyi_estimate_free(e);
        CHECK_STATUS(ihuyi_estimate_utf16_units(e, &n), IHUYI_ERR_INVALID_HANDLE);
        ihuyi_estimate_free(e); /* a double free is detected and ignored */
        ihuyi_estimate_free(NULL);
    }
    case_begin("estimate: a signature given apart is appended, and the emoji warning names 4074");
    e = NULL;
    if (CHECK_STATUS(ihuyi_estimate_new("sms", "验证码1234😀", "互亿无线", "70/66", &e), IHUYI_OK)) {
        int64_t code = 0;
        char *message = NULL;
        CHECK_STATUS(ihuyi_estimate_signature_added(e, &flag), IHUYI_OK);
        CHECK(flag);
        CHECK_STATUS(ihuyi_estimate_acceptable(e, &flag), IHUYI_OK);
        CHECK(!flag);
        CHECK_STATUS(ihuyi_estimate_message(e, &message), IHUYI_OK);
        CHECK_STR(message, "验证码1234😀【互亿无线】");
        ihuyi_string_free(message);
        CHECK_STATUS(ihuyi_estimate_warning(e, 0, &kind, &code, NULL), IHUYI_OK);
        CHECK_STR(kind, "emoji");
        CHECK_I64(code, 4074);
        ihuyi_string_free(kind);
        ihuyi_estimate_free(e);
    }
    case_end();
}

static void normalize_fixtures(void) {
    cJSON *doc = fixture_load("normalize.json");
    const cJSON *c;
    case_begin("normalize fixtures: normalize.json loads");
    if (!CHECK(doc != NULL)) return;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "cases")) {
        const char *expected = fixture_str(c, "expected");
        char *mobile = NULL;
        case_begin("normalize fixtures: %s %s -> %s", fixture_str(c, "product"), fixture_str(c, "input"),
                   expected ? expected : "error");
        if (expected != NULL) {
            if (CHECK_STATUS(ihuyi_normalize_mobile(fixture_str(c, "product"), fixture_str(c, "input"), &mobile),
                             IHUYI_OK)) {
                CHECK_STR(mobile, expected);
                ihuyi_string_free(mobile);
            }
        } else {
            const cJSON *error = cJSON_GetObjectItemCaseSensitive(c, "error");
            const char *contains = fixture_str(error, "contains");
            CHECK_STR(fixture_str(error, "kind"), "validation");
            CHECK_STATUS(ihuyi_normalize_mobile(fixture_str(c, "product"), fixture_str(c, "input"), &mobile),
                         IHUYI_ERR_VALIDATION);
            CHECK(mobile == NULL);
            if (!CHECK(contains == NULL || strstr(last_message(), contains) != NULL))
                printf("  message: %s\n", last_message());
            CHECK(strstr(last_message(), fixture_str(error, "field")) != NULL);
        }
    }
    case_end();
    cJSON_Delete(doc);
    case_begin("normalize: NULL and unknown product");
    {
        char *mobile = NULL;
        CHECK_STATUS(ihuyi_normalize_mobile("sms", NULL, &mobile), IHUYI_ERR_NULL_ARGUMENT);
        CHECK_STATUS(ihuyi_normalize_mobile("sms", "13800138000", NULL), IHUYI_ERR_NULL_ARGUMENT);
        CHECK_STATUS(ihuyi_normalize_mobile("mms", "13800138000", &mobile),
                     IHUYI_ERR_INVALID_ARGUMENT);
        CHECK(mobile == NULL);
    }
    case_end();
}

/* A client for `product` on the sandbox, with `guard` (may be NULL) and strict numbers or not. */
static ihuyi_client *client_with(int product, ihuyi_frequency_guard *guard, bool strict) {
    ihuyi_client_builder *b = NULL;
    ihuyi_client *client = NULL;
    if (!CHECK_STATUS(ihuyi_client_builder_new(PRODUCTS[product], ctx.account[product],
                                               ctx.apikey[product], &b),
                      IHUYI_OK))
        return NULL;
    CHECK_STATUS(ihuyi_client_builder_set_base_url(b, ctx.base_url), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_set_strict_mobile(b, strict), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_set_frequency_guard(b, guard), IHUYI_OK);
    CHECK_STATUS(ihuyi_client_builder_build(b, &client), IHUYI_OK);
    ihuyi_client_builder_free(b);
    return client;
}

static void strict_and_normalized_sends(void) {
    ihuyi_client *loose, *strict;
    char *id = NULL;
    uint64_t before;
    case_begin("client: a typed number is normalized before sending; strict mode refuses it");
    loose = client_with(0, NULL, false);
    strict = client_with(0, NULL, true);
    before = sandbox_requests();
    if (CHECK_STATUS(ihuyi_client_send(loose, "+86 138-0013-8111", TEMPLATE, &id), IHUYI_OK))
        ihuyi_string_free(id);
    CHECK_I64((int64_t)(sandbox_requests() - before), 1);
    id = NULL;
    CHECK_STATUS(ihuyi_client_send(strict, "+86 138-0013-8111", TEMPLATE, &id),
                 IHUYI_ERR_VALIDATION);
    CHECK(id == NULL);
    CHECK(strstr(last_message(), "13800138111") != NULL);
    CHECK_I64((int64_t)(sandbox_requests() - before), 1);
    if (CHECK_STATUS(ihuyi_client_send(strict, "13800138111", TEMPLATE, &id), IHUYI_OK))
        ihuyi_string_free(id);
    CHECK_I64((int64_t)(sandbox_requests() - before), 2);
    ihuyi_client_free(loose);
    ihuyi_client_free(strict);
    case_end();
}

static void frequency_guard(void) {
    ihuyi_frequency_guard *guard = NULL;
    ihuyi_client *a, *b;
    char *id = NULL;
    uint64_t before;
    int i;
    case_begin("guard: bad limits, NULL out-parameter, freed guard");
    CHECK_STATUS(ihuyi_frequency_guard_new(-1, 2, -1, NULL), IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_frequency_guard_new(-1, 4294967296LL, -1, &guard),
                 IHUYI_ERR_INVALID_ARGUMENT);
    CHECK(guard == NULL);
    if (CHECK_STATUS(ihuyi_frequency_guard_new(1, 5, 5, &guard), IHUYI_OK)) {
        ihuyi_client_builder *builder = NULL;
        ihuyi_frequency_guard_free(guard);
        CHECK_STATUS(ihuyi_client_builder_new("sms", "C1", "k", &builder), IHUYI_OK);
        CHECK_STATUS(ihuyi_client_builder_set_frequency_guard(builder, guard),
                     IHUYI_ERR_INVALID_HANDLE);
        CHECK_STATUS(ihuyi_client_builder_set_frequency_guard(NULL, NULL), IHUYI_ERR_NULL_ARGUMENT);
        CHECK_STATUS(ihuyi_client_builder_set_strict_mobile(NULL, true), IHUYI_ERR_NULL_ARGUMENT);
        ihuyi_client_builder_free(builder);
        ihuyi_frequency_guard_free(guard);
    }

    case_begin("guard: two per day per number, shared by two clients, refuses the third locally");
    guard = NULL;
    if (!CHECK_STATUS(ihuyi_frequency_guard_new(-1, 2, -1, &guard), IHUYI_OK)) return;
    a = client_with(0, guard, false);
    b = client_with(0, guard, false);
    /* the clients keep the guard alive */
    ihuyi_frequency_guard_free(guard);
    before = sandbox_requests();
    for (i = 0; i < 2; i++) {
        id = NULL;
        if (CHECK_STATUS(ihuyi_client_send(i == 0 ? a : b, "13800138222", TEMPLATE, &id), IHUYI_OK))
            ihuyi_string_free(id);
    }
    id = NULL;
    CHECK_STATUS(ihuyi_client_send(a, "+86 138 0013 8222", TEMPLATE, &id), IHUYI_ERR_VALIDATION);
    CHECK(id == NULL);
    CHECK(strstr(last_message(), "4082") != NULL);
    CHECK_I64(ihuyi_last_result_code(), -1);
    CHECK_STATUS(ihuyi_client_send(b, "13800138222", TEMPLATE, &id), IHUYI_ERR_VALIDATION);
    /* another number is not affected */
    if (CHECK_STATUS(ihuyi_client_send(b, "13800138333", TEMPLATE, &id), IHUYI_OK))
        ihuyi_string_free(id);
    /* the sandbox saw the three sends that were allowed, and no refused one */
    CHECK_I64((int64_t)(sandbox_requests() - before), 3);
    ihuyi_client_free(a);
    ihuyi_client_free(b);
    case_end();
}

void test_know(void) {
    estimate_fixtures();
    estimate_edges();
    normalize_fixtures();
    strict_and_normalized_sends();
    frequency_guard();
}
