package io.mjpegrtp.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/mjpeg-rtp} sub-commands ({@code cmd}, {@code import-toml}) as a script would. */
final class Cli {
    /** What a run printed and how it ended. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(Path home, String... args) throws IOException, InterruptedException {
        return run(home, null, args);
    }

    /** {@code input}: what is typed, or null for none (/dev/null). */
    static Result run(Path home, byte[] input, String... args) throws IOException, InterruptedException {
        Process p = start(home, input != null, args);
        if (input != null) {
            p.getOutputStream().write(input);
            p.getOutputStream().close();
        }
        return finish(p);
    }

    static Process start(Path home, boolean pipeInput, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/mjpeg-rtp").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (!pipeInput) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        return pb.start();
    }

    static Result finish(Process p) throws InterruptedException {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/mjpeg-rtp did not finish within 60 s: " + p.info());
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
