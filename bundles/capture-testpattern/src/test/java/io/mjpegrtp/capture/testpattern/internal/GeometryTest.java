package io.mjpegrtp.capture.testpattern.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Flip;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GeometryTest {
    private static final int RED = 0xFF0000;
    private static final int GREY = 0x808080;

    /** Where the source's top-left corner must land; rotations are clockwise. */
    private static String expectedCorner(Flip flip) {
        return switch (flip) {
            case NONE -> "top-left";
            case HORIZONTAL, ROTATE_90 -> "top-right";
            case VERTICAL, ROTATE_270 -> "bottom-left";
            case ROTATE_180 -> "bottom-right";
        };
    }

    @ParameterizedTest
    @EnumSource(Flip.class)
    void markerInTheTopLeftCornerLandsInTheRightCorner(Flip flip) throws Exception {
        int w = 64;
        int h = 48;
        int[] source = new int[w * h];
        Arrays.fill(source, GREY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                source[y * w + x] = RED;
            }
        }
        Orientation o = new Orientation(w, h, flip);
        byte[] jpeg = new JpegEncoder(o.width, o.height, 90).encode(Planes.fromRgb(o.apply(source), o.width, o.height));
        Decoder.Rgb out = Decoder.IMAGEIO.decode(jpeg);
        assertEquals(flip.swapsDimensions() ? h : w, out.width());
        assertEquals(flip.swapsDimensions() ? w : h, out.height());
        int ow = out.width();
        int oh = out.height();
        String[] names = { "top-left", "top-right", "bottom-left", "bottom-right" };
        int[][] probes = { { 6, 6 }, { ow - 7, 6 }, { 6, oh - 7 }, { ow - 7, oh - 7 } };
        for (int i = 0; i < 4; i++) {
            int c = out.at(probes[i][0], probes[i][1]);
            boolean red = ((c >> 16) & 0xFF) > 200 && ((c >> 8) & 0xFF) < 60;
            assertEquals(names[i].equals(expectedCorner(flip)), red,
                    flip.configName() + ": marker in the " + names[i] + " corner? colour " + Integer.toHexString(c));
        }
    }

    @ParameterizedTest
    @EnumSource(Flip.class)
    void rectanglesMapLikePixels(Flip flip) {
        int w = 37;
        int h = 23;
        Orientation o = new Orientation(w, h, flip);
        Random random = new Random(7);
        int[] mapped = new int[4];
        for (int i = 0; i < 50; i++) {
            int x0 = random.nextInt(w);
            int y0 = random.nextInt(h);
            int x1 = x0 + 1 + random.nextInt(w - x0);
            int y1 = y0 + 1 + random.nextInt(h - y0);
            int[] source = new int[w * h];
            for (int y = y0; y < y1; y++) {
                Arrays.fill(source, y * w + x0, y * w + x1, 1);
            }
            int[] out = o.apply(source);
            int[] box = { Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1 };
            for (int y = 0; y < o.height; y++) {
                for (int x = 0; x < o.width; x++) {
                    if (out[y * o.width + x] == 1) {
                        box[0] = Math.min(box[0], x);
                        box[1] = Math.min(box[1], y);
                        box[2] = Math.max(box[2], x + 1);
                        box[3] = Math.max(box[3], y + 1);
                    }
                }
            }
            o.mapRect(x0, y0, x1, y1, mapped);
            assertArrayEquals(box, mapped, flip.configName());
        }
    }

    /** The drawn overlay (text, stripe) must follow the flip like the background does. */
    @ParameterizedTest
    @EnumSource(Flip.class)
    void wholePatternFollowsTheFlip(Flip flip) throws Exception {
        int w = 320;
        int h = 240;
        TestPattern plain = new TestPattern("cam0", w, h, 95, Flip.NONE);
        TestPattern flipped = new TestPattern("cam0", w, h, 95, flip);
        long time = 45_296_789L;
        byte[] a = null;
        byte[] b = null;
        for (int frame = 0; frame < 3; frame++) {
            a = Arrays.copyOf(plain.buffer(), plain.render(frame, time));
            b = Arrays.copyOf(flipped.buffer(), flipped.render(frame, time));
        }
        Decoder.Rgb reference = Decoder.IMAGEIO.decode(a);
        Decoder.Rgb actual = Decoder.IMAGEIO.decode(b);
        int[] expected = new Orientation(w, h, flip).apply(reference.pixels());
        double psnr = actual.psnr(expected);
        assertTrue(psnr > 28, flip.configName() + ": PSNR against the re-oriented plain pattern " + psnr);
    }

    @ParameterizedTest
    @EnumSource(Flip.class)
    void oddSizedPatternsKeepTheirSize(Flip flip) throws Exception {
        for (int[] size : new int[][] { { 1918, 1078 }, { 33, 17 } }) {
            TestPattern pattern = new TestPattern("odd", size[0], size[1], 85, flip);
            byte[] jpeg = null;
            for (int frame = 0; frame < 200; frame += 7) {
                jpeg = Arrays.copyOf(pattern.buffer(), pattern.render(frame, 0));
            }
            for (Decoder decoder : Decoder.values()) {
                if (decoder == Decoder.DJPEG && !Decoder.djpegAvailable()) {
                    continue;
                }
                Decoder.Rgb out = decoder.decode(jpeg);
                assertEquals(flip.swapsDimensions() ? size[1] : size[0], out.width(), decoder + " " + flip);
                assertEquals(flip.swapsDimensions() ? size[0] : size[1], out.height(), decoder + " " + flip);
            }
        }
    }

    /** Only changed MCUs are transformed again; the result must equal drawing the same frame from scratch. */
    @ParameterizedTest
    @EnumSource(Flip.class)
    void incrementalFramesEqualFreshOnes(Flip flip) {
        TestPattern running = new TestPattern("cam0", 333, 250, 85, flip);
        for (int frame = 0; frame < 60; frame++) {
            long time = 1_000_000L + frame * 33L;
            byte[] incremental = Arrays.copyOf(running.buffer(), running.render(frame, time));
            if (frame % 13 == 0 || frame == 59) {
                TestPattern fresh = new TestPattern("cam0", 333, 250, 85, flip);
                byte[] expected = Arrays.copyOf(fresh.buffer(), fresh.render(frame, time));
                assertArrayEquals(expected, incremental, flip.configName() + " frame " + frame);
            }
        }
    }
}
