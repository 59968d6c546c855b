package io.mjpegrtp.launcher;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/mjpeg-rtp cmd [--data DIR] COMMAND...}: runs one Gogo command line in the mjpeg-rtp that uses
 * {@code DIR}, through its control socket (see the shell bundle's ControlSocket for the protocol), prints what
 * the command prints, and exits with 0 when it succeeded, 1 when it failed, 3 when no runtime answers.
 * What is typed while the command runs is sent to it ({@code mjpeg:stats --watch} stops at Enter).
 */
final class ControlClient {
    static final String USAGE = "usage: mjpeg-rtp cmd [--data DIR] COMMAND...   e.g. mjpeg-rtp cmd mjpeg:stats cam0";

    private ControlClient() {
    }

    static int run(Path home, String[] args) {
        Path data = home.resolve("data");
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (words.isEmpty() && args[i].equals("--data") && i + 1 < args.length) {
                data = Paths.get(args[++i]);
            } else if (words.isEmpty() && (args[i].equals("--help") || args[i].equals("-h"))) {
                System.out.println(USAGE);
                return 0;
            } else {
                words.add(args[i]);
            }
        }
        if (words.isEmpty()) {
            System.err.println(USAGE);
            return 2;
        }
        Path socket = Options.controlSocket(data.toAbsolutePath().normalize());
        return run(socket, String.join(" ", words), System.in, System.out, System.err);
    }

    static int run(Path socket, String line, InputStream in, PrintStream out, PrintStream err) {
        if (!Files.exists(socket)) {
            err.println("mjpeg-rtp: no runtime answers at " + socket + " (is it running, with this --data?)");
            return 3;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                err.println("mjpeg-rtp: no runtime answers at " + socket + ": " + e.getMessage());
                return 3;
            }
            writeAll(channel, (line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            Thread input = new Thread(() -> forward(in, channel), "mjpeg-cmd-input");
            input.setDaemon(true);
            input.start();
            ByteBuffer header = ByteBuffer.allocate(5);
            while (true) {
                header.clear();
                readFully(channel, header);
                char type = (char) header.get(0);
                int length = header.getInt(1);
                if (length < 0 || length > 16 * 1024 * 1024) {
                    throw new IOException("bad answer (frame length " + length + ")");
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(channel, body);
                switch (type) {
                    case 'O' -> {
                        out.write(body.array(), 0, length);
                        out.flush();
                    }
                    case 'E' -> {
                        err.write(body.array(), 0, length);
                        err.flush();
                    }
                    case 'X' -> {
                        return body.getInt(0);
                    }
                    default -> throw new IOException("bad answer (frame type " + (int) type + ")");
                }
            }
        } catch (IOException e) {
            err.println("mjpeg-rtp: the command's connection broke: " + e.getMessage());
            return 1;
        }
    }

    /** Sends what is typed to the command, as it comes; stops at the end of input or of the connection. */
    private static void forward(InputStream in, SocketChannel channel) {
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                writeAll(channel, java.util.Arrays.copyOf(buf, n));
            }
        } catch (IOException e) {
            // the command ended
        }
    }

    private static void writeAll(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private static void readFully(SocketChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("the runtime closed the connection before the command ended");
            }
        }
    }
}
