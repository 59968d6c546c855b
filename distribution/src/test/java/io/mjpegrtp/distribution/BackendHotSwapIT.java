package io.mjpegrtp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera changes backend while a receiver listens: by an edit of its file, by {@code mjpeg:backend}, and because
 * its backend's bundle is updated or removed from plugins/. The receiver sees one RTP session throughout — the same
 * SSRC, sequence numbers without gap or repeat, timestamps that keep increasing — and at most a pause.
 */
class BackendHotSwapIT {
    /** The requirement: a camera follows a change of backend in its file within 2 s. */
    private static final long SWITCH_LIMIT_MILLIS = 2000;

    @TempDir
    Path work;

    @Test
    void changingTheBackendInTheFileSwitchesWithinTwoSecondsInTheSameRtpSession() throws Exception {
        // A picture of another size than the test pattern's, so its first packet is known by its header alone.
        Path picture = Fixtures.cjpeg(work, "swap", 240, 176, 5, "-quality", "80");
        long pictureCrc = RtpReceiver.scanCrc(Files.readAllBytes(picture));
        Path config = work.resolve("config");
        try (RtpReceiver rx = RtpReceiver.open()) {
            String destination = "destination = 127.0.0.1:" + rx.port();
            RunningDistribution.writeCamera(config, "swap", "backend = testpattern", "width = 320", "height = 240",
                    "framerate = 15", destination);
            try (RunningDistribution d = new RunningDistribution(work, config)) {
                d.awaitLine(l -> l.contains("swap: streaming from testpattern"), Duration.ofSeconds(30),
                        "streaming the test pattern");
                assertTrue(rx.awaitFrames(10, Duration.ofSeconds(10)) >= 10, "test pattern frames: " + rx.summary());

                long written = System.nanoTime();
                RunningDistribution.writeCamera(config, "swap", "backend = file", "device = " + picture,
                        "width = 240", "height = 176", "framerate = 15", destination);
                RtpReceiver.Frame first = rx.awaitFrame(f -> f.scanCrc() == pictureCrc && f.width() == 240 / 8
                        && f.height() == 176 / 8, Duration.ofSeconds(10));
                assertNotNull(first, "no frame of the picture within 10 s of the change: " + rx.summary());
                long switchMillis = (first.firstPacketNanos() - written) / 1_000_000;
                System.out.println("[BackendHotSwapIT] file edit to first packet of the file backend's picture: "
                        + switchMillis + " ms (frame " + first.index() + ", sequence " + first.firstSequence() + ")");
                assertTrue(switchMillis <= SWITCH_LIMIT_MILLIS, "the camera switched backend " + switchMillis
                        + " ms after its file changed; required: within " + SWITCH_LIMIT_MILLIS + " ms");
                int afterFile = first.index() + 10;
                assertTrue(rx.awaitFrames(afterFile + 1, Duration.ofSeconds(10)) > afterFile, rx.summary());
                assertTrue(rx.frames().subList(first.index(), afterFile).stream().allMatch(f -> f.scanCrc() == pictureCrc),
                        "after the switch only the picture arrives");

                // mjpeg:backend ... auto: persisted, and the camera switches to what auto picks here.
                Cli.Result auto = Cli.run(RunningDistribution.HOME, "cmd", "--data", d.data.toString(), "mjpeg:backend",
                        "swap", "auto");
                System.out.println("[BackendHotSwapIT] $ mjpeg:backend swap auto\n" + auto);
                assertEquals(0, auto.exit(), auto.toString());
                assertTrue(Files.readString(config.resolve("mjpeg.camera-swap.cfg")).contains("backend = auto\n"));
                String picked = d.awaitLine(l -> l.contains("swap: backend auto picked "), Duration.ofSeconds(10),
                        "saying what auto picked and why");
                Matcher m = Pattern.compile("swap: backend auto picked (\\S+): (.+)").matcher(picked);
                assertTrue(m.find(), picked);
                String backend = m.group(1);
                if (backend.equals("testpattern")) {
                    for (String preferred : List.of("libcamera", "v4l2", "avfoundation")) {
                        assertTrue(m.group(2).contains(preferred + " "), "says why " + preferred + " was skipped: "
                                + picked);
                    }
                }
                RtpReceiver.Frame back = rx.awaitFrame(f -> f.index() > afterFile && f.scanCrc() != pictureCrc,
                        Duration.ofSeconds(10));
                assertNotNull(back, "no frame of " + backend + " after mjpeg:backend swap auto: " + rx.summary());
                Cli.Result cameras = Cli.run(RunningDistribution.HOME, "cmd", "--data", d.data.toString(),
                        "mjpeg:cameras");
                System.out.println("[BackendHotSwapIT] $ mjpeg:cameras\n" + cameras);
                assertTrue(cameras.out().lines().anyMatch(l -> l.matches("swap\\s+auto \u2192 " + Pattern.quote(backend)
                        + "\\s+streaming\\s.*")), cameras.toString());
                assertTrue(rx.awaitFrames(back.index() + 10, Duration.ofSeconds(10)) >= back.index() + 10, rx.summary());
                assertEquals(1, d.count(l -> l.contains("swap: backend auto picked")), "the pick is logged once");
            }
            System.out.println("[BackendHotSwapIT] receiver: " + rx.summary());
            assertEquals(1, rx.ssrcs().size(), "one SSRC across the switches: " + rx.summary());
            assertEquals(List.of(), rx.discontinuities(), "sequence and timestamps continue across the switches");
            assertEquals(0, rx.incompleteFrames(), rx.summary());
        }
    }

    @Test
    void updatingAndRemovingTheBackendPluginPausesTheCameraInTheSameRtpSession() throws Exception {
        Path home = RunningDistribution.copyOfHome(work.resolve("home"));
        Path plugin;
        try (var s = Files.list(home.resolve("system"))) {
            Path jar = s.filter(p -> p.getFileName().toString().startsWith("io.mjpegrtp.capture.file")).findFirst()
                    .orElseThrow();
            plugin = Files.move(jar, home.resolve("plugins").resolve(jar.getFileName()));
        }
        Path spare = Files.copy(plugin, work.resolve(plugin.getFileName()));
        Path picture = Fixtures.cjpeg(work, "plugin", 320, 240, 7, "-quality", "85");
        long pictureCrc = RtpReceiver.scanCrc(Files.readAllBytes(picture));
        Path config = work.resolve("config");
        try (RtpReceiver rx = RtpReceiver.open()) {
            RunningDistribution.writeCamera(config, "replay", "backend = file", "device = " + picture, "width = 320",
                    "height = 240", "framerate = 15", "destination = 127.0.0.1:" + rx.port());
            try (RunningDistribution d = new RunningDistribution(home, work, config)) {
                d.awaitLine(l -> l.contains("replay: streaming from file"), Duration.ofSeconds(30),
                        "streaming from the plugin");
                assertTrue(rx.awaitFrames(10, Duration.ofSeconds(10)) >= 10, rx.summary());

                // Update: a newer file of the same bundle; fileinstall updates the installed bundle in place.
                int beforeUpdate = rx.frameCount();
                Files.copy(spare, plugin, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(plugin, FileTime.fromMillis(System.currentTimeMillis() + 2000));
                d.awaitLine(l -> l.contains("replay: streaming from file")
                        && d.count(x -> x.contains("replay: streaming from file")) >= 2, Duration.ofSeconds(20),
                        "streaming again after the plugin was updated");
                assertTrue(rx.awaitFrames(beforeUpdate + 10, Duration.ofSeconds(10)) >= beforeUpdate + 10,
                        "frames after the update: " + rx.summary());

                // Removal: the camera waits, nothing is sent, and it resumes when the bundle is back.
                Files.delete(plugin);
                d.awaitLine(l -> l.contains("replay: waiting for backend file (not installed)"),
                        Duration.ofSeconds(20), "waiting for the removed backend");
                Cli.Result waiting = Cli.run(home, "cmd", "--data", d.data.toString(), "mjpeg:cameras");
                System.out.println("[BackendHotSwapIT] $ mjpeg:cameras\n" + waiting);
                assertTrue(waiting.out().lines().anyMatch(l -> l.matches(
                        "replay\\s+file\\s+waiting\\s.*waiting for backend file \\(not installed\\)")), waiting.toString());
                int whileAway = rx.frameCount();
                Thread.sleep(1000);
                assertEquals(whileAway, rx.frameCount(), "frames while the backend is away: " + rx.summary());

                Files.copy(spare, plugin);
                d.awaitLine(l -> l.contains("replay: streaming from file")
                        && d.count(x -> x.contains("replay: streaming from file")) >= 3, Duration.ofSeconds(20),
                        "streaming again after the plugin came back");
                assertTrue(rx.awaitFrames(whileAway + 10, Duration.ofSeconds(10)) >= whileAway + 10,
                        "frames after the plugin came back: " + rx.summary());
            }
            List<RtpReceiver.Frame> frames = rx.frames();
            long longestPauseMillis = 0;
            for (int i = 1; i < frames.size(); i++) {
                longestPauseMillis = Math.max(longestPauseMillis,
                        (frames.get(i).firstPacketNanos() - frames.get(i - 1).firstPacketNanos()) / 1_000_000);
            }
            System.out.println("[BackendHotSwapIT] receiver: " + rx.summary() + "; longest pause " + longestPauseMillis
                    + " ms");
            assertTrue(frames.stream().allMatch(f -> f.scanCrc() == pictureCrc), "every frame is the picture");
            assertEquals(1, rx.ssrcs().size(), "one SSRC through update and removal of the backend: " + rx.summary());
            assertEquals(List.of(), rx.discontinuities(), "sequence and timestamps continue: only time passes");
            assertEquals(0, rx.incompleteFrames(), rx.summary());
        }
    }
}
