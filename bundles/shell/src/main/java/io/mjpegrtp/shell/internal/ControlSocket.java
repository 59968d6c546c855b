package io.mjpegrtp.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Gogo command line per connection on a local UNIX-domain socket, for {@code bin/mjpeg-rtp cmd ...}
 * (scripts, and an operator of a service without a console). It is not a remote shell: the socket is a file in a
 * directory only the runtime's user can enter (0700, the socket itself 0600), and a connection is served only
 * when the kernel says its peer runs as that same user (or root) — someone who could edit the camera files and
 * drop bundles into plugins/ anyway.
 *
 * <p>Protocol (version 1): the client sends the command line in UTF-8 ending with a newline; whatever it sends
 * after that is the command's input (so {@code mjpeg:stats --watch} stops at Enter). The server answers with
 * frames — one type byte, a 4-byte big-endian length, that many bytes: {@code 'O'} output, {@code 'E'} error
 * output, and last {@code 'X'} with the exit status (0 done, 1 the command failed) as its 4 bytes — then closes.
 */
@Component(immediate = true)
public final class ControlSocket {
    /** Framework property: the socket's path; absent, empty or {@code off}: no socket. */
    static final String PATH_PROPERTY = "mjpeg.control.socket";
    static final int MAX_CLIENTS = 8;
    static final int MAX_LINE = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.control");

    private final CommandProcessor processor;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;
    private Path socket;
    private UserPrincipal owner;
    private Thread acceptor;

    @Activate
    public ControlSocket(@Reference CommandProcessor processor, BundleContext context) {
        this.processor = processor;
        String path = context.getProperty(PATH_PROPERTY);
        if (path == null || path.isBlank() || path.equals("off")) {
            LOG.debug("no control socket ({} not set)", PATH_PROPERTY);
            return;
        }
        try {
            open(Paths.get(path).toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            LOG.error("control socket {} not available (bin/mjpeg-rtp cmd will not work): {}", path, e.toString());
            close();
        }
    }

    private void open(Path path) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        // Only the runtime's user may reach the socket: the directory closes the gap before the chmod below.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException("another mjpeg-rtp answers on it (same --data directory?)");
            }
            Files.delete(path); // left by a runtime that did not stop cleanly
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server = s;
        s.bind(UnixDomainSocketAddress.of(path));
        socket = path;
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        owner = Files.getOwner(path);
        acceptor = new Thread(this::accept, "mjpeg-control");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("control socket {} (bin/mjpeg-rtp cmd --data DIR 'mjpeg:cameras')", path);
    }

    private static boolean answers(Path path) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Deactivate
    void close() {
        ServerSocketChannel s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // closing
            }
        }
        if (socket != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", socket, e.toString());
            }
        }
    }

    private void accept() {
        ServerSocketChannel s;
        while ((s = server) != null) {
            SocketChannel c;
            try {
                c = s.accept();
            } catch (IOException e) {
                if (server != null) {
                    LOG.warn("control socket: {}", e.toString());
                }
                return;
            }
            if (!slots.tryAcquire()) {
                reject(c, "busy: " + MAX_CLIENTS + " commands are running");
                continue;
            }
            clients.add(c);
            Thread t = new Thread(() -> {
                try {
                    serve(c);
                } finally {
                    clients.remove(c);
                    slots.release();
                }
            }, "mjpeg-control-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void reject(SocketChannel c, String why) {
        try (c) {
            Framed out = new Framed(c);
            out.frame('E', (why + "\n").getBytes(StandardCharsets.UTF_8));
            out.exit(1);
        } catch (IOException e) {
            // the client went away
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!peer.user().equals(owner) && !peer.user().getName().equals("root")) {
                LOG.warn("control socket: refused a connection from user {}", peer.user().getName());
                reject(c, "refused: only the runtime's user may run commands");
                return;
            }
            Framed framed = new Framed(c);
            String line = readLine(c);
            if (line == null) {
                return;
            }
            PipedInputStream keyboard = new PipedInputStream(4096);
            PipedOutputStream feed = new PipedOutputStream(keyboard);
            Thread pump = new Thread(() -> pump(c, feed), "mjpeg-control-input");
            pump.setDaemon(true);
            pump.start();
            int status = run(line, keyboard, framed);
            framed.exit(status);
            pump.interrupt();
        } catch (IOException e) {
            LOG.debug("control socket client: {}", e.toString());
        }
    }

    /** Runs the line in a new Gogo session; unscoped names look in scope mjpeg first ({@code stats cam0}). */
    private int run(String line, InputStream keyboard, Framed framed) {
        PrintStream out = new PrintStream(framed.stream('O'), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(framed.stream('E'), true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(keyboard, out, err)) {
            session.put("SCOPE", "mjpeg:*");
            Object result = session.execute(line);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                out.print(text);
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                    out.println();
                }
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println(message);
            err.flush();
            LOG.debug("control command '{}' failed", line, e);
            return 1;
        }
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (line.size() < MAX_LINE) {
            one.clear();
            if (c.read(one) < 0) {
                return null;
            }
            byte b = one.get(0);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    /** Copies what the client sends after the command line to the command's input, until it closes. */
    private static void pump(SocketChannel c, PipedOutputStream feed) {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        try (feed) {
            while (true) {
                buf.clear();
                int n = c.read(buf);
                if (n < 0) {
                    return;
                }
                feed.write(buf.array(), 0, n);
                feed.flush();
            }
        } catch (IOException e) {
            // the connection or the command ended
        }
    }

    /**
     * Writes frames straight to the channel (not through Channels.newOutputStream, whose lock would make a write
     * wait for the input pump's blocked read).
     */
    private static final class Framed {
        private final SocketChannel channel;

        Framed(SocketChannel channel) {
            this.channel = channel;
        }

        synchronized void frame(char type, byte[] data, int off, int len) throws IOException {
            ByteBuffer header = ByteBuffer.allocate(5).put((byte) type).putInt(len).flip();
            ByteBuffer body = ByteBuffer.wrap(data, off, len);
            while (header.hasRemaining() || body.hasRemaining()) {
                channel.write(new ByteBuffer[] { header, body });
            }
        }

        void frame(char type, byte[] data) throws IOException {
            frame(type, data, 0, data.length);
        }

        void exit(int status) throws IOException {
            frame('X', ByteBuffer.allocate(4).putInt(status).array());
        }

        OutputStream stream(char type) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    frame(type, new byte[] { (byte) b });
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len > 0) {
                        frame(type, b, off, len);
                    }
                }
            };
        }
    }
}
