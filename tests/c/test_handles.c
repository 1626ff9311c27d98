/* Handles after they are freed: a status, never a crash (and valgrind sees no invalid read). */
#include "runner.h"

#include <string.h>

void test_handles(void) {
    ihuyi_client *client = NULL;
    ihuyi_client_builder *builder = NULL;
    ihuyi_receipt *receipt = NULL;
    ihuyi_sandbox *sandbox = NULL;
    char *id = NULL, *text = NULL;
    int64_t num = -1;
    uint16_t port = 0;

    case_begin("handles: a freed client gives IHUYI_ERR_INVALID_HANDLE");
    CHECK_STATUS(ihuyi_client_new("sms", ctx.account[0], ctx.apikey[0], ctx.base_url, &client),
                 IHUYI_OK);
    ihuyi_client_free(client);
    CHECK_STATUS(ihuyi_client_send(client, "13800138000", TEMPLATE, &id),
                 IHUYI_ERR_INVALID_HANDLE);
    CHECK(id == NULL);
    CHECK(strstr(last_message(), "ihuyi_client") != NULL);
    CHECK_STATUS(ihuyi_client_balance(client, &num), IHUYI_ERR_INVALID_HANDLE);
    CHECK_I64(num, -1);
    ihuyi_client_free(client); /* a second free is ignored */
    CHECK_STATUS(ihuyi_last_status(), IHUYI_ERR_INVALID_HANDLE);

    case_begin("handles: a freed builder gives IHUYI_ERR_INVALID_HANDLE");
    CHECK_STATUS(ihuyi_client_builder_new("voice", ctx.account[1], ctx.apikey[1], &builder),
                 IHUYI_OK);
    ihuyi_client_builder_free(builder);
    CHECK_STATUS(ihuyi_client_builder_set_format(builder, "json"), IHUYI_ERR_INVALID_HANDLE);
    client = NULL;
    CHECK_STATUS(ihuyi_client_builder_build(builder, &client), IHUYI_ERR_INVALID_HANDLE);
    CHECK(client == NULL);
    ihuyi_client_builder_free(builder);

    case_begin("handles: a freed receipt gives IHUYI_ERR_INVALID_HANDLE");
    CHECK_STATUS(ihuyi_receipt_parse((const uint8_t *)"smsid=42&code=2", 15, &receipt),
                 IHUYI_OK);
    CHECK_STATUS(ihuyi_receipt_id(receipt, &text), IHUYI_OK);
    CHECK_STR(text, "42");
    ihuyi_string_free(text);
    ihuyi_string_free(text); /* a second free of a string is ignored too */
    ihuyi_receipt_free(receipt);
    text = NULL;
    CHECK_STATUS(ihuyi_receipt_id(receipt, &text), IHUYI_ERR_INVALID_HANDLE);
    CHECK(text == NULL);
    ihuyi_receipt_free(receipt);

    case_begin("handles: a stopped sandbox gives IHUYI_ERR_INVALID_HANDLE");
    CHECK_STATUS(ihuyi_sandbox_start(0, &sandbox), IHUYI_OK);
    CHECK_STATUS(ihuyi_sandbox_port(sandbox, &port), IHUYI_OK);
    ihuyi_sandbox_stop(sandbox);
    port = 0;
    CHECK_STATUS(ihuyi_sandbox_port(sandbox, &port), IHUYI_ERR_INVALID_HANDLE);
    CHECK(port == 0);
    CHECK_STATUS(ihuyi_sandbox_reset(sandbox), IHUYI_ERR_INVALID_HANDLE);
    ihuyi_sandbox_stop(sandbox);

    case_begin("handles: a handle of one kind is not accepted as another");
    CHECK_STATUS(ihuyi_client_new("sms", ctx.account[0], ctx.apikey[0], ctx.base_url, &client),
                 IHUYI_OK);
    CHECK_STATUS(ihuyi_receipt_id((const ihuyi_receipt *)client, &text),
                 IHUYI_ERR_INVALID_HANDLE);
    CHECK_STATUS(ihuyi_sandbox_port((const ihuyi_sandbox *)client, &port),
                 IHUYI_ERR_INVALID_HANDLE);
    ihuyi_client_free(client);
    case_end();
}
