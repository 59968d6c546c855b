package io.mjpegrtp.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraFileTest {
    @TempDir
    Path dir;

    @Test
    void changesOnlyTheValueOfTheKeyAndKeepsEverythingElse() throws Exception {
        String before = "# Camera cam0: the left camera\nbackend = testpattern\n\n# network\ndscp = 0\nmtu=1400\n";
        assertEquals("# Camera cam0: the left camera\nbackend = testpattern\n\n# network\ndscp = 46\nmtu=1400\n",
                CameraFile.set(before, "dscp", "46"));
        assertEquals("# Camera cam0: the left camera\nbackend = testpattern\n\n# network\ndscp = 0\nmtu=1500\n",
                CameraFile.set(before, "mtu", "1500"));
    }

    @Test
    void appendsAKeyTheFileDoesNotHave() {
        assertEquals("backend = file\nflip = rotate-90\n", CameraFile.set("backend = file\n", "flip", "rotate-90"));
        assertEquals("backend = file\nflip = none\n", CameraFile.set("backend = file", "flip", "none"));
    }

    @Test
    void separatorsContinuationsDuplicatesAndLineEndsAsPropertiesReadThem() throws Exception {
        assertEquals("width: 640\r\nheight   480\r\n", CameraFile.set("width: 320\r\nheight   480\r\n", "width", "640"));
        assertEquals("device = /dev/video2\nwidth = 1\n",
                CameraFile.set("device = /dev/\\\n   video0\nwidth = 1\n", "device", "/dev/video2"));
        // java.util.Properties (and fileinstall) use the last line of a key: that is the one changed.
        assertEquals("dscp = 1\ndscp = 9\n", CameraFile.set("dscp = 1\ndscp = 2\n", "dscp", "9"));
        assertEquals("# dscp = 1\ndscp = 9\n", CameraFile.set("# dscp = 1\n", "dscp", "9"));
        assertEquals("  dscp\t=\t9\n", CameraFile.set("  dscp\t=\t2\n", "dscp", "9"));
        assertEquals("device = C:\\\\cams\\\\a.jpg\n", CameraFile.set("device = x\n", "device", "C:\\cams\\a.jpg"));
        String text = CameraFile.set("device = x\n", "device", "C:\\cams\\caméra.jpg");
        assertEquals("C:\\cams\\caméra.jpg", CameraFile.read(text).get("device"));
    }

    @Test
    void readsWhatFileinstallReads() throws Exception {
        assertEquals(Map.of("backend", "v4l2", "device", "/dev/video0"),
                CameraFile.read("# x\nbackend = v4l2\ndevice = /dev/\\\n  video0\n"));
    }

    @Test
    void writesAtomicallyThroughALinkAndNeverWorldAccessible() throws Exception {
        Path real = dir.resolve("mjpeg.camera-cam0.cfg");
        Files.writeString(real, "dscp = 0\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path link = Files.createSymbolicLink(dir.resolve("link.cfg"), real);
        CameraFile.write(link, "dscp = 46\n");
        assertEquals("dscp = 46\n", Files.readString(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals(real, link.toRealPath(), "the link still points at the file");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left");
        }

        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        CameraFile.write(real, "dscp = 8\n");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
    }

    @Test
    void aFileMadeReadOnlyIsNotReplaced() throws Exception {
        Path real = dir.resolve("mjpeg.camera-cam0.cfg");
        Files.writeString(real, "dscp = 0\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("r--r-----"));
        if (!Files.isWritable(real)) { // root may write anything
            assertThrows(java.nio.file.FileSystemException.class, () -> CameraFile.write(real, "dscp = 1\n"));
        }
    }
}
