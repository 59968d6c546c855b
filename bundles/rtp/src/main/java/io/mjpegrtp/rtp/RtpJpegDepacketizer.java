package io.mjpegrtp.rtp;

import io.mjpegrtp.jpeg.StandardHuffman;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Rebuilds JPEG (JFIF) files from RTP/JPEG packets (RFC 2435): a receiver of our own, for tests, tools and
 * loop-back checks.
 *
 * <p>Each complete frame becomes a baseline JFIF with the headers of RFC 2435 Appendix B: the quantization
 * tables from the in-band table header (Q 128..255; for Q 128..254 a header of length 0 reuses the tables
 * last received with that Q) or computed from Q 1..99 as in Appendix A, the standard (JPEG Annex K) Huffman
 * tables, DRI for types 64..127, luma sampled 2x1 (type 0) or 2x2 (type 1), chroma 1x1. The size comes from
 * the header (8-pixel units) or, when a header field is 0 (above 2040 pixels) or {@link #setDimensions} gives
 * a size with the same 8-pixel units, from {@link #setDimensions} (SDP {@code a=x-dimensions}).
 *
 * <p>Fragments are placed by their offset, so packets reordered within a frame are accepted. A frame is
 * output only when its fragments cover the scan exactly, with consecutive sequence numbers from the
 * fragment at offset 0 to the one with the marker; a frame with a gap (a lost fragment or a sequence jump),
 * with inconsistent headers, or larger than {@link #MAX_FRAME_SIZE} is dropped and counted in
 * {@link #droppedFrames()} when a newer frame starts (or at {@link #flush()}). Packets that are not
 * RTP/JPEG as described are counted in {@link #invalidPackets()}; no input makes this class throw.
 * Memory is bounded: one frame buffer of at most {@value #MAX_FRAME_SIZE} bytes of scan plus headers,
 * and per-fragment bookkeeping for at most 65536 fragments. Not thread-safe.
 */
public final class RtpJpegDepacketizer {
    /** Largest scan (entropy-coded bytes) of one frame; larger frames are dropped. */
    public static final int MAX_FRAME_SIZE = 16 << 20;

    private static final int RTP = 12, MAIN = 8, RESTART = 4, QHEADER = 4;
    // Room before the scan for the rebuilt headers (at most 2+18+2*133+6+19+432+14 bytes), so that a frame
    // is output from the buffer its fragments were written to, without a copy.
    private static final int RESERVE = 1024;
    private static final int MAX_FRAGMENTS = 1 << 16; // the sequence space: more cannot be one frame
    private static final int NONE = 0, ASSEMBLING = 1, DISCARDING = 2, FINISHED = 3;
    // A packet up to 10 s older than the current frame is late; one older still means the sender restarted.
    private static final int MAX_LATE_TICKS = 10 * RtpClock.CLOCK_RATE;
    // Full checks of one frame (a sort each) before it is given up: keeps duplicates from costing O(n^2).
    private static final int MAX_VERIFICATIONS = 16;

    private int payloadType = RtpJpegPacketizer.PAYLOAD_TYPE;
    private int dimWidth, dimHeight;

    private byte[] buf = new byte[RESERVE + 64 * 1024];
    private final byte[] head = new byte[RESERVE];
    private int state = NONE;
    // The current frame: identity, header fields, which must be equal in all its packets.
    private int ssrc, timestamp, type, q, w8, h8, dri;
    private boolean tablesSeen, markerSeen, inOrder;
    private int total; // scan length, known from the marker packet
    private int firstSeq, markerSeq, lastSeq, lastEnd;
    private final byte[] tables = new byte[256]; // luma then chroma, 64 or 128 bytes each
    private int precision; // bit 0: luma table is 16-bit, bit 1: chroma
    private int[] fragOffset = new int[64], fragLength = new int[64], fragSeq = new int[64];
    private long[] sortKeys;
    private int fragments, verifications;
    private byte[][] cachedTables; // Q 128..254 -> tables, kept across frames (RFC 2435 4.2)
    private int[] cachedPrecision;

    private int outTimestamp, outWidth, outHeight;
    private long completed, dropped, invalid, late, reordered;

    /**
     * Sets the picture size a receiver knows from outside the packets (SDP {@code a=x-dimensions:W,H},
     * GStreamer caps). It is used when a header field is 0 and when its 8-pixel units match the header,
     * which gives the exact size of pictures that are not a multiple of 8 pixels.
     *
     * @param width 0 (unknown) or 1..65535
     * @param height 0 (unknown) or 1..65535
     * @throws IllegalArgumentException outside these ranges
     */
    public void setDimensions(int width, int height) {
        if (width < 0 || width > 65535 || height < 0 || height > 65535) {
            throw new IllegalArgumentException("dimensions " + width + "x" + height
                    + " are out of range; accepted: 0 (unknown) or 1..65535 each");
        }
        dimWidth = width;
        dimHeight = height;
    }

    /**
     * @param payloadType the RTP payload type to accept, 0..127, or -1 for any (default 26, JPEG's static type)
     * @throws IllegalArgumentException outside -1..127
     */
    public void setPayloadType(int payloadType) {
        if (payloadType < -1 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is out of range; accepted: -1..127");
        }
        this.payloadType = payloadType;
    }

    /**
     * Takes one RTP packet (one UDP datagram) and returns the frame it completes, if any.
     *
     * @param packet the datagram between its position and limit; read with absolute gets only, so its
     *            position and limit are left alone
     * @return a JFIF file between position and limit of a buffer owned by this depacketizer and valid until
     *         the next call of {@code receive} or {@link #flush()}; {@code null} when no frame was completed
     */
    public ByteBuffer receive(ByteBuffer packet) {
        final int p = packet.position(), n = packet.limit() - p;
        if (n < RTP + MAIN || (packet.get(p) & 0xC0) != 0x80) {
            invalid++;
            return null;
        }
        final int b0 = packet.get(p) & 0xFF, b1 = packet.get(p + 1) & 0xFF;
        int end = n;
        if ((b0 & 0x20) != 0) { // padding: the last byte counts the padding bytes
            end -= packet.get(p + n - 1) & 0xFF;
        }
        int at = RTP + 4 * (b0 & 0x0F); // CSRC list
        if ((b0 & 0x10) != 0) { // header extension: 4 bytes, then length in 32-bit words
            if (at + 4 > end) {
                invalid++;
                return null;
            }
            at += 4 + 4 * u16(packet, p + at + 2);
        }
        if (payloadType >= 0 && (b1 & 0x7F) != payloadType || at + MAIN > end) {
            invalid++;
            return null;
        }
        final boolean marker = (b1 & 0x80) != 0;
        final int seq = u16(packet, p + 2), ts = packet.getInt(p + 4), src = packet.getInt(p + 8);
        final int offset = u8(packet, p + at + 1) << 16 | u16(packet, p + at + 2);
        final int pType = u8(packet, p + at + 4), pQ = u8(packet, p + at + 5);
        final int pW8 = u8(packet, p + at + 6), pH8 = u8(packet, p + at + 7);
        at += MAIN;
        // Types 0/1 and their restart variants 64/65 are the ones RFC 2435 defines; Q 0 and 100..127 are reserved.
        if ((pType & 63) > 1 || pType > 127 || pQ == 0 || (pQ >= 100 && pQ < 128)) {
            invalid++;
            return null;
        }
        int pDri = 0;
        if (pType >= 64) {
            if (at + RESTART > end) {
                invalid++;
                return null;
            }
            pDri = u16(packet, p + at);
            at += RESTART;
        }
        // The table header is checked before the packet touches any frame state: an invalid one is garbage.
        int qLength = 0, qPrecision = 0, qAt = 0;
        if (offset == 0 && pQ >= 128) {
            if (at + QHEADER > end) {
                invalid++;
                return null;
            }
            qPrecision = u8(packet, p + at + 1);
            qLength = u16(packet, p + at + 2);
            qAt = at + QHEADER;
            final int needed = ((qPrecision & 1) != 0 ? 128 : 64) + ((qPrecision & 2) != 0 ? 128 : 64);
            if (qAt + qLength > end || (qLength != 0 && qLength < needed) || (qLength == 0 && pQ == 255)) {
                invalid++;
                return null;
            }
            at = qAt + qLength;
        }
        final int length = end - at;
        if (length <= 0 && !marker) {
            invalid++;
            return null;
        }

        if (state != NONE && src == ssrc) {
            final int age = ts - timestamp;
            if (age < 0 && age > -MAX_LATE_TICKS) { // a packet of an older frame arriving late
                late++;
                return null;
            }
            if (age == 0 && state != ASSEMBLING) { // the rest of a frame already output or dropped
                if (state == FINISHED) {
                    late++;
                }
                return null;
            }
        }
        if (state == NONE || src != ssrc || ts != timestamp) {
            if (state == ASSEMBLING) {
                dropped++;
            }
            startFrame(src, ts, pType, pQ, pW8, pH8, pDri);
        } else if (pType != type || pQ != q || pW8 != w8 || pH8 != h8 || pDri != dri) {
            return drop(); // RFC 2435: these fields are the same in every packet of a frame
        }

        if (offset + (long) length > MAX_FRAME_SIZE || fragments == MAX_FRAGMENTS) {
            return drop();
        }
        store(packet, p + at, offset, length);
        if (offset == 0) {
            if (!tables(packet, p + qAt, qLength, qPrecision)) {
                return drop();
            }
            tablesSeen = true;
            firstSeq = seq;
        }
        if (marker) {
            if (markerSeen && offset + length != total) {
                return drop();
            }
            markerSeen = true;
            markerSeq = seq;
            total = offset + length;
        }
        // The common case: fragments in order from offset 0, each right after the previous one.
        if (fragments == 0) {
            inOrder = offset == 0;
        } else if (inOrder && (seq != ((lastSeq + 1) & 0xFFFF) || offset != lastEnd)) {
            inOrder = false;
        }
        fragOffset[fragments] = offset;
        fragLength[fragments] = length;
        fragSeq[fragments] = seq;
        fragments++;
        lastSeq = seq;
        lastEnd = offset + length;
        if (!markerSeen || !tablesSeen) {
            return null;
        }
        if (inOrder) {
            return output();
        }
        if (fragments < ((markerSeq - firstSeq) & 0xFFFF) + 1) {
            return null; // fragments still missing; maybe only late
        }
        return switch (verify()) {
            case ASSEMBLING -> ++verifications < MAX_VERIFICATIONS ? null : drop();
            case DISCARDING -> drop();
            default -> output();
        };
    }

    /**
     * Ends the frame being assembled: when it is incomplete it is dropped and counted. Call it at the end
     * of a stream, or when the sender has gone silent.
     */
    public void flush() {
        if (state == ASSEMBLING) {
            dropped++;
        }
        state = NONE;
    }

    /** @return the RTP timestamp of the frame last returned by {@link #receive} */
    public int timestamp() {
        return outTimestamp;
    }

    /** @return width in pixels written into the frame last returned */
    public int width() {
        return outWidth;
    }

    /** @return height in pixels written into the frame last returned */
    public int height() {
        return outHeight;
    }

    /** @return frames output so far */
    public long completedFrames() {
        return completed;
    }

    /**
     * @return frames of which some packets arrived but which were not output: a lost or inconsistent
     *         fragment, a sequence jump, too large, no size known, or the tables of a cached Q never received
     */
    public long droppedFrames() {
        return dropped;
    }

    /** @return packets that are not RTP/JPEG as RFC 2435 defines it (or not of the accepted payload type) */
    public long invalidPackets() {
        return invalid;
    }

    /** @return packets of a frame that was already output, or of a frame older than the current one */
    public long latePackets() {
        return late;
    }

    /** @return frames whose packets arrived out of order (they are output all the same when complete) */
    public long reorderedFrames() {
        return reordered;
    }

    private void startFrame(int src, int ts, int pType, int pQ, int pW8, int pH8, int pDri) {
        state = ASSEMBLING;
        ssrc = src;
        timestamp = ts;
        type = pType;
        q = pQ;
        w8 = pW8;
        h8 = pH8;
        dri = pDri;
        tablesSeen = false;
        markerSeen = false;
        fragments = 0;
        verifications = 0;
        total = 0;
    }

    private ByteBuffer drop() {
        if (state == ASSEMBLING) {
            dropped++;
        }
        state = DISCARDING;
        return null;
    }

    /** Copies a fragment to its place in the frame buffer, growing it as needed (bounded by the caller). */
    private void store(ByteBuffer packet, int from, int offset, int length) {
        final int need = RESERVE + offset + length + 2; // + EOI
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Math.max(need, 2L * buf.length), RESERVE + MAX_FRAME_SIZE + 2L));
        }
        if (fragments == fragOffset.length) {
            final int size = Math.min(2 * fragments, MAX_FRAGMENTS);
            fragOffset = Arrays.copyOf(fragOffset, size);
            fragLength = Arrays.copyOf(fragLength, size);
            fragSeq = Arrays.copyOf(fragSeq, size);
        }
        packet.get(from, buf, RESERVE + offset, length);
    }

    /** Takes the quantization tables of the frame: in-band, cached for this Q, or computed from Q. */
    private boolean tables(ByteBuffer packet, int from, int length, int prec) {
        if (q < 128) {
            makeTables(q, tables);
            precision = 0;
            return true;
        }
        if (length == 0) { // Q 128..254 without table data: the tables last sent with this Q
            if (cachedTables == null || cachedTables[q - 128] == null) {
                return false;
            }
            System.arraycopy(cachedTables[q - 128], 0, tables, 0, 256);
            precision = cachedPrecision[q - 128];
            return true;
        }
        final int luma = (prec & 1) != 0 ? 128 : 64, chroma = (prec & 2) != 0 ? 128 : 64;
        packet.get(from, tables, 0, luma);
        packet.get(from + luma, tables, 128, chroma);
        precision = prec & 3;
        if (q < 255) {
            if (cachedTables == null) {
                cachedTables = new byte[127][];
                cachedPrecision = new int[127];
            }
            cachedTables[q - 128] = tables.clone();
            cachedPrecision[q - 128] = precision;
        }
        return true;
    }

    /**
     * Checks that the fragments, sorted by offset, cover the scan exactly with consecutive sequence numbers
     * from the fragment at offset 0 to the marker. Exact duplicates are removed.
     *
     * @return FINISHED when complete, ASSEMBLING when fragments are missing, DISCARDING when inconsistent
     */
    private int verify() {
        if (sortKeys == null || sortKeys.length < fragments) {
            sortKeys = new long[Math.max(fragments, 64)];
        }
        for (int i = 0; i < fragments; i++) {
            sortKeys[i] = (long) fragOffset[i] << 32 | (long) fragSeq[i] << 16 | i;
        }
        Arrays.sort(sortKeys, 0, fragments);
        int end = 0, expectSeq = firstSeq, prevSeq = -1, prevOffset = -1, prevLength = -1;
        for (int k = 0; k < fragments; k++) {
            final int i = (int) (sortKeys[k] & 0xFFFF);
            final int off = fragOffset[i], len = fragLength[i], seq = fragSeq[i];
            if (seq == prevSeq && off == prevOffset && len == prevLength) {
                continue; // a duplicated packet
            }
            if (off != end || seq != expectSeq) {
                // A gap may still be filled by a late packet; an overlap or a wrong sequence cannot.
                return off > end ? ASSEMBLING : DISCARDING;
            }
            end = off + len;
            expectSeq = (seq + 1) & 0xFFFF;
            prevSeq = seq;
            prevOffset = off;
            prevLength = len;
        }
        if (end != total || prevSeq != markerSeq) {
            return end < total ? ASSEMBLING : DISCARDING;
        }
        return FINISHED;
    }

    /** Writes the Appendix B headers in front of the scan and EOI after it; returns the frame. */
    private ByteBuffer output() {
        int width = w8 * 8, height = h8 * 8;
        if (dimWidth > 0 && (w8 == 0 || (dimWidth + 7) >> 3 == w8)) {
            width = dimWidth;
        }
        if (dimHeight > 0 && (h8 == 0 || (dimHeight + 7) >> 3 == h8)) {
            height = dimHeight;
        }
        if (width == 0 || height == 0) {
            return drop(); // above 2040 pixels without a size from the SDP: nothing a decoder could use
        }
        final byte[] h = head; // built apart, then copied right in front of the scan
        int i = 0;
        i = put(h, i, 0xFF, 0xD8);
        // JFIF APP0: version 1.01, no density; tells decoders the three components are YCbCr.
        i = put(h, i, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0);
        for (int t = 0; t < 2; t++) {
            final boolean wide = (precision & (1 << t)) != 0;
            final int size = wide ? 128 : 64;
            i = put(h, i, 0xFF, 0xDB, 0, 3 + size, (wide ? 0x10 : 0) | t);
            System.arraycopy(tables, 128 * t, h, i, size);
            i += size;
        }
        if (dri > 0) {
            i = put(h, i, 0xFF, 0xDD, 0, 4, dri >> 8, dri & 0xFF);
        }
        // SOF0 (baseline) takes 8-bit tables only; 16-bit ones need SOF1 (extended sequential).
        i = put(h, i, 0xFF, precision == 0 ? 0xC0 : 0xC1, 0, 17, 8, height >> 8, height & 0xFF, width >> 8,
                width & 0xFF, 3, 1, (type & 63) == 0 ? 0x21 : 0x22, 0, 2, 0x11, 1, 3, 0x11, 1);
        i = dht(h, i, 0x00);
        i = dht(h, i, 0x10);
        i = dht(h, i, 0x01);
        i = dht(h, i, 0x11);
        i = put(h, i, 0xFF, 0xDA, 0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0);
        System.arraycopy(h, 0, buf, RESERVE - i, i);
        buf[RESERVE + total] = (byte) 0xFF;
        buf[RESERVE + total + 1] = (byte) 0xD9;
        state = FINISHED;
        completed++;
        if (!inOrder) {
            reordered++;
        }
        outTimestamp = timestamp;
        outWidth = width;
        outHeight = height;
        return ByteBuffer.wrap(buf, RESERVE - i, i + total + 2);
    }

    /** One DHT segment with a standard (Annex K) table, the ones RFC 2435 senders code with. */
    private static int dht(byte[] h, int i, int classAndId) {
        int length = StandardHuffman.tableLength(classAndId >> 4, classAndId & 0xF);
        i = put(h, i, 0xFF, 0xC4, 0, 3 + length, classAndId);
        return i + StandardHuffman.copyTable(classAndId >> 4, classAndId & 0xF, h, i);
    }

    private static int put(byte[] h, int i, int... bytes) {
        for (int b : bytes) {
            h[i++] = (byte) b;
        }
        return i;
    }

    /**
     * The tables of RFC 2435 Appendix A for Q 1..99: the JPEG Annex K tables scaled as libjpeg's quality
     * setting does, limited to 1..255, in zig-zag order.
     *
     * @param q 1..99 (values outside are limited to it)
     * @param into receives the luma table at 0..63 and the chroma table at 128..191
     */
    static void makeTables(int q, byte[] into) {
        final int factor = Math.max(1, Math.min(99, q));
        final int scale = factor < 50 ? 5000 / factor : 200 - factor * 2;
        for (int k = 0; k < 64; k++) {
            final int natural = StandardTables.ZIGZAG[k];
            into[k] = (byte) Math.max(1, Math.min(255, (StandardTables.LUMA_Q[natural] * scale + 50) / 100));
            into[128 + k] = (byte) Math.max(1, Math.min(255, (StandardTables.CHROMA_Q[natural] * scale + 50) / 100));
        }
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }

    private static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xFF) << 8 | (b.get(i + 1) & 0xFF);
    }
}
