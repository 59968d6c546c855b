package io.mjpegrtp.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Source pictures for the tests: a synthetic photo-like PPM, encoded by libjpeg-turbo's cjpeg. */
final class Fixtures {
    private Fixtures() {
    }

    /** Writes a PPM with gradients, edges and fine texture, so every kind of coefficient occurs. */
    static Path ppm(Path dir, int width, int height, int seed) throws IOException {
        Path file = dir.resolve("src-" + width + "x" + height + "-" + seed + ".ppm");
        if (Files.exists(file)) {
            return file;
        }
        byte[] pixels = new byte[width * height * 3];
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                int noise = (int) ((state >>> 58) & 15) - 8;
                boolean box = ((x / 37) + (y / 23) + seed) % 5 == 0;
                int r = (x * 255 / Math.max(1, width - 1)) + noise;
                int g = (y * 255 / Math.max(1, height - 1)) + (box ? 60 : 0) + noise;
                int b = (int) (128 + 100 * Math.sin((x + y + seed * 7) / 9.0)) + noise;
                int i = (y * width + x) * 3;
                pixels[i] = (byte) Math.max(0, Math.min(255, r));
                pixels[i + 1] = (byte) Math.max(0, Math.min(255, g));
                pixels[i + 2] = (byte) Math.max(0, Math.min(255, b));
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("P6\n" + width + " " + height + "\n255\n").getBytes());
            out.write(pixels);
        }
        return file;
    }

    /** Encodes with cjpeg; {@code options} are cjpeg's (-quality, -sample, -restart, -qtables ...). */
    static Path cjpeg(Path dir, String name, int width, int height, int seed, String... options)
            throws IOException, InterruptedException {
        Path ppm = ppm(dir, width, height, seed);
        Path out = dir.resolve(name + ".jpg");
        List<String> cmd = new ArrayList<>(List.of("cjpeg"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-outfile", out.toString(), ppm.toString()));
        Tools.run(dir, cmd.toArray(String[]::new));
        return out;
    }

    /** A quantization table file for cjpeg -qtables holding one table (the JPEG Annex K luma table). */
    static Path oneTable(Path dir) throws IOException {
        Path file = dir.resolve("one-table.txt");
        Files.writeString(file, String.join("\n",
                "16 11 10 16 24 40 51 61", "12 12 14 19 26 58 60 55", "14 13 16 24 40 57 69 56",
                "14 17 22 29 51 87 80 62", "18 22 37 56 68 109 103 77", "24 35 55 64 81 104 113 92",
                "49 64 78 87 103 121 120 101", "72 92 95 98 112 100 103 99") + "\n");
        return file;
    }
}
