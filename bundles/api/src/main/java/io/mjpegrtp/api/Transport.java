package io.mjpegrtp.api;

import java.io.IOException;
import java.util.Optional;

/**
 * One camera's output through one transport. It owns the session state (for RTP: SSRC, sequence number,
 * timestamp base), so a camera that changes backend keeps its stream identity.
 *
 * <p>{@link #send(Frame)} is called from the camera's single sending thread; it must not keep the frame after
 * it returns.
 */
public interface Transport extends AutoCloseable {
    /**
     * Sends one frame. A frame that cannot be carried throws {@link FrameRejectedException}; network errors are
     * counted and logged by the transport, never thrown, so the camera keeps going.
     */
    void send(Frame frame) throws FrameRejectedException;

    /** Applies a changed request, keeping the session (SSRC, sequence) where the transport has one. */
    void reconfigure(TransportRequest request) throws IOException;

    /** Where the stream goes, for people: {@code udp://127.0.0.1:5000}. */
    String describe();

    /** The session description a receiver needs, where the transport has one. */
    default Optional<String> sessionDescription() {
        return Optional.empty();
    }

    /** Commands a person can paste to watch this stream (gst-launch-1.0, ffplay...). */
    default java.util.List<String> receiverCommands() {
        return java.util.List.of();
    }

    @Override
    void close();
}
