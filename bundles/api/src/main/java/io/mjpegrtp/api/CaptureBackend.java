package io.mjpegrtp.api;

/**
 * A source of JPEG frames, registered as an OSGi service with the property {@value #PROPERTY} naming it
 * ({@code backend=v4l2}); a camera finds its backend by that name.
 */
public interface CaptureBackend {
    /** The service property that names a backend. */
    String PROPERTY = "backend";

    /** Whether this backend can run here, and why not. */
    Availability availability();

    /**
     * Starts capturing. Frames arrive at {@code sink} on a thread of the backend's until the capture is closed.
     *
     * @throws CaptureException when the request cannot be served (no such device, unsupported size...)
     */
    Capture start(CaptureRequest request, FrameSink sink) throws CaptureException;
}
