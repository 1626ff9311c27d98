package com.ihuyi;

/**
 * The request may have been processed (timeout after sending, lost connection, an HTTP status
 * other than 200, an unreadable answer). The SDK never resends: resending may text twice.
 */
public class OutcomeUnknownException extends IhuyiException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why
     * @param status the C status name
     */
    public OutcomeUnknownException(String message, String status) {
        super(message, status);
    }
}
