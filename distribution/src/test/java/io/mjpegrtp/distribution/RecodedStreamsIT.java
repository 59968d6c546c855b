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
 * JPEGs that RFC 2435 cannot carry as they are, but can after lossless re-coding (other Huffman tables, FFmpeg's
 * 4:2:2 layout, grayscale), and a picture larger than 2040 pixels: stock receivers must decode exactly the source.
 */
class RecodedStreamsIT {
    /** How a decoded stream is compared: the whole picture, or luma only with neutral chroma (grayscale). */
    record Case(String name, int width, int height, Planes.Chroma ffmpegChroma, boolean gray, int framerate,
            String... command) {
        int port(List<Case> all) {
            return 15500 + 2 * all.indexOf(this);
        }
    }

    @TempDir
    static Path work;
    static final List<Case> CASES = new ArrayList<>();
    static RunningDistribution distribution;

    @BeforeAll
    static void startStreams() throws Exception {
        CASES.add(new Case("optimized-420", 640, 480, Planes.Chroma.YUV420, false, 4, "cjpeg", "-optimize",
                "-quality", "85", "-sample", "2x2"));
        CASES.add(new Case("optimized-422-restart", 640, 480, Planes.Chroma.YUV422, false, 4, "cjpeg", "-optimize",
                "-quality", "90", "-sample", "2x1", "-restart", "2"));
        CASES.add(new Case("grayscale", 320, 240, Planes.Chroma.GRAY, true, 4, "cjpeg", "-grayscale", "-quality", "85"));
        CASES.add(new Case("ffmpeg-yuvj422p", 640, 480, Planes.Chroma.YUV422, false, 4, "ffmpeg"));
        CASES.add(new Case("imx219-3280x2464", 3280, 2464, Planes.Chroma.YUV420, false, 2, "cjpeg", "-quality", "85",
                "-sample", "2x2"));
        Path config = work.resolve("config");
        for (Case c : CASES) {
            Path jpeg = make(c);
            // width/height as the pictures have them: the SDP and the printed caps announce the configured size.
            RunningDistribution.writeCamera(config, c.name, "backend = file", "device = " + jpeg,
                    "width = " + c.width, "height = " + c.height,
                    "framerate = " + c.framerate, "destination = 127.0.0.1:" + c.port(CASES));
        }
        distribution = new RunningDistribution(work, config);
        for (Case c : CASES) {
            distribution.awaitLine(l -> l.contains(c.name + ": streaming"), Duration.ofSeconds(30),
                    "saying " + c.name + " streams");
        }
    }

    static Path make(Case c) throws Exception {
        Path out = work.resolve(c.name + ".jpg");
        if (c.command[0].equals("ffmpeg")) {
            // FFmpeg's own encoder: optimal Huffman tables and its 4:2:2 layout (luma 2x1? see SOF), as webcams' tools make.
            Path ppm = Fixtures.ppm(work, c.width, c.height, 11);
            Tools.run(work, "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", ppm.toString(),
                    "-pix_fmt", "yuvj422p", "-q:v", "3", "-frames:v", "1", "-y", out.toString());
            return out;
        }
        List<String> options = List.of(c.command).subList(1, c.command.length);
        return Fixtures.cjpeg(work, c.name, c.width, c.height, CASES.indexOf(c), options.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        if (distribution != null) {
            distribution.close();
        }
    }

    @Test
    void gstreamerDecodesTheSourcePictureExactly() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            Path jpeg = work.resolve(c.name + ".jpg");
            // jpegdec gives GRAY8 for a grayscale JPEG and I420 for everything else.
            Planes expected = Planes.read(Receivers.gstreamerDecode(work, jpeg), c.width, c.height,
                    c.gray ? Planes.Chroma.GRAY : Planes.Chroma.YUV420, true);
            String caps = c.width > 2040 || c.height > 2040 ? Receivers.capsWithDimensions(c.width, c.height)
                    : Receivers.RTP_CAPS;
            int w = c.width > 2040 ? c.width : Planes.ru(c.width, 8);
            int h = c.height > 2040 ? c.height : Planes.ru(c.height, 8);
            List<Path> frames = Receivers.gstreamer(work, c.name, c.port(CASES), c.framerate >= 4 ? 1600 : 2600, caps);
            try {
                assertTrue(frames.size() >= 2, c.name + ": GStreamer decoded " + frames.size() + " frames");
                for (Path f : frames) {
                    Planes actual = Planes.read(f, w, h, Planes.Chroma.YUV420, true);
                    if (c.gray) {
                        Planes.assertGrayIn(expected, actual, c.name + " " + f.getFileName());
                    } else {
                        Planes.assertSameSamples(expected, actual, c.name + " " + f.getFileName());
                    }
                }
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            } finally {
                for (Path f : frames) {
                    Files.deleteIfExists(f);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(distribution.count(l -> l.contains("frame dropped")) == 0,
                "no frame was dropped: " + distribution.lines());
    }

    @Test
    void aPictureAbove2040PixelsCarriesItsSizeInTheSdpAndThePrintedCaps() throws Exception {
        String view = distribution.awaitLine(l -> l.contains("imx219-3280x2464:   view with: gst-launch-1.0"),
                Duration.ofSeconds(5), "with a gst-launch command for the 3280x2464 camera");
        assertTrue(view.contains("x-dimensions=(string)\\\"3280,2464\\\""), view);
        String sdp = Files.readString(distribution.sdp.resolve("imx219-3280x2464.sdp"));
        assertTrue(sdp.contains("a=x-dimensions:3280,2464\r\n"), sdp);
    }

    @Test
    void ffmpegDecodesTheSourcePictureExactly() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            if (c.width > 2040 || c.height > 2040) {
                continue; // checked with GStreamer, which takes the size from the caps (x-dimensions)
            }
            Path jpeg = work.resolve(c.name + ".jpg");
            byte[] ref = Files.readAllBytes(Receivers.ffmpegDecode(work, jpeg));
            Planes expected = Planes.frame(ref, 0, c.width, c.height, c.ffmpegChroma);
            try {
                byte[] received = Receivers.ffmpeg(work, distribution.sdp.resolve(c.name + ".sdp"), 2);
                int w = Planes.ru(c.width, 8);
                int h = Planes.ru(c.height, 8);
                Planes.Chroma sent = c.gray ? Planes.Chroma.YUV420 : c.ffmpegChroma;
                for (int i = 0; i < 2; i++) {
                    Planes actual = Planes.frame(received, i, w, h, sent);
                    if (c.gray) {
                        Planes.assertGrayIn(expected, actual, c.name + " frame " + i);
                    } else {
                        Planes.assertSameSamples(expected, actual, c.name + " frame " + i);
                    }
                }
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
