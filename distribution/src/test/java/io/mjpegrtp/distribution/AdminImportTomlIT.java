package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/mjpeg-rtp import-toml}: an old streamer's config.toml becomes camera files the runtime accepts. */
class AdminImportTomlIT {
    static final String OLD = """
            # config.toml of the Rust streamer on a stereo rig
            [mjpeg-rtp]
            mtu = 1200
            dscp = 34

            [mjpeg-rtp.camera0]
            enabled = true
            dest_host = "127.0.0.1"
            dest_port = 15720
            quality = 80
            ssrc = 305419896

            [mjpeg-rtp.camera1]
            enabled = true
            dest_host = "127.0.0.1"
            dest_port = 15722
            quality = 80
            ssrc = 305419897

            [camera0]
            device = "/dev/video0"
            width = 640
            height = 480
            fps = 30
            flip_method = "rotate-90"

            [camera1]
            device = "/dev/video2"
            width = 640
            height = 480
            fps = 30
            flip_method = "horizontal-flip"
            exposure = "auto"
            """;

    @TempDir
    Path work;

    @Test
    void importsTheOldStereoConfigurationAndNamesWhatItCannotMap() throws Exception {
        Path toml = work.resolve("config.toml");
        Files.writeString(toml, OLD);
        Path config = work.resolve("config");
        Cli.Result r = Cli.run(RunningDistribution.HOME, "import-toml", toml.toString(), "--to", config.toString());
        System.out.println(r);
        assertEquals(0, r.exit(), r.toString());
        for (String cam : new String[] { "camera0", "camera1" }) {
            Path file = config.resolve("mjpeg.camera-" + cam + ".cfg");
            assertTrue(r.out().contains("wrote " + file), r.toString());
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertTrue(r.out().contains("not mapped: [mjpeg-rtp.camera0] ssrc = 305419896: the SSRC is not configurable"),
                r.toString());
        assertTrue(r.out().contains("not mapped: [camera1] exposure = \"auto\": unknown key"), r.toString());
        String cam0 = Files.readString(config.resolve("mjpeg.camera-camera0.cfg"));
        assertTrue(cam0.contains("backend     = v4l2\n") && cam0.contains("flip        = rotate-90\n")
                && cam0.contains("destination = 127.0.0.1:15720\n") && cam0.contains("mtu         = 1200\n")
                && cam0.contains("dscp        = 34\n"), cam0);

        Cli.Result again = Cli.run(RunningDistribution.HOME, "import-toml", toml.toString(), "--to", config.toString());
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.err().contains("exists; nothing was written (--force replaces it)"), again.toString());

        // The runtime takes the files as they are: both cameras wait for their V4L2 devices (a test machine has
        // none: "backend v4l2 cannot run here: no V4L2 device"), none is refused.
        try (RunningDistribution d = new RunningDistribution(work, config, "--http", "off")) {
            for (String cam : new String[] { "camera0", "camera1" }) {
                d.awaitLine(l -> l.contains(cam + ": backend v4l2 cannot run here"), Duration.ofSeconds(30),
                        cam + " waiting for a V4L2 device");
            }
            Cli.Result cameras = Cli.run(RunningDistribution.HOME, "cmd", "--data", work.resolve("data").toString(),
                    "mjpeg:cameras");
            assertTrue(cameras.out().lines().anyMatch(l -> l.matches(
                    "camera0\\s+v4l2\\s+waiting\\s+480x640\\s+30\\s+udp://127\\.0\\.0\\.1:15720.*")), cameras.toString());
            assertTrue(cameras.out().lines().anyMatch(l -> l.matches(
                    "camera1\\s+v4l2\\s+waiting\\s+640x480\\s+30\\s+udp://127\\.0\\.0\\.1:15722.*")), cameras.toString());
            assertEquals(0, d.count(l -> l.contains("rejected") || l.contains("unknown key")), "nothing refused");
        }
    }
}
