package io.mjpegrtp.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.gstreamer.Pipelines;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link GStreamerService#sourceCaps} against real GStreamer; there is no V4L2 device on the build machine. */
class SourceCapsTest {
    private final GStreamerService gst = new GStreamerService();

    @Test
    void listsWhatASourceOffersOneStructureEach() throws CaptureException {
        List<String> caps = gst.sourceCaps("videotestsrc pattern=ball");
        assertTrue(caps.size() >= 2, caps.toString());
        assertTrue(caps.stream().allMatch(c -> !c.contains(";")), "one structure per entry: " + caps);
        String raw = caps.stream().filter(c -> c.startsWith("video/x-raw,")).findFirst().orElseThrow();
        assertTrue(raw.contains("format=(string){") && raw.contains("I420") && raw.contains("YUY2"), raw);
        assertTrue(raw.contains("width=(int)[ 1, 2147483647 ]"), raw);
        assertTrue(raw.contains("framerate=(fraction)[ 0/1, 2147483647/1 ]"), raw);
    }

    @Test
    void namesTheDeviceThatCannotBeOpened() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> gst.sourceCaps("v4l2src device=/nonexistent/video9"));
        String message = e.getMessage().replaceAll("v4l2src[0-9]+:", "v4l2src0:"); // the element's name counts up
        assertEquals("gstreamer: cannot open \"v4l2src device=/nonexistent/video9\": v4l2src0: "
                + "Cannot identify device '/nonexistent/video9'.", message);
    }

    @Test
    void quotedValuesReachTheElementWhole() {
        String device = "/nonexistent/my video!";
        CaptureException e = assertThrows(CaptureException.class,
                () -> gst.sourceCaps("v4l2src device=" + Pipelines.value(device)));
        assertTrue(e.getMessage().contains("Cannot identify device '" + device + "'"), e.getMessage());
    }

    @Test
    void acceptsOnlyOneParsableElement() {
        CaptureException pipeline = assertThrows(CaptureException.class,
                () -> gst.sourceCaps("videotestsrc ! fakesink"));
        assertTrue(pipeline.getMessage().contains("is a pipeline; give one source element"), pipeline.getMessage());
        CaptureException unknown = assertThrows(CaptureException.class, () -> gst.sourceCaps("no-such-source"));
        assertTrue(unknown.getMessage().startsWith("gstreamer: cannot parse source \"no-such-source\": "),
                unknown.getMessage());
        CaptureException sink = assertThrows(CaptureException.class, () -> gst.sourceCaps("fakesink"));
        assertTrue(sink.getMessage().contains("has no source pad"), sink.getMessage());
    }

    @Test
    void probingRepeatedlyLeavesNoThreadsBehind() throws CaptureException {
        for (int i = 0; i < 3; i++) {
            gst.sourceCaps("videotestsrc");
        }
        int before = Thread.activeCount();
        for (int i = 0; i < 20; i++) {
            gst.sourceCaps("videotestsrc");
        }
        assertTrue(Thread.activeCount() <= before + 2, "threads before " + before + ", after " + Thread.activeCount());
    }
}
