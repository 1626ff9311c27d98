// Sends a verification code and asks for the balance from C++, against the in-process sandbox.
// The C handles are owned by std::unique_ptr with their own release functions, and every
// failing status becomes an exception carrying the library's message.
//
//   make -C examples/cpp && ./examples/cpp/send_and_balance
#include <cstdint>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include <ihuyi.h>

namespace {

struct StringFree {
    void operator()(char *s) const { ihuyi_string_free(s); }
};
struct ClientFree {
    void operator()(ihuyi_client *c) const { ihuyi_client_free(c); }
};
struct SandboxStop {
    void operator()(ihuyi_sandbox *s) const { ihuyi_sandbox_stop(s); }
};
using String = std::unique_ptr<char, StringFree>;
using Client = std::unique_ptr<ihuyi_client, ClientFree>;
using Sandbox = std::unique_ptr<ihuyi_sandbox, SandboxStop>;

// The library's own error, with its status and (for an API refusal) the vendor code.
class Error : public std::runtime_error {
  public:
    Error(ihuyi_status status, const std::string &message)
        : std::runtime_error(message), status_(status), code_(ihuyi_last_result_code()) {}
    ihuyi_status status() const { return status_; }
    std::int64_t code() const { return code_; }

  private:
    ihuyi_status status_;
    std::int64_t code_;
};

void check(ihuyi_status status, const char *what) {
    if (status == IHUYI_OK) return;
    std::string message(ihuyi_last_error_message(nullptr, 0) + 1, '\0');
    ihuyi_last_error_message(&message[0], message.size());
    message.resize(message.size() - 1);
    throw Error(status, std::string(what) + ": " + ihuyi_status_name(status) + ": " + message);
}

std::string take(char *raw) { return String(raw).get(); }

}  // namespace

int main() {
    try {
        std::cout << "libihuyi " << ihuyi_version() << "\n";
        ihuyi_sandbox *raw_sandbox = nullptr;
        check(ihuyi_sandbox_start(0, &raw_sandbox), "sandbox_start");
        Sandbox sandbox(raw_sandbox);

        char *raw_url = nullptr, *raw_account = nullptr, *raw_apikey = nullptr;
        check(ihuyi_sandbox_base_url(sandbox.get(), &raw_url), "sandbox_base_url");
        const std::string url = take(raw_url);
        check(ihuyi_sandbox_account(sandbox.get(), "voice", &raw_account, &raw_apikey),
              "sandbox_account");
        const std::string account = take(raw_account), apikey = take(raw_apikey);

        ihuyi_client_builder *builder = nullptr;
        check(ihuyi_client_builder_new("voice", account.c_str(), apikey.c_str(), &builder),
              "builder_new");
        std::unique_ptr<ihuyi_client_builder, void (*)(ihuyi_client_builder *)> owned_builder(
            builder, ihuyi_client_builder_free);
        check(ihuyi_client_builder_set_base_url(builder, url.c_str()), "set_base_url");
        check(ihuyi_client_builder_set_format(builder, "json"), "set_format");
        check(ihuyi_client_builder_set_timeouts_ms(builder, 2000, 5000, 5000), "set_timeouts");
        ihuyi_client *raw_client = nullptr;
        check(ihuyi_client_builder_build(builder, &raw_client), "build");
        Client client(raw_client);

        char *raw_id = nullptr;
        check(ihuyi_client_send(client.get(), "13912345678", "482193", &raw_id), "send");
        std::cout << "voice code sent: id " << take(raw_id) << "\n";

        std::int64_t balance = 0;
        check(ihuyi_client_balance(client.get(), &balance), "balance");
        std::cout << "balance: " << balance << "\n";

        // Bad input is refused before anything is sent, and becomes an exception too.
        try {
            char *unused = nullptr;
            check(ihuyi_client_send(client.get(), "13912345678", "12", &unused), "send");
        } catch (const Error &e) {
            std::cout << "refused as expected: " << e.what() << "\n";
        }
        return 0;
    } catch (const std::exception &e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
