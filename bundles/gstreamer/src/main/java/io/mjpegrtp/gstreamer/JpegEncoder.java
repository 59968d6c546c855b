package io.mjpegrtp.gstreamer;

/** The JPEG encoders a backend can put after {@code video/x-raw,format=I420}; both then make 4:2:0 baseline JPEG. */
public enum JpegEncoder {
    /** libjpeg in software (gstreamer1.0-plugins-good): everywhere. */
    JPEGENC("jpegenc"),
    /** The V4L2 memory-to-memory encoder: the Raspberry Pi's hardware JPEG encoder (bcm2835-codec, Pi 0 to 4). */
    V4L2JPEGENC("v4l2jpegenc");

    private final String factoryName;

    JpegEncoder(String factoryName) {
        this.factoryName = factoryName;
    }

    /** The GStreamer element factory name. */
    public String factoryName() {
        return factoryName;
    }

    /** The element at a quality of 1..100. */
    public String element(int quality) {
        return switch (this) {
            case JPEGENC -> "jpegenc quality=" + quality;
            // v4l2jpegenc has no quality property. Quality is the driver's V4L2 control "Compression Quality"
            // (V4L2_CID_JPEG_COMPRESSION_QUALITY), set through extra-controls under its normalised name; a driver
            // without that control keeps its default and GStreamer only logs a warning. Not tried on a Pi here.
            case V4L2JPEGENC -> "v4l2jpegenc extra-controls=\"controls,compression_quality=" + quality + "\"";
        };
    }

    /** The hardware encoder where it is installed, else {@code jpegenc}. */
    public static JpegEncoder preferred(GStreamer gstreamer) {
        return gstreamer.hasElement(V4L2JPEGENC.factoryName) ? V4L2JPEGENC : JPEGENC;
    }
}
