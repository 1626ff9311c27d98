/*
 * The two network failure kinds, with a tiny local server that misbehaves on purpose:
 * unreachable (a closed port: nothing was sent) and outcome unknown (HTTP 500, a connection
 * closed after the request, no answer before the timeout: the request may have been processed).
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

enum behaviour { ANSWER_500, CLOSE_AFTER_REQUEST, STAY_SILENT, ANSWER_GARBAGE };

struct server {
    int listener;
    uint16_t port;
    enum behaviour behaviour;
    int requests_seen;
    pthread_t thread;
};

/* Reads one HTTP request (headers, then Content-Length bytes of body); 1 when complete. */
static int read_request(int fd) {
    char buf[8192];
    size_t have = 0;
    long body = -1;
    char *end;
    for (;;) {
        ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (n <= 0) return 0;
        have += (size_t)n;
        buf[have] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (end != NULL) {
            char *cl = strstr(buf, "content-length:");
            if (cl == NULL) cl = strstr(buf, "Content-Length:");
            body = cl ? strtol(cl + 15, NULL, 10) : 0;
            if ((long)(have - (size_t)(end + 4 - buf)) >= body) return 1;
        }
        if (have >= sizeof buf - 1) return 0;
    }
}

static void *serve_one(void *arg) {
    struct server *s = arg;
    int fd = accept(s->listener, NULL, NULL);
    if (fd < 0) return NULL;
    if (read_request(fd)) s->requests_seen++;
    if (s->behaviour == ANSWER_500) {
        static const char answer[] =
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\n"
            "Content-Length: 21\r\nConnection: close\r\n\r\n<h1>server error</h1>";
        (void)!send(fd, answer, sizeof answer - 1, 0);
    } else if (s->behaviour == ANSWER_GARBAGE) {
        static const char answer[] =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK";
        (void)!send(fd, answer, sizeof answer - 1, 0);
    } else if (s->behaviour == STAY_SILENT) {
        char c;
        /* until the client gives up and closes */
        while (recv(fd, &c, 1, 0) > 0) {
        }
    }
    shutdown(fd, SHUT_RDWR);
    close(fd);
    return NULL;
}

static int server_start(struct server *s, enum behaviour behaviour) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int one = 1;
    memset(s, 0, sizeof *s);
    s->behaviour = behaviour;
    s->listener = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listener < 0) return 0;
    setsockopt(s->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(s->listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listener, 4) != 0 ||
        getsockname(s->listener, (struct sockaddr *)&addr, &len) != 0) {
        close(s->listener);
        return 0;
    }
    s->port = ntohs(addr.sin_port);
    return pthread_create(&s->thread, NULL, serve_one, s) == 0;
}

static void server_join(struct server *s) {
    pthread_join(s->thread, NULL);
    close(s->listener);
}

/* A client on 127.0.0.1:port with short timeouts and the plain password (the key in the body). */
static ihuyi_client *client_for(uint16_t port) {
    char url[64];
    ihuyi_client_builder *b = NULL;
    ihuyi_client *client = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)port);
    if (ihuyi_client_builder_new("sms", "C80000001", "secret-key-never-shown", &b) != IHUYI_OK)
        return NULL;
    ihuyi_client_builder_set_base_url(b, url);
    ihuyi_client_builder_set_password_mode(b, "plain");
    ihuyi_client_builder_set_timeouts_ms(b, 1000, 1000, 400);
    if (ihuyi_client_builder_build(b, &client) != IHUYI_OK) client = NULL;
    ihuyi_client_builder_free(b);
    return client;
}

static void misbehaving(enum behaviour behaviour, const char *label, const char *in_message) {
    struct server s;
    ihuyi_client *client;
    char *id = NULL;
    case_begin("network: %s gives IHUYI_ERR_OUTCOME_UNKNOWN", label);
    if (!CHECK(server_start(&s, behaviour))) return;
    client = client_for(s.port);
    if (CHECK(client != NULL)) {
        CHECK_STATUS(ihuyi_client_send(client, "13800138000", TEMPLATE, &id),
                     IHUYI_ERR_OUTCOME_UNKNOWN);
        CHECK(id == NULL);
        CHECK(strstr(last_message(), in_message) != NULL);
        CHECK(strstr(last_message(), "secret-key-never-shown") == NULL);
        CHECK_I64(ihuyi_last_result_code(), -1);
    }
    ihuyi_client_free(client);
    server_join(&s);
    /* the request did reach the server: that is why the outcome is unknown */
    CHECK_I64(s.requests_seen, 1);
}

void test_network(void) {
    misbehaving(ANSWER_500, "an HTTP 500 answer", "500");
    misbehaving(ANSWER_GARBAGE, "a 200 answer that is no API answer", "OK");
    misbehaving(CLOSE_AFTER_REQUEST, "a connection closed after the request", "");
    misbehaving(STAY_SILENT, "no answer within the timeout", "");

    case_begin("network: a closed port gives IHUYI_ERR_UNREACHABLE (nothing was sent)");
    {
        struct sockaddr_in addr;
        socklen_t len = sizeof addr;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        ihuyi_client *client = NULL;
        char *id = NULL;
        int64_t balance = -1;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        /* bind to learn a free port, then close it: nobody listens there */
        CHECK(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
        CHECK(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
        close(fd);
        client = client_for(ntohs(addr.sin_port));
        if (CHECK(client != NULL)) {
            CHECK_STATUS(ihuyi_client_send(client, "13800138000", TEMPLATE, &id),
                         IHUYI_ERR_UNREACHABLE);
            CHECK(id == NULL);
            CHECK(strstr(last_message(), "127.0.0.1") != NULL);
            CHECK(strstr(last_message(), "secret-key-never-shown") == NULL);
            CHECK_STATUS(ihuyi_client_balance(client, &balance), IHUYI_ERR_UNREACHABLE);
            CHECK_I64(balance, -1);
        }
        ihuyi_client_free(client);
    }
    case_end();
}
