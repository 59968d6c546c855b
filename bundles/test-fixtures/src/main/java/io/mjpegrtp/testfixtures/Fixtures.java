package io.mjpegrtp.testfixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
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

/**
 * Real JPEGs made at test time by libjpeg-turbo's cjpeg from synthesized pictures, plus helpers that edit
 * JPEG segments (an implementation independent of the parser under test). Shared by the tests of the jpeg, rtp
 * and transport-udp bundles; a plain jar, not a bundle.
 */
public final class Fixtures {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static Path dir;

    private Fixtures() {
    }

    /** Fails (never skips) when the libjpeg-turbo tools are missing: the tests are meaningless without them. */
    public static void requireTools() {
        for (String tool : List.of("cjpeg", "djpeg", "jpegtran")) {
            boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            if (!found) {
                fail(tool + " not found on PATH: install libjpeg-turbo-progs (apt-get install -y libjpeg-turbo-progs);"
                        + " these tests need real JPEGs made by libjpeg-turbo");
            }
        }
    }

    /** Fails (never skips) when FFmpeg is missing: the re-coding tests compare against its decoder and encoder. */
    public static void requireFfmpeg() {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "ffmpeg")));
        if (!found) {
            fail("ffmpeg not found on PATH: install FFmpeg (apt-get install -y ffmpeg);"
                    + " the re-coding tests need JPEGs made and decoded by FFmpeg");
        }
    }

    /** One JPEG from FFmpeg's mjpeg encoder (default options: optimal Huffman tables) of its test source. */
    public static byte[] ffmpegJpeg(int w, int h, String pixFmt) {
        requireFfmpeg();
        return CACHE.computeIfAbsent("ffmpeg " + w + "x" + h + " " + pixFmt, k -> {
            try {
                return run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=" + w + "x" + h,
                        "-frames:v", "1", "-pix_fmt", pixFmt, "-f", "mjpeg", "pipe:1"), null);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).clone();
    }

    /** FFmpeg's decoding of a JPEG as raw planes in {@code pixFmt} (choose the native format: no conversion). */
    public static byte[] ffmpegDecode(byte[] jpeg, String pixFmt) {
        requireFfmpeg();
        try {
            Path in = Files.createTempFile(directory(), "decode", ".jpg");
            try {
                Files.write(in, jpeg);
                return run(List.of("ffmpeg", "-v", "error", "-i", in.toString(), "-f", "rawvideo", "-pix_fmt", pixFmt,
                        "pipe:1"), null);
            } finally {
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** djpeg's decoding of a JPEG (PNM unless options say otherwise). */
    public static byte[] djpeg(byte[] jpeg, String... options) {
        List<String> cmd = new ArrayList<>(List.of("djpeg"));
        cmd.addAll(Arrays.asList(options));
        try {
            return run(cmd, jpeg);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A deterministic P6 picture: gradients, hard edges and noise, so scans hold stuffed 0xFF bytes. */
    public static byte[] ppm(int w, int h, long seed) {
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

    /** cjpeg of a synthesized w x h picture with the given options (cached; a fresh copy each call). */
    public static byte[] cjpeg(int w, int h, String... options) {
        return CACHE.computeIfAbsent(w + "x" + h + " " + String.join(" ", options), k -> {
            try {
                Path in = file(w + "x" + h + ".ppm");
                if (!Files.exists(in)) {
                    Files.write(in, ppm(w, h, 31L * w + h));
                }
                List<String> cmd = new ArrayList<>(List.of("cjpeg"));
                cmd.addAll(Arrays.asList(options));
                cmd.add(in.toString());
                return run(cmd, null);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).clone();
    }

    /** Writes a text file into the fixture directory (for cjpeg -qtables / -scans). */
    public static String textFile(String name, String content) {
        try {
            Path p = file(name);
            Files.writeString(p, content);
            return p.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a command with optional stdin, returns stdout; fails with stderr on a non-zero exit. */
    public static byte[] run(List<String> cmd, byte[] stdin) throws IOException {
        requireTools();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process died; its exit code tells
            }
        });
        errReader.start();
        Thread writer = new Thread(() -> {
            try (var os = p.getOutputStream()) {
                if (stdin != null) {
                    os.write(stdin);
                }
            } catch (IOException ignored) {
                // the process may exit without reading everything
            }
        });
        writer.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(cmd + " did not finish");
            }
            errReader.join();
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0) {
            fail(cmd + " exited with " + p.exitValue() + ": " + err.toString(StandardCharsets.UTF_8).trim());
        }
        return out;
    }

    private static synchronized Path directory() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("jpeg-fixtures");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    private static synchronized Path file(String name) throws IOException {
        Path p = directory().resolve(name);
        p.toFile().deleteOnExit();
        return p;
    }

    /** The top-left w x h pixels of a binary PPM as written by djpeg ("P6\nW H\n255\n"). */
    public static byte[] cropPpm(byte[] ppm, int w, int h) {
        String[] head = new String(ppm, 0, Math.min(32, ppm.length), StandardCharsets.US_ASCII).split("\\s+", 5);
        int width = Integer.parseInt(head[1]), height = Integer.parseInt(head[2]);
        int offset = (head[0] + "\n" + head[1] + " " + head[2] + "\n" + head[3] + "\n").length();
        assertEquals(ppm.length, offset + 3 * width * height, "PPM layout");
        byte[] h0 = ("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(h0, h0.length + 3 * w * h);
        for (int y = 0; y < h; y++) {
            System.arraycopy(ppm, offset + 3 * width * y, out, h0.length + 3 * w * y, 3 * w);
        }
        return out;
    }

    // ---- segment editing, independent of the parser under test ----

    /** A marker segment before the scan: marker code, offset of its 0xFF, total size including the marker. */
    public record Segment(int marker, int offset, int size) {
    }

    /** The segments from after SOI up to and including SOS. */
    public static List<Segment> segments(byte[] j) {
        List<Segment> out = new ArrayList<>();
        int p = 2;
        while (true) {
            assertEquals(0xFF, j[p] & 0xFF, "marker expected at " + p);
            int m = j[p + 1] & 0xFF;
            int len = (j[p + 2] & 0xFF) << 8 | (j[p + 3] & 0xFF);
            out.add(new Segment(m, p, len + 2));
            if (m == 0xDA) {
                return out;
            }
            p += len + 2;
        }
    }

    public static Segment first(byte[] j, int marker) {
        return segments(j).stream().filter(s -> s.marker == marker).findFirst()
                .orElseThrow(() -> new AssertionError("no marker " + Integer.toHexString(marker)));
    }

    /** Offset of the first scan byte. */
    public static int scanStart(byte[] j) {
        Segment sos = first(j, 0xDA);
        return sos.offset + sos.size;
    }

    /** The picture without the segments with this marker. */
    public static byte[] without(byte[] j, int marker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(j, 0, 2);
        int p = 2;
        for (Segment s : segments(j)) {
            if (s.marker != marker) {
                out.write(j, s.offset, s.size);
            }
            p = s.offset + s.size;
        }
        out.write(j, p, j.length - p);
        return out.toByteArray();
    }

    /** The picture with {@code segment} (complete, with marker) inserted right after SOI. */
    public static byte[] afterSoi(byte[] j, byte[] segment) {
        return concat(Arrays.copyOf(j, 2), segment, Arrays.copyOfRange(j, 2, j.length));
    }

    /** The picture with the segment {@code old} replaced by {@code replacement}. */
    public static byte[] replace(byte[] j, Segment old, byte[] replacement) {
        return concat(Arrays.copyOf(j, old.offset), replacement, Arrays.copyOfRange(j, old.offset + old.size, j.length));
    }

    public static byte[] segment(int marker, byte[] body) {
        byte[] s = new byte[4 + body.length];
        s[0] = (byte) 0xFF;
        s[1] = (byte) marker;
        s[2] = (byte) ((body.length + 2) >> 8);
        s[3] = (byte) (body.length + 2);
        System.arraycopy(body, 0, s, 4, body.length);
        return s;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** The 8-bit DQT tables by id, read from every DQT segment (zig-zag order as stored). */
    public static byte[][] dqtTables(byte[] j) {
        byte[][] t = new byte[4][];
        for (Segment s : segments(j)) {
            if (s.marker != 0xDB) {
                continue;
            }
            int p = s.offset + 4;
            while (p < s.offset + s.size) {
                int pq = (j[p] & 0xFF) >> 4, tq = j[p] & 15;
                t[tq] = new byte[64];
                for (int i = 0; i < 64; i++) {
                    t[tq][i] = (byte) (pq == 0 ? j[p + 1 + i] : j[p + 2 + 2 * i]);
                }
                p += 1 + 64 * (pq + 1);
            }
        }
        return t;
    }

    /** An EXIF APP1 segment whose IFD1 holds {@code thumbnail} as JPEGInterchangeFormat. */
    public static byte[] exifApp1(byte[] thumbnail) {
        // TIFF big-endian: header (8), IFD0 with Orientation (2 + 12 + 4), IFD1 with 2 entries (2 + 24 + 4).
        int ifd0 = 8, ifd1 = ifd0 + 18, thumb = ifd1 + 30;
        java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(thumb + thumbnail.length);
        t.put(new byte[] {'M', 'M', 0, 42}).putInt(ifd0);
        t.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) 1)
                .putShort((short) 0).putInt(ifd1);
        t.putShort((short) 2);
        t.putShort((short) 0x0201).putShort((short) 4).putInt(1).putInt(thumb);
        t.putShort((short) 0x0202).putShort((short) 4).putInt(1).putInt(thumbnail.length);
        t.putInt(0);
        t.put(thumbnail);
        return segment(0xE1, concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), t.array()));
    }
}
