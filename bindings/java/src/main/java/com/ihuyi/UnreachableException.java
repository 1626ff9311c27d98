package com.ihuyi;

/** Nothing can have reached the server (DNS, refused connection, TLS): safe to retry. */
public class UnreachableException extends IhuyiException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why
     * @param status the C status name
     */
    public UnreachableException(String message, String status) {
        super(message, status);
    }
}
