package io.mjpegrtp.jpeg;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a concatenation of JPEG files (an {@code .mjpeg} file, a multipart capture) into pictures.
 *
 * <p>Each picture is walked segment by segment by length from SOI (so markers inside an EXIF thumbnail
 * are skipped), then its entropy-coded data is searched for EOI. Progressive and multi-scan pictures
 * are followed through all their scans; whether a picture can be sent is {@link JpegParser}'s business.
 * A damaged picture is dropped and the search resumes at the next SOI, so the pictures after it are kept.
 */
public final class JpegStreamSplitter {
    private JpegStreamSplitter() {
    }

    /**
     * A picture's bytes in the split buffer, absolute indexes.
     *
     * @param start index of its SOI marker
     * @param end index just past its EOI marker
     */
    public record Range(int start, int end) {
        /** @return {@code end - start} */
        public int length() {
            return end - start;
        }
    }

    /**
     * Finds the pictures between {@code data.position()} and {@code data.limit()} using absolute gets
     * only. Never throws on malformed data; a truncated last picture is left out.
     *
     * @param data a concatenation of JPEG files, possibly with garbage between them
     * @return the pictures in order
     */
    public static List<Range> split(ByteBuffer data) {
        final List<Range> out = new ArrayList<>();
        final int end = data.limit();
        int p = data.position();
        for (;;) {
            final int soi = findSoi(data, p, end);
            if (soi < 0) {
                return out;
            }
            final long r = walk(data, soi, end);
            if (r >= 0) {
                out.add(new Range(soi, (int) r));
                p = (int) r;
            } else {
                p = (int) -(r + 1); // resync point, always past soi, so the loop progresses
            }
        }
    }

    /** @return index of the next "FF D8 FF" at or after p, or -1 */
    private static int findSoi(ByteBuffer b, int p, int end) {
        for (; p + 2 < end; p++) {
            if (b.get(p) == (byte) 0xFF && b.get(p + 1) == (byte) 0xD8 && b.get(p + 2) == (byte) 0xFF) {
                return p;
            }
        }
        return -1;
    }

    /** @return the index past EOI, or -(resync index) - 1 when the picture is damaged */
    private static long walk(ByteBuffer b, int soi, int end) {
        int p = soi + 2;
        int resync = soi + 2; // just past the marker of the last segment whose length was believed
        for (;;) {
            if (p >= end) {
                return -(long) end - 1;
            }
            if (b.get(p) != (byte) 0xFF) {
                return -(long) resync - 1; // the previous segment's length was wrong: search again from it
            }
            int q = p + 1;
            while (q < end && b.get(q) == (byte) 0xFF) {
                q++;
            }
            if (q >= end) {
                return -(long) end - 1;
            }
            final int m = b.get(q) & 0xFF;
            if (m == 0xD8) {
                return -(long) (q - 1) - 1; // a new picture starts before this one ended
            }
            if (m == 0xD9) {
                return q + 1;
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                p = q + 1;
                continue;
            }
            if (m == 0x00 || q + 2 >= end) {
                return -(long) (q + 1) - 1;
            }
            final int len = (b.get(q + 1) & 0xFF) << 8 | (b.get(q + 2) & 0xFF);
            final int next = q + 1 + len;
            if (len < 2 || next > end) {
                return -(long) (q + 1) - 1;
            }
            resync = q + 1;
            if (m != 0xDA) {
                p = next;
                continue;
            }
            // Entropy-coded data: stop at the first marker that is not stuffing, RSTn or fill.
            p = next;
            for (;;) {
                while (p < end && b.get(p) != (byte) 0xFF) {
                    p++;
                }
                q = p + 1;
                while (q < end && b.get(q) == (byte) 0xFF) {
                    q++;
                }
                if (q >= end) {
                    return -(long) end - 1;
                }
                final int c = b.get(q) & 0xFF;
                if (c == 0 || (c >= 0xD0 && c <= 0xD7)) {
                    p = q + 1;
                } else {
                    break; // EOI, SOI or the segments before another scan: handled by the outer loop
                }
            }
        }
    }
}
