package io.mjpegrtp.rtp;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives the packets of a frame from {@link RtpJpegPacketizer}. A packet is the concatenation of
 * {@code header} and {@code payload}, meant for a gathering write such as
 * {@code channel.write(array)} with a reused {@code ByteBuffer[]{header, payload}}.
 */
@FunctionalInterface
public interface PacketSink {
    /**
     * Sends one packet. Both buffers are reused by the packetizer and valid only during this call; the
     * sink may consume them (move their positions) but must not keep them.
     *
     * @param header RTP header, JPEG main header, restart header when the frame has DRI, and the
     *            quantization table header in the first packet of a frame only
     * @param payload a read-only-by-contract view of the frame's entropy-coded data (not a copy)
     * @param marker true for the last packet of the frame (also set in the RTP header)
     * @throws IOException when sending failed; the rest of the frame is not sent
     */
    void packet(ByteBuffer header, ByteBuffer payload, boolean marker) throws IOException;
}
