package io.mjpegrtp.distribution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux network namespace of a test's own (iproute2, needs root, as CI runs): its loopback is up, so streams and
 * receivers inside it have private ports, and traffic never leaves it or the veth pairs a test adds between two.
 * Names are unique per JVM and process; {@link #close()} deletes the namespace and with it its interfaces.
 */
final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    final String name;

    private Netns(String name) {
        this.name = name;
    }

    static Netns create(String purpose) throws IOException, InterruptedException {
        Tools.require("ip");
        String name = "mjr-" + purpose + "-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet();
        Tools.run(Path.of("/"), "ip", "netns", "add", name);
        Netns ns = new Netns(name);
        try {
            ns.ip("link", "set", "dev", "lo", "up");
        } catch (AssertionError | IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Connects {@code a} and {@code b} with a veth pair, addresses {@code addressA}/{@code addressB} (CIDR), both up. */
    static void link(Netns a, String ifA, String addressA, Netns b, String ifB, String addressB)
            throws IOException, InterruptedException {
        Tools.run(Path.of("/"), "ip", "link", "add", ifA, "netns", a.name, "type", "veth", "peer", "name", ifB,
                "netns", b.name);
        a.ip("addr", "add", addressA, "dev", ifA);
        b.ip("addr", "add", addressB, "dev", ifB);
        a.ip("link", "set", "dev", ifA, "up");
        b.ip("link", "set", "dev", ifB, "up");
    }

    /** Runs {@code ip ARGS} inside the namespace. */
    String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return Tools.run(Path.of("/"), cmd.toArray(String[]::new));
    }

    /** The prefix that runs a command inside the namespace. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** {@code command} run inside the namespace. */
    String[] exec(String... command) {
        List<String> cmd = new ArrayList<>(exec());
        cmd.addAll(List.of(command));
        return cmd.toArray(String[]::new);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // Processes still inside keep it alive only as long as they run; the name goes away now.
        new ProcessBuilder("ip", "netns", "del", name).inheritIO().start().waitFor();
    }
}
