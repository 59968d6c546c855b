package io.mjpegrtp.capture.file.internal;

import io.mjpegrtp.api.CaptureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads what a {@code device} names into memory, once, and splits it into pictures: a single .jpg/.jpeg file, a
 * folder of them (name order), or any other file as concatenated JPEGs (.mjpeg). Reading everything up front keeps
 * disk latency out of the frame schedule.
 */
final class PictureLoader {
    static final String EXPECTED = "device must be a .jpg file, a folder of .jpg files, or a .mjpeg file";

    private final long maxBytes;

    /** What was loaded: the pictures in replay order, bytes read, and bytes between pictures that were skipped. */
    record Loaded(Path path, List<Picture> pictures, long bytes, long skippedBytes) {
        long good() {
            return pictures.stream().filter(Picture::isGood).count();
        }
    }

    PictureLoader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    Loaded load(String device) throws CaptureException {
        if (device == null || device.isBlank()) {
            throw new CaptureException("file backend: no device configured; " + EXPECTED);
        }
        Path path;
        try {
            path = Path.of(device.trim());
        } catch (InvalidPathException e) {
            throw new CaptureException("file backend: " + device + " is not a valid path; " + EXPECTED);
        }
        if (!Files.exists(path)) {
            throw new CaptureException("file backend: " + path + " does not exist; " + EXPECTED);
        }
        try {
            Loaded loaded = Files.isDirectory(path) ? loadFolder(path) : loadFile(path);
            if (loaded.good() == 0) {
                String first = loaded.pictures().isEmpty() ? path + " holds no JPEG picture"
                        : loaded.pictures().get(0).rejection();
                throw new CaptureException("file backend: " + path + " has no usable picture (" + first + "); "
                        + EXPECTED);
            }
            return loaded;
        } catch (IOException e) {
            throw new CaptureException("file backend: cannot read " + path + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new CaptureException("file backend: not enough memory to load " + path
                    + "; give the runtime a larger heap (-Xmx) or replay fewer pictures", e);
        }
    }

    private Loaded loadFolder(Path folder) throws IOException, CaptureException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).filter(PictureLoader::isJpegName)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        if (files.isEmpty()) {
            throw new CaptureException("file backend: " + folder + " contains no .jpg or .jpeg files; " + EXPECTED);
        }
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        checkSize(folder, total);
        List<Picture> pictures = new ArrayList<>(files.size());
        for (Path f : files) {
            pictures.add(single(f.getFileName().toString(), Files.readAllBytes(f)));
        }
        return new Loaded(folder, pictures, total, 0);
    }

    private Loaded loadFile(Path file) throws IOException, CaptureException {
        long size = Files.size(file);
        checkSize(file, size);
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        if (isJpegName(file)) {
            return new Loaded(file, List.of(single(name, bytes)), size, 0);
        }
        return split(file, name, bytes);
    }

    /** One picture per file; bytes after its EOI (some cameras append a trailer) are left out of the frame. */
    static Picture single(String name, byte[] bytes) {
        JpegCheck.Result r = JpegCheck.walk(bytes, 0, bytes.length);
        if (!r.ok()) {
            return Picture.bad(name, r.problem());
        }
        return Picture.good(name, bytes, 0, r.end(), r.width(), r.height());
    }

    /**
     * Splits concatenated JPEGs by walking each one's markers. A damaged picture is rejected and the search goes on
     * at the next SOI, so the pictures after it are kept; bytes outside any picture (multipart headers of a saved
     * HTTP stream, padding) are skipped.
     */
    static Loaded split(Path file, String name, byte[] bytes) {
        List<Picture> pictures = new ArrayList<>();
        long skipped = 0;
        int pos = 0;
        int n = 0;
        boolean afterDamaged = false;
        while (true) {
            int soi = JpegCheck.findSoi(bytes, pos, bytes.length);
            if (!afterDamaged) {
                // What follows a damaged picture up to the next SOI is the rest of that picture, not padding.
                skipped += nonZero(bytes, pos, soi < 0 ? bytes.length : soi);
            }
            if (soi < 0) {
                break;
            }
            n++;
            JpegCheck.Result r = JpegCheck.walk(bytes, soi, bytes.length);
            String label = name + " picture " + n + " at byte " + soi;
            if (r.ok()) {
                pictures.add(Picture.good(label, bytes, soi, r.end() - soi, r.width(), r.height()));
                pos = r.end();
                afterDamaged = false;
            } else {
                pictures.add(Picture.bad(label, r.problem()));
                pos = r.resume();
                afterDamaged = true;
            }
        }
        return new Loaded(file, pictures, bytes.length, skipped);
    }

    private void checkSize(Path path, long bytes) throws CaptureException {
        if (bytes > maxBytes) {
            throw new CaptureException(String.format(Locale.ROOT,
                    "file backend: %s holds %d MB of pictures, more than the %d MB that are loaded into memory; "
                            + "replay fewer or smaller pictures", path, mb(bytes), mb(maxBytes)));
        }
    }

    static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** A size for people: KB below a megabyte, MB above. */
    static String size(long bytes) {
        return bytes < (1 << 20) ? ((bytes + 1023) >> 10) + " KB" : mb(bytes) + " MB";
    }

    private static boolean isJpegName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private static long nonZero(byte[] b, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                n++;
            }
        }
        return n;
    }
}
