package io.mjpegrtp.capture.testpattern.internal;

import io.mjpegrtp.api.Flip;

/**
 * Prints how long a 1280x720 frame takes. A measurement, not a test (it asserts nothing, so it is not run by the
 * build): run its {@code main} from the test class path.
 */
final class EncodeSpeed {
    public static void main(String[] args) {
        int w = 1280;
        int h = 720;
        int quality = 85;
        TestPattern pattern = new TestPattern("cam0", w, h, quality, Flip.NONE);
        long time = System.currentTimeMillis();
        int size = 0;
        for (int i = 0; i < 200; i++) {
            size = pattern.render(i, time + i * 33);
        }
        int frames = 300;
        long start = System.nanoTime();
        for (int i = 200; i < 200 + frames; i++) {
            size = pattern.render(i, time + i * 33);
        }
        double steady = (System.nanoTime() - start) / 1e6 / frames;

        Planes planes = Planes.fromRgb(JpegEncoderTest.gradient(w, h), w, h);
        JpegEncoder encoder = new JpegEncoder(w, h, quality);
        for (int i = 0; i < 30; i++) {
            encoder.encode(planes, null);
        }
        start = System.nanoTime();
        int full = 0;
        for (int i = 0; i < 50; i++) {
            full = encoder.encode(planes, null);
        }
        double everyBlock = (System.nanoTime() - start) / 1e6 / 50;
        System.out.printf("testpattern 1280x720 q%d: %.2f ms per frame (%d bytes); "
                + "every block transformed (gradient): %.2f ms (%d bytes)%n", quality, steady, size, everyBlock, full);
    }
}
