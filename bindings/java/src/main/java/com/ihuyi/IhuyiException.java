package com.ihuyi;

/**
 * The base of every exception this library throws; unchecked. Thrown as itself for failures that
 * are not about a message: the native library could not be loaded, a closed client was used, a
 * bug in the library. Messages never contain the API key.
 */
public class IhuyiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The C status name ({@code IHUYI_ERR_...}), or "" when the failure is not the library's. */
    private final String status;

    /**
     * @param message what went wrong
     * @param status the C status name, or ""
     */
    public IhuyiException(String message, String status) {
        super(message);
        this.status = status;
    }

    /**
     * @param message what went wrong
     * @param cause what caused it
     */
    public IhuyiException(String message, Throwable cause) {
        super(message, cause);
        this.status = "";
    }

    /** @return the C status name ({@code IHUYI_ERR_API}...), or "" when the library gave none */
    public String status() {
        return status;
    }
}
