package io.mjpegrtp.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TomlImportTest {
    /** The two-camera layout of the old streamers, every key set. */
    static final String STEREO = """
            [mjpeg-rtp]
            mtu = 1200
            dscp = 46

            [mjpeg-rtp.camera0]
            enabled = true
            dest_host = "192.168.1.50"
            dest_port = 5000
            quality = 70
            ssrc = 12345

            [mjpeg-rtp.camera1]
            enabled = false
            dest_host = "192.168.1.50"
            dest_port = 5002
            quality = 90
            ssrc = 12346

            [camera0]
            device = "/dev/video0"
            width = 1280
            height = 720
            fps = 25
            flip_method = "vertical-flip"

            [camera1]
            device = "/base/soc/i2c0mux/i2c@1/imx219@10"
            width = 640
            height = 480
            fps = 30
            flip_method = "rotate-180"
            """;

    private static Map<String, String> props(TomlImport.CameraFile f) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(f.text()));
        Map<String, String> m = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    @Test
    void mapsEveryKeyOfTheStereoLayout() throws Exception {
        TomlImport.Result r = TomlImport.convert(STEREO, "config.toml");
        assertEquals(List.of("mjpeg.camera-camera0.cfg", "mjpeg.camera-camera1.cfg"),
                r.cameras().stream().map(TomlImport.CameraFile::fileName).toList());
        assertEquals(Map.ofEntries(Map.entry("backend", "v4l2"), Map.entry("device", "/dev/video0"),
                Map.entry("width", "1280"), Map.entry("height", "720"), Map.entry("framerate", "25"),
                Map.entry("quality", "70"), Map.entry("flip", "vertical"), Map.entry("destination", "192.168.1.50:5000"),
                Map.entry("mtu", "1200"), Map.entry("dscp", "46"), Map.entry("pacing", "auto"),
                Map.entry("transports", "udp"), Map.entry("enabled", "true")), props(r.cameras().get(0)));
        Map<String, String> cam1 = props(r.cameras().get(1));
        assertEquals("libcamera", cam1.get("backend"));
        assertEquals("/base/soc/i2c0mux/i2c@1/imx219@10", cam1.get("device"));
        assertEquals("rotate-180", cam1.get("flip"));
        assertEquals("false", cam1.get("enabled"));
        assertEquals("192.168.1.50:5002", cam1.get("destination"));
        assertEquals("90", cam1.get("quality"));
        // ssrc is the only key that cannot be carried over, named once per camera.
        assertEquals(2, r.unmapped().size(), r.unmapped().toString());
        assertTrue(r.unmapped().get(0).startsWith("[mjpeg-rtp.camera0] ssrc = 12345: the SSRC is not configurable"),
                r.unmapped().toString());
        assertTrue(r.cameras().get(0).text().contains("# not mapped: ssrc = 12345"), r.cameras().get(0).text());
        assertTrue(r.cameras().get(0).text().startsWith("# Camera camera0, imported from config.toml"));
    }

    @ParameterizedTest
    @CsvSource({ "vertical-flip, vertical", "horizontal-flip, horizontal", "rotate-180, rotate-180",
            "rotate-90, rotate-90", "rotate-270, rotate-270", "none, none", "clockwise, rotate-90",
            "counterclockwise, rotate-270" })
    void mapsEachFlipMethod(String old, String flip) throws Exception {
        TomlImport.Result r = TomlImport.convert("[camera0]\nflip_method = \"" + old + "\"\n", "x.toml");
        assertEquals(flip, props(r.cameras().get(0)).get("flip"));
        assertEquals(List.of(), r.unmapped());
    }

    @Test
    void aFlipItCannotDoIsNamedAndLeftOut() throws Exception {
        TomlImport.Result r = TomlImport.convert("[camera0]\nflip_method = \"upper-left-diagonal\"\n", "x.toml");
        assertEquals("none", props(r.cameras().get(0)).get("flip"));
        assertEquals(1, r.unmapped().size());
        assertTrue(r.unmapped().get(0).startsWith("[camera0] flip_method = \"upper-left-diagonal\": not supported"),
                r.unmapped().get(0));
    }

    @Test
    void unknownKeysAndTablesAreNamed() throws Exception {
        String toml = """
                log_level = "debug"
                [mjpeg-rtp]
                mtu = 1400
                bitrate = 4000
                [mjpeg-rtp.camera0]
                dest_port = 6000
                codec = "h264"
                [camera0]
                device = "/dev/video2"
                exposure = 100
                [logging]
                file = "/var/log/streamer.log"
                """;
        TomlImport.Result r = TomlImport.convert(toml, "x.toml");
        assertEquals(1, r.cameras().size());
        List<String> u = r.unmapped();
        assertTrue(u.contains("log_level = \"debug\" (top level): not a setting of the old streamers"), u.toString());
        assertTrue(u.contains("[mjpeg-rtp] bitrate = 4000: unknown key"), u.toString());
        assertTrue(u.contains("[mjpeg-rtp.camera0] codec = \"h264\": unknown key"), u.toString());
        assertTrue(u.contains("[camera0] exposure = 100: unknown key"), u.toString());
        assertTrue(u.stream().anyMatch(l -> l.startsWith("[logging]: not a camera")), u.toString());
        Map<String, String> p = props(r.cameras().get(0));
        assertEquals("127.0.0.1:6000", p.get("destination"));
        assertEquals("v4l2", p.get("backend"));
    }

    @Test
    void missingKeysGetTheOldDefaultsWrittenOut() throws Exception {
        TomlImport.Result r = TomlImport.convert("[camera0]\nwidth = 320\n[camera1]\nheight = 240\n", "x.toml");
        Map<String, String> cam0 = props(r.cameras().get(0));
        Map<String, String> cam1 = props(r.cameras().get(1));
        assertEquals("320", cam0.get("width"));
        assertEquals("480", cam0.get("height"));
        assertEquals("30", cam0.get("framerate"));
        assertEquals("85", cam0.get("quality"));
        assertEquals("1400", cam0.get("mtu"));
        assertEquals("0", cam0.get("dscp"));
        assertEquals("127.0.0.1:5000", cam0.get("destination"));
        assertEquals("127.0.0.1:5002", cam1.get("destination"), "ports 5000, 5002 as the old streamers");
        assertEquals("libcamera", cam0.get("backend"));
        assertEquals("", cam0.get("device"));
    }

    @Test
    void backendFollowsTheDevice() throws Exception {
        assertEquals("v4l2", props(TomlImport.convert("[c]\ndevice = \"/dev/video1\"\n", "x").cameras().get(0))
                .get("backend"));
        assertEquals("avfoundation", props(TomlImport.convert("[c]\ndevice = 0\n", "x").cameras().get(0))
                .get("backend"));
        assertEquals("libcamera", props(TomlImport.convert("[c]\ndevice = \"imx708\"\n", "x").cameras().get(0))
                .get("backend"));
    }

    @Test
    void wrongTypesAreNamedAndIPv6IsBracketed() throws Exception {
        TomlImport.Result r = TomlImport.convert(
                "[mjpeg-rtp.cam]\ndest_host = \"ff02::1\"\ndest_port = \"x\"\nenabled = \"yes\"\n[cam]\nfps = 12.5\n", "x");
        Map<String, String> p = props(r.cameras().get(0));
        assertEquals("[ff02::1]:5000", p.get("destination"));
        assertEquals("30", p.get("framerate"));
        assertEquals("true", p.get("enabled"));
        assertEquals(3, r.unmapped().size(), r.unmapped().toString());
    }

    @Test
    void invalidTomlAndNoCamerasAreErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TomlImport.convert("[camera0\nwidth = ", "bad.toml"));
        assertTrue(e.getMessage().startsWith("bad.toml is not valid TOML"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TomlImport.convert("[mjpeg-rtp]\nmtu = 1400\n", "x"));
    }

    @Test
    void writesFilesNotWorldReadableAndNeverOverwritesUnlessForced(@TempDir Path dir) throws Exception {
        TomlImport.Result r = TomlImport.convert(STEREO, "config.toml");
        TomlImport.write(r, dir, false);
        Path cam0 = dir.resolve("mjpeg.camera-camera0.cfg");
        assertEquals(r.cameras().get(0).text(), Files.readString(cam0));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(cam0)));
        Files.writeString(cam0, "mine\n");
        assertThrows(FileAlreadyExistsException.class, () -> TomlImport.write(r, dir, false));
        assertEquals("mine\n", Files.readString(cam0));
        TomlImport.write(r, dir, true);
        assertEquals(r.cameras().get(0).text(), Files.readString(cam0));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left");
        }
    }
}
