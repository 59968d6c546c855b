package io.mjpegrtp.capture.v4l2.internal;

import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.gstreamer.JpegEncoder;
import io.mjpegrtp.gstreamer.Pipelines;

import java.util.ArrayList;
import java.util.List;

/**
 * The v4l2 pipelines, one per {@link V4l2Choice.Mode}. The source is a parameter so that tests can run each
 * pipeline with a test source in place of a device:
 * <ul>
 * <li>pass through: {@code v4l2src device=D ! image/jpeg,width=W,height=H,framerate=F ! appsink}</li>
 * <li>encode: {@code v4l2src device=D ! video/x-raw,format=YUY2,width=W,height=H,framerate=F ! queue leaky ! [videoflip
 * !] videoconvert ! video/x-raw,format=I420 ! jpegenc|v4l2jpegenc ! appsink}</li>
 * <li>decode and encode: {@code v4l2src device=D ! image/jpeg,... ! queue leaky ! jpegdec ! [videoflip !] videoconvert
 * ! video/x-raw,format=I420 ! jpegenc|v4l2jpegenc ! appsink}</li>
 * </ul>
 * The flip follows the caps, so rotate-90/270 send height x width.
 */
final class V4l2Pipeline {
    static final String SOURCE_ELEMENT = "v4l2src";
    static final String DECODER_ELEMENT = "jpegdec";
    static final String FLIP_ELEMENT = "videoflip";

    private V4l2Pipeline() {
    }

    /** The source element for a device path. */
    static String source(String device) {
        return SOURCE_ELEMENT + " device=" + Pipelines.value(device);
    }

    static String describe(String source, V4l2Choice choice, CaptureRequest r, JpegEncoder encoder) {
        String size = ",width=" + r.width() + ",height=" + r.height() + ",framerate=" + choice.framerate();
        StringBuilder b = new StringBuilder(source).append(" ! ");
        switch (choice.mode()) {
            case PASS_THROUGH -> b.append(OfferedFormat.JPEG).append(size);
            case ENCODE_RAW -> b.append(OfferedFormat.RAW)
                    .append(choice.format() == null ? "" : ",format=" + choice.format()).append(size).append(" ! ")
                    .append(Pipelines.rawToJpeg(r.flip(), r.quality(), encoder));
            case DECODE_AND_ENCODE -> {
                // The queue drops compressed pictures before any decoding when the encoder falls behind.
                b.append(OfferedFormat.JPEG).append(size).append(" ! ").append(Pipelines.LEAKY_QUEUE).append(" ! ")
                        .append(DECODER_ELEMENT).append(" ! ");
                Pipelines.videoflip(r.flip()).ifPresent(f -> b.append(f).append(" ! "));
                b.append(Pipelines.jpegEncoder(r.quality(), encoder));
            }
        }
        return b.append(" ! ").append(Pipelines.APPSINK).toString();
    }

    /** The elements a pipeline of this choice needs beyond the source. */
    static List<String> elements(V4l2Choice choice, Flip flip, JpegEncoder encoder) {
        List<String> needed = new ArrayList<>(List.of(SOURCE_ELEMENT));
        if (choice.mode() != V4l2Choice.Mode.PASS_THROUGH) {
            needed.add("queue");
            if (choice.mode() == V4l2Choice.Mode.DECODE_AND_ENCODE) {
                needed.add(DECODER_ELEMENT);
            }
            if (flip != Flip.NONE) {
                needed.add(FLIP_ELEMENT);
            }
            needed.add("videoconvert");
            needed.add(encoder.factoryName());
        }
        needed.add("appsink");
        return needed;
    }
}
