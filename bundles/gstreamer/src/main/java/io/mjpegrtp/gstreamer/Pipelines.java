package io.mjpegrtp.gstreamer;

import io.mjpegrtp.api.Flip;

import java.util.Optional;

/**
 * Pieces of pipeline descriptions every backend shares, so that flip, the 4:2:0 encoder and the appsink are
 * written once.
 */
public final class Pipelines {
    /** The appsink a {@link GStreamer#start} pipeline ends in: keeps the newest two samples, never blocks upstream. */
    public static final String APPSINK = "appsink name=" + GStreamer.SINK_NAME + " max-buffers=2 drop=true sync=false";

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
        return "videoconvert ! video/x-raw,format=I420 ! jpegenc quality=" + quality;
    }
}
