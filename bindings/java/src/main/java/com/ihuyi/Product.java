package com.ihuyi;

import java.util.Locale;

/** The three ihuyi products. */
public enum Product {
    /** Domestic SMS (验证码/通知短信): one mainland number, UTF-8 text. */
    SMS,
    /** Voice verification code (语音验证码): one mainland number, a 4-6 digit code. */
    VOICE,
    /** International SMS (国际短信): "country-code number", a registered template. */
    ISMS;

    /** @return the name the C ABI and the API use: {@code sms}, {@code voice}, {@code isms} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
