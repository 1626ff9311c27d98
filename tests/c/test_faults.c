/*
 * The fault matrix from C (the same as tests/faults_matrix.rs): each network failure gives the
 * status the core's error kind maps to, and the sandbox receives exactly one request per
 * ihuyi_client_send() call (the SDK never resends). The sandbox's faults are set through its
 * admin endpoint (POST /_sandbox/faults); a connect that times out before the request is written
 * uses a listener whose accept queue is full.
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

static ihuyi_client *client_at(const char *base_url) {
    ihuyi_client_builder *b = NULL;
    ihuyi_client *client = NULL;
    if (ihuyi_client_builder_new("sms", ctx.account[0], ctx.apikey[0], &b) != IHUYI_OK) return NULL;
    ihuyi_client_builder_set_base_url(b, base_url);
    ihuyi_client_builder_set_timeouts_ms(b, 400, 400, 400);
    if (ihuyi_client_builder_build(b, &client) != IHUYI_OK) client = NULL;
    ihuyi_client_builder_free(b);
    return client;
}

static const struct {
    const char *mobile, *fault, *label;
    ihuyi_status want;
} FAULTS[] = {
    {"13800000201", "{\"mobile\":\"13800000201\",\"action\":\"delay\",\"ms\":1500}",
     "a delay beyond the timeout (after the request is written)", IHUYI_ERR_OUTCOME_UNKNOWN},
    {"13800000202", "{\"mobile\":\"13800000202\",\"action\":\"close\"}",
     "a drop before the answer", IHUYI_ERR_OUTCOME_UNKNOWN},
    {"13800000203", "{\"mobile\":\"13800000203\",\"action\":\"accept_then_drop\"}",
     "accept then drop", IHUYI_ERR_OUTCOME_UNKNOWN},
    {"13800000204", "{\"mobile\":\"13800000204\",\"action\":\"http_500\"}", "HTTP 500",
     IHUYI_ERR_OUTCOME_UNKNOWN},
    {"13800000205", "{\"mobile\":\"13800000205\",\"action\":\"garbage\"}", "a garbage 200",
     IHUYI_ERR_OUTCOME_UNKNOWN},
    {"13800000206",
     "{\"mobile\":\"13800000206\",\"action\":\"slow_drip\",\"chunk_bytes\":2,\"interval_ms\":100}",
     "a slow drip", IHUYI_ERR_OUTCOME_UNKNOWN},
};
#define NFAULTS (sizeof FAULTS / sizeof FAULTS[0])

static void sandbox_faults(void) {
    char json[1024] = "[";
    ihuyi_client *client;
    size_t i;
    case_begin("faults: set through the sandbox's admin endpoint");
    for (i = 0; i < NFAULTS; i++) {
        strcat(json, FAULTS[i].fault);
        strcat(json, i + 1 < NFAULTS ? "," : "]");
    }
    CHECK(admin_post("/_sandbox/faults", json));
    case_end();

    client = client_at(ctx.base_url);
    for (i = 0; i < NFAULTS; i++) {
        char *id = NULL;
        uint64_t before, after;
        case_begin("faults: %s gives %s, one request per send", FAULTS[i].label,
                   ihuyi_status_name(FAULTS[i].want));
        if (!CHECK(client != NULL)) {
            case_end();
            continue;
        }
        before = sandbox_requests();
        CHECK_STATUS(ihuyi_client_send(client, FAULTS[i].mobile, TEMPLATE, &id), FAULTS[i].want);
        CHECK(id == NULL);
        CHECK(strstr(last_message(), ctx.apikey[0]) == NULL);
        /* a good send right after: a resend of the faulted one would also be counted */
        CHECK_STATUS(ihuyi_client_send(client, "13800000200", TEMPLATE, &id), IHUYI_OK);
        ihuyi_string_free(id);
        after = sandbox_requests();
        CHECK_I64((int64_t)(after - before), 2);
        case_end();
    }
    ihuyi_client_free(client);
    case_begin("faults: cleared");
    CHECK(admin_post("/_sandbox/faults", "[]"));
    case_end();
}

static void unreachable(const char *label, const char *base_url) {
    ihuyi_client *client = client_at(base_url);
    char *id = NULL;
    case_begin("faults: %s gives IHUYI_ERR_UNREACHABLE", label);
    if (CHECK(client != NULL)) {
        CHECK_STATUS(ihuyi_client_send(client, "13800000209", TEMPLATE, &id),
                     IHUYI_ERR_UNREACHABLE);
        CHECK(id == NULL);
        CHECK(strstr(last_message(), "nothing was sent") != NULL);
    }
    ihuyi_client_free(client);
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

void test_faults(void) {
    char url[64];
    uint16_t port;
    int listener, held[8], n_held = 0, i;

    sandbox_faults();

    listener = socket(AF_INET, SOCK_STREAM, 0);
    {
        struct sockaddr_in addr;
        socklen_t len = sizeof addr;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(listener, (struct sockaddr *)&addr, sizeof addr);
        getsockname(listener, (struct sockaddr *)&addr, &len);
        port = ntohs(addr.sin_port);
        close(listener); /* nothing listens there now */
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)port);
    unreachable("a refused connection", url);
    unreachable("a name that does not resolve", "http://sandbox.invalid");

    listener = full_backlog(&port, held, 8, &n_held);
    case_begin("faults: a full accept queue was set up");
    CHECK(listener >= 0);
    case_end();
    if (listener >= 0) {
        snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)port);
        unreachable("a connect timing out before the request is written", url);
        for (i = 0; i < n_held; i++) close(held[i]);
        close(listener);
    }
}
