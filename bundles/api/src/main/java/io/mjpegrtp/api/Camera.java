package io.mjpegrtp.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A configured camera, registered as a service by the camera bundle, one per configuration; {@link #name()} is
 * the camera's name (the part of its file name after {@code mjpeg.camera-}).
 */
public interface Camera {
    String name();

    CameraStatus status();

    /** The session description of its RTP stream, if it has one. */
    Optional<String> sessionDescription();

    /** Where the session description file was written, if it was. */
    Optional<Path> sessionDescriptionFile();

    /** Starts a camera that was stopped. */
    void start();

    /** Stops capturing and sending until {@link #start()}. */
    void stop();

    /**
     * What a camera is doing.
     *
     * @param name camera name
     * @param backend configured backend
     * @param state life-cycle state
     * @param detail one line explaining the state (why waiting, when the next restart is...)
     * @param width width as sent
     * @param height height as sent
     * @param framerate configured frames per second
     * @param destinations where the stream goes, one entry per transport
     */
    record CameraStatus(String name, String backend, CameraState state, String detail, int width, int height,
            int framerate, List<String> destinations) {
    }
}
