package io.mjpegrtp.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Real JPEGs for the benchmarks, made at setup by libjpeg-turbo's {@code cjpeg} from a synthesized
 * camera-like picture (gradients, hard-edged shapes, mild sensor noise), so that no binary fixtures are
 * committed and the scan holds the usual mix of stuffed 0xFF bytes.
 */
final class Pictures {
    private Pictures() {
    }

    /** A P6 picture, deterministic for a given size and seed. */
    static byte[] ppm(int w, int h, long seed) {
        final Random r = new Random(seed);
        final byte[] head = ("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] out = Arrays.copyOf(head, head.length + 3 * w * h);
        int i = head.length;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                final boolean shape = ((x / 37) + (y / 23)) % 4 == 0 || Math.hypot(x - w / 2.0, y - h / 2.0) < h / 5.0;
                final int n = r.nextInt(17) - 8;
                out[i++] = (byte) clamp(x * 255 / Math.max(1, w - 1) + n);
                out[i++] = (byte) clamp((shape ? 200 : 60) + n);
                out[i++] = (byte) clamp(y * 255 / Math.max(1, h - 1) - n);
            }
        }
        return out;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** cjpeg of a synthesized w x h picture with the given options. */
    static byte[] cjpeg(int w, int h, String... options) {
        final List<String> cmd = new ArrayList<>(List.of("cjpeg"));
        cmd.addAll(Arrays.asList(options));
        return run(cmd, ppm(w, h, 31L * w + h));
    }

    /**
     * A 4:3 JPEG (quality 85, 4:2:0) whose size is close to {@code bytes}: the picture area is scaled until
     * the file is within 3 % of it.
     */
    static byte[] ofSize(int bytes) {
        double scale = Math.sqrt(bytes / 10.0) / 3; // a first guess: about 10 bytes per 12 pixels
        byte[] best = null;
        for (int i = 0; i < 8; i++) {
            final int w = Math.max(16, (int) Math.round(4 * scale)), h = Math.max(16, (int) Math.round(3 * scale));
            final byte[] j = cjpeg(w, h, "-quality", "85", "-sample", "2x2");
            if (best == null || Math.abs(j.length - bytes) < Math.abs(best.length - bytes)) {
                best = j;
            }
            if (Math.abs(j.length - bytes) <= bytes * 0.03) {
                break;
            }
            scale *= Math.sqrt((double) bytes / j.length);
        }
        return best;
    }

    static byte[] run(List<String> cmd, byte[] stdin) {
        try {
            final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final Thread writer = new Thread(() -> {
                try (OutputStream os = p.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException ignored) {
                    // the exit code tells
                }
            });
            writer.start();
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " failed; the benchmarks need libjpeg-turbo-progs (cjpeg)");
            }
            writer.join();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(cmd.get(0) + " not found: apt-get install libjpeg-turbo-progs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
