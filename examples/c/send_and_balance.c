/*
 * Sends a verification code and asks for the balance, through libihuyi's C ABI, against the
 * in-process sandbox (so it runs anywhere, with no account). For the real service, drop the
 * sandbox and pass your APIID/APIKEY to ihuyi_client_new() with a NULL base URL.
 *
 *   make -C examples/c && ./examples/c/send_and_balance
 */
#include <stdio.h>
#include <stdlib.h>

#include <ihuyi.h>

/* Prints why the last call on this thread failed, then exits. */
static void die(const char *what, ihuyi_status status) {
    char message[512];
    ihuyi_last_error_message(message, sizeof message);
    fprintf(stderr, "%s failed: %s: %s\n", what, ihuyi_status_name((int)status), message);
    if (status == IHUYI_ERR_API) {
        fprintf(stderr, "  vendor code %lld\n", (long long)ihuyi_last_result_code());
    }
    exit(1);
}

int main(void) {
    ihuyi_sandbox *sandbox = NULL;
    ihuyi_client *client = NULL;
    char *base_url = NULL, *account = NULL, *apikey = NULL, *id = NULL;
    int64_t balance = 0;
    ihuyi_status rc;

    printf("libihuyi %s\n", ihuyi_version());

    if ((rc = ihuyi_sandbox_start(0, &sandbox)) != IHUYI_OK) die("ihuyi_sandbox_start", rc);
    if ((rc = ihuyi_sandbox_base_url(sandbox, &base_url)) != IHUYI_OK) die("base_url", rc);
    if ((rc = ihuyi_sandbox_account(sandbox, "sms", &account, &apikey)) != IHUYI_OK) die("account", rc);
    printf("sandbox at %s, account %s\n", base_url, account);

    /* One client per product, created once and shared by every thread of the program. */
    rc = ihuyi_client_new("sms", account, apikey, base_url, &client);
    if (rc != IHUYI_OK) die("ihuyi_client_new", rc);

    rc = ihuyi_client_send(client, "13800138000",
                           "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】", &id);
    if (rc == IHUYI_ERR_OUTCOME_UNKNOWN) {
        /* It may have been sent: resending could text the recipient twice. */
        die("ihuyi_client_send (outcome unknown, not resent)", rc);
    }
    if (rc != IHUYI_OK) die("ihuyi_client_send", rc);
    printf("sent: id %s\n", id);

    if ((rc = ihuyi_client_balance(client, &balance)) != IHUYI_OK) die("ihuyi_client_balance", rc);
    printf("balance: %lld\n", (long long)balance);

    ihuyi_string_free(id);
    ihuyi_client_free(client);
    ihuyi_string_free(account);
    ihuyi_string_free(apikey);
    ihuyi_string_free(base_url);
    ihuyi_sandbox_stop(sandbox);
    return 0;
}
