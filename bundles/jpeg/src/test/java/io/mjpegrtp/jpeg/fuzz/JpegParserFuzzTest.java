package io.mjpegrtp.jpeg.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
import io.mjpegrtp.jpeg.JpegStreamSplitter;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Jazzer fuzz test of the JPEG parser and the stream splitter (issue 3, item 5). Any exception other than
 * {@link JpegFormatException}, an accepted picture whose reported scan lies outside the input, or an
 * allocation out of proportion to the input fails the test.
 *
 * <p>Plain {@code mvn test} runs only the seeds in {@code JpegParserFuzzTestInputs/} (Jazzer's regression
 * mode), which is what CI runs. A long coverage-guided run (JAZZER_FUZZ set; libFuzzer flags are passed as
 * JUnit configuration parameters {@code jazzer.internal.arg.N}, argument 0 being a placeholder argv0 and a
 * directory argument the corpus, kept under target/ so that the source tree stays clean), from the root:
 * <pre>
 * mkdir -p bundles/jpeg/target/fuzz-corpus &amp;&amp; JAZZER_FUZZ=1 mvn -o -T1 -pl bundles/jpeg test \
 *   -Dtest=JpegParserFuzzTest -Djazzer.internal.arg.0=fake_argv0 -Djazzer.internal.arg.1=target/fuzz-corpus \
 *   -Djazzer.internal.arg.2=-runs=2000000 -Djazzer.internal.arg.3=-max_total_time=1500 \
 *   -Djazzer.internal.arg.4=-timeout=10 -Djazzer.internal.arg.5=-max_len=8192
 * </pre>
 * {@code -timeout} bounds the time per input (a hang is a finding). A finding is written as
 * {@code crash-*} into the inputs directory under src/test/resources and then fails regression runs
 * until fixed.
 */
class JpegParserFuzzTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    // Reused like a sender reuses them, so state left behind by a bad input is exercised by the next one.
    private final JpegParser parser = new JpegParser();
    private final JpegInfo info = new JpegInfo();

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        check(data);
        // Measured on a second pass: the first one may load classes (exception paths) and allocate for that.
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        check(data);
        // No unbounded allocation: the parser allocates nothing but an exception and its message.
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024 + 64L * data.length, () -> allocated + " bytes allocated for "
                + data.length + " bytes of input");
    }

    private void check(byte[] data) {
        final ByteBuffer b = ByteBuffer.wrap(data);
        try {
            parser.parse(b, info);
            // What the packetizer relies on: a non-empty scan inside the data, a carried type, a real size.
            assertTrue(info.start() == 0 && info.scanOffset() > 0 && info.scanLength() > 0
                    && info.scanOffset() + info.scanLength() < info.end() && info.end() <= data.length, info::toString);
            assertTrue(info.rtpType() == JpegInfo.TYPE_420 || info.rtpType() == JpegInfo.TYPE_422, info::toString);
            assertTrue(info.width() > 0 && info.height() > 0, info::toString);
        } catch (JpegFormatException rejected) {
            // the documented rejection: fine
            assertTrue(rejected.getMessage() != null && !rejected.getMessage().contains("\n"), "one-line message");
        }
        assertTrue(b.position() == 0 && b.limit() == data.length, "the parser only reads absolutely");
        for (JpegStreamSplitter.Range r : JpegStreamSplitter.split(b)) {
            assertTrue(r.start() >= 0 && r.start() < r.end() && r.end() <= data.length, r::toString);
        }
    }
}
