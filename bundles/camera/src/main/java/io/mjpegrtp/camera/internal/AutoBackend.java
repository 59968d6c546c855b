package io.mjpegrtp.camera.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.CaptureBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code backend = auto} means: the first backend in {@link #PREFERENCE} that is installed and can run here.
 * A real camera beats the test picture: libcamera (a Raspberry Pi with a camera), then V4L2 (a /dev/video
 * device), then AVFoundation (macOS), then the test pattern, which runs anywhere. The camera asks again whenever
 * backends come or go.
 */
final class AutoBackend {
    static final String NAME = "auto";
    static final List<String> PREFERENCE = List.of("libcamera", "v4l2", "avfoundation", "testpattern");

    /**
     * The outcome of one choice.
     *
     * @param name the backend picked, or {@code null} when none of {@link #PREFERENCE} can run here
     * @param backend the service picked, or {@code null}
     * @param why why the preferred ones were skipped, or what the first choice runs on when none was
     */
    record Choice(String name, CaptureBackend backend, String why) {
        boolean found() {
            return backend != null;
        }
    }

    private AutoBackend() {
    }

    /** Picks from {@code installed} (backend name to service); asks each candidate whether it can run here. */
    static Choice choose(Map<String, CaptureBackend> installed) {
        List<String> skipped = new ArrayList<>();
        for (String name : PREFERENCE) {
            CaptureBackend backend = installed.get(name);
            if (backend == null) {
                skipped.add(name + " not installed");
                continue;
            }
            Availability availability = availability(backend);
            if (!availability.available()) {
                skipped.add(name + " cannot run here: " + availability.reason());
                continue;
            }
            return new Choice(name, backend, skipped.isEmpty() ? availability.reason() : String.join("; ", skipped));
        }
        return new Choice(null, null, String.join("; ", skipped));
    }

    /** A backend whose check throws cannot run here; the exception is the reason. */
    static Availability availability(CaptureBackend backend) {
        try {
            Availability a = backend.availability();
            return a != null ? a : Availability.no("it did not say whether it can run here");
        } catch (RuntimeException e) {
            return Availability.no(e.toString());
        }
    }
}
