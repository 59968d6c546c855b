package io.mjpegrtp.capture.testpattern.internal;

import io.mjpegrtp.api.Flip;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.Locale;

/**
 * Draws and encodes the test picture: colour bars over a grey and a hue ramp, a stripe that sweeps across the bars
 * by one MCU (16 px) per frame, and a box with the camera name, the frame number and the wall-clock time.
 *
 * <p>The static part is drawn and converted once. Each frame only the MCUs touched by the stripe and the changing
 * text (this frame's and the previous one's) are restored, redrawn and transformed again, which keeps a 720p frame
 * at a few milliseconds. Not thread-safe.
 */
final class TestPattern {
    private static final int[] BARS = {
            0xC0C0C0, 0xC0C000, 0x00C0C0, 0x00C000, 0xC000C0, 0xC00000, 0x0000C0, 0x101010 };
    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;
    private static final int STEP = 16;
    private static final int NAME_CHARS = 20;
    private static final int LINE_CHARS = 20;

    private final Orientation orientation;
    private final JpegEncoder encoder;
    private final Planes planes;
    private final Planes background;
    private final int mcusX;
    private boolean[] drawn;
    private boolean[] previouslyDrawn;
    private final boolean[] dirty;
    private final int[] rect = new int[4];
    private final char[] line = new char[LINE_CHARS];

    private final int sw;
    private final int sh;
    private final int scale;
    private final int textX;
    private final int textY;
    private final int lineHeight;
    private final int boxRight;
    private final int boxBottom;
    private final int barsBottom;

    private final ZoneRules zone = ZoneId.systemDefault().getRules();
    private long offsetMillis;
    private long offsetValidUntil = Long.MIN_VALUE;

    TestPattern(String camera, int width, int height, int quality, Flip flip) {
        this.orientation = new Orientation(width, height, flip);
        this.encoder = new JpegEncoder(orientation.width, orientation.height, quality);
        this.sw = width;
        this.sh = height;
        // 4x glyphs at 720p, smaller for small pictures so the text still fits.
        this.scale = Math.max(1, Math.min(4, Math.min(width, height) / 180));
        int margin = 2 * scale;
        int inset = Math.min(width, height) >= 240 ? 16 : 0;
        this.lineHeight = (Font.HEIGHT + 2) * scale;
        this.textX = inset + margin;
        this.textY = inset + margin;
        int nameChars = Math.min(camera.length(), NAME_CHARS);
        // Wide enough for the name and for "FRAME " with 8 digits (three days at 30 fps).
        this.boxRight = textX + Math.max(nameChars, 14) * (Font.WIDTH + 1) * scale + margin;
        this.boxBottom = textY + 3 * lineHeight + margin;
        this.barsBottom = height * 2 / 3;

        int[] source = new int[width * height];
        int rampBottom = height * 5 / 6;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int c;
                if (y < barsBottom) {
                    c = BARS[(int) ((long) x * BARS.length / width)];
                } else if (y < rampBottom) {
                    int v = width > 1 ? x * 255 / (width - 1) : 0;
                    c = v << 16 | v << 8 | v;
                } else {
                    c = hue(width > 1 ? x * 1535 / (width - 1) : 0);
                }
                if (x >= inset && x < boxRight && y >= inset && y < boxBottom) {
                    c = BLACK;
                }
                source[y * width + x] = c;
            }
        }
        this.planes = Planes.fromRgb(orientation.apply(source), orientation.width, orientation.height);
        this.mcusX = encoder.mcusX();
        int mcus = mcusX * encoder.mcusY();
        this.drawn = new boolean[mcus];
        this.previouslyDrawn = new boolean[mcus];
        this.dirty = new boolean[mcus];
        String name = camera.toUpperCase(Locale.ROOT);
        drawText(name.toCharArray(), Math.min(name.length(), NAME_CHARS), 0);
        this.background = new Planes(orientation.width, orientation.height);
        System.arraycopy(planes.y, 0, background.y, 0, planes.y.length);
        System.arraycopy(planes.cb, 0, background.cb, 0, planes.cb.length);
        System.arraycopy(planes.cr, 0, background.cr, 0, planes.cr.length);
        Arrays.fill(drawn, false);
    }

    /** Width of the produced picture (after rotation). */
    int width() {
        return orientation.width;
    }

    /** Height of the produced picture (after rotation). */
    int height() {
        return orientation.height;
    }

    /** Draws and encodes one frame into {@link #buffer()}; returns the JPEG's length. */
    int render(long frameNumber, long epochMillis) {
        for (int i = 0; i < dirty.length; i++) {
            if (previouslyDrawn[i]) {
                restore(i);
            }
            dirty[i] = previouslyDrawn[i];
            drawn[i] = false;
        }

        int positions = (sw + STEP - 1) / STEP;
        int x = (int) (frameNumber % positions) * STEP;
        // The stripe passes under the text box rather than over it, so the box stays static background.
        int top = x < boxRight ? boxBottom : 0;
        fillSource(x, top, x + STEP, barsBottom, WHITE);
        fillSource(x + STEP, top, x + 2 * STEP, barsBottom, BLACK);

        int n = put(line, 0, "FRAME ");
        n = number(line, n, frameNumber, 6);
        drawText(line, n, 1);
        n = clock(line, localMillis(epochMillis));
        drawText(line, n, 2);

        for (int i = 0; i < dirty.length; i++) {
            dirty[i] |= drawn[i];
        }
        boolean[] t = previouslyDrawn;
        previouslyDrawn = drawn;
        drawn = t;
        return encoder.encode(planes, dirty);
    }

    byte[] buffer() {
        return encoder.buffer();
    }

    private long localMillis(long epochMillis) {
        // The zone offset is looked up once a minute, not per frame.
        if (epochMillis >= offsetValidUntil || epochMillis < offsetValidUntil - 60_000) {
            offsetMillis = zone.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
            offsetValidUntil = epochMillis + 60_000;
        }
        return epochMillis + offsetMillis;
    }

    private void drawText(char[] chars, int count, int lineIndex) {
        int y = textY + lineIndex * lineHeight;
        for (int i = 0; i < count; i++) {
            int x = textX + i * (Font.WIDTH + 1) * scale;
            int[] glyph = Font.glyph(chars[i]);
            for (int r = 0; r < Font.HEIGHT; r++) {
                int bits = glyph[r];
                int c = 0;
                while (c < Font.WIDTH) {
                    if ((bits & (1 << (Font.WIDTH - 1 - c))) == 0) {
                        c++;
                        continue;
                    }
                    int start = c;
                    while (c < Font.WIDTH && (bits & (1 << (Font.WIDTH - 1 - c))) != 0) {
                        c++;
                    }
                    fillSource(x + start * scale, y + r * scale, x + c * scale, y + (r + 1) * scale, WHITE);
                }
            }
        }
    }

    /** Fills a rectangle given in source coordinates, clipped, and marks its MCUs as drawn. */
    private void fillSource(int x0, int y0, int x1, int y1, int rgb) {
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        x1 = Math.min(sw, x1);
        y1 = Math.min(sh, y1);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        orientation.mapRect(x0, y0, x1, y1, rect);
        int ox0 = rect[0];
        int oy0 = rect[1];
        int ox1 = rect[2];
        int oy1 = rect[3];
        int w = planes.width;
        byte yv = (byte) Planes.luma(rgb);
        for (int y = oy0; y < oy1; y++) {
            Arrays.fill(planes.y, y * w + ox0, y * w + ox1, yv);
        }
        // Chroma covers 2x2 luma pixels: an odd edge colours one extra pixel, invisible in a test picture.
        byte cbv = (byte) Planes.cb(rgb);
        byte crv = (byte) Planes.cr(rgb);
        int cw = planes.chromaWidth;
        int cx0 = ox0 / 2;
        int cx1 = (ox1 + 1) / 2;
        for (int cy = oy0 / 2; cy < (oy1 + 1) / 2; cy++) {
            Arrays.fill(planes.cb, cy * cw + cx0, cy * cw + cx1, cbv);
            Arrays.fill(planes.cr, cy * cw + cx0, cy * cw + cx1, crv);
        }
        for (int my = oy0 / 16; my <= (oy1 - 1) / 16; my++) {
            for (int mx = ox0 / 16; mx <= (ox1 - 1) / 16; mx++) {
                drawn[my * mcusX + mx] = true;
            }
        }
    }

    /** Copies one MCU's pixels back from the static background. */
    private void restore(int mcu) {
        int mx = mcu % mcusX;
        int my = mcu / mcusX;
        copyRegion(background.y, planes.y, planes.width, planes.height, mx * 16, my * 16, 16);
        copyRegion(background.cb, planes.cb, planes.chromaWidth, planes.chromaHeight, mx * 8, my * 8, 8);
        copyRegion(background.cr, planes.cr, planes.chromaWidth, planes.chromaHeight, mx * 8, my * 8, 8);
    }

    private static void copyRegion(byte[] from, byte[] to, int w, int h, int x, int y, int size) {
        int n = Math.min(size, w - x);
        int yEnd = Math.min(y + size, h);
        for (int r = y; r < yEnd; r++) {
            System.arraycopy(from, r * w + x, to, r * w + x, n);
        }
    }

    /** A fully saturated hue, 0..1535 around the colour wheel from red. */
    private static int hue(int h) {
        int f = h % 256;
        return switch (h / 256) {
            case 0 -> 0xFF0000 | f << 8;
            case 1 -> (255 - f) << 16 | 0x00FF00;
            case 2 -> 0x00FF00 | f;
            case 3 -> (255 - f) << 8 | 0x0000FF;
            case 4 -> f << 16 | 0x0000FF;
            default -> 0xFF0000 | (255 - f);
        };
    }

    private static int put(char[] buf, int pos, String s) {
        s.getChars(0, s.length(), buf, pos);
        return pos + s.length();
    }

    /** Writes a non-negative number with at least {@code digits} digits, clipped to the buffer. */
    private static int number(char[] buf, int pos, long value, int digits) {
        int len = Math.max(digits, digitCount(value));
        len = Math.min(len, buf.length - pos);
        for (int i = pos + len - 1; i >= pos; i--) {
            buf[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return pos + len;
    }

    private static int digitCount(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** Writes HH:MM:SS.mmm of a local time in milliseconds. */
    private static int clock(char[] buf, long localMillis) {
        long ms = Math.floorMod(localMillis, 86_400_000L);
        int pos = number(buf, 0, ms / 3_600_000, 2);
        buf[pos++] = ':';
        pos = number(buf, pos, ms / 60_000 % 60, 2);
        buf[pos++] = ':';
        pos = number(buf, pos, ms / 1000 % 60, 2);
        buf[pos++] = '.';
        return number(buf, pos, ms % 1000, 3);
    }
}
