package io.mjpegrtp.api;

/**
 * Where a running capture delivers its frames. Implementations return quickly: they only hand the frame
 * over to the camera's sending thread.
 */
public interface FrameSink {
    /** A new frame; the sink takes ownership and releases it. */
    void frame(Frame frame);

    /**
     * The backend could not use an input it was given (for example a corrupt file in a replayed folder);
     * the capture goes on. {@code reason} is one line naming what was wrong and what is accepted.
     */
    void frameRejected(String reason);

    /** The capture stopped by itself and will not produce more frames; the camera may restart it. */
    void failed(String reason, Throwable cause);
}
