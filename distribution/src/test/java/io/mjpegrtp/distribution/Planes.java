package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A decoded YCbCr picture in a raw file, as a GStreamer or FFmpeg decoder wrote it, with that tool's plane
 * layout; {@link #assertSameSamples} compares two pictures over the real size only.
 */
final class Planes {
    enum Chroma { YUV420, YUV422, GRAY }

    final int width;
    final int height;
    final Chroma chroma;
    final byte[] data;
    final int[] stride = new int[3];
    final int[] offset = new int[3];
    final int[] planeHeight = new int[3];
    final int size;

    private Planes(int width, int height, Chroma chroma, boolean gstreamerLayout, byte[] data) {
        this.width = width;
        this.height = height;
        this.chroma = chroma;
        this.data = data;
        int cw = chroma == Chroma.GRAY ? 0 : (width + 1) / 2;
        int ch = chroma == Chroma.GRAY ? 0 : chroma == Chroma.YUV420 ? (height + 1) / 2 : height;
        if (gstreamerLayout) {
            // GstVideoInfo: rows rounded up to 4 bytes (I420), chroma of Y42B to RU8(w)/2.
            stride[0] = ru(width, 4);
            stride[1] = chroma == Chroma.GRAY ? 0 : chroma == Chroma.YUV420 ? ru(ru(width, 2) / 2, 4) : ru(width, 8) / 2;
        } else {
            stride[0] = width;
            stride[1] = cw;
        }
        stride[2] = stride[1];
        planeHeight[0] = height;
        planeHeight[1] = ch;
        planeHeight[2] = ch;
        offset[0] = 0;
        offset[1] = stride[0] * height;
        offset[2] = offset[1] + stride[1] * ch;
        size = offset[2] + stride[2] * ch;
    }

    static int ru(int v, int to) {
        return (v + to - 1) / to * to;
    }

    static int frameSize(int width, int height, Chroma chroma, boolean gstreamerLayout) {
        return new Planes(width, height, chroma, gstreamerLayout, new byte[0]).size;
    }

    static Planes read(Path file, int width, int height, Chroma chroma, boolean gstreamerLayout) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Planes p = new Planes(width, height, chroma, gstreamerLayout, bytes);
        assertEquals(p.size, bytes.length, file + ": size of a " + width + "x" + height + " " + chroma + " frame");
        return p;
    }

    /** The i-th frame of a file holding several frames back to back (FFmpeg's rawvideo output). */
    static Planes frame(byte[] all, int index, int width, int height, Chroma chroma) {
        int size = frameSize(width, height, chroma, false);
        byte[] one = java.util.Arrays.copyOfRange(all, index * size, (index + 1) * size);
        return new Planes(width, height, chroma, false, one);
    }

    int sample(int plane, int x, int y) {
        return data[offset[plane] + y * stride[plane] + x] & 0xff;
    }

    /** Asserts the luma planes agree over {@code expected}'s size and every chroma sample of {@code actual} is 128. */
    static void assertGrayIn(Planes expected, Planes actual, String what) {
        for (int y = 0; y < expected.height; y++) {
            for (int x = 0; x < expected.width; x++) {
                if (expected.sample(0, x, y) != actual.sample(0, x, y)) {
                    throw new AssertionError(what + ": luma differs at (" + x + "," + y + "): expected "
                            + expected.sample(0, x, y) + " got " + actual.sample(0, x, y));
                }
            }
        }
        for (int plane = 1; plane < 3; plane++) {
            for (int y = 0; y < actual.planeHeight[plane]; y++) {
                for (int x = 0; x < (actual.width + 1) / 2; x++) {
                    if (actual.sample(plane, x, y) != 128) {
                        throw new AssertionError(what + ": chroma plane " + plane + " is " + actual.sample(plane, x, y)
                                + " at (" + x + "," + y + "), not neutral 128");
                    }
                }
            }
        }
    }

    /**
     * Asserts every sample of {@code expected} (the decoded source, real size) equals the same sample of
     * {@code actual} (the decoded stream, which may be larger: sizes travel in 8-pixel units).
     */
    static void assertSameSamples(Planes expected, Planes actual, String what) {
        assertEquals(expected.chroma, actual.chroma, what + ": chroma layout");
        if (actual.width < expected.width || actual.height < expected.height) {
            throw new AssertionError(what + ": decoded " + actual.width + "x" + actual.height + " is smaller than "
                    + expected.width + "x" + expected.height);
        }
        int[] w = { expected.width, (expected.width + 1) / 2, (expected.width + 1) / 2 };
        for (int plane = 0; plane < 3; plane++) {
            int differ = 0;
            String first = null;
            for (int y = 0; y < expected.planeHeight[plane]; y++) {
                for (int x = 0; x < w[plane]; x++) {
                    int e = expected.sample(plane, x, y);
                    int a = actual.sample(plane, x, y);
                    if (e != a) {
                        if (first == null) {
                            first = "plane " + plane + " (" + x + "," + y + "): expected " + e + " got " + a;
                        }
                        differ++;
                    }
                }
            }
            if (differ > 0) {
                throw new AssertionError(what + ": " + differ + " samples differ, first at " + first);
            }
        }
    }
}
