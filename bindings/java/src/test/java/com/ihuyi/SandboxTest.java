package com.ihuyi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandbox through the C ABI, the loader, and the example. */
class SandboxTest {
    @Test
    void accountsLogAndReset() {
        Sandbox sandbox = Sandbox.start();
        assertTrue(sandbox.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"));
        assertEquals("http://127.0.0.1:" + sandbox.port(), sandbox.baseUrl());
        assertEquals(new Sandbox.Account("C80000001", "8f14e45fceea167a5a36dedd4bea2543"), sandbox.account(Product.SMS));
        assertEquals(new Sandbox.Account("V80000001", "c9f0f895fb98ab9159f51fd0297e236d"), sandbox.account(Product.VOICE));
        assertEquals(new Sandbox.Account("I80000001", "45c48cce2e2d7fbdea1afc51c7c6ad26"), sandbox.account(Product.ISMS));
        try (IhuyiClient client = sandbox.client(Product.VOICE)) {
            long start = client.balance();
            client.send("13800138000", "1234");
            assertEquals(2, sandbox.requestCount());
            assertEquals(start - 1, client.balance());
            sandbox.reset();
            assertEquals(0, sandbox.requestCount());
            assertEquals(start, client.balance());
        }
        sandbox.close();
        sandbox.close();
        assertThrows(IhuyiException.class, sandbox::requestCount);
    }

    @Test
    void aBusyPortFails() {
        try (Sandbox sandbox = Sandbox.start()) {
            IhuyiException e = assertThrows(IhuyiException.class, () -> Sandbox.start(sandbox.port()));
            assertEquals("IHUYI_ERR_IO", e.status());
        }
        assertThrows(ValidationException.class, () -> Sandbox.start(70000));
    }

    @Test
    void theLoaderChecksTheVersion() {
        assertEquals(Ihuyi.VERSION, Ihuyi.libraryVersion());
        assertEquals(System.getProperty(NativeLibrary.PROPERTY), Ihuyi.libraryPath());
        String m = NativeLibrary.mismatch("9.9.9", "0.1.0", "/x/libihuyi.so");
        assertTrue(m.contains("9.9.9") && m.contains("0.1.0") && m.contains("/x/libihuyi.so"), m);
    }

    @Test
    void aMissingLibraryListsWhatWasTried() throws Exception {
        Jvm.Result r = Jvm.run(List.of("-Dihuyi.library.path=/nonexistent/libihuyi.so", "-cp", System.getProperty("java.class.path"),
                LoaderProbe.class.getName()));
        assertEquals(3, r.code(), r.output());
        assertTrue(r.output().contains("/nonexistent/libihuyi.so (no such file)"), r.output());
        assertTrue(r.output().contains("cargo build -p ihuyi-c"), r.output());
        // The same clear message on every use, not a NoClassDefFoundError the second time.
        assertTrue(r.output().contains("second: com.ihuyi.IhuyiException"), r.output());
    }

    @Test
    void theExampleRunsAgainstTheSandbox() throws Exception {
        Path example = Path.of(System.getProperty("ihuyi.examples.dir"), "SendSms.java");
        Jvm.Result r = Jvm.run(List.of(Jvm.libraryProperty(),
                "-cp", System.getProperty("ihuyi.classes.dir"), example.toString(), "13800138000"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().matches("(?s).*sent: id \\d{20}.*"), r.output());
        assertTrue(r.output().matches("(?s).*balance: \\d+.*"), r.output());
    }
}
