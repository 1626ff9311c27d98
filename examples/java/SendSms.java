/*
 * Sends one verification code by domestic SMS and prints the message id and the balance.
 *
 *   cargo build -p ihuyi-c && (cd bindings/java && mvn -q compile)
 *   java --enable-native-access=ALL-UNNAMED -Dihuyi.library.path=target/debug/libihuyi.so \
 *        -cp bindings/java/target/classes examples/java/SendSms.java [mobile] [code]
 *
 * With IHUYI_ACCOUNT and IHUYI_APIKEY set it uses that account (and IHUYI_BASE_URL if set);
 * otherwise it starts the library's local sandbox and sends there.
 */

import com.ihuyi.ApiException;
import com.ihuyi.IhuyiClient;
import com.ihuyi.OutcomeUnknownException;
import com.ihuyi.Product;
import com.ihuyi.Sandbox;
import com.ihuyi.SendResult;
import com.ihuyi.UnreachableException;
import com.ihuyi.ValidationException;
import java.util.concurrent.ThreadLocalRandom;

public class SendSms {
    public static void main(String[] args) {
        String mobile = args.length > 0 ? args[0] : "13800138000";
        String code = args.length > 1 ? args[1] : String.valueOf(ThreadLocalRandom.current().nextInt(1000, 10000));
        String content = "您的验证码是:" + code + "。请不要把验证码泄露给其他人。【互亿无线】";

        String account = System.getenv("IHUYI_ACCOUNT");
        Sandbox sandbox = null;
        IhuyiClient client;
        if (account == null || account.isEmpty()) {
            sandbox = Sandbox.start();
            System.out.println("no IHUYI_ACCOUNT: using a local sandbox at " + sandbox.baseUrl());
            client = sandbox.client(Product.SMS);
        } else {
            client = IhuyiClient.builder(Product.SMS, account, System.getenv("IHUYI_APIKEY"))
                    .baseUrl(System.getenv("IHUYI_BASE_URL"))
                    .build();
        }
        int exit = 0;
        try (client) {
            SendResult result = client.send(mobile, content);
            System.out.println("sent: id " + result.id());
            System.out.println("balance: " + client.balance());
        } catch (ValidationException e) {
            System.err.println("not sent, fix the input: " + e.getMessage());
            exit = 2;
        } catch (ApiException e) {
            System.err.println("refused (" + e.code() + ", " + e.kind() + "): " + e.apiMessage());
            exit = 3;
        } catch (UnreachableException e) {
            System.err.println("server unreachable, nothing was sent (safe to retry): " + e.getMessage());
            exit = 4;
        } catch (OutcomeUnknownException e) {
            // Do not resend blindly: the code may already be on its way.
            System.err.println("outcome unknown, check before resending: " + e.getMessage());
            exit = 5;
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
        System.exit(exit);
    }
}
