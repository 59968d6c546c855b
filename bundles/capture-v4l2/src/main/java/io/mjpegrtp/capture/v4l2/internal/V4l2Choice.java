package io.mjpegrtp.capture.v4l2.internal;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.capture.v4l2.internal.OfferedFormat.Fraction;
import io.mjpegrtp.gstreamer.JpegEncoder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a V4L2 device is captured, chosen from what it offers (a pure function of its caps and the request).
 * The device's own JPEG is passed through untouched whenever it is offered at the size and rate asked for and
 * nothing needs to change in the picture: no decode, no re-encode, no loss, almost no CPU. Otherwise raw video at that
 * size is encoded; when a flip is asked for and the device has only MJPEG at that size and rate (typical for
 * 1280x720@30 on a USB webcam), its JPEG is decoded, flipped and encoded again.
 *
 * @param mode what the pipeline does
 * @param offered the offered format that serves the request
 * @param format the raw pixel format to ask for (GStreamer's name), or {@code null} for MJPEG or when unnamed
 * @param framerate the exact frame rate fraction the device offers for the requested rate
 * @param why what made the choice, for the log line
 */
record V4l2Choice(Mode mode, OfferedFormat offered, String format, Fraction framerate, String why) {
    enum Mode {
        /** The device's JPEG as it is. */
        PASS_THROUGH,
        /** Raw video encoded to JPEG. */
        ENCODE_RAW,
        /** The device's JPEG decoded (jpegdec), flipped and encoded again. */
        DECODE_AND_ENCODE
    }

    /** Raw formats in order of preference: 4:2:0 first (what the encoder is fed), then packed 4:2:2. */
    static final List<String> PREFERRED_RAW = List.of("I420", "NV12", "YV12", "NV21", "YUY2", "UYVY", "YVYU");

    /**
     * Chooses how to capture {@code width x height} at {@code fps} from what the device offers.
     *
     * @param device the device path, for messages
     * @param offered the caps structures the device offers, as {@code GStreamer.sourceCaps} returns them
     * @throws CaptureException when the device offers neither MJPEG nor raw video at that size and rate; the message
     *             lists what it does offer
     */
    static V4l2Choice choose(String device, List<String> offered, int width, int height, int fps, Flip flip)
            throws CaptureException {
        List<OfferedFormat> formats = new ArrayList<>();
        for (String structure : offered) {
            try {
                OfferedFormat.parse(structure).ifPresent(formats::add);
            } catch (IllegalArgumentException e) {
                // A structure this cannot read cannot be chosen; the others still can.
            }
        }
        String size = width + "x" + height;
        Optional<Match> jpeg = best(formats.stream().filter(OfferedFormat::isJpeg).toList(), width, height, fps);
        Optional<Match> raw = best(formats.stream().filter(OfferedFormat::isRaw).toList(), width, height, fps);
        if (jpeg.isPresent() && flip == Flip.NONE) {
            Match m = jpeg.get();
            return new V4l2Choice(Mode.PASS_THROUGH, m.format(), null, m.rate(), "");
        }
        if (raw.isPresent()) {
            Match m = raw.get();
            String why = flip != Flip.NONE
                    ? "flip " + flip.configName() + " needs raw pictures"
                    : "no MJPEG at " + size + "@" + fps;
            return new V4l2Choice(Mode.ENCODE_RAW, m.format(), rawFormat(m.format()), m.rate(), why);
        }
        if (jpeg.isPresent()) {
            Match m = jpeg.get();
            return new V4l2Choice(Mode.DECODE_AND_ENCODE, m.format(), null, m.rate(), "no raw video at " + size + "@"
                    + fps + " and flip " + flip.configName() + " needs raw pictures");
        }
        String offers = formats.stream().filter(f -> f.isJpeg() || f.isRaw()).map(OfferedFormat::readable)
                .collect(Collectors.joining("; "));
        if (offers.isEmpty()) {
            offers = offered.isEmpty() ? "nothing" : "no MJPEG or raw video, only "
                    + offered.stream().map(s -> OfferedFormat.splitTopLevel(s, ',').get(0).strip()).distinct()
                            .collect(Collectors.joining(", "));
        }
        throw new CaptureException("v4l2: " + device + " does not offer " + size + " at " + fps
                + " fps as MJPEG or raw video; it offers " + offers);
    }

    private record Match(OfferedFormat format, Fraction rate) {
    }

    /** The first offered format with that size whose rate is nearest to {@code fps}. */
    private static Optional<Match> best(List<OfferedFormat> candidates, int width, int height, int fps) {
        return candidates.stream().filter(f -> f.offersSize(width, height))
                .flatMap(f -> f.rate(fps).map(r -> new Match(f, r)).stream())
                .min(Comparator.comparingDouble(m -> Math.abs(m.rate().value() - fps)));
    }

    /** The preferred raw format among those offered, or the first; {@code null} when the device names none. */
    private static String rawFormat(OfferedFormat f) {
        return PREFERRED_RAW.stream().filter(f.formats()::contains).findFirst()
                .orElse(f.formats().isEmpty() ? null : f.formats().get(0));
    }

    /** What is captured, e.g. {@code MJPEG 1280x720@30} or {@code YUYV 640x480@29.97}. */
    String captured(int width, int height) {
        String name = OfferedFormat.readableFormat(offered.mediaType(), mode == Mode.ENCODE_RAW ? format : null);
        return name + " " + width + "x" + height + "@" + framerate.readable();
    }

    /**
     * The log line after the camera's name: which way and why, e.g. {@code /dev/video0 offers MJPEG 1280x720@30:
     * passing it through}.
     */
    String explain(String device, int width, int height, JpegEncoder encoder) {
        String offers = device + " offers " + captured(width, height);
        String with = " with " + encoder.factoryName();
        return switch (mode) {
            case PASS_THROUGH -> offers + ": passing it through";
            case ENCODE_RAW -> offers + " (" + why + "): encoding "
                    + OfferedFormat.readableFormat(OfferedFormat.RAW, format) + with;
            case DECODE_AND_ENCODE -> offers + " (" + why + "): decoding MJPEG with jpegdec, encoding" + with;
        };
    }
}
