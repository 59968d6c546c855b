package io.mjpegrtp.capture.testpattern.internal;

import io.mjpegrtp.api.Flip;

/**
 * Maps the picture as drawn (source, {@code width x height}) to the picture as sent. Rotations are clockwise:
 * with rotate-90 the source's top-left corner lands top-right. Axis-aligned rectangles stay axis-aligned under every
 * flip, so drawing can map rectangles instead of pixels.
 */
final class Orientation {
    final Flip flip;
    final int sourceWidth;
    final int sourceHeight;
    final int width;
    final int height;

    Orientation(int sourceWidth, int sourceHeight, Flip flip) {
        this.flip = flip;
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.width = flip.swapsDimensions() ? sourceHeight : sourceWidth;
        this.height = flip.swapsDimensions() ? sourceWidth : sourceHeight;
    }

    /** The source pixel index shown at output pixel (x, y). */
    int sourceIndex(int x, int y) {
        int w = sourceWidth;
        int h = sourceHeight;
        return switch (flip) {
            case NONE -> y * w + x;
            case HORIZONTAL -> y * w + (w - 1 - x);
            case VERTICAL -> (h - 1 - y) * w + x;
            case ROTATE_180 -> (h - 1 - y) * w + (w - 1 - x);
            case ROTATE_90 -> (h - 1 - x) * w + y;
            case ROTATE_270 -> x * w + (w - 1 - y);
        };
    }

    /** Re-orients a whole source picture of packed RGB pixels. */
    int[] apply(int[] source) {
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = source[sourceIndex(x, y)];
            }
        }
        return out;
    }

    /**
     * Maps the source rectangle [x0, x1) x [y0, y1) to the output, written as {x0, y0, x1, y1} into {@code result}
     * (reused by the caller so drawing allocates nothing).
     */
    void mapRect(int x0, int y0, int x1, int y1, int[] result) {
        int w = sourceWidth;
        int h = sourceHeight;
        switch (flip) {
            case NONE -> set(result, x0, y0, x1, y1);
            case HORIZONTAL -> set(result, w - x1, y0, w - x0, y1);
            case VERTICAL -> set(result, x0, h - y1, x1, h - y0);
            case ROTATE_180 -> set(result, w - x1, h - y1, w - x0, h - y0);
            case ROTATE_90 -> set(result, h - y1, x0, h - y0, x1);
            case ROTATE_270 -> set(result, y0, w - x1, y1, w - x0);
        }
    }

    private static void set(int[] r, int x0, int y0, int x1, int y1) {
        r[0] = x0;
        r[1] = y0;
        r[2] = x1;
        r[3] = y1;
    }
}
