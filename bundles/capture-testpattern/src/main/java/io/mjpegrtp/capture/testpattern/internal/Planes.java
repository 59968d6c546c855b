package io.mjpegrtp.capture.testpattern.internal;

/**
 * A picture as 8-bit YCbCr 4:2:0 planes (JFIF full range): luma at full size, Cb and Cr at half size rounded up.
 * Planes hold only the real picture; the encoder replicates edges itself when an MCU sticks out.
 */
final class Planes {
    final int width;
    final int height;
    final int chromaWidth;
    final int chromaHeight;
    final byte[] y;
    final byte[] cb;
    final byte[] cr;

    Planes(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("picture size must be positive: " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.chromaWidth = (width + 1) / 2;
        this.chromaHeight = (height + 1) / 2;
        this.y = new byte[width * height];
        this.cb = new byte[chromaWidth * chromaHeight];
        this.cr = new byte[chromaWidth * chromaHeight];
    }

    /** Converts packed 0xRRGGBB pixels, averaging each 2x2 group for chroma. */
    static Planes fromRgb(int[] rgb, int width, int height) {
        Planes p = new Planes(width, height);
        for (int i = 0; i < width * height; i++) {
            p.y[i] = (byte) luma(rgb[i]);
        }
        for (int cy = 0; cy < p.chromaHeight; cy++) {
            for (int cx = 0; cx < p.chromaWidth; cx++) {
                long sumCb = 0;
                long sumCr = 0;
                int n = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int yy = cy * 2 + dy;
                    if (yy >= height) {
                        break;
                    }
                    for (int dx = 0; dx < 2; dx++) {
                        int xx = cx * 2 + dx;
                        if (xx >= width) {
                            break;
                        }
                        int c = rgb[yy * width + xx];
                        sumCb += cbFixed(c);
                        sumCr += crFixed(c);
                        n++;
                    }
                }
                int i = cy * p.chromaWidth + cx;
                p.cb[i] = (byte) toChroma(sumCb, n);
                p.cr[i] = (byte) toChroma(sumCr, n);
            }
        }
        return p;
    }

    // JFIF conversion in 16.16 fixed point, as libjpeg does.
    static int luma(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;
    }

    static int cb(int rgb) {
        return toChroma(cbFixed(rgb), 1);
    }

    static int cr(int rgb) {
        return toChroma(crFixed(rgb), 1);
    }

    private static int cbFixed(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return -11059 * r - 21709 * g + 32768 * b;
    }

    private static int crFixed(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return 32768 * r - 27439 * g - 5329 * b;
    }

    private static int toChroma(long sum, int n) {
        long v = Math.floorDiv(sum + (long) n * 32768, (long) n * 65536) + 128;
        return (int) Math.max(0, Math.min(255, v));
    }
}
