package io.mjpegrtp.gstreamer;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pieces of pipeline descriptions every backend shares, so that flip, the 4:2:0 encoder and the appsink are
 * written once.
 */
public final class Pipelines {
    /** The appsink a {@link GStreamer#start} pipeline ends in: keeps the newest two samples, never blocks upstream. */
    public static final String APPSINK = "appsink name=" + GStreamer.SINK_NAME + " max-buffers=2 drop=true sync=false";

    /**
     * A queue that holds two pictures and drops the oldest when the encoder falls behind: the source never waits,
     * and what is sent stays current. It also starts a streaming thread of its own, so capture and encoding overlap.
     */
    public static final String LEAKY_QUEUE = "queue leaky=downstream max-size-buffers=2";

    /** Property values gst-launch takes as they are; anything else is quoted. */
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9/_.:+-]+");

    private Pipelines() {
    }

    /**
     * The {@code videoflip} element for a flip, empty for {@link Flip#NONE}. It sets {@code video-direction}
     * (GStreamer 1.10+), not the older {@code method} (horizontal-flip, vertical-flip, clockwise, rotate-180,
     * counterclockwise): on GStreamer 1.22 a {@code method} given in a launch line is silently ignored (no flip,
     * no size swap). Put it after the source's caps: rotate-90/270 then output height x width.
     */
    public static Optional<String> videoflip(Flip flip) {
        return videoDirection(flip).map(d -> "videoflip video-direction=" + d);
    }

    /** The {@code videoflip video-direction} value for a flip, empty for {@link Flip#NONE}. */
    public static Optional<String> videoDirection(Flip flip) {
        return Optional.ofNullable(switch (flip) {
            case NONE -> null;
            case HORIZONTAL -> "horiz";
            case VERTICAL -> "vert";
            case ROTATE_90 -> "90r"; // clockwise
            case ROTATE_180 -> "180";
            case ROTATE_270 -> "90l"; // counterclockwise
        });
    }

    /**
     * Raw video to 4:2:0 baseline JPEG: {@code videoconvert ! video/x-raw,format=I420 ! jpegenc quality=Q}. Without
     * the I420 caps {@code jpegenc} may make 4:4:4 (from RGB-like input), which RFC 2435 cannot carry.
     */
    public static String jpegEncoder(int quality) {
        return jpegEncoder(quality, JpegEncoder.JPEGENC);
    }

    /** Raw video to 4:2:0 baseline JPEG with the given encoder, which is fed I420 as well. */
    public static String jpegEncoder(int quality, JpegEncoder encoder) {
        return "videoconvert ! video/x-raw,format=I420 ! " + encoder.element(quality);
    }

    /**
     * What every camera backend puts after its source's raw caps: {@link #LEAKY_QUEUE}, the flip, then
     * {@link #jpegEncoder(int, JpegEncoder)}. The queue comes first so that a picture dropped because the encoder
     * is behind costs no flip or conversion; the flip follows the source's caps, so rotate-90/270 make height x width.
     */
    public static String rawToJpeg(Flip flip, int quality, JpegEncoder encoder) {
        StringBuilder b = new StringBuilder(LEAKY_QUEUE).append(" ! ");
        videoflip(flip).ifPresent(f -> b.append(f).append(" ! "));
        return b.append(jpegEncoder(quality, encoder)).toString();
    }

    /**
     * A property value as gst-launch reads it: as it is when it holds only letters, digits and {@code /_.:+-},
     * otherwise in double quotes, a quote or backslash escaped by a backslash (device paths or camera names with
     * spaces, {@code @} or {@code !}).
     */
    public static String value(String value) {
        if (PLAIN_VALUE.matcher(value).matches()) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * The limits every GStreamer camera backend puts on a request.
     *
     * @throws CaptureException naming the value and what is accepted, prefixed with {@code backend}
     */
    public static void validate(String backend, CaptureRequest r) throws CaptureException {
        if (r.width() < 16 || r.width() > 8192 || r.height() < 16 || r.height() > 8192) {
            throw new CaptureException(backend + ": size " + r.width() + "x" + r.height()
                    + " is not supported; width and height must be 16..8192");
        }
        if (r.framerate() < 1 || r.framerate() > 1000) {
            throw new CaptureException(backend + ": framerate " + r.framerate()
                    + " is not supported; it must be 1..1000");
        }
        if (r.quality() < 1 || r.quality() > 100) {
            throw new CaptureException(backend + ": quality " + r.quality() + " is not supported; it must be 1..100");
        }
    }
}
