package io.mjpegrtp.rtp;

import io.mjpegrtp.testfixtures.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Frames up to RFC 2435's 24-bit fragment offset limit go out whole; longer ones are refused with a reason. */
class LargeFrameTest {
    /** A real JPEG's headers followed by a scan of {@code scanBytes} bytes (content is not decoded here). */
    static ByteBuffer frameWithScan(int scanBytes) throws Exception {
        byte[] small = Fixtures.cjpeg(16, 16, "-quality", "85");
        JpegInfo info = new JpegInfo();
        new JpegParser().parse(ByteBuffer.wrap(small), info);
        byte[] big = Arrays.copyOf(small, info.scanOffset() + scanBytes + 2);
        Arrays.fill(big, info.scanOffset(), info.scanOffset() + scanBytes, (byte) 0x5A);
        big[big.length - 2] = (byte) 0xFF;
        big[big.length - 1] = (byte) 0xD9;
        return ByteBuffer.wrap(big);
    }

    @Test
    void aScanOfExactly16MiBIsPacketizedWithContiguousOffsets() throws Exception {
        ByteBuffer frame = frameWithScan(JpegParser.MAX_SCAN_BYTES);
        JpegInfo info = new JpegInfo();
        new JpegParser().parse(frame, info);
        assertEquals(1 << 24, info.scanLength());
        long[] next = { 0 };
        int[] count = { 0 };
        int packets = new RtpJpegPacketizer(1, 0, 65507).packetize(frame, info, 0, (header, payload, marker) -> {
            int offset = (header.get(header.position() + 13) & 0xFF) << 16
                    | (header.get(header.position() + 14) & 0xFF) << 8 | header.get(header.position() + 15) & 0xFF;
            assertEquals(next[0], offset, "fragment offsets are contiguous");
            assertTrue(offset < 1 << 24, "every offset fits 24 bits");
            next[0] += payload.remaining();
            count[0]++;
        });
        assertEquals(1L << 24, next[0], "the whole scan is sent");
        assertEquals(count[0], packets);
    }

    @Test
    void aLongerScanIsRejectedWithTheLimitNamed() throws Exception {
        ByteBuffer frame = frameWithScan(JpegParser.MAX_SCAN_BYTES + 1);
        JpegFormatException e = assertThrows(JpegFormatException.class,
                () -> new JpegParser().parse(frame, new JpegInfo()));
        assertTrue(e.getMessage().contains("24-bit fragment offsets"), e.getMessage());
    }
}
