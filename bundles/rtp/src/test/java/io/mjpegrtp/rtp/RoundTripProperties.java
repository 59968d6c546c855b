package io.mjpegrtp.rtp;

import io.mjpegrtp.testfixtures.Fixtures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mjpegrtp.jpeg.JpegInfo;
import io.mjpegrtp.jpeg.JpegParser;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Property: parse → packetize → depacketize → decode equals decode of the source, for generated pictures
 * (sizes 8..300, 4:2:0 / 4:2:2, restart intervals, quality, encoder cjpeg or javax.imageio), MTUs, and a
 * stream of frames going through random loss, reordering within a frame and duplication. Every frame that
 * is output is exact; every frame of which some but not all packets arrived is counted as dropped.
 * Decoding is javax.imageio's {@code readRaster}: the decoded Y, Cb, Cr samples, before colour conversion.
 */
class RoundTripProperties {
    enum Encoder { CJPEG, IMAGEIO }

    /** One generated case; printed by jqwik when a property fails. */
    record Case(Encoder encoder, int width, int height, boolean yuv420, String restart, int quality, int mtu,
            boolean sizeFromSdp, int frames, int lossPercent, boolean reorder, boolean duplicate, long seed) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> restart = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(1, 3).map(String::valueOf),
                Arbitraries.integers().between(1, 40).map(n -> n + "B"));
        Arbitrary<Object[]> picture = Combinators.combine(Arbitraries.of(Encoder.class),
                Arbitraries.integers().between(8, 300), Arbitraries.integers().between(8, 300),
                Arbitraries.of(true, false), restart, Arbitraries.integers().between(1, 100))
                .as((e, w, h, yuv420, r, q) -> new Object[] {e, w, h, yuv420, r, q});
        Arbitrary<Object[]> transport = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.integers().between(256, 600), Arbitraries.integers().between(256, 1500),
                        Arbitraries.integers().between(256, 9000)),
                Arbitraries.of(true, false), Arbitraries.integers().between(1, 5),
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 40)),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.longs())
                .as((mtu, sdp, n, loss, reorder, dup, seed) -> new Object[] {mtu, sdp, n, loss, reorder, dup, seed});
        return Combinators.combine(picture, transport).as((p, t) -> {
            Encoder e = (Encoder) p[0];
            boolean sdp = (Boolean) t[1];
            int w = (Integer) p[1], h = (Integer) p[2];
            if (!sdp) {
                // Without the real size a receiver decodes the 8-pixel units of the header: pictures whose
                // size is a multiple of 8 then decode identically.
                w = (w + 7) & ~7;
                h = (h + 7) & ~7;
            }
            // javax.imageio writes 4:2:0 without DRI by default: that is what it contributes.
            boolean yuv420 = e == Encoder.IMAGEIO || (Boolean) p[3];
            String r = e == Encoder.IMAGEIO ? "" : (String) p[4];
            return new Case(e, w, h, yuv420, r, (Integer) p[5], (Integer) t[0], sdp, (Integer) t[2], (Integer) t[3],
                    (Boolean) t[4], (Boolean) t[5], (Long) t[6]);
        });
    }

    @Property(tries = 400)
    void everyFrameOutputIsExactAndTheOthersAreCounted(@ForAll("cases") Case c) throws Exception {
        final byte[] jpeg = encode(c);
        final JpegInfo info = new JpegInfo();
        new JpegParser().parse(ByteBuffer.wrap(jpeg), info); // also checks imageio's output: standard Huffman
        assertEquals(c.yuv420 ? JpegInfo.TYPE_420 : JpegInfo.TYPE_422, info.rtpType(), "sampling of the source");
        final Raster expected = decode(jpeg);

        final Random random = new Random(c.seed);
        final RtpJpegPacketizer packetizer = new RtpJpegPacketizer(random.nextInt(), random.nextInt(), c.mtu);
        final RtpJpegDepacketizer depacketizer = new RtpJpegDepacketizer();
        if (c.sizeFromSdp) {
            depacketizer.setDimensions(c.width, c.height);
        }
        final int ts0 = random.nextInt();
        final List<Integer> complete = new ArrayList<>();
        int partial = 0;
        final List<byte[]> outputs = new ArrayList<>();
        final List<Integer> outputTimestamps = new ArrayList<>();
        for (int f = 0; f < c.frames; f++) {
            final Capture capture = new Capture();
            packetizer.packetize(ByteBuffer.wrap(jpeg), info, ts0 + 3000 * f, capture);
            final List<byte[]> delivered = new ArrayList<>();
            for (byte[] p : capture.packets) {
                if (random.nextInt(100) >= c.lossPercent) {
                    delivered.add(p);
                }
            }
            if (delivered.size() == capture.packets.size()) {
                complete.add(ts0 + 3000 * f);
            } else if (!delivered.isEmpty()) {
                partial++;
            }
            if (c.duplicate && !delivered.isEmpty()) {
                delivered.add(random.nextInt(delivered.size() + 1), delivered.get(random.nextInt(delivered.size())));
            }
            if (c.reorder) {
                Collections.shuffle(delivered, random);
            }
            for (byte[] p : delivered) {
                final ByteBuffer frame = depacketizer.receive(ByteBuffer.wrap(p));
                if (frame != null) {
                    final byte[] copy = new byte[frame.remaining()];
                    frame.get(copy);
                    outputs.add(copy);
                    outputTimestamps.add(depacketizer.timestamp());
                }
            }
        }
        depacketizer.flush();
        // The generator must exercise loss, reordering and packets of several fragments, not only clean runs.
        Statistics.label("loss").collect(partial > 0 ? "frames dropped" : "none dropped");
        Statistics.label("reordered").collect(depacketizer.reorderedFrames() > 0);
        Statistics.label("packets per frame").collect(
                info.scanLength() + 152 <= c.mtu ? "1" : info.scanLength() < 8 * c.mtu ? "2..8" : "more");
        Statistics.label("loss").coverage(k -> k.check("frames dropped").percentage(p -> p > 5));
        Statistics.label("reordered").coverage(k -> k.check(true).percentage(p -> p > 5));
        Statistics.label("packets per frame").coverage(k -> k.check("more").percentage(p -> p > 5));
        assertEquals(complete, outputTimestamps, "frames output: exactly those whose packets all arrived");
        assertEquals(partial, depacketizer.droppedFrames(), "frames with a gap are counted");
        assertEquals(0, depacketizer.invalidPackets());
        for (byte[] out : outputs) {
            final Raster got = decode(out);
            assertEquals(expected.getWidth(), got.getWidth());
            assertEquals(expected.getHeight(), got.getHeight());
            assertArrayEquals(((DataBufferByte) expected.getDataBuffer()).getData(),
                    ((DataBufferByte) got.getDataBuffer()).getData(), "decoded samples");
        }
    }

    static byte[] encode(Case c) throws IOException {
        final byte[] ppm = Fixtures.ppm(c.width, c.height, c.seed);
        if (c.encoder == Encoder.CJPEG) {
            // -baseline: 8-bit tables even at low quality, as RFC 2435 carries.
            final List<String> cmd = new ArrayList<>(List.of("cjpeg", "-baseline", "-quality", String.valueOf(c.quality),
                    "-sample", c.yuv420 ? "2x2" : "2x1"));
            if (!c.restart.isEmpty()) {
                cmd.addAll(List.of("-restart", c.restart));
            }
            return Fixtures.run(cmd, ppm); // cjpeg reads the picture from stdin
        }
        final BufferedImage image = new BufferedImage(c.width, c.height, BufferedImage.TYPE_3BYTE_BGR);
        final int header = ppm.length - 3 * c.width * c.height;
        for (int y = 0; y < c.height; y++) {
            for (int x = 0; x < c.width; x++) {
                final int i = header + 3 * (y * c.width + x);
                image.setRGB(x, y, (ppm[i] & 0xFF) << 16 | (ppm[i + 1] & 0xFF) << 8 | (ppm[i + 2] & 0xFF));
            }
        }
        final ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        final ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(c.quality / 100f);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The decoded samples (Y, Cb, Cr after upsampling), no colour conversion. */
    static Raster decode(byte[] jpeg) throws IOException {
        final ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            return reader.readRaster(0, null);
        } finally {
            reader.dispose();
        }
    }
}
