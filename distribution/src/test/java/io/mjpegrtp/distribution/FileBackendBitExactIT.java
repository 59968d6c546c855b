package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays JPEG files through the real distribution (file backend, UDP transport) and decodes the streams with
 * stock receivers: every decoded frame must equal the decoded source file, sample for sample, over the real size.
 */
class FileBackendBitExactIT {
    record Case(String name, int width, int height, Planes.Chroma chroma, boolean restart, String... cjpeg) {
        int port(List<Case> all) {
            return 15100 + 2 * all.indexOf(this);
        }
    }

    @TempDir
    static Path work;
    static final List<Case> CASES = new ArrayList<>();
    static RunningDistribution distribution;

    @BeforeAll
    static void startStreams() throws Exception {
        Path oneTable = Fixtures.oneTable(work);
        CASES.add(new Case("yuv420-q85", 640, 480, Planes.Chroma.YUV420, false, "-quality", "85", "-sample", "2x2"));
        CASES.add(new Case("yuv422-q85", 640, 480, Planes.Chroma.YUV422, false, "-quality", "85", "-sample", "2x1"));
        CASES.add(new Case("yuv420-restart", 640, 480, Planes.Chroma.YUV420, true, "-quality", "85", "-sample", "2x2",
                "-restart", "1"));
        CASES.add(new Case("yuv422-restart", 640, 480, Planes.Chroma.YUV422, true, "-quality", "75", "-sample", "2x1",
                "-restart", "7B"));
        CASES.add(new Case("one-table", 640, 480, Planes.Chroma.YUV420, false, "-quality", "85", "-sample", "2x2",
                "-qtables", oneTable.toString(), "-qslots", "0"));
        CASES.add(new Case("odd-1918x1078", 1918, 1078, Planes.Chroma.YUV420, false, "-quality", "85", "-sample",
                "2x2"));
        CASES.add(new Case("quality-100", 640, 480, Planes.Chroma.YUV420, false, "-quality", "100", "-sample", "2x2"));
        CASES.add(new Case("quality-5", 640, 480, Planes.Chroma.YUV422, false, "-quality", "5", "-baseline", "-sample", "2x1"));
        Path config = work.resolve("config");
        for (Case c : CASES) {
            Path jpeg = Fixtures.cjpeg(work, c.name, c.width, c.height, CASES.indexOf(c), c.cjpeg);
            RunningDistribution.writeCamera(config, c.name, "backend = file", "device = " + jpeg,
                    "framerate = 4", "destination = 127.0.0.1:" + c.port(CASES));
        }
        distribution = new RunningDistribution(work, config);
        for (Case c : CASES) {
            distribution.awaitLine(l -> l.contains(c.name + ": streaming"), Duration.ofSeconds(30),
                    "saying " + c.name + " streams");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (distribution != null) {
            distribution.close();
        }
    }

    @Test
    void gstreamerDecodesEveryCaseBitExactly() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            Path jpeg = work.resolve(c.name + ".jpg");
            Planes expected = Planes.read(Receivers.gstreamerDecode(work, jpeg), c.width, c.height,
                    Planes.Chroma.YUV420, true) /* jpegdec gives I420 for 4:2:2 too, for source and stream alike */;
            List<Path> frames = Receivers.gstreamer(work, c.name, c.port(CASES), 1600);
            try {
                assertTrue(frames.size() >= 2, c.name + ": GStreamer decoded " + frames.size() + " frames in 1.6 s at 4 fps");
                for (Path f : frames) {
                    Planes actual = Planes.read(f, Planes.ru(c.width, 8), Planes.ru(c.height, 8), Planes.Chroma.YUV420, true);
                    Planes.assertSameSamples(expected, actual, c.name + " " + f.getFileName());
                }
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void ffmpegDecodesEveryCaseBitExactly() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            if (c.restart) {
                continue; // FFmpeg's RTP/JPEG depacketizer does not implement types 64-127 (see README)
            }
            Path jpeg = work.resolve(c.name + ".jpg");
            byte[] ref = Files.readAllBytes(Receivers.ffmpegDecode(work, jpeg));
            Planes expected = Planes.frame(ref, 0, c.width, c.height, c.chroma);
            Path sdp = distribution.sdp.resolve(c.name + ".sdp");
            try {
                assertTrue(Files.exists(sdp), c.name + ": the runtime wrote " + sdp);
                byte[] received = Receivers.ffmpeg(work, sdp, 2);
                int w = Planes.ru(c.width, 8);
                int h = Planes.ru(c.height, 8);
                int size = Planes.frameSize(w, h, c.chroma, false);
                assertTrue(received.length >= 2 * size, c.name + ": FFmpeg wrote " + received.length
                        + " bytes, expected 2 frames of " + size);
                for (int i = 0; i < 2; i++) {
                    Planes.assertSameSamples(expected, Planes.frame(received, i, w, h, c.chroma), c.name + " frame " + i);
                }
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
