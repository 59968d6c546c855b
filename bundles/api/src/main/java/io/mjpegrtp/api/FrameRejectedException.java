package io.mjpegrtp.api;

/**
 * A frame that cannot be carried (not a JPEG, an unsupported JPEG variant...). The message is one line naming
 * the property that was wrong and what is supported. The frame is dropped and counted; the stream goes on.
 */
public class FrameRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public FrameRejectedException(String message) {
        super(message);
    }
}
