package io.mjpegrtp.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Real JPEGs made at test time by libjpeg-turbo's cjpeg from synthesized pictures (standard Huffman tables). */
final class Pictures {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private Pictures() {
    }

    /** A w x h picture at quality 85, 4:2:0; with a restart marker after every MCU row when {@code restart}. */
    static byte[] jpeg(int w, int h, boolean restart) {
        return CACHE.computeIfAbsent(w + "x" + h + (restart ? "r" : ""), k -> {
            try {
                Path dir = Files.createTempDirectory("udp-pictures");
                Path in = dir.resolve("in.ppm");
                Files.write(in, ppm(w, h, 31L * w + h));
                List<String> cmd = new ArrayList<>(List.of("cjpeg", "-quality", "85", "-sample", "2x2"));
                if (restart) {
                    cmd.addAll(List.of("-restart", "1"));
                }
                cmd.add(in.toString());
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    fail(cmd + " failed: is libjpeg-turbo-progs installed?");
                }
                Files.delete(in);
                Files.delete(dir);
                return out;
            } catch (IOException e) {
                throw new AssertionError("cjpeg (libjpeg-turbo-progs) is needed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }).clone();
    }

    /** A deterministic P6 picture: gradients, hard edges and noise. */
    private static byte[] ppm(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] head = ("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + 3 * w * h);
        int i = head.length;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean block = ((x / 7) + (y / 5)) % 3 == 0;
                int n = r.nextInt(64) - 32;
                out[i++] = (byte) clamp(x * 255 / Math.max(1, w - 1) + n);
                out[i++] = (byte) clamp((block ? 230 : 20) + n / 2);
                out[i++] = (byte) clamp(y * 255 / Math.max(1, h - 1) - n);
            }
        }
        return out;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
