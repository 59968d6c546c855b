package io.mjpegrtp.api;

import java.util.Objects;

/**
 * What a camera asks of its capture backend.
 *
 * @param camera the camera's name, for log lines
 * @param device backend-specific source: a camera name, {@code /dev/videoN}, an index or a path; may be empty
 * @param width picture width in pixels, before {@code flip} is applied
 * @param height picture height in pixels, before {@code flip} is applied
 * @param framerate frames per second
 * @param quality JPEG quality 1..100, where the backend encodes
 * @param flip orientation
 */
public record CaptureRequest(String camera, String device, int width, int height, int framerate, int quality, Flip flip) {
    public CaptureRequest {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(flip, "flip");
    }
}
