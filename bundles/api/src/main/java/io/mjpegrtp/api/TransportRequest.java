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
 * @param multicastTtl IP TTL of multicast packets, 1..255 (1: this network only)
 * @param multicastInterface interface for multicast packets (a name such as {@code eth0}, or one of its
 *            addresses), or empty for the system's choice (the route to the group)
 * @param multicastLoop whether multicast packets are also delivered to receivers on this host
 */
public record TransportRequest(String camera, String host, int port, int mtu, int dscp, String pacing, int framerate,
        int width, int height, Path sdpDirectory, int multicastTtl, String multicastInterface,
        boolean multicastLoop) {
    /** Multicast TTL when none is configured: the local network only. */
    public static final int DEFAULT_MULTICAST_TTL = 1;

    public TransportRequest {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(multicastInterface, "multicastInterface");
        if (multicastTtl < 1 || multicastTtl > 255) {
            throw new IllegalArgumentException("multicastTtl " + multicastTtl + " is out of range 1..255");
        }
    }

    /** A request with the multicast defaults, as in API 1.0. */
    public TransportRequest(String camera, String host, int port, int mtu, int dscp, String pacing, int framerate,
            int width, int height, Path sdpDirectory) {
        this(camera, host, port, mtu, dscp, pacing, framerate, width, height, sdpDirectory, DEFAULT_MULTICAST_TTL,
                "", true);
    }
}
