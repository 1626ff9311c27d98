package com.ihuyi;

/**
 * An accepted send (result code 2).
 *
 * @param id the message id (流水号): up to 20 digits, beyond {@code long}, so a string
 * @param product {@code sms}, {@code voice} or {@code isms}
 * @param mobile the recipient, as given
 */
public record SendResult(String id, String product, String mobile) {}
