package com.ihuyi;

/**
 * A {@link Ledger} key already stands for another message (another product, account, mobile or
 * content), or cannot be resolved the way asked: nothing was sent.
 */
public class ConflictException extends IhuyiException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why
     * @param status the C status name
     */
    public ConflictException(String message, String status) {
        super(message, status);
    }
}
