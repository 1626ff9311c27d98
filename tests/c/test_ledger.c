/*
 * The idempotency ledger from C: a repeated key returns the stored result without a request, an
 * unknown outcome is never resent until resolved (or resent explicitly), a key reused for another
 * message is a conflict. Requests are counted in the sandbox's log.
 */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A one-shot local server answering HTTP 500: the client cannot know whether it was sent. */
struct server500 {
    int listener;
    uint16_t port;
    pthread_t thread;
};

/* Reads one HTTP request (headers, then Content-Length bytes of body); 1 when complete. */
static int read_whole_request(int fd) {
    char buf[8192];
    size_t have = 0;
    for (;;) {
        char *end;
        ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (n <= 0) return 0;
        have += (size_t)n;
        buf[have] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (end != NULL) {
            char *cl = strstr(buf, "content-length:");
            long body;
            if (cl == NULL) cl = strstr(buf, "Content-Length:");
            body = cl ? strtol(cl + 15, NULL, 10) : 0;
            if ((long)(have - (size_t)(end + 4 - buf)) >= body) return 1;
        }
        if (have >= sizeof buf - 1) return 0;
    }
}

static void *serve_500(void *arg) {
    static const char answer[] =
        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\noops!";
    struct server500 *s = arg;
    int fd = accept(s->listener, NULL, NULL);
    if (fd < 0) return NULL;
    if (read_whole_request(fd)) (void)!send(fd, answer, sizeof answer - 1, 0);
    shutdown(fd, SHUT_RDWR);
    close(fd);
    return NULL;
}

static int server500_start(struct server500 *s) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    memset(s, 0, sizeof *s);
    s->listener = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listener < 0) return 0;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s->listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listener, 4) != 0 ||
        getsockname(s->listener, (struct sockaddr *)&addr, &len) != 0) {
        close(s->listener);
        return 0;
    }
    s->port = ntohs(addr.sin_port);
    return pthread_create(&s->thread, NULL, serve_500, s) == 0;
}

static void server500_join(struct server500 *s) {
    pthread_join(s->thread, NULL);
    close(s->listener);
}

/* An sms client with the sandbox's account and `apikey`, pointed at `base_url`. */
static ihuyi_client *sms_client(const char *base_url, const char *apikey) {
    ihuyi_client *client = NULL;
    CHECK_STATUS(ihuyi_client_new("sms", ctx.account[0], apikey, base_url, &client), IHUYI_OK);
    return client;
}

/* Sends `key` through a client answered by HTTP 500: the key's outcome becomes unknown. */
static void make_unknown(ihuyi_ledger *ledger, const char *key, const char *mobile) {
    struct server500 s;
    char url[64];
    ihuyi_client *client;
    char *id = NULL;
    if (!CHECK(server500_start(&s))) return;
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)s.port);
    client = sms_client(url, ctx.apikey[0]);
    CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, key, mobile, TEMPLATE, false, &id, NULL),
                 IHUYI_ERR_OUTCOME_UNKNOWN);
    CHECK(id == NULL);
    ihuyi_client_free(client);
    server500_join(&s);
}

static int state_is(ihuyi_ledger *ledger, const char *key, const char *want) {
    char *state = NULL;
    int ok = CHECK_STATUS(ihuyi_ledger_state(ledger, key, &state), IHUYI_OK) &&
             CHECK_STR(state, want);
    ihuyi_string_free(state);
    return ok;
}

void test_ledger(void) {
    char dir[] = "/tmp/ihuyi-ledger-XXXXXX";
    char path[256], file[300];
    ihuyi_ledger *ledger = NULL;
    ihuyi_client *client, *bad_key;
    char *id = NULL, *again = NULL;
    bool replayed = true;
    uint64_t before;
    int64_t code;
    const char *suffixes[] = {"", "-wal", "-shm"};
    int i;

    case_begin("ledger: open, bad arguments");
    if (!CHECK(mkdtemp(dir) != NULL)) return;
    snprintf(path, sizeof path, "%s/sends.db", dir);
    CHECK_STATUS(ihuyi_ledger_open(NULL, &ledger), IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_ledger_open(path, NULL), IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_ledger_open(dir, &ledger), IHUYI_ERR_IO); /* a directory */
    CHECK(ledger == NULL);
    if (!CHECK_STATUS(ihuyi_ledger_open(path, &ledger), IHUYI_OK)) return;
    client = sms_client(ctx.base_url, ctx.apikey[0]);
    CHECK_STATUS(ihuyi_ledger_send_once(NULL, client, "k", "13800138000", TEMPLATE, false, &id, NULL),
                 IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "k", "13800138000", TEMPLATE, false, NULL, NULL),
                 IHUYI_ERR_NULL_ARGUMENT);
    CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "", "13800138000", TEMPLATE, false, &id, NULL),
                 IHUYI_ERR_VALIDATION);
    CHECK_STATUS(ihuyi_ledger_state(ledger, "never", &id), IHUYI_ERR_NOT_FOUND);
    CHECK(id == NULL);

    case_begin("ledger: a repeated key returns the stored id without a request");
    before = sandbox_requests();
    if (CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/1", "13800138101", TEMPLATE, false,
                                            &id, &replayed),
                     IHUYI_OK)) {
        CHECK(!replayed);
        CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/1", "13800138101", TEMPLATE, false,
                                            &again, &replayed),
                     IHUYI_OK);
        CHECK(replayed);
        CHECK_STR(again, id);
        ihuyi_string_free(again);
        again = NULL;
    }
    ihuyi_string_free(id);
    id = NULL;
    CHECK_I64((int64_t)(sandbox_requests() - before), 1);
    state_is(ledger, "otp/1", "accepted");

    case_begin("ledger: a key reused with another mobile or content is a conflict, nothing sent");
    CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/1", "13800138102", TEMPLATE, false, &id, NULL),
                 IHUYI_ERR_CONFLICT);
    CHECK(strstr(last_message(), "otp/1") != NULL);
    CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/1", "13800138101",
                                        "您的验证码是:9999。请不要把验证码泄露给其他人。【互亿无线】", false, &id, NULL),
                 IHUYI_ERR_CONFLICT);
    CHECK(id == NULL);
    CHECK_STATUS(ihuyi_ledger_resolve_not_sent(ledger, "otp/1"), IHUYI_ERR_CONFLICT);
    CHECK_I64((int64_t)(sandbox_requests() - before), 1);

    case_begin("ledger: a refusal is stored and replayed with its code, without a request");
    bad_key = sms_client(ctx.base_url, "0123456789abcdef0123456789abcdef");
    before = sandbox_requests();
    CHECK_STATUS(ihuyi_ledger_send_once(ledger, bad_key, "otp/2", "13800138103", TEMPLATE, false, &id, NULL),
                 IHUYI_ERR_API);
    code = ihuyi_last_result_code();
    CHECK(code > 2);
    CHECK_STATUS(ihuyi_ledger_send_once(ledger, bad_key, "otp/2", "13800138103", TEMPLATE, false, &id, NULL),
                 IHUYI_ERR_API);
    CHECK_I64(ihuyi_last_result_code(), code);
    CHECK_I64((int64_t)(sandbox_requests() - before), 1);
    state_is(ledger, "otp/2", "refused");
    ihuyi_client_free(bad_key);

    case_begin("ledger: an unknown outcome is never resent until resolved as not sent");
    make_unknown(ledger, "otp/3", "13800138104");
    state_is(ledger, "otp/3", "unknown");
    before = sandbox_requests();
    for (i = 0; i < 2; i++) {
        CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/3", "13800138104", TEMPLATE, false,
                                            &id, NULL),
                     IHUYI_ERR_OUTCOME_UNKNOWN);
        CHECK(strstr(last_message(), "otp/3") != NULL);
    }
    CHECK(id == NULL);
    CHECK_I64((int64_t)(sandbox_requests() - before), 0);
    CHECK_STATUS(ihuyi_ledger_resolve_not_sent(ledger, "otp/3"), IHUYI_OK);
    if (CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/3", "13800138104", TEMPLATE, false,
                                            &id, &replayed),
                     IHUYI_OK)) {
        CHECK(!replayed);
        ihuyi_string_free(id);
        id = NULL;
    }
    CHECK_I64((int64_t)(sandbox_requests() - before), 1);

    case_begin("ledger: an unknown key resolved as sent replays its id; an explicit resend sends");
    make_unknown(ledger, "otp/4", "13800138105");
    CHECK_STATUS(ihuyi_ledger_resolve_sent(ledger, "otp/4", "12345678901234567890"), IHUYI_OK);
    CHECK_STATUS(ihuyi_ledger_resolve_sent(ledger, "otp/4", NULL), IHUYI_ERR_CONFLICT);
    before = sandbox_requests();
    if (CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/4", "13800138105", TEMPLATE, false,
                                            &id, &replayed),
                     IHUYI_OK)) {
        CHECK_STR(id, "12345678901234567890");
        CHECK(replayed);
        ihuyi_string_free(id);
        id = NULL;
    }
    make_unknown(ledger, "otp/5", "13800138106");
    if (CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/5", "13800138106", TEMPLATE, true,
                                            &id, &replayed),
                     IHUYI_OK)) {
        CHECK(!replayed);
        ihuyi_string_free(id);
        id = NULL;
    }
    CHECK_I64((int64_t)(sandbox_requests() - before), 1);

    case_begin("ledger: the file keeps the keys across handles; freed handles are detected");
    ihuyi_ledger_free(ledger);
    CHECK_STATUS(ihuyi_ledger_state(ledger, "otp/1", &id), IHUYI_ERR_INVALID_HANDLE);
    ihuyi_ledger_free(ledger);
    ledger = NULL;
    if (CHECK_STATUS(ihuyi_ledger_open(path, &ledger), IHUYI_OK)) {
        before = sandbox_requests();
        CHECK_STATUS(ihuyi_ledger_send_once(ledger, client, "otp/1", "13800138101", TEMPLATE, false,
                                            &id, &replayed),
                     IHUYI_OK);
        CHECK(replayed);
        ihuyi_string_free(id);
        CHECK_I64((int64_t)(sandbox_requests() - before), 0);
        ihuyi_ledger_free(ledger);
    }
    ihuyi_client_free(client);
    for (i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        unlink(file);
    }
    rmdir(dir);
    case_end();
}
