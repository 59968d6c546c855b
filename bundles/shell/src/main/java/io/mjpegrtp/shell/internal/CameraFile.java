package io.mjpegrtp.shell.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A camera file ({@code mjpeg.camera-<name>.cfg}, the properties syntax fileinstall reads) edited in place: one
 * key's value changes, every other line (comments, blank lines, other keys, their order) stays as it was.
 */
final class CameraFile {
    /** What the runtime writes: never more than owner read/write and group read, never world-accessible. */
    static final Set<PosixFilePermission> MOST = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);

    private CameraFile() {
    }

    /** The keys and values as fileinstall reads them (properties syntax: escapes, continuation lines). */
    static Map<String, String> read(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, String> map = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            map.put(k, p.getProperty(k));
        }
        return map;
    }

    /**
     * The text with {@code key} set to {@code value}: the line that sets the key (the last one, which wins) gets
     * the new value after its own key and separator; a key not in the file is appended.
     */
    static String set(String text, String key, String value) {
        String nl = text.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = text.lines().toList();
        int first = -1;
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            int start = i;
            String line = lines.get(i);
            while (continues(lines.get(i)) && i + 1 < lines.size() && !isComment(line)) {
                i++;
            }
            if (isComment(line) || line.isBlank()) {
                continue;
            }
            int[] parts = split(line);
            if (unescape(line.substring(parts[0], parts[1])).equals(key)) {
                first = start;
                last = i;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i == first) {
                String line = lines.get(i);
                b.append(line, 0, split(line)[2]).append(escape(value)).append(nl);
                i = last;
                continue;
            }
            b.append(lines.get(i)).append(nl);
        }
        if (first < 0) {
            b.append(escapeKey(key)).append(" = ").append(escape(value)).append(nl);
        }
        return b.toString();
    }

    /**
     * Replaces {@code file} (following a symbolic link to the real file) atomically, so fileinstall never reads
     * half a file. The new file keeps the old one's owner and group where this process may set them, and its
     * permissions less anything beyond {@link #MOST}.
     */
    static void write(Path file, String text) throws IOException {
        Path real = file.toRealPath();
        if (!Files.isWritable(real)) {
            throw new FileSystemException(real.toString(), null, "not writable by the runtime's user");
        }
        Path tmp = real.resolveSibling("." + real.getFileName() + "." + Long.toHexString(
                ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
        PosixFileAttributeView view = Files.getFileAttributeView(real, PosixFileAttributeView.class);
        try {
            if (view != null) {
                PosixFileAttributes old = view.readAttributes();
                Set<PosixFilePermission> perms = EnumSet.copyOf(old.permissions());
                perms.retainAll(MOST);
                perms.add(PosixFilePermission.OWNER_READ);
                perms.add(PosixFilePermission.OWNER_WRITE);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
                PosixFileAttributeView tmpView = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
                try {
                    tmpView.setGroup(old.group());
                    tmpView.setOwner(old.owner());
                } catch (IOException e) {
                    // only a privileged user may give a file away; the file stays ours
                }
                Files.setPosixFilePermissions(tmp, perms);
            } else {
                Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
            }
            try {
                Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean isComment(String line) {
        String t = line.stripLeading();
        return t.startsWith("#") || t.startsWith("!");
    }

    /** A natural line ending in an odd number of backslashes continues on the next. */
    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** {key start, key end, value start} of a key line, as java.util.Properties splits it. */
    private static int[] split(String line) {
        int i = 0;
        while (i < line.length() && isSpace(line.charAt(i))) {
            i++;
        }
        int keyStart = i;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '=' || c == ':' || isSpace(c)) {
                break;
            }
            i++;
        }
        int keyEnd = Math.min(i, line.length());
        while (i < line.length() && isSpace(line.charAt(i))) {
            i++;
        }
        if (i < line.length() && (line.charAt(i) == '=' || line.charAt(i) == ':')) {
            i++;
            while (i < line.length() && isSpace(line.charAt(i))) {
                i++;
            }
        }
        return new int[] { keyStart, keyEnd, i };
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }

    private static String unescape(String key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' && i + 1 < key.length()) {
                c = key.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }

    /** A value in properties syntax: backslashes doubled, non-ASCII as {@code \}uXXXX (the file is Latin-1). */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\') {
                b.append("\\\\");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String escapeKey(String key) {
        return escape(key).replace("=", "\\=").replace(":", "\\:").replace(" ", "\\ ");
    }
}
