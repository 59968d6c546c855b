package io.mjpegrtp.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraState;
import io.mjpegrtp.api.CameraStatistics;
import io.mjpegrtp.api.StatsService;
import io.mjpegrtp.stats.internal.StatsServiceImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MjpegCommandsTest {
    @TempDir
    Path dir;
    Path file;
    MjpegCommands commands;

    /** Stands in for the camera bundle's check: dscp 0..63 only. */
    static final Function<Map<String, ?>, String> CHECK = props -> {
        Object dscp = props.get("dscp");
        if (dscp != null && (Integer.parseInt(dscp.toString()) < 0 || Integer.parseInt(dscp.toString()) > 63)) {
            return "key 'dscp': dscp " + dscp + " is out of range; accepted: 0..63";
        }
        return null;
    };

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("mjpeg.camera-cam0.cfg");
        Files.writeString(file, "# mine\nbackend = testpattern\ndscp = 0\n");
        commands = new MjpegCommands(new StatsServiceImpl());
        commands.bindCamera(new FakeCamera("cam0"), Map.of("felix.fileinstall.filename", file.toUri().toString()));
        commands.bindCamera(new FakeCamera("api"), Map.of());
        commands.bindValidator(CHECK, Map.of("mjpeg.camera.keys", new String[] { "backend", "dscp", "flip" }));
    }

    @Test
    void setWritesTheCheckedValueIntoTheFile() throws Exception {
        String out = commands.set("cam0", "DSCP", " 46 ");
        assertTrue(out.startsWith("cam0: dscp = 46 written to " + file), out);
        assertEquals("# mine\nbackend = testpattern\ndscp = 46\n", Files.readString(file));
        assertEquals("cam0: dscp is already 46", commands.set("cam0", "dscp", "46"));
        commands.set("cam0", "flip", "rotate-90");
        assertEquals("# mine\nbackend = testpattern\ndscp = 46\nflip = rotate-90\n", Files.readString(file));
    }

    @Test
    void refusalsLeaveTheFileAlone() throws Exception {
        String before = Files.readString(file);
        assertEquals("cam0: not changed: key 'dscp': dscp 64 is out of range; accepted: 0..63",
                assertThrows(IllegalArgumentException.class, () -> commands.set("cam0", "dscp", "64")).getMessage());
        assertEquals("cam0: not changed: unknown key 'colour'; keys: backend, dscp, flip",
                assertThrows(IllegalArgumentException.class, () -> commands.set("cam0", "colour", "red")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.set("cam0", "name", "x")).getMessage()
                .contains("rename the file"));
        assertEquals("no camera named 'cam9'",
                assertThrows(IllegalArgumentException.class, () -> commands.set("cam9", "dscp", "1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.set("api", "dscp", "1")).getMessage()
                .contains("not configured from a file"));
        assertEquals(before, Files.readString(file));
        commands.unbindValidator(CHECK);
        assertThrows(IllegalStateException.class, () -> commands.set("cam0", "dscp", "1"));
        assertEquals(before, Files.readString(file));
    }

    @Test
    void backendSaysWhenTheBackendIsNotInstalled() throws Exception {
        String out = commands.backend("cam0", "V4L2");
        assertTrue(out.contains("cam0: backend = v4l2 written") && out.contains("backend v4l2 is not installed"), out);
        assertTrue(Files.readString(file).contains("\nbackend = v4l2\n"));
    }

    @Test
    void backendAutoIsWrittenAndExplained() throws Exception {
        String out = commands.backend("cam0", "auto");
        assertTrue(out.contains("cam0: backend = auto written") && out.contains("mjpeg:cameras shows the pick")
                && !out.contains("not installed"), out);
        assertTrue(Files.readString(file).contains("\nbackend = auto\n"));
    }

    @Test
    void statsShowTheStateOfEachCamera() throws Exception {
        MjpegCommands withStats = new MjpegCommands(new OneCameraStats("cam0"));
        withStats.bindCamera(new FakeCamera("cam0"), Map.of());
        String one = withStats.stats(null, false, "cam0");
        assertTrue(one.lines().anyMatch(l -> l.matches("state\\s+streaming: streaming testpattern 320x240@10")), one);
        assertTrue(one.lines().anyMatch(l -> l.matches("backend\\s+testpattern")), one);
        String all = withStats.stats(null, false);
        assertTrue(all.lines().anyMatch(l -> l.matches("cam0\\s+streaming\\s+0\\s+0\\s.*")), all);
    }

    private static final class OneCameraStats implements StatsService {
        private final CameraStatistics statistics;

        OneCameraStats(String camera) {
            statistics = new CameraStatistics(new CameraCounters(camera).snapshot(), 0, 0, 0, 0, 0);
        }

        @Override
        public CameraCounters counters(String camera) {
            return new CameraCounters(camera);
        }

        @Override
        public void remove(String camera) {
        }

        @Override
        public Optional<CameraStatistics> statistics(String camera) {
            return Optional.of(statistics);
        }

        @Override
        public List<CameraStatistics> all() {
            return List.of(statistics);
        }
    }

    private static final class FakeCamera implements Camera {
        private final String name;

        FakeCamera(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CameraStatus status() {
            return new CameraStatus(name, "testpattern", CameraState.STREAMING, "streaming testpattern 320x240@10",
                    320, 240, 10, List.of());
        }

        @Override
        public Optional<String> sessionDescription() {
            return Optional.empty();
        }

        @Override
        public Optional<Path> sessionDescriptionFile() {
            return Optional.empty();
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
    }
}
