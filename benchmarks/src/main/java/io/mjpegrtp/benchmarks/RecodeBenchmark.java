package io.mjpegrtp.benchmarks;

import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
import io.mjpegrtp.jpeg.JpegRecoder;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lossless re-coding of a 1920x1080 {@code cjpeg -optimize} frame (optimized Huffman tables, which RFC 2435
 * receivers cannot decode) to the standard tables. Throughput in MB/s of JPEG input = size printed at
 * setup / (ns/op) * 1000.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecodeBenchmark {
    @Param({"1080p-420", "1080p-422"})
    public String picture;

    private ByteBuffer frame;
    private final JpegRecoder recoder = new JpegRecoder();

    @Setup
    public void setup() throws JpegFormatException {
        final String sampling = picture.endsWith("420") ? "2x2" : "2x1";
        final byte[] jpeg = Pictures.cjpeg(1920, 1080, "-optimize", "-quality", "85", "-sample", sampling);
        frame = ByteBuffer.wrap(jpeg);
        try {
            new JpegParser().parse(frame, new JpegInfo());
            throw new IllegalStateException("the parser accepts the -optimize frame: nothing to re-code");
        } catch (JpegFormatException expected) {
            // optimized tables: the case the re-coder is for
        }
        final ByteBuffer out = recoder.recode(frame);
        new JpegParser().parse(out, new JpegInfo()); // the output is RFC 2435-ready
        System.out.println("\n" + picture + ": " + jpeg.length + " bytes in, " + out.remaining() + " bytes out");
    }

    @Benchmark
    public ByteBuffer recode() throws JpegFormatException {
        return recoder.recode(frame);
    }
}
