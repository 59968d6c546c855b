package io.mjpegrtp.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a camera asks of a transport.
 *
 * @param camera the camera's name
 * @param host destination host (unicast or multicast address, or a name)
 * @param port destination port; RTCP, where the transport has it, uses port + 1
 * @param mtu largest packet, IP and UDP headers excluded
 * @param dscp DiffServ code point 0..63
 * @param pacing {@code auto}, {@code off}, or a maximum rate in kbit/s
 * @param framerate the camera's nominal frame rate, for pacing
 * @param width picture width as sent (after rotation)
 * @param height picture height as sent (after rotation)
 * @param sdpDirectory where a session description file is written, or {@code null} for none
 */
public record TransportRequest(String camera, String host, int port, int mtu, int dscp, String pacing, int framerate,
        int width, int height, Path sdpDirectory) {
    public TransportRequest {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pacing, "pacing");
    }
}
