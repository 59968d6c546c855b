package io.mjpegrtp.capture.testpattern.internal;


import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.awt.image.BufferedImage;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/** Independent JPEG decoders the tests check the encoder against. */
enum Decoder {
    IMAGEIO {
        @Override
        Rgb decode(byte[] jpeg) throws IOException {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null) {
                throw new IOException("ImageIO found no picture");
            }
            int w = image.getWidth();
            int h = image.getHeight();
            return new Rgb(w, h, image.getRGB(0, 0, w, h, null, 0, w));
        }
    },
    /** libjpeg-turbo's djpeg (Debian libjpeg-turbo-progs); tests using it fail when it is not installed. */
    DJPEG {
        @Override
        Rgb decode(byte[] jpeg) throws IOException, InterruptedException {
            if (!djpegAvailable()) {
                throw new AssertionError("djpeg is not installed (apt-get install libjpeg-turbo-progs; ./run-tests does it)");
            }
            Process p = new ProcessBuilder("djpeg", "-pnm").start();
            Thread writer = new Thread(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(jpeg);
                } catch (IOException ignored) {
                    // djpeg exits early on a broken picture; its exit code tells.
                }
            });
            writer.start();
            byte[] ppm;
            try (InputStream out = p.getInputStream()) {
                ppm = out.readAllBytes();
            }
            String err = new String(p.getErrorStream().readAllBytes());
            writer.join();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("djpeg did not finish");
            }
            if (p.exitValue() != 0 || !err.isBlank()) {
                throw new IOException("djpeg failed (exit " + p.exitValue() + "): " + err);
            }
            return parsePpm(ppm);
        }
    };

    private static Boolean djpeg;

    abstract Rgb decode(byte[] jpeg) throws Exception;

    static synchronized boolean djpegAvailable() {
        if (djpeg == null) {
            try {
                Process p = new ProcessBuilder("djpeg", "-version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                djpeg = p.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                djpeg = false;
            }
        }
        return djpeg;
    }

    private static Rgb parsePpm(byte[] ppm) throws IOException {
        int[] pos = { 0 };
        String magic = token(ppm, pos);
        int w = Integer.parseInt(token(ppm, pos));
        int h = Integer.parseInt(token(ppm, pos));
        int max = Integer.parseInt(token(ppm, pos));
        if (!magic.equals("P6") || max != 255) {
            throw new IOException("unexpected djpeg output " + magic + " max " + max);
        }
        int p = pos[0] + 1;
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++, p += 3) {
            rgb[i] = (ppm[p] & 0xFF) << 16 | (ppm[p + 1] & 0xFF) << 8 | (ppm[p + 2] & 0xFF);
        }
        return new Rgb(w, h, rgb);
    }

    private static String token(byte[] b, int[] pos) {
        int p = pos[0];
        while (Character.isWhitespace(b[p])) {
            p++;
        }
        StringBuilder s = new StringBuilder();
        while (!Character.isWhitespace(b[p])) {
            s.append((char) b[p++]);
        }
        pos[0] = p;
        return s.toString();
    }

    /** A decoded picture, packed 0xRRGGBB. */
    record Rgb(int width, int height, int[] pixels) {
        int at(int x, int y) {
            return pixels[y * width + x] & 0xFFFFFF;
        }

        /** Peak signal-to-noise ratio over all three channels against a reference of the same size. */
        double psnr(int[] reference) {
            double sum = 0;
            for (int i = 0; i < pixels.length; i++) {
                for (int s = 0; s <= 16; s += 8) {
                    int d = ((pixels[i] >> s) & 0xFF) - ((reference[i] >> s) & 0xFF);
                    sum += d * d;
                }
            }
            double mse = sum / (pixels.length * 3.0);
            return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
        }
    }
}
