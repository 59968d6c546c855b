package io.mjpegrtp.rtp;

import io.mjpegrtp.testfixtures.Fixtures;
import static io.mjpegrtp.testfixtures.Fixtures.cjpeg;
import static io.mjpegrtp.testfixtures.Fixtures.djpeg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stock receivers decode our packets into the same samples as the original file: GStreamer's
 * rtpjpegdepay (decoded by djpeg) and FFmpeg opening our SDP (compared with FFmpeg decoding the file).
 * Skipped where the receiver is not installed; the end-to-end tests of the distribution cover CI.
 */
class ReceiverInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        Fixtures.requireTools();
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** An even UDP port whose successor (RTCP) is free too. */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port;
            try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                port = ((InetSocketAddress) probe.getLocalAddress()).getPort() & ~1;
            }
            try (DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1))) {
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no free UDP port pair");
    }

    /** Sends the frame every 40 ms, as a camera would, until {@code done} or 30 s. */
    private static void stream(byte[] jpeg, int port, Process receiver, BooleanSupplier done) throws Exception {
        JpegInfo info = new JpegInfo();
        new JpegParser().parse(ByteBuffer.wrap(jpeg), info);
        RtpClock clock = new RtpClock();
        RtpJpegPacketizer p = new RtpJpegPacketizer(RtpClock.randomSsrc(), RtpClock.randomSequence(), 1400);
        ByteBuffer frame = ByteBuffer.wrap(jpeg);
        try (DatagramChannel tx = DatagramChannel.open()
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            ByteBuffer[] gather = new ByteBuffer[2];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!done.getAsBoolean() && receiver.isAlive() && System.nanoTime() < deadline) {
                p.packetize(frame, info, clock.timestamp(System.nanoTime()), (h, pl, m) -> {
                    gather[0] = h;
                    gather[1] = pl;
                    try {
                        tx.write(gather);
                    } catch (java.net.PortUnreachableException notYetListening) {
                        // the receiver is still starting
                    }
                });
                Thread.sleep(40);
            }
        }
    }

    private Process start(List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({"64, 48, -sample 2x2 -restart 1", "64, 48, -sample 2x1", "2048, 16, -sample 2x2", "34, 18, -sample 2x1"})
    void gstreamerRtpjpegdepay(int w, int h, String options) throws Exception {
        assertTrue(onPath("gst-launch-1.0"), "gst-launch-1.0 is not installed (./run-tests installs it)");
        byte[] jpeg = cjpeg(w, h, options.split(" "));
        int port = freePortPair();
        String caps = "application/x-rtp,media=video,clock-rate=90000,encoding-name=JPEG,payload=26"
                + (w > 2040 || h > 2040 ? ",x-dimensions=(string)\"" + w + "," + h + "\"" : "");
        Process gst = start(List.of("gst-launch-1.0", "-q", "udpsrc", "address=127.0.0.1", "port=" + port,
                "caps=" + caps, "!", "rtpjpegdepay", "!", "multifilesink", "location=" + dir.resolve("f%05d.jpg")));
        try {
            // The second file existing means the first one is complete.
            stream(jpeg, port, gst, () -> Files.exists(dir.resolve("f00001.jpg")));
        } finally {
            stop(gst);
        }
        assertTrue(Files.exists(dir.resolve("f00001.jpg")), "GStreamer produced no frame: "
                + Files.readString(dir.resolve("log.txt")));
        byte[] received = Files.readAllBytes(dir.resolve("f00000.jpg"));
        if (w % 8 == 0 && h % 8 == 0 || w > 2040) {
            assertArrayEquals(djpeg(jpeg), djpeg(received));
        } else { // 8-pixel units: compare the real area, without cross-edge chroma smoothing
            assertArrayEquals(djpeg(jpeg, "-nosmooth"), Fixtures.cropPpm(djpeg(received, "-nosmooth"), w, h));
        }
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({"64, 48, -sample 2x2", "64, 48, -sample 2x1 -restart 1", "640, 480, -quality 90 -sample 2x2 -restart 2B"})
    void ffmpegOpensTheSdp(int w, int h, String options) throws Exception {
        assertTrue(onPath("ffmpeg"), "ffmpeg is not installed (./run-tests installs it)");
        byte[] jpeg = cjpeg(w, h, options.split(" "));
        Path original = dir.resolve("original.jpg");
        Files.write(original, jpeg);
        int port = freePortPair();
        Path sdp = dir.resolve("cam.sdp");
        Files.writeString(sdp, SessionDescription.forJpegStream("interop", "127.0.0.1", port, w, h, 25, 0));
        Path out = dir.resolve("out.yuv");
        // Native pixel format: no colour conversion, so both decodings go through the same code only.
        Process ffmpeg = start(List.of("ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", "file,udp,rtp",
                "-i", sdp.toString(), "-frames:v", "1", "-f", "rawvideo", "-y", out.toString()));
        try {
            stream(jpeg, port, ffmpeg, () -> false);
            assertTrue(ffmpeg.waitFor(10, TimeUnit.SECONDS));
        } finally {
            stop(ffmpeg);
        }
        assertTrue(Files.size(out) > 0, "FFmpeg decoded nothing: " + Files.readString(dir.resolve("log.txt")));
        List<String> decodeFile = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", original.toString(),
                "-f", "rawvideo", "-"));
        assertArrayEquals(Fixtures.run(decodeFile, null), Files.readAllBytes(out));
    }
}
