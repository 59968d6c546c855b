package io.mjpegrtp.capture.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CaptureException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PictureLoaderTest {
    @TempDir
    Path dir;

    private final PictureLoader loader = new PictureLoader(FileBackend.MAX_BYTES);

    @Test
    void splitsConcatenatedPicturesBySegmentLengthsNotByEoiSearch() throws Exception {
        byte[] a = Jpegs.picture(64, 48, 1);
        byte[] b = Jpegs.withExifThumbnail(Jpegs.picture(80, 60, 2), Jpegs.picture(16, 16, 3));
        byte[] c = Jpegs.picture(32, 32, 4);
        Path file = dir.resolve("clip.mjpeg");
        Files.write(file, Jpegs.concat(a, b, c));

        List<Picture> pictures = loader.load(file.toString()).pictures();
        assertEquals(3, pictures.size());
        assertArrayEquals(a, bytes(pictures.get(0)));
        assertArrayEquals(b, bytes(pictures.get(1)), "the EXIF thumbnail stays inside the second picture");
        assertArrayEquals(c, bytes(pictures.get(2)));
        assertEquals(80, pictures.get(1).width());
    }

    @Test
    void aDamagedPictureDoesNotLoseTheRest() throws Exception {
        byte[] a = Jpegs.picture(64, 48, 1);
        byte[] cut = Jpegs.truncated(Jpegs.picture(64, 48, 2));
        byte[] c = Jpegs.picture(32, 32, 3);
        byte[] badLength = Jpegs.picture(48, 48, 4);
        badLength[4] = 0x7F; // the APP0 length now points far past this picture, over the next one
        byte[] e = Jpegs.picture(24, 24, 5);
        byte[] multipart = "\r\n--frame\r\nContent-Type: image/jpeg\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("damaged.mjpeg");
        Files.write(file, Jpegs.concat(a, multipart, cut, c, badLength, e, new byte[] { 0, 0, 0 }));

        PictureLoader.Loaded loaded = loader.load(file.toString());
        List<Picture> pictures = loaded.pictures();
        assertEquals(5, pictures.size());
        assertArrayEquals(a, bytes(pictures.get(0)));
        assertFalse(pictures.get(1).isGood());
        assertTrue(pictures.get(1).rejection().startsWith("damaged.mjpeg picture 2 at byte " + (a.length + multipart.length) + ": trunc"),
                pictures.get(1).rejection());
        assertArrayEquals(c, bytes(pictures.get(2)));
        assertFalse(pictures.get(3).isGood());
        assertArrayEquals(e, bytes(pictures.get(4)));
        assertEquals(multipart.length, loaded.skippedBytes(), "the multipart header, not the damaged pictures");
    }

    @Test
    void aSingleFileMayCarryTrailingBytes() throws Exception {
        byte[] a = Jpegs.picture(64, 48, 1);
        Path file = dir.resolve("padded.JPG");
        Files.write(file, Jpegs.concat(a, new byte[100]));
        List<Picture> pictures = loader.load(file.toString()).pictures();
        assertEquals(1, pictures.size());
        assertArrayEquals(a, bytes(pictures.get(0)), "the frame ends at EOI");
    }

    @Test
    void explainsWhatIsMissing() throws Exception {
        CaptureException missing = assertThrows(CaptureException.class,
                () -> loader.load(dir.resolve("x/y").toString()));
        assertEquals("file backend: " + dir.resolve("x/y") + " does not exist; device must be a .jpg file, "
                + "a folder of .jpg files, or a .mjpeg file", missing.getMessage());

        CaptureException empty = assertThrows(CaptureException.class, () -> loader.load(dir.toString()));
        assertTrue(empty.getMessage().contains("contains no .jpg or .jpeg files"), empty.getMessage());

        CaptureException none = assertThrows(CaptureException.class, () -> loader.load(""));
        assertTrue(none.getMessage().contains("no device configured"), none.getMessage());

        Files.writeString(dir.resolve("x.jpg"), "not a picture");
        CaptureException bad = assertThrows(CaptureException.class, () -> loader.load(dir.toString()));
        assertTrue(bad.getMessage().contains("no usable picture (x.jpg: it does not start with SOI"),
                bad.getMessage());
        assertFalse(bad.getMessage().contains("\n"));
    }

    @Test
    void refusesMoreThanTheMemoryCap() throws Exception {
        Files.write(dir.resolve("a.jpg"), Jpegs.picture(64, 48, 1));
        Files.write(dir.resolve("b.jpg"), Jpegs.picture(64, 48, 2));
        CaptureException e = assertThrows(CaptureException.class,
                () -> new PictureLoader(1000).load(dir.toString()));
        assertTrue(e.getMessage().contains("loaded into memory"), e.getMessage());
    }

    static byte[] bytes(Picture p) {
        assertTrue(p.isGood(), () -> p.rejection());
        ByteBuffer view = p.view();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
