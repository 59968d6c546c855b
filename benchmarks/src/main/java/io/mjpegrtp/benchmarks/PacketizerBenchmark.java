package io.mjpegrtp.benchmarks;

import io.mjpegrtp.jpeg.JpegFormatException;
import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;
import io.mjpegrtp.rtp.PacketSink;
import io.mjpegrtp.rtp.RtpJpegPacketizer;

import java.io.IOException;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Packetizing one frame (RFC 2435, MTU 1400) of real JPEGs of about 5, 20, 50 and 100 KB and a 1920x1080
 * frame; the sink only hands the header and payload views to a Blackhole, as a gathering write would take
 * them. {@code parse} is the JPEG check that precedes it on every frame (it walks the whole scan for EOI).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketizerBenchmark {
    @Param({"5k", "20k", "50k", "100k", "1080p"})
    public String picture;

    private ByteBuffer frame;
    private final JpegInfo info = new JpegInfo();
    private final JpegParser parser = new JpegParser();
    private final RtpJpegPacketizer packetizer = new RtpJpegPacketizer(0x1234, 0, 1400);
    private final ConsumingSink sink = new ConsumingSink();

    /** Consumes the buffers; a field, not a lambda per call, so the benchmark itself allocates nothing. */
    static final class ConsumingSink implements PacketSink {
        Blackhole bh;

        @Override
        public void packet(ByteBuffer header, ByteBuffer payload, boolean marker) {
            bh.consume(header);
            bh.consume(payload);
            bh.consume(marker);
        }
    }

    @Setup
    public void setup() throws JpegFormatException {
        final byte[] jpeg = switch (picture) {
            case "1080p" -> Pictures.cjpeg(1920, 1080, "-quality", "85", "-sample", "2x2");
            default -> Pictures.ofSize(1000 * Integer.parseInt(picture.substring(0, picture.length() - 1)));
        };
        frame = ByteBuffer.wrap(jpeg);
        parser.parse(frame, info);
        System.out.println("\n" + picture + ": " + info + ", " + jpeg.length + " bytes");
    }

    @Benchmark
    public int packetize(Blackhole bh) throws IOException {
        sink.bh = bh;
        return packetizer.packetize(frame, info, 90_000, sink);
    }

    @Benchmark
    public int parse() throws JpegFormatException {
        parser.parse(frame, info);
        return info.scanLength();
    }
}
