package io.mjpegrtp.transport.udp.internal;

import io.mjpegrtp.api.TransportRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.regex.Pattern;

/** The socket options a request asks for: DSCP always, TTL, interface and loop for a multicast destination. */
record SocketSetup(String camera, int dscp, int multicastTtl, String interfaceSpec, boolean multicastLoop) {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    static SocketSetup of(TransportRequest r) {
        return new SocketSetup(r.camera(), r.dscp(), r.multicastTtl(), r.multicastInterface().trim(),
                r.multicastLoop());
    }

    /**
     * The configured multicast interface, or {@code null} for the system's choice.
     *
     * @throws IOException when no interface has that name or address (yet: it may come later)
     */
    NetworkInterface multicastInterface() throws IOException {
        if (interfaceSpec.isEmpty()) {
            return null;
        }
        NetworkInterface nif = IP_LITERAL.matcher(interfaceSpec).matches()
                ? NetworkInterface.getByInetAddress(InetAddress.getByName(interfaceSpec))
                : NetworkInterface.getByName(interfaceSpec);
        if (nif == null) {
            throw new IOException("no network interface '" + interfaceSpec + "' (multicast_interface)");
        }
        return nif;
    }

    /** Applies TTL, interface and loop to a socket or channel sending to a multicast group. */
    void applyMulticast(Options target) throws IOException {
        target.set(StandardSocketOptions.IP_MULTICAST_TTL, multicastTtl);
        target.set(StandardSocketOptions.IP_MULTICAST_LOOP, multicastLoop);
        NetworkInterface nif = multicastInterface();
        if (nif != null) {
            target.set(StandardSocketOptions.IP_MULTICAST_IF, nif);
        }
    }

    /** Sets an option: both {@code DatagramChannel} and {@code DatagramSocket} have this method, under no common type. */
    @FunctionalInterface
    interface Options {
        <T> void set(SocketOption<T> option, T value) throws IOException;
    }
}
