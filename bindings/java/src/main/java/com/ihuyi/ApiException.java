package com.ihuyi;

/** The server answered and refused: a result code other than 2. */
public class ApiException extends IhuyiException {
    private static final long serialVersionUID = 1L;

    private final long code;
    private final String apiMessage;
    private final String kind;

    /**
     * @param message the full description
     * @param code the vendor's result code (e.g. 4051)
     * @param apiMessage the vendor's message, as sent (e.g. {@code 剩余条数不足})
     * @param kind the refusal's class: auth, account, input, recipient, content, frequency,
     *     balance, server, or unknown
     */
    public ApiException(String message, long code, String apiMessage, String kind) {
        super(message, "IHUYI_ERR_API");
        this.code = code;
        this.apiMessage = apiMessage;
        this.kind = kind;
    }

    /** @return the vendor's result code (e.g. 4051; 0 is 提交失败) */
    public long code() {
        return code;
    }

    /** @return the vendor's message, as sent */
    public String apiMessage() {
        return apiMessage;
    }

    /** @return the class of the refusal; "unknown" for a code outside the product's table */
    public String kind() {
        return kind;
    }
}
