package com.ihuyi;

/** Run in a child JVM by SandboxTest: what a user sees when the library is missing. */
final class LoaderProbe {
    private LoaderProbe() {}

    public static void main(String[] args) {
        try {
            Ihuyi.libraryVersion();
            System.out.println("loaded");
            System.exit(0);
        } catch (IhuyiException e) {
            System.out.println("first: " + e);
        }
        try {
            Sandbox.start().close();
        } catch (Throwable e) {
            System.out.println("second: " + e);
        }
        System.exit(3);
    }
}
