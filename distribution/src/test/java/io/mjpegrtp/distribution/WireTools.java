package io.mjpegrtp.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Receivers and fixtures of the network tests (pacing, RTCP, multicast, DSCP, faults). */
final class WireTools {
    private static final Pattern STOPPED = Pattern.compile(
            ": stopped; (\\d+) frames captured, (\\d+) sent, .*?, (\\d+) packets, (\\d+) send errors");

    private WireTools() {
    }

    /**
     * A smooth picture with a little noise (+-1), so that cjpeg at quality 90 makes a JPEG of a realistic size
     * (about 440 KB at 3280x2464) instead of the megabytes that strong noise costs.
     */
    static Path smoothPpm(Path dir, int width, int height, int period, int noise, int seed) throws IOException {
        Path file = dir.resolve("smooth-" + width + "x" + height + "-" + period + "-" + noise + "-" + seed + ".ppm");
        byte[] pixels = new byte[width * height * 3];
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                int n = (int) Math.floorMod(state >>> 33, 2 * noise + 1) - noise;
                int i = (y * width + x) * 3;
                pixels[i] = clamp(x * 255 / (width - 1) + n);
                pixels[i + 1] = clamp(y * 255 / (height - 1) + n);
                pixels[i + 2] = clamp((int) (128 + 100 * Math.sin((x + y + seed * 7) / (double) period)) + n);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("P6\n" + width + " " + height + "\n255\n").getBytes());
            out.write(pixels);
        }
        return file;
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }

    static Path cjpeg(Path dir, String name, Path ppm, String... options) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".jpg");
        List<String> cmd = new ArrayList<>(List.of("cjpeg"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-outfile", out.toString(), ppm.toString()));
        Tools.run(dir, cmd.toArray(String[]::new));
        return out;
    }

    /** The RTP caps a GStreamer receiver needs, with the real size above 2040 pixels (RFC 2435 cannot carry it). */
    static String caps(int width, int height) {
        return Receivers.RTP_CAPS + (width > 2040 || height > 2040
                ? ",x-dimensions=(string)\"" + width + "," + height + "\"" : "");
    }

    /**
     * Starts {@code gst-launch-1.0 -v ... ! fakesink silent=false}: fakesink announces every buffer it gets with a
     * {@code last-message = chain} line, which {@link #buffers} counts.
     */
    static Process gstCounting(Path work, Path log, List<String> prefix, String... pipeline) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("gst-launch-1.0", "-v"));
        cmd.addAll(List.of(pipeline));
        cmd.addAll(List.of("!", "fakesink", "sync=false", "silent=false"));
        Tools.require("gst-launch-1.0");
        return Tools.start(work, log, cmd.toArray(String[]::new));
    }

    static int buffers(Path log) throws IOException {
        try (var lines = Files.lines(log)) {
            return (int) lines.filter(l -> l.contains("last-message = chain")).count();
        }
    }

    /** SIGINT, as Ctrl-C: gst-launch-1.0 and ffmpeg end cleanly, flushing their output and statistics. */
    static void interrupt(Process p) throws IOException, InterruptedException {
        if (p.isAlive()) {
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The counters a camera logs when it stops: frames captured, frames sent, packets, send errors. */
    static long[] stoppedCounters(RunningDistribution d, String camera) {
        for (String line : d.lines()) {
            if (line.contains(camera + ": stopped;")) {
                Matcher m = STOPPED.matcher(line);
                if (m.find()) {
                    return new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3)), Long.parseLong(m.group(4)) };
                }
            }
        }
        throw new AssertionError("no '" + camera + ": stopped; ...' line with counters; log:\n"
                + String.join("\n", d.lines()));
    }

    /** Lines of the runtime's log that show an exception escaped somewhere: a stack trace or an uncaught one. */
    static List<String> stackTraces(RunningDistribution d) {
        return d.lines().stream()
                .filter(l -> l.startsWith("\tat ") || l.matches("\\s+at [\\w.$]+\\(.*\\)") || l.contains("Exception in thread")
                        || l.startsWith("Caused by:"))
                .toList();
    }
}
