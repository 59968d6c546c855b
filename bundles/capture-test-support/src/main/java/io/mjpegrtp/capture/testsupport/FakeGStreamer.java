package io.mjpegrtp.capture.testsupport;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import java.util.List;

/** A GStreamer that is (or is not) available with every element but {@code missing}; it never starts anything. */
public record FakeGStreamer(Availability availability, List<String> missing) implements GStreamer {
    @Override
    public boolean hasElement(String factoryName) {
        return availability.available() && !missing.contains(factoryName);
    }

    @Override
    public Capture start(String camera, String description, FrameSink sink) throws CaptureException {
        throw new CaptureException("fake");
    }
}
