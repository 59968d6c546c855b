package io.mjpegrtp.api;

/** Where a camera is in its life. */
public enum CameraState {
    /** Configured and starting its capture. */
    STARTING,
    /** Frames are flowing. */
    STREAMING,
    /** The capture failed; it is restarted after a back-off. */
    RESTARTING,
    /** The configured backend or transport is not installed (or cannot run here). */
    WAITING,
    /** Stopped by an operator. */
    STOPPED,
    /** The configuration was rejected and there is no earlier good one. */
    FAILED;

    /** Lower-case name for people and metrics. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
