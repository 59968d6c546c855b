package io.mjpegrtp.capture.file.internal;

/**
 * A light structural check of one JPEG picture: SOI, marker segments walked by their lengths, a frame header (SOF)
 * and a scan (SOS), the entropy-coded data up to EOI. It does not decode; the transport checks what it carries.
 * Walking by segment lengths (rather than searching for FF D9) is what keeps an EXIF thumbnail, which has its own
 * SOI and EOI inside APP1, from ending the picture early.
 */
final class JpegCheck {
    /**
     * The outcome of a walk from an SOI.
     *
     * @param end index just after EOI when the picture is whole
     * @param problem what was wrong, or {@code null} when the picture is whole
     * @param resume where a search for the next picture should continue when it was not
     * @param width width from SOF, 0 when unknown
     * @param height height from SOF, 0 when unknown
     */
    record Result(int end, String problem, int resume, int width, int height) {
        boolean ok() {
            return problem == null;
        }
    }

    private JpegCheck() {
    }

    /** Checks the picture that starts at {@code start} and lies within {@code data[start, limit)}. */
    static Result walk(byte[] data, int start, int limit) {
        if (limit - start <= 0) {
            return bad("the file is empty", start, limit);
        }
        if (limit - start < 4 || u8(data, start) != 0xFF || u8(data, start + 1) != 0xD8) {
            return bad("it does not start with SOI (FF D8)", start, limit);
        }
        int p = start + 2;
        boolean frame = false;
        boolean scan = false;
        int width = 0;
        int height = 0;
        while (true) {
            if (p >= limit - 1) {
                return bad(scan ? "truncated: the data ends inside the scan, before EOI"
                        : "truncated: the data ends in the headers, before any scan", start, limit);
            }
            if (u8(data, p) != 0xFF) {
                return bad(String.format("corrupt: no marker at byte %d (found 0x%02X)", p, u8(data, p)), start,
                        limit);
            }
            int marker = u8(data, p + 1);
            if (marker == 0xFF) {
                p++; // fill byte before a marker
                continue;
            }
            if (marker == 0xD8) {
                // Another picture starts here: this one was cut short. Resume right here so it is not lost.
                return new Result(-1, "truncated: a new picture (SOI) starts at byte " + p + " before EOI", p, width,
                        height);
            }
            if (marker == 0xD9) {
                if (!frame) {
                    return bad("EOI comes before a frame header (SOF)", start, limit);
                }
                if (!scan) {
                    return bad("EOI comes before a scan (SOS)", start, limit);
                }
                return new Result(p + 2, null, p + 2, width, height);
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2; // markers without a length
                continue;
            }
            if (marker == 0x00) {
                return bad("corrupt: no marker at byte " + p + " (found FF 00)", start, limit);
            }
            if (p + 4 > limit) {
                return bad("truncated: the data ends inside a marker segment", start, limit);
            }
            int length = (u8(data, p + 2) << 8) | u8(data, p + 3);
            if (length < 2) {
                return bad(String.format("corrupt: segment FF %02X at byte %d has length %d", marker, p, length),
                        start, limit);
            }
            if (p + 2 + length > limit) {
                return bad(String.format("truncated: segment FF %02X at byte %d runs past the end", marker, p), start,
                        limit);
            }
            if (isFrameHeader(marker)) {
                if (marker != 0xC0 && marker != 0xC1) {
                    return bad(String.format("it is a %s JPEG (SOF%d), not a baseline one", kind(marker),
                            marker - 0xC0), start, limit);
                }
                if (length < 8) {
                    return bad("corrupt: the frame header (SOF) is too short", start, limit);
                }
                height = (u8(data, p + 5) << 8) | u8(data, p + 6);
                width = (u8(data, p + 7) << 8) | u8(data, p + 8);
                frame = true;
            }
            p += 2 + length;
            if (marker == 0xDA) {
                if (!frame) {
                    return bad("the scan (SOS) comes before a frame header (SOF)", start, limit);
                }
                scan = true;
                p = skipEntropyCoded(data, p, limit);
            }
        }
    }

    /** Index of the first marker after entropy-coded data (stuffed zeros and restart markers belong to the data). */
    private static int skipEntropyCoded(byte[] data, int p, int limit) {
        while (p < limit - 1) {
            if (data[p] != (byte) 0xFF) {
                p++;
                continue;
            }
            int next = u8(data, p + 1);
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                p += 2;
            } else if (next == 0xFF) {
                p++;
            } else {
                return p;
            }
        }
        return limit;
    }

    /** Index of the next SOI followed by a marker (FF D8 FF) at or after {@code from}, or -1. */
    static int findSoi(byte[] data, int from, int limit) {
        for (int i = Math.max(0, from); i + 2 < limit; i++) {
            if (data[i] == (byte) 0xFF && data[i + 1] == (byte) 0xD8 && data[i + 2] == (byte) 0xFF) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static String kind(int marker) {
        return switch (marker) {
            case 0xC2, 0xC6, 0xCA, 0xCE -> "progressive";
            case 0xC3, 0xC7, 0xCB, 0xCF -> "lossless";
            default -> marker >= 0xC9 ? "arithmetic-coded" : "hierarchical";
        };
    }

    /** A damaged picture: the search for the next one resumes just after its SOI, so nothing after it is lost. */
    private static Result bad(String problem, int start, int limit) {
        return new Result(-1, problem, Math.min(start + 2, limit), 0, 0);
    }

    private static int u8(byte[] data, int i) {
        return data[i] & 0xFF;
    }
}
