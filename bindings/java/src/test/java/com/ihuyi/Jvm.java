package com.ihuyi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a child JVM (the one running the tests) with native access enabled. */
final class Jvm {
    private Jvm() {}

    record Result(int code, String output) {}

    static Result run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("IHUYI_ACCOUNT");
        pb.environment().remove("IHUYI_LIB");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), out);
    }

    /** The arguments that load the library the tests use. */
    static String libraryProperty() {
        return "-D" + NativeLibrary.PROPERTY + "=" + System.getProperty(NativeLibrary.PROPERTY);
    }
}
