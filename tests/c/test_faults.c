/*
 * The fault matrix from C, read from tests/fixtures/faults.json (the same cases run from Rust,
 * Python, PHP and Java): each network failure gives the status the core's error kind maps to,
 * and the sandbox receives exactly one request per ihuyi_client_send() call (the SDK never
 * resends). The sandbox's faults are set through its admin endpoint (POST /_sandbox/faults); a
 * connect that times out before the request is written uses a listener whose accept queue is
 * full.
 */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"

/* Opens a TCP connection to 127.0.0.1:port; -1 on failure. */
static int connect_local(uint16_t port) {
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* POSTs a JSON body to the sandbox's admin path; 1 when it answers 200. */
static int admin_post(const char *path, const char *json) {
    char request[2048], answer[512];
    uint16_t port = 0;
    int fd, n, total = 0;
    if (ihuyi_sandbox_port(ctx.sandbox, &port) != IHUYI_OK) return 0;
    fd = connect_local(port);
    if (fd < 0) return 0;
    n = snprintf(request, sizeof request,
                 "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                 path, strlen(json), json);
    if (send(fd, request, (size_t)n, 0) != n) {
        close(fd);
        return 0;
    }
    while (total < (int)sizeof answer - 1) {
        ssize_t got = recv(fd, answer + total, sizeof answer - 1 - (size_t)total, 0);
        if (got <= 0) break;
        total += (int)got;
    }
    answer[total] = 0;
    close(fd);
    return strncmp(answer, "HTTP/1.1 200", 12) == 0;
}

static ihuyi_client *client_at(const char *base_url, uint32_t timeout_ms) {
    ihuyi_client_builder *b = NULL;
    ihuyi_client *client = NULL;
    if (ihuyi_client_builder_new("sms", ctx.account[0], ctx.apikey[0], &b) != IHUYI_OK) return NULL;
    ihuyi_client_builder_set_base_url(b, base_url);
    ihuyi_client_builder_set_timeouts_ms(b, timeout_ms, timeout_ms, timeout_ms);
    if (ihuyi_client_builder_build(b, &client) != IHUYI_OK) client = NULL;
    ihuyi_client_builder_free(b);
    return client;
}

/* The status of a kind the fixture names. */
static ihuyi_status kind_status(const char *kind) {
    if (kind != NULL && strcmp(kind, "outcome_unknown") == 0) return IHUYI_ERR_OUTCOME_UNKNOWN;
    if (kind != NULL && strcmp(kind, "unreachable") == 0) return IHUYI_ERR_UNREACHABLE;
    return IHUYI_OK; /* an unknown kind: every check against it fails */
}

static void sleep_ms(int64_t ms) {
    struct timespec pause;
    pause.tv_sec = (time_t)(ms / 1000);
    pause.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&pause, NULL);
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sandbox_faults(const cJSON *matrix) {
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(matrix, "sandbox"), *c;
    const char *good = fixture_str(matrix, "good_mobile");
    cJSON *faults = cJSON_CreateArray();
    char *json;
    int count = 0;

    case_begin("faults: set through the sandbox's admin endpoint");
    cJSON_ArrayForEach(c, cases) {
        cJSON_AddItemToArray(faults, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c, "fault"), 1));
    }
    json = cJSON_PrintUnformatted(faults);
    cJSON_Delete(faults);
    CHECK(json != NULL && admin_post("/_sandbox/faults", json));
    free(json);
    CHECK(good != NULL);
    case_end();

    cJSON_ArrayForEach(c, cases) {
        const cJSON *fault = cJSON_GetObjectItemCaseSensitive(c, "fault");
        const char *mobile = fixture_str(fault, "mobile");
        ihuyi_status want = kind_status(fixture_str(c, "kind"));
        ihuyi_client *client = client_at(ctx.base_url, (uint32_t)fixture_num(c, "timeout_ms"));
        char *id = NULL;
        uint64_t before;
        count++;
        case_begin("faults: %s gives %s, one request per send", fixture_str(c, "name"),
                   ihuyi_status_name(want));
        if (!CHECK(client != NULL && mobile != NULL && good != NULL)) {
            ihuyi_client_free(client);
            case_end();
            continue;
        }
        /* a good send first: the faulted one travels on its pooled keep-alive connection */
        CHECK_STATUS(ihuyi_client_send(client, good, TEMPLATE, &id), IHUYI_OK);
        ihuyi_string_free(id);
        id = NULL;
        before = sandbox_requests();
        CHECK_STATUS(ihuyi_client_send(client, mobile, TEMPLATE, &id), want);
        CHECK(id == NULL);
        CHECK(strstr(last_message(), ctx.apikey[0]) == NULL);
        CHECK_I64((int64_t)(sandbox_requests() - before), 1);
        /* a good send right after works: the broken connection is not reused */
        CHECK_STATUS(ihuyi_client_send(client, good, TEMPLATE, &id), IHUYI_OK);
        ihuyi_string_free(id);
        /* a delayed or dripping answer finishes on the server: still no resend */
        sleep_ms(fixture_num(matrix, "settle_ms"));
        CHECK_I64((int64_t)(sandbox_requests() - before), 2);
        ihuyi_client_free(client);
        case_end();
    }
    case_begin("faults: faults.json had the six sandbox faults");
    CHECK_I64(count, 6);
    case_end();
    case_begin("faults: cleared");
    CHECK(admin_post("/_sandbox/faults", "[]"));
    case_end();
}

/* A listener (backlog 0) that never accepts, its queue filled: further connects hang. */
static int full_backlog(uint16_t *port, int *held, int max_held, int *n_held) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 0) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    *n_held = 0;
    /* The kernel queues backlog + 1 connections; a few more make sure it is full. Those extra
     * connects would hang: they are made non-blocking and left in progress. */
    while (*n_held < max_held) {
        int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c < 0) break;
        (void)connect(c, (struct sockaddr *)&addr, sizeof addr);
        held[(*n_held)++] = c;
    }
    {
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return fd;
}

/* A loopback port nothing listens on (bound, then released). */
static uint16_t closed_port(void) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    uint16_t port = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    close(fd); /* nothing listens there now */
    return port;
}

static void unreachable(const cJSON *c) {
    const char *target = fixture_str(c, "target"), *contains = fixture_str(c, "message_contains");
    ihuyi_status want = kind_status(fixture_str(c, "kind"));
    int64_t within = fixture_num(c, "within_ms"), started;
    int listener = -1, held[8], n_held = 0, i;
    uint16_t port = 0;
    char url[256];
    ihuyi_client *client;
    char *id = NULL;

    case_begin("faults: %s gives %s", fixture_str(c, "name"), ihuyi_status_name(want));
    if (!CHECK(target != NULL && contains != NULL)) {
        case_end();
        return;
    }
    if (strcmp(target, "closed_port") == 0) {
        port = closed_port();
        CHECK(port != 0);
        snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)port);
    } else if (strcmp(target, "full_backlog") == 0) {
        listener = full_backlog(&port, held, 8, &n_held);
        CHECK(listener >= 0);
        snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)port);
    } else {
        snprintf(url, sizeof url, "%s", target);
    }
    client = client_at(url, (uint32_t)fixture_num(c, "timeout_ms"));
    if (CHECK(client != NULL)) {
        started = now_ms();
        CHECK_STATUS(ihuyi_client_send(client, fixture_str(c, "mobile"), TEMPLATE, &id), want);
        if (within != INT64_MIN) CHECK(now_ms() - started < within);
        CHECK(id == NULL);
        CHECK(strstr(last_message(), contains) != NULL);
    }
    ihuyi_client_free(client);
    for (i = 0; i < n_held; i++) close(held[i]);
    if (listener >= 0) close(listener);
    case_end();
}

void test_faults(void) {
    cJSON *matrix = fixture_load("faults.json");
    const cJSON *c;
    int count = 0;
    case_begin("faults: faults.json loads");
    if (!CHECK(matrix != NULL)) {
        case_end();
        return;
    }
    case_end();

    sandbox_faults(matrix);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(matrix, "unreachable")) {
        unreachable(c);
        count++;
    }
    case_begin("faults: faults.json had the three unreachable cases");
    CHECK_I64(count, 3);
    case_end();
    cJSON_Delete(matrix);
}
