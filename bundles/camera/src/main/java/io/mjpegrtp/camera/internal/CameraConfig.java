package io.mjpegrtp.camera.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The keys of a camera file, {@code config/mjpeg.camera-<name>.cfg}. This describes them for metatype
 * consumers; {@link CameraSettings} validates the raw values, so one bad value is reported by name and the
 * camera keeps its last good configuration.
 */
@ObjectClassDefinition(pid = "mjpeg.camera", name = "mjpeg-rtp camera",
        description = "One camera: where its frames come from and where its RTP/JPEG stream goes.")
@interface CameraConfig {
    @AttributeDefinition(description = "Capture backend; auto: libcamera, else v4l2, else avfoundation, whichever "
            + "is installed and can run here first, else testpattern", options = {
            @Option(value = "testpattern"), @Option(value = "file"), @Option(value = "gst-test"),
            @Option(value = "libcamera"), @Option(value = "v4l2"), @Option(value = "avfoundation"),
            @Option(value = "auto") })
    String backend() default "testpattern";

    @AttributeDefinition(description = "libcamera camera name, /dev/videoN, AVFoundation index, or a file/folder for 'file'")
    String device() default "";

    @AttributeDefinition(min = "16", max = "8192")
    int width() default 1280;

    @AttributeDefinition(min = "16", max = "8192")
    int height() default 720;

    @AttributeDefinition(min = "1", max = "240")
    int framerate() default 30;

    @AttributeDefinition(description = "JPEG quality where the backend encodes", min = "1", max = "100")
    int quality() default 85;

    @AttributeDefinition(options = { @Option(value = "none"), @Option(value = "horizontal"),
            @Option(value = "vertical"), @Option(value = "rotate-90"), @Option(value = "rotate-180"),
            @Option(value = "rotate-270") })
    String flip() default "none";

    @AttributeDefinition(description = "host:port, unicast or multicast; RTCP on port+1")
    String destination() default "127.0.0.1:5000";

    @AttributeDefinition(description = "Largest RTP packet in bytes (UDP payload)", min = "256", max = "65507")
    int mtu() default 1400;

    @AttributeDefinition(description = "DiffServ code point; IP TOS = dscp << 2", min = "0", max = "63")
    int dscp() default 0;

    @AttributeDefinition(description = "auto | off | maximum kbit/s")
    String pacing() default "auto";

    @AttributeDefinition(description = "Comma-separated transport names")
    String transports() default "udp";

    boolean enabled() default true;

    // "__" in a method name is one "_" in the key (a single "_" would become "."): multicast_ttl and so on.
    @AttributeDefinition(description = "IP TTL of multicast packets (1: this network only)", min = "1", max = "255")
    int multicast__ttl() default 1;

    @AttributeDefinition(description = "Interface for multicast: a name such as eth0, or one of its addresses; "
            + "empty: the system's choice")
    String multicast__interface() default "";

    @AttributeDefinition(description = "Also deliver multicast packets to receivers on this host")
    boolean multicast__loop() default true;
}
