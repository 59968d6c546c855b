package io.mjpegrtp.capture.testsupport;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real GStreamer with a camera's source element "installed": a pipeline it starts gets {@code replacement}
 * (a live {@code videotestsrc}) in place of its first element, so the rest of the backend's pipeline runs for real
 * where the hardware is absent. Remembers the descriptions it was given.
 */
public final class SourceStandIn implements GStreamer {
    public final List<String> started = new CopyOnWriteArrayList<>();
    private final GStreamer real;
    private final String element;
    private final String replacement;

    public SourceStandIn(GStreamer real, String element, String replacement) {
        this.real = real;
        this.element = element;
        this.replacement = replacement;
    }

    @Override
    public Availability availability() {
        return real.availability();
    }

    @Override
    public boolean hasElement(String factoryName) {
        return factoryName.equals(element) || real.hasElement(factoryName);
    }

    @Override
    public Capture start(String camera, String description, FrameSink sink) throws CaptureException {
        started.add(description);
        return real.start(camera, replacement + description.substring(description.indexOf(" ! ")), sink);
    }

    /** A sink for captures that must not start: drops whatever comes. */
    public static final class NoFrames implements FrameSink {
        @Override
        public void frame(io.mjpegrtp.api.Frame frame) {
            frame.release();
        }

        @Override
        public void frameRejected(String reason) {
        }

        @Override
        public void failed(String reason, Throwable cause) {
        }
    }
}
