package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/ and plugins/ are watched: cameras and bundles come and go while the runtime runs. */
class LiveChangesIT {
    @TempDir
    Path work;

    @Test
    void cameraFilesAreFollowedLive() throws Exception {
        Path config = work.resolve("config");
        Files.createDirectories(config);
        try (RunningDistribution d = new RunningDistribution(work, config)) {
            d.awaitLine(l -> l.contains("mjpeg-rtp") && l.contains("started"), Duration.ofSeconds(30), "started");
            RunningDistribution.writeCamera(config, "late", "width = 320", "height = 240", "framerate = 10",
                    "destination = 127.0.0.1:15400");
            d.awaitLine(l -> l.contains("late: streaming"), Duration.ofSeconds(10), "starting the added camera");
            assertTrue(Receivers.gstreamer(work, "late-1", 15400, 1200).size() >= 4, "the added camera streams");

            RunningDistribution.writeCamera(config, "late", "width = 320", "height = 240", "framerate = 10",
                    "destination = 127.0.0.1:15402");
            d.awaitLine(l -> l.contains("late: sending to udp://127.0.0.1:15402"), Duration.ofSeconds(10),
                    "following the new destination");
            List<Path> moved = Receivers.gstreamer(work, "late-2", 15402, 1200);
            assertTrue(moved.size() >= 4, "the camera streams to its new destination: " + moved.size());

            Files.delete(config.resolve("mjpeg.camera-late.cfg"));
            d.awaitLine(l -> l.contains("late: stopped;"), Duration.ofSeconds(10), "stopping the deleted camera");
            assertEquals(0, Receivers.gstreamer(work, "late-3", 15402, 800).size(), "nothing is sent after deletion");
        }
    }

    @Test
    void aBackendDroppedIntoPluginsIsUsedAndItsRemovalMakesTheCameraWait() throws Exception {
        Path home = RunningDistribution.copyOfHome(work.resolve("home"));
        Path fileBackend;
        try (var s = Files.list(home.resolve("system"))) {
            fileBackend = s.filter(p -> p.getFileName().toString().startsWith("io.mjpegrtp.capture.file")).findFirst()
                    .orElseThrow();
        }
        Path parked = Files.move(fileBackend, work.resolve(fileBackend.getFileName()));
        Path picture = Fixtures.cjpeg(work, "plugin", 320, 240, 3, "-quality", "80");
        Path config = work.resolve("config");
        RunningDistribution.writeCamera(config, "replay", "backend = file", "device = " + picture, "framerate = 10",
                "destination = 127.0.0.1:15410");
        try (RunningDistribution d = new RunningDistribution(home, work, config)) {
            d.awaitLine(l -> l.contains("replay: waiting for backend file (not installed)"), Duration.ofSeconds(30),
                    "saying the camera waits for its backend");
            Files.copy(parked, home.resolve("plugins").resolve(parked.getFileName()));
            d.awaitLine(l -> l.contains("replay: streaming"), Duration.ofSeconds(10), "streaming once the plugin is in");
            assertTrue(Receivers.gstreamer(work, "plugin-1", 15410, 1200).size() >= 4, "frames from the plugin");

            Files.delete(home.resolve("plugins").resolve(parked.getFileName()));
            d.awaitLine(l -> l.lastIndexOf("replay: waiting for backend file (not installed)") >= 0
                    && d.count(x -> x.contains("replay: waiting for backend file")) >= 2, Duration.ofSeconds(10),
                    "waiting again after the plugin is deleted");
            assertTrue(d.isAlive(), "the runtime keeps running");
        }
    }
}
