package io.mjpegrtp.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stock receivers with their default socket buffers, as a user runs them. */
final class Receivers {
    static final String RTP_CAPS = "application/x-rtp,media=video,clock-rate=90000,encoding-name=JPEG,payload=26";

    private Receivers() {
    }

    /**
     * Receives with {@code udpsrc ! rtpjpegdepay ! jpegdec} for {@code millis} after the first decoded frame (or
     * after 8 s without one) and returns the decoded frames,
     * one raw file each. jpegdec always outputs I420, also for 4:2:2 JPEGs (it has no Y42B output).
     */
    static List<Path> gstreamer(Path work, String name, int port, long millis) throws IOException, InterruptedException {
        return gstreamer(work, name, port, millis, RTP_CAPS);
    }

    /** The caps a receiver needs for a picture larger than 2040 pixels, whose size travels out of band. */
    static String capsWithDimensions(int width, int height) {
        return RTP_CAPS + ",x-dimensions=(string)\"" + width + "," + height + "\"";
    }

    static List<Path> gstreamer(Path work, String name, int port, long millis, String caps)
            throws IOException, InterruptedException {
        Path dir = work.resolve("gst-" + name);
        Files.createDirectories(dir);
        Process p = Tools.start(work, work.resolve("gst-" + name + ".log"), "gst-launch-1.0", "-q", "udpsrc",
                "port=" + port, "caps=" + caps, "!", "rtpjpegdepay", "!", "jpegdec", "!", "multifilesink",
                "location=" + dir.resolve("frame-%05d.raw"));
        // The window starts with the first decoded frame: a loaded machine may take seconds to start gst-launch.
        long firstBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (Tools.files(dir, ".raw").isEmpty() && p.isAlive() && System.nanoTime() < firstBy) {
            Thread.sleep(50);
        }
        Thread.sleep(millis);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        List<Path> frames = Tools.files(dir, ".raw");
        // The last file may be cut short by the signal; whole frames only.
        return frames.size() > 1 ? frames.subList(0, frames.size() - 1) : frames;
    }

    /** Decodes a JPEG file with the same GStreamer decoder: the reference picture. */
    static Path gstreamerDecode(Path work, Path jpeg) throws IOException, InterruptedException {
        Path out = work.resolve(jpeg.getFileName() + ".gst.raw");
        Tools.run(work, "gst-launch-1.0", "-q", "filesrc", "location=" + jpeg, "!", "jpegdec", "!",
                "filesink", "location=" + out);
        return out;
    }

    /** Receives {@code frames} frames with FFmpeg from an SDP file; returns the raw frames back to back. */
    static byte[] ffmpeg(Path work, Path sdp, int frames) throws IOException, InterruptedException {
        Path out = work.resolve(sdp.getFileName() + ".ffmpeg.yuv");
        Process p = Tools.start(work, work.resolve(sdp.getFileName() + ".ffmpeg.log"), "ffmpeg", "-nostdin",
                "-hide_banner", "-loglevel", "warning", "-protocol_whitelist", "file,udp,rtp", "-i", sdp.toString(),
                "-frames:v", Integer.toString(frames), "-f", "rawvideo", "-y", out.toString());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg received fewer than " + frames + " frames in 30 s; log:\n"
                    + Files.readString(work.resolve(sdp.getFileName() + ".ffmpeg.log")));
        }
        return Files.readAllBytes(out);
    }

    /** Decodes a JPEG file with FFmpeg's decoder: the reference for what FFmpeg receives. */
    static Path ffmpegDecode(Path work, Path jpeg) throws IOException, InterruptedException {
        Path out = work.resolve(jpeg.getFileName() + ".ffmpeg.yuv");
        Tools.run(work, "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", jpeg.toString(), "-f",
                "rawvideo", "-y", out.toString());
        return out;
    }
}
