package io.mjpegrtp.capture.testpattern.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.FrameSink;

import org.osgi.service.component.annotations.Component;

/** The default backend: a moving test picture encoded in pure Java, so a camera runs on any machine. */
@Component(property = CaptureBackend.PROPERTY + "=testpattern")
public final class TestPatternBackend implements CaptureBackend {
    /** The largest side accepted: a baseline JPEG allows 65535, but the pattern is built in memory uncompressed. */
    static final int MAX_SIDE = 4096;

    @Override
    public Availability availability() {
        return Availability.yes("pure Java, always available");
    }

    @Override
    public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
        if (request.width() < 1 || request.height() < 1 || request.width() > MAX_SIDE
                || request.height() > MAX_SIDE) {
            throw new CaptureException("testpattern: size " + request.width() + "x" + request.height()
                    + " is not supported; width and height must be 1.." + MAX_SIDE);
        }
        if (request.framerate() < 1 || request.framerate() > 1000) {
            throw new CaptureException("testpattern: framerate " + request.framerate()
                    + " is not supported; it must be 1..1000");
        }
        if (request.quality() < 1 || request.quality() > 100) {
            throw new CaptureException("testpattern: quality " + request.quality()
                    + " is not supported; it must be 1..100");
        }
        TestPatternCapture capture = new TestPatternCapture(request, sink);
        capture.start();
        return capture;
    }
}
