package io.mjpegrtp.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps a copy of every packet and where its payload view pointed. */
final class Capture implements PacketSink {
    final List<byte[]> packets = new ArrayList<>();
    final List<Boolean> markers = new ArrayList<>();
    final List<Integer> headerLengths = new ArrayList<>();
    final List<Integer> payloadPositions = new ArrayList<>();
    final List<ByteBuffer> payloadViews = new ArrayList<>();

    @Override
    public void packet(ByteBuffer header, ByteBuffer payload, boolean marker) {
        int h = header.remaining(), n = payload.remaining();
        byte[] p = new byte[h + n];
        payloadPositions.add(payload.position());
        payloadViews.add(payload);
        header.get(p, 0, h); // relative gets consume the buffers as a channel write would
        payload.get(p, h, n);
        packets.add(p);
        markers.add(marker);
        headerLengths.add(h);
    }

    void clear() {
        packets.clear();
        markers.clear();
        headerLengths.clear();
        payloadPositions.clear();
        payloadViews.clear();
    }
}
