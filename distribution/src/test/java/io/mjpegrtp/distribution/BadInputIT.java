package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad frames and bad camera files: each gets one clear line, and nothing else is lost. */
class BadInputIT {
    @TempDir
    Path work;

    @Test
    void badFilesInAReplayedFolderAreReportedOnceAndGoodFramesStillArrive() throws Exception {
        Path folder = work.resolve("pictures");
        Files.createDirectories(folder);
        List<Planes> good = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path jpeg = Fixtures.cjpeg(work, "good-" + i, 320, 240, i, "-quality", "80", "-sample", "2x2");
            Files.copy(jpeg, folder.resolve("a" + i + "-good.jpg"));
            good.add(Planes.read(Receivers.gstreamerDecode(work, jpeg), 320, 240, Planes.Chroma.YUV420, true));
        }
        Files.writeString(folder.resolve("b-notes.jpg"), "this is a text file, not a picture\n");
        byte[] whole = Files.readAllBytes(folder.resolve("a0-good.jpg"));
        Files.write(folder.resolve("c-truncated.jpg"), Arrays.copyOf(whole, whole.length / 2));
        Path yuv444 = Fixtures.cjpeg(work, "full-chroma", 320, 240, 7, "-quality", "80", "-sample", "1x1");
        Files.copy(yuv444, folder.resolve("d-444.jpg"));

        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "replay", "backend = file", "device = " + folder, "framerate = 10",
                "destination = 127.0.0.1:15300");
        try (RunningDistribution d = new RunningDistribution(work, config)) {
            d.awaitLine(l -> l.contains("replay: streaming"), Duration.ofSeconds(30), "saying the replay streams");
            List<Path> frames = Receivers.gstreamer(work, "replay", 15300, 2500);
            assertTrue(frames.size() >= 8, "GStreamer decoded " + frames.size() + " frames in 2.5 s at 10 fps");
            for (Path f : frames) {
                Planes actual = Planes.read(f, 320, 240, Planes.Chroma.YUV420, true);
                int matches = 0;
                for (Planes g : good) {
                    try {
                        Planes.assertSameSamples(g, actual, f.toString());
                        matches++;
                    } catch (AssertionError e) {
                        // not this one
                    }
                }
                assertEquals(1, matches, f + " is exactly one of the good pictures");
            }
            d.terminate();
            for (String bad : List.of("b-notes.jpg", "c-truncated.jpg", "d-444.jpg")) {
                assertEquals(1, d.count(l -> l.contains(bad)), "one log line names " + bad + "; log:\n"
                        + String.join("\n", d.lines()));
            }
            assertTrue(d.count(l -> l.contains("d-444.jpg") && l.contains("4:4:4")) == 1,
                    "the 4:4:4 picture's line names the sampling");
            String summary = d.awaitLine(l -> l.contains("replay: stopped;"), Duration.ofSeconds(1), "with totals");
            Matcher m = Pattern.compile("(\\d+) rejected").matcher(summary);
            assertTrue(m.find(), summary);
            assertTrue(Long.parseLong(m.group(1)) >= 3, "every bad picture is counted: " + summary);
        }
    }

    @Test
    void invalidCameraFilesAreRejectedByNameWhileTheOtherCameraStreams() throws Exception {
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "good", "backend = testpattern", "width = 320", "height = 240",
                "framerate = 10", "destination = 127.0.0.1:15310");
        RunningDistribution.writeCamera(config, "bad-port", "destination = 127.0.0.1:70000");
        RunningDistribution.writeCamera(config, "bad-backend", "backend = web/cam");
        RunningDistribution.writeCamera(config, "bad-mtu", "mtu = 100", "destination = 127.0.0.1:15312");
        try (RunningDistribution d = new RunningDistribution(work, config)) {
            d.awaitLine(l -> l.contains("good: streaming"), Duration.ofSeconds(30), "saying the good camera streams");
            String port = d.awaitLine(l -> l.contains("bad-port: rejected"), Duration.ofSeconds(5), "rejecting port");
            assertTrue(port.contains(config.resolve("mjpeg.camera-bad-port.cfg").toString())
                    && port.contains("'destination'") && port.contains("70000") && port.contains("1..65534"), port);
            String backend = d.awaitLine(l -> l.contains("bad-backend: rejected"), Duration.ofSeconds(5),
                    "rejecting the backend");
            assertTrue(backend.contains("mjpeg.camera-bad-backend.cfg") && backend.contains("'backend'")
                    && backend.contains("web/cam") && backend.contains("testpattern | file"), backend);
            String mtu = d.awaitLine(l -> l.contains("bad-mtu: rejected"), Duration.ofSeconds(5), "rejecting the mtu");
            assertTrue(mtu.contains("mjpeg.camera-bad-mtu.cfg") && mtu.contains("'mtu'") && mtu.contains("100")
                    && mtu.contains("256..65507"), mtu);
            assertTrue(Receivers.gstreamer(work, "good-1", 15310, 1500).size() >= 5, "the good camera streams on");

            // An invalid edit of a streaming camera is refused and the camera keeps going as it was.
            RunningDistribution.writeCamera(config, "good", "backend = testpattern", "width = 320", "height = 240",
                    "framerate = 10", "destination = 127.0.0.1:15310", "dscp = 99");
            String dscp = d.awaitLine(l -> l.contains("good: rejected"), Duration.ofSeconds(10), "rejecting dscp 99");
            assertTrue(dscp.contains("'dscp'") && dscp.contains("0..63") && dscp.contains("Keeping the last good"), dscp);
            List<Path> after = Receivers.gstreamer(work, "good-2", 15310, 1500);
            assertTrue(after.size() >= 5, "the good camera still streams after the invalid edit: " + after.size());
            for (Path f : after) {
                Planes.read(f, 320, 240, Planes.Chroma.YUV420, true);
            }
        }
    }
}
