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
     * What a source element offers, asked in READY state: for {@code v4l2src} that opens the device and lists its
     * formats, sizes and frame rates. One entry per caps structure, as GStreamer prints it, e.g. {@code image/jpeg,
     * width=(int)1280, height=(int)720, pixel-aspect-ratio=(fraction)1/1, framerate=(fraction){ 30/1, 15/1 }}.
     * The element is set back to NULL (the device closed) before this returns. Empty when the element offers
     * anything (ANY caps). The default cannot probe: it is for services other than this bundle's.
     *
     * @param source one source element with its properties, e.g. {@code v4l2src device=/dev/video0}
     * @throws CaptureException when GStreamer is not available, the description is not one element, or the element
     *             cannot reach READY (no such device, not a capture device, busy...); the message says why
     * @since 1.1
     */
    default List<String> sourceCaps(String source) throws CaptureException {
        throw new CaptureException("gstreamer: this GStreamer service cannot list what \"" + source + "\" offers");
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
