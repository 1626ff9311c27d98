package com.ihuyi;

/**
 * Bad input caught locally (mobile, content, product, account, URL, a NUL byte...): nothing was
 * sent. Retrying the same input fails the same way.
 */
public class ValidationException extends IhuyiException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the input
     * @param status the C status name, or ""
     */
    public ValidationException(String message, String status) {
        super(message, status);
    }
}
