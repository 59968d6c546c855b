package io.mjpegrtp.camera.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.FrameSink;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoBackendTest {
    /** A backend that only answers whether it can run here. */
    record FakeBackend(Availability availability) implements CaptureBackend {
        static FakeBackend runs(String note) {
            return new FakeBackend(Availability.yes(note));
        }

        static FakeBackend cannot(String why) {
            return new FakeBackend(Availability.no(why));
        }

        @Override
        public Capture start(CaptureRequest request, FrameSink sink) {
            throw new AssertionError("choosing a backend must not start it");
        }
    }

    @Test
    void withOnlyTheTestPatternItPicksItAndSaysWhyEachRealCameraWasSkipped() {
        Map<String, CaptureBackend> installed = new HashMap<>();
        installed.put("testpattern", FakeBackend.runs("pure Java"));
        installed.put("v4l2", FakeBackend.cannot("no V4L2 device"));
        installed.put("file", FakeBackend.runs("replays files")); // never picked: not a camera

        AutoBackend.Choice choice = AutoBackend.choose(installed);

        assertEquals("testpattern", choice.name());
        assertSame(installed.get("testpattern"), choice.backend());
        assertEquals("libcamera not installed; v4l2 cannot run here: no V4L2 device; avfoundation not installed",
                choice.why());
    }

    @Test
    void aRealCameraThatCanRunBeatsTheTestPatternInTheOrderLibcameraV4l2Avfoundation() {
        Map<String, CaptureBackend> installed = new HashMap<>();
        installed.put("testpattern", FakeBackend.runs("pure Java"));
        installed.put("avfoundation", FakeBackend.runs("FaceTime HD Camera"));
        assertEquals("avfoundation", AutoBackend.choose(installed).name());
        assertEquals("libcamera not installed; v4l2 not installed", AutoBackend.choose(installed).why());

        installed.put("v4l2", FakeBackend.runs("/dev/video0"));
        assertEquals("v4l2", AutoBackend.choose(installed).name());

        installed.put("libcamera", FakeBackend.cannot("no camera found by libcamera"));
        AutoBackend.Choice v4l2 = AutoBackend.choose(installed);
        assertEquals("v4l2", v4l2.name());
        assertEquals("libcamera cannot run here: no camera found by libcamera", v4l2.why());

        installed.put("libcamera", FakeBackend.runs("imx219"));
        AutoBackend.Choice first = AutoBackend.choose(installed);
        assertEquals("libcamera", first.name());
        assertEquals("imx219", first.why(), "nothing was skipped: the pick's own note");
    }

    @Test
    void withNothingThatCanRunThereIsNoChoiceAndEveryReasonIsGiven() {
        Map<String, CaptureBackend> installed = new HashMap<>();
        installed.put("v4l2", FakeBackend.cannot("no V4L2 device"));
        installed.put("testpattern", new CaptureBackend() {
            @Override
            public Availability availability() {
                throw new IllegalStateException("broken");
            }

            @Override
            public Capture start(CaptureRequest request, FrameSink sink) {
                throw new AssertionError("choosing a backend must not start it");
            }
        });

        AutoBackend.Choice choice = AutoBackend.choose(installed);

        assertFalse(choice.found());
        assertNull(choice.name());
        assertEquals("libcamera not installed; v4l2 cannot run here: no V4L2 device; avfoundation not installed; "
                + "testpattern cannot run here: java.lang.IllegalStateException: broken", choice.why());
        assertTrue(AutoBackend.choose(Map.of()).why().endsWith("testpattern not installed"));
    }

    @Test
    void autoIsAValidBackendSetting() throws Exception {
        assertEquals("auto", CameraSettings.parse(Map.of("backend", "Auto")).backend());
        assertNull(new SettingsValidator().apply(Map.of("backend", "auto")));
        assertEquals("rtsp", CameraSettings.parse(Map.of("backend", "rtsp")).backend(), "a plugin's backend");
    }
}
