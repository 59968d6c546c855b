package io.mjpegrtp.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real command-line tools the tests compare against: cjpeg, gst-launch-1.0, ffmpeg. */
final class Tools {
    private Tools() {
    }

    /** Runs a command to completion; fails with its output when it exits non-zero. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        require(command[0]);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String text = new String(out);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + text);
        }
        return text;
    }

    static Process start(Path dir, Path log, String... command) throws IOException {
        require(command[0]);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile())
                .redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /** A missing tool fails the test: CI installs them (see .ci/run), a skipped check would prove nothing. */
    static void require(String tool) {
        if (tool.contains("/")) {
            return;
        }
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError(tool + " is not installed; run .ci/run or install gstreamer1.0-tools "
                + "gstreamer1.0-plugins-good ffmpeg libjpeg-turbo-progs");
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        List<Path> list = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return list;
        }
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().forEach(list::add);
        }
        return list;
    }
}
