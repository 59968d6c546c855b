package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution as shipped: two test-pattern cameras that stock receivers decode. */
class DefaultConfigIT {
    @TempDir
    Path work;

    @Test
    void defaultConfigStreamsBothCamerasToGStreamerAndFfmpeg() throws Exception {
        Path config = work.resolve("config");
        Files.createDirectories(config);
        for (Path cfg : Tools.files(RunningDistribution.HOME.resolve("config"), ".cfg")) {
            Files.copy(cfg, config.resolve(cfg.getFileName()));
        }
        try (RunningDistribution d = new RunningDistribution(work, config)) {
            for (String cam : List.of("cam0", "cam1")) {
                d.awaitLine(l -> l.contains(cam + ": streaming"), Duration.ofSeconds(30), "saying " + cam + " streams");
                String sdpLine = d.awaitLine(l -> l.contains(cam + ": sending to udp://127.0.0.1:"),
                        Duration.ofSeconds(5), "telling where " + cam + " sends");
                assertTrue(sdpLine.contains("SDP file " + d.sdp.resolve(cam + ".sdp")), sdpLine);
                d.awaitLine(l -> l.contains(cam + ":   view with: gst-launch-1.0 udpsrc port="), Duration.ofSeconds(5),
                        "with a gst-launch command for " + cam);
                d.awaitLine(l -> l.contains(cam + ":   view with: ffplay ") && l.contains(cam + ".sdp"),
                        Duration.ofSeconds(5), "with an ffplay command for " + cam);
            }
            for (int port : new int[] { 5000, 5002 }) {
                List<Path> frames = Receivers.gstreamer(work, "default-" + port, port, 2000);
                assertTrue(frames.size() >= 10, "GStreamer decoded " + frames.size() + " frames of port " + port
                        + " in 2 s at 30 fps");
                for (Path f : frames) {
                    Planes.read(f, 1280, 720, Planes.Chroma.YUV420, true); // checks the size of each frame
                }
                byte[] first = Files.readAllBytes(frames.get(0));
                byte[] last = Files.readAllBytes(frames.get(frames.size() - 1));
                assertFalse(Arrays.equals(first, last), "the test pattern moves: first and last frame differ");
            }
            byte[] ffmpeg = Receivers.ffmpeg(work, d.sdp.resolve("cam0.sdp"), 3);
            assertEquals(3 * Planes.frameSize(1280, 720, Planes.Chroma.YUV420, false), ffmpeg.length,
                    "FFmpeg decoded three 1280x720 4:2:0 frames from the runtime's SDP file");

            long[] stopped = d.terminate();
            System.out.println("stopped " + stopped[0] + " ms after SIGTERM, exit code " + stopped[1]);
            assertTrue(d.count(l -> l.contains("cam0: stopped;")) == 1, "cam0 reports its totals when stopping");
            assertTrue(d.count(l -> l.contains("cam1: stopped;")) == 1, "cam1 reports its totals when stopping");
        }
    }
}
