package io.mjpegrtp.transport.udp.internal;

import io.mjpegrtp.testfixtures.Fixtures;

/** Real JPEGs made at test time by libjpeg-turbo's cjpeg (standard Huffman tables), from the shared fixtures. */
final class Pictures {
    private Pictures() {
    }

    /** A w x h picture at quality 85, 4:2:0; with a restart marker after every MCU row when {@code restart}. */
    static byte[] jpeg(int w, int h, boolean restart) {
        return restart ? Fixtures.cjpeg(w, h, "-quality", "85", "-sample", "2x2", "-restart", "1")
                : Fixtures.cjpeg(w, h, "-quality", "85", "-sample", "2x2");
    }
}
