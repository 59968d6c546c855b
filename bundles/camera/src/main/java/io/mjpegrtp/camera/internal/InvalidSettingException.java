package io.mjpegrtp.camera.internal;

/** One configuration value that cannot be used; the message names the key, the value and what is accepted. */
final class InvalidSettingException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String key;

    InvalidSettingException(String key, String message) {
        super(message);
        this.key = key;
    }

    String key() {
        return key;
    }
}
