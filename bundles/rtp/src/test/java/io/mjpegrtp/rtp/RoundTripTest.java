package io.mjpegrtp.rtp;

import io.mjpegrtp.testfixtures.Fixtures;
import static io.mjpegrtp.testfixtures.Fixtures.cjpeg;
import static io.mjpegrtp.testfixtures.Fixtures.djpeg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What DESIGN.md calls correct: packetize, rebuild with {@link RtpJpegDepacketizer}, decode, and compare the samples
 * with the decoding of the original file by the same decoder (djpeg), byte for byte.
 */
class RoundTripTest {
    @BeforeAll
    static void tools() {
        Fixtures.requireTools();
    }

    static Stream<Arguments> pictures() {
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            table.append(2 + i / 3).append(i % 8 == 7 ? "\n" : " ");
        }
        String oneTable = Fixtures.textFile("one-table.txt", table.toString());
        byte[] plain = cjpeg(64, 48, "-sample", "2x2");
        return Stream.of(
                Arguments.of("4:2:0", 64, 48, cjpeg(64, 48, "-sample", "2x2")),
                Arguments.of("4:2:2", 64, 48, cjpeg(64, 48, "-sample", "2x1")),
                Arguments.of("4:2:0 restart 1 row", 64, 48, cjpeg(64, 48, "-sample", "2x2", "-restart", "1")),
                Arguments.of("4:2:2 restart 2 MCUs", 64, 48, cjpeg(64, 48, "-sample", "2x1", "-restart", "2B")),
                Arguments.of("one table", 64, 48, cjpeg(64, 48, "-qtables", oneTable, "-qslots", "0", "-sample", "2x2")),
                Arguments.of("quality 100", 64, 48, cjpeg(64, 48, "-quality", "100", "-sample", "2x2")),
                Arguments.of("quality 5 baseline", 64, 48, cjpeg(64, 48, "-quality", "5", "-baseline", "-sample", "2x1")),
                Arguments.of("odd 33x17 4:2:0", 33, 17, cjpeg(33, 17, "-sample", "2x2")),
                Arguments.of("odd 33x17 4:2:2 restart", 33, 17, cjpeg(33, 17, "-sample", "2x1", "-restart", "1B")),
                Arguments.of("even 34x18, not a multiple of 8", 34, 18, cjpeg(34, 18, "-sample", "2x2")),
                Arguments.of("1918x1078", 1918, 1078, cjpeg(1918, 1078, "-quality", "85", "-sample", "2x2")),
                Arguments.of("2048x16 (above 2040)", 2048, 16, cjpeg(2048, 16, "-sample", "2x1")),
                Arguments.of("EXIF thumbnail", 64, 48, Fixtures.afterSoi(plain,
                        Fixtures.exifApp1(cjpeg(160, 120, "-quality", "20", "-sample", "2x2", "-restart", "1")))),
                Arguments.of("no DHT (camera MJPEG)", 64, 48, Fixtures.without(plain, 0xC4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pictures")
    void receiverDecodesTheSamePicture(String name, int w, int h, byte[] jpeg) throws Exception {
        JpegInfo info = new JpegInfo();
        new JpegParser().parse(ByteBuffer.wrap(jpeg), info);
        byte[] original = djpeg(jpeg), originalNoSmooth = djpeg(jpeg, "-nosmooth");
        for (int mtu : new int[] {256, 1400}) {
            Capture c = new Capture();
            new RtpJpegPacketizer(RtpClock.randomSsrc(), RtpClock.randomSequence(), mtu)
                    .packetize(ByteBuffer.wrap(jpeg), info, 123456, c);
            List<byte[]> packets = c.packets;
            Packets.assertConformant(packets);
            // A receiver that knows the real size (SDP a=x-dimensions, caps) decodes the very same samples.
            assertArrayEquals(original, djpeg(Packets.rebuild(packets, w, h)), name + " mtu " + mtu);
            if (w <= 2040 && h <= 2040) {
                // One that only has the header's 8-pixel units decodes a larger picture; cropped, it is the same
                // as long as chroma upsampling does not look across the real edge (djpeg -nosmooth).
                byte[] decoded = djpeg(Packets.rebuild(packets, 0, 0), "-nosmooth");
                assertArrayEquals(originalNoSmooth, Fixtures.cropPpm(decoded, w, h), name + " header size, mtu " + mtu);
                if (w % 8 == 0 && h % 8 == 0) {
                    assertArrayEquals(original, djpeg(Packets.rebuild(packets, 0, 0)));
                }
            }
            assertTrue(packets.size() >= 1);
        }
    }
}
