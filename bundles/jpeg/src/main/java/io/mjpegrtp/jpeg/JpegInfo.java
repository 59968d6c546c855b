package io.mjpegrtp.jpeg;

/**
 * What {@link JpegParser} found in a JPEG that RFC 2435 can carry. Mutable and reusable so that parsing
 * every frame allocates nothing; after a failed parse its contents are unspecified. Not thread-safe.
 */
public final class JpegInfo {
    /** RTP/JPEG type 0: luma sampled 2x1, chroma 1x1 (4:2:2). */
    public static final int TYPE_422 = 0;
    /** RTP/JPEG type 1: luma sampled 2x2, chroma 1x1 (4:2:0). */
    public static final int TYPE_420 = 1;

    int width, height, rtpType, restartInterval, start, scanOffset, scanLength, end;
    boolean sharedTable;
    final byte[] tables = new byte[128];

    /** @return picture width in pixels (1..65535) */
    public int width() { return width; }

    /** @return picture height in pixels (1..65535) */
    public int height() { return height; }

    /** @return {@link #TYPE_422} or {@link #TYPE_420}, without the +64 restart flag */
    public int rtpType() { return rtpType; }

    /** @return the restart interval in MCUs from DRI, 0 when there is none */
    public int restartInterval() { return restartInterval; }

    /**
     * The two quantization tables RFC 2435 sends in-band: the luma table (64 bytes) then the table used by
     * Cb and Cr (64 bytes), zig-zag order as in the DQT, 8-bit values, no Pq/Tq byte. A JPEG whose
     * components all use one table yields that table twice.
     *
     * @return the internal array (not a copy): valid until the next parse into this object
     */
    public byte[] quantizationTables() { return tables; }

    /** @return true when luma and chroma use the same DQT table (a one-table JPEG) */
    public boolean sharedQuantizationTable() { return sharedTable; }

    /** @return absolute index of the SOI marker in the parsed buffer (its position at parse time) */
    public int start() { return start; }

    /** @return absolute index of the first entropy-coded byte, right after the SOS header */
    public int scanOffset() { return scanOffset; }

    /** @return number of entropy-coded bytes, up to but excluding the EOI marker (and fill bytes before it) */
    public int scanLength() { return scanLength; }

    /** @return absolute index just past the EOI marker; bytes from here to the limit were ignored */
    public int end() { return end; }

    @Override
    public String toString() {
        return "JpegInfo[" + width + "x" + height + " type " + rtpType + " restart " + restartInterval
                + " scan " + scanOffset + "+" + scanLength + (sharedTable ? " one-table" : "") + "]";
    }
}
