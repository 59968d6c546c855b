package io.mjpegrtp.gstreamer;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.FrameSink;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * GStreamer as a service. It is registered even when GStreamer cannot be loaded on this machine;
 * {@link #availability()} then says why, so a backend can tell its users.
 */
@ProviderType
public interface GStreamer {
    /** The name the appsink of a pipeline description must have. */
    String SINK_NAME = "sink";

    /** Whether GStreamer was initialised, with its version, or why it could not be. */
    Availability availability();

    /** Whether an element factory of this name is installed (false when GStreamer is not available). */
    boolean hasElement(String factoryName);

    /** The names among {@code factoryNames} that are not installed, in the given order; empty when all are. */
    default List<String> missingElements(String... factoryNames) {
        return java.util.Arrays.stream(factoryNames).filter(n -> !hasElement(n)).toList();
    }

    /**
     * Runs a pipeline description (gst-launch syntax) ending in {@code appsink name=sink} that produces complete
     * JPEG pictures. Each sample's buffer is mapped read-only and handed to {@code sink} as a frame whose data is
     * the mapped memory (a direct buffer, not a copy); releasing the frame unmaps the buffer and frees the sample.
     * The capture time of a frame is its presentation timestamp on the pipeline clock, mapped to
     * {@link System#nanoTime()}. A bus error or end of stream is reported once through
     * {@link FrameSink#failed(String, Throwable)} and stops the pipeline. Closing the capture stops the pipeline,
     * waits for its thread and frees it; frames already handed over stay valid until released.
     *
     * @param camera the camera's name, for log lines and thread names
     * @param description the pipeline, e.g. {@code videotestsrc ! jpegenc ! appsink name=sink}
     * @throws CaptureException when GStreamer is not available, the description does not parse, has no
     *             {@code appsink name=sink}, or the pipeline cannot be started
     */
    Capture start(String camera, String description, FrameSink sink) throws CaptureException;
}
