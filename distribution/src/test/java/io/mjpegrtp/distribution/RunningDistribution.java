package io.mjpegrtp.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The built distribution, started as a user would ({@code bin/mjpeg-rtp}) with a test's own directories. */
final class RunningDistribution implements AutoCloseable {
    static final Path HOME = Paths.get(System.getProperty("mjpeg.dist", "target/mjpeg-rtp")).toAbsolutePath();

    final Path config;
    final Path sdp;
    final Path home;
    final Path data;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    RunningDistribution(Path work, Path config, String... extraArgs) throws IOException {
        this(HOME, work, config, extraArgs);
    }

    RunningDistribution(Path home, Path work, Path config, String... extraArgs) throws IOException {
        this(List.of(), home, work, config, extraArgs);
    }

    /**
     * Starts {@code bin/mjpeg-rtp} behind {@code prefix}, a command that runs it, such as
     * {@code ip netns exec NAME} to run it inside a network namespace.
     */
    RunningDistribution(List<String> prefix, Path home, Path work, Path config, String... extraArgs)
            throws IOException {
        this.config = config;
        this.sdp = work.resolve("sdp");
        this.home = home;
        this.data = work.resolve("data");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(home.resolve("bin/mjpeg-rtp").toString(), "--no-shell",
                "--config", config.toString(), "--data", data.toString(), "--sdp-dir", sdp.toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        process = pb.start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[mjpeg-rtp] " + line);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "distribution-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for a log line matching {@code p}; fails the test with the log so far when it does not come. */
    String awaitLine(Predicate<String> p, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (p.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0 || !process.isAlive() && seen >= lines.size()) {
                    throw new AssertionError("no log line " + what + " within " + timeout + "; log:\n"
                            + String.join("\n", lines));
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    long count(Predicate<String> p) {
        return lines().stream().filter(p).count();
    }

    /** Runs a shell command in the running runtime ({@code bin/mjpeg-rtp cmd mjpeg:stats cam0}); returns its output. */
    String command(String... commandLine) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/mjpeg-rtp").toString(), "cmd", "--data",
                data.toString()));
        cmd.addAll(List.of(commandLine));
        return Tools.run(data.getParent(), cmd.toArray(String[]::new));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd or Ctrl-C would; returns how long the process took to end, and its exit code. */
    long[] terminate() throws InterruptedException, IOException {
        long start = System.nanoTime();
        // kill(1), not Process.destroy(): destroy() also closes our end of the output pipe, losing the log of
        // the shutdown this test wants to read.
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        boolean ended = process.waitFor(10, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!ended) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("mjpeg-rtp did not stop within 10 s of SIGTERM");
        }
        reader.join(2000);
        return new long[] { millis, process.exitValue() };
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A copy of the distribution tree that a test may change (move bundles between system/ and plugins/). */
    static Path copyOfHome(Path target) throws IOException {
        try (var files = Files.walk(HOME)) {
            for (Path p : files.toList()) {
                Path rel = HOME.relativize(p);
                if (rel.startsWith("data") || rel.startsWith("sdp")) {
                    continue;
                }
                Path t = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    static void writeCamera(Path config, String name, String... keyValues) throws IOException {
        Files.createDirectories(config);
        StringBuilder b = new StringBuilder();
        for (String kv : keyValues) {
            b.append(kv).append('\n');
        }
        Path tmp = config.resolve("." + name + ".tmp");
        Files.writeString(tmp, b.toString());
        Files.move(tmp, config.resolve("mjpeg.camera-" + name + ".cfg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
