package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gst-test backend end to end: its bundle, the GStreamer bundle (gst1-java-core wrapped) and JNA dropped into
 * {@code plugins/} of a copy of the distribution; a camera with {@code backend = gst-test} streams RTP/JPEG that
 * a stock GStreamer receiver decodes as 4:2:0 pictures of the configured size.
 */
class GstTestBackendIT {
    private static final String CAMERA = "gst";
    private static final int PORT = 15480;
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final Path BUNDLES = RunningDistribution.HOME.getParent().getParent().getParent().resolve("bundles");

    @TempDir
    Path work;

    @Test
    void gstTestCameraStreamsToAGStreamerReceiver() throws Exception {
        Tools.require("gst-launch-1.0");
        Path home = RunningDistribution.copyOfHome(work.resolve("home"));
        // A distribution assembled with them in system/ is used as it is; an older one gets them as plugins.
        if (!inSystem(home, "io.mjpegrtp.capture.gsttest-")) {
            for (Path jar : List.of(jar("gstreamer/target", "io.mjpegrtp.gstreamer-"),
                    jar("gstreamer/target/osgi-deps", "jna-"),
                    jar("capture-gst-test/target", "io.mjpegrtp.capture.gsttest-"))) {
                if (!inSystem(home, jar.getFileName().toString().replaceFirst("-[0-9].*", "-"))) {
                    Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
                }
            }
        }
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, CAMERA, "backend = gst-test", "width = " + WIDTH, "height = " + HEIGHT,
                "framerate = 15", "destination = 127.0.0.1:" + PORT);

        try (RunningDistribution d = new RunningDistribution(home, work, config)) {
            d.awaitLine(l -> l.contains(CAMERA + ": streaming from gst-test"), Duration.ofSeconds(30),
                    "streaming from the gst-test backend");
            String backends = d.command("mjpeg:backends");
            assertTrue(backends.lines().anyMatch(l -> l.startsWith("gst-test") && l.contains(" yes ")), backends);

            List<Path> frames = Receivers.gstreamer(work, "gst-test", PORT, 3000);
            // 15 fps for 3 s, less the receiver's start-up.
            assertTrue(frames.size() >= 20, "frames decoded in 3 s at 15 fps: " + frames.size());
            int i420 = WIDTH * HEIGHT * 3 / 2; // jpegdec gives I420 for 4:2:0 JPEG
            List<byte[]> pictures = new ArrayList<>();
            for (Path f : frames) {
                byte[] raw = Files.readAllBytes(f);
                assertEquals(i420, raw.length, f + ": a " + WIDTH + "x" + HEIGHT + " 4:2:0 picture");
                pictures.add(raw);
            }
            assertTrue(!Arrays.equals(pictures.get(0), pictures.get(pictures.size() - 1)), "the ball moves");
            assertTrue(luma(pictures.get(0)) > 0, "not a black picture");

            String stats = d.command("mjpeg:cameras");
            assertTrue(stats.lines().anyMatch(l -> l.startsWith(CAMERA) && l.contains("streaming")), stats);
            assertEquals(List.of(), d.lines().stream().filter(l -> l.contains(" ERROR ")).toList(), "no errors logged");
        }
    }

    private static long luma(byte[] i420) {
        long sum = 0;
        for (int i = 0; i < WIDTH * HEIGHT; i++) {
            sum += i420[i] & 0xFF;
        }
        return sum / (WIDTH * HEIGHT);
    }

    private static boolean inSystem(Path home, String prefix) throws IOException {
        return Tools.files(home.resolve("system"), ".jar").stream()
                .anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    }

    private static Path jar(String dir, String prefix) throws IOException {
        for (Path p : Tools.files(BUNDLES.resolve(dir), ".jar")) {
            String name = p.getFileName().toString();
            if (name.startsWith(prefix) && !name.endsWith("-sources.jar") && !name.endsWith("-tests.jar")) {
                return p;
            }
        }
        throw new AssertionError("no " + prefix + "*.jar in bundles/" + dir
                + "; run mvn -pl bundles/gstreamer,bundles/capture-gst-test install");
    }
}
