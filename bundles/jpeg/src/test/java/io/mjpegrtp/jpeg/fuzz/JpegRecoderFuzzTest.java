package io.mjpegrtp.jpeg.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
import io.mjpegrtp.jpeg.JpegRecoder;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Jazzer fuzz test of the lossless Huffman re-coder (issue 3, items 1 and 5): any exception other than
 * {@link JpegFormatException} fails, and so does an output that {@link JpegParser} does not accept as
 * RFC 2435-ready, an output that re-codes to different bytes, or allocation out of proportion to the input.
 * Seeds: {@code JpegRecoderFuzzTestInputs/}. The long run works as in {@link JpegParserFuzzTest}, with
 * {@code -Dtest=JpegRecoderFuzzTest} and its own corpus directory (e.g. target/fuzz-corpus-recoder).
 */
class JpegRecoderFuzzTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final JpegRecoder recoder = new JpegRecoder();
    private final JpegRecoder second = new JpegRecoder();
    private final JpegParser parser = new JpegParser();
    private final JpegInfo info = new JpegInfo();

    @FuzzTest(maxDuration = "30s")
    void recode(byte[] data) {
        check(data);
        // Measured on a second pass: the first may grow the re-coder's reused buffers or load classes.
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        check(data);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024 + 64L * data.length, () -> allocated + " bytes allocated for "
                + data.length + " bytes of input");
    }

    private void check(byte[] data) {
        final ByteBuffer out;
        try {
            out = recoder.recode(ByteBuffer.wrap(data));
        } catch (JpegFormatException rejected) {
            assertTrue(rejected.getMessage() != null && !rejected.getMessage().contains("\n"), "one-line message");
            return;
        }
        try {
            parser.parse(out, info);
        } catch (JpegFormatException e) {
            fail("re-coded output is not RFC 2435-ready: " + e.getMessage());
        }
        assertTrue(info.scanLength() <= JpegRecoder.MAX_SCAN_BYTES);
        try {
            // Already standard: re-coding again must change nothing.
            assertEquals(out, second.recode(out.duplicate()), "re-coding is idempotent");
        } catch (JpegFormatException e) {
            fail("re-coded output is rejected by the re-coder: " + e.getMessage());
        }
    }
}
