package io.mjpegrtp.jpeg;

/**
 * A JPEG that is malformed or cannot be carried by RFC 2435 as is. The message is one line naming what
 * was wrong and, where it applies, what is accepted.
 */
public class JpegFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what was wrong and what is accepted */
    public JpegFormatException(String message) {
        super(message);
    }
}
