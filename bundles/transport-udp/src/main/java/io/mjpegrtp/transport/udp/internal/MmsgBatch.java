package io.mjpegrtp.transport.udp.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Packets queued in native memory and sent with one {@code sendmmsg(2)} call per batch: Linux only, through JNA's
 * direct mapping (no proxy, and no allocation per call: the arguments are {@code int}s and preallocated
 * {@link Memory}).
 *
 * <p>Each queued packet is one {@code struct mmsghdr} with two {@code iovec}s: the RTP/JPEG header, copied into a
 * slot of native memory, and the payload, which for a direct buffer (mapped capture memory) is the buffer's own
 * memory, referenced, not copied, and for a heap buffer is copied into a native staging area (as the JDK copies a
 * heap buffer into a temporary direct one for every write). The payload memory must stay valid until
 * {@link #send} is done with it: the transport sends a frame's last batch before {@code send(Frame)} returns. Per
 * packet the native memory is written through {@link ByteBuffer} views of it (plain stores and copies, no JNI
 * call); the one JNI call is {@code sendmmsg} per batch.
 *
 * <p>The socket is the transport's connected {@link DatagramChannel}, whose descriptor the JDK does not expose
 * without {@code --add-opens}: {@link #descriptorOf} finds it among the process's descriptors by its local port and
 * its peer. Not thread-safe: one per sending thread.
 */
final class MmsgBatch {
    /** Packets per {@code sendmmsg} call at most (the kernel takes up to 1024; 64 full packets are about 90 KB). */
    static final int MAX_PACKETS = 64;
    /** Room per header: the packetizer's largest is 12 + 8 + 4 + 132 = 156 bytes. */
    static final int HEADER_SLOT = 160;
    /** Native copy of heap payloads of one batch; 64 packets at MTU 1500 need 96 KB. */
    static final int STAGING_BYTES = 256 * 1024;

    /** {@link #add} results. */
    static final int ADDED = 0, FULL = 1, UNSUPPORTED = 2;

    // errno values of Linux's generic table (x86, ARM, RISC-V, PowerPC, s390, LoongArch); see unavailableReason().
    static final int EINTR = 4, EBADF = 9, EAGAIN = 11, ENOTSOCK = 88, ECONNREFUSED = 111;
    private static final short POLLOUT = 4;
    private static final int AF_INET = 2, AF_INET6 = 10;

    // The kernel's layout of struct iovec, struct msghdr and struct mmsghdr for this word size.
    private static final int PTR = Native.POINTER_SIZE, SIZE_T = Native.SIZE_T_SIZE;
    private static final int IOV = PTR + SIZE_T;
    private static final int MSG_IOV = align(PTR + 4, PTR), MSG_IOVLEN = MSG_IOV + PTR;
    private static final int MSGHDR = align(MSG_IOVLEN + 3 * SIZE_T + 4, PTR);
    private static final int MMSGHDR = align(MSGHDR + 4, PTR); // msg_len after the msghdr

    private final Memory messages = zeroed(MAX_PACKETS * MMSGHDR);
    private final Memory iovecs = zeroed(MAX_PACKETS * 2 * IOV);
    private final Memory headers = zeroed(MAX_PACKETS * HEADER_SLOT);
    private final Memory pollfd = zeroed(8);
    // Per packet the native memory is written through these views: plain Java stores and copies, no JNI call.
    private final ByteBuffer iovecView = view(iovecs).order(ByteOrder.nativeOrder());
    private final ByteBuffer headerView = view(headers);
    private final Pointer[] messageAt = new Pointer[MAX_PACKETS];
    private final int[] lengths = new int[MAX_PACKETS];
    private Memory staging; // for heap payloads, made when the first one comes
    private ByteBuffer stagingView;
    private long stagingAddress;
    private int count;
    private int staged;
    private int fd = -1;
    private ByteBuffer lastDirect; // the last direct payload buffer and the address of its index 0
    private long lastDirectAddress;

    MmsgBatch() {
        long iovBase = Pointer.nativeValue(iovecs), headerBase = Pointer.nativeValue(headers);
        for (int i = 0; i < MAX_PACKETS; i++) {
            long m = (long) i * MMSGHDR;
            putWord(messages, m + MSG_IOV, PTR, iovBase + (long) i * 2 * IOV); // msg_name, control stay NULL
            putWord(messages, m + MSG_IOVLEN, SIZE_T, 2);
            putWord(iovecView, i * 2 * IOV, PTR, headerBase + (long) i * HEADER_SLOT);
            messageAt[i] = messages.share(m);
        }
    }

    /**
     * Why this JVM cannot send with {@code sendmmsg}, or {@code null} when it can: checks the system and binds the
     * C library's functions (once, at the first call). A missing JNA shows up as a {@link LinkageError} in the
     * caller, which must not load this class outside a {@code try}.
     */
    static String unavailableReason() {
        return Probe.REASON;
    }

    private static final class Probe {
        static final String REASON = probe();

        private static String probe() {
            String os = System.getProperty("os.name", "");
            if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return "sendmmsg(2) is Linux only (this is " + os + ")";
            }
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            if (arch.startsWith("mips") || arch.startsWith("sparc") || arch.startsWith("alpha")
                    || arch.startsWith("hppa") || arch.startsWith("parisc")) {
                return "the errno numbers of " + arch + " differ from those this code knows";
            }
            try {
                LibC.bind();
                return null;
            } catch (LinkageError | RuntimeException e) {
                return "JNA cannot bind sendmmsg(2) from the C library: " + e;
            }
        }
    }

    /** The C library through JNA's direct mapping. */
    private static final class LibC {
        static native int sendmmsg(int fd, Pointer msgvec, int vlen, int flags);

        static native int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

        static native int getsockname(int fd, Pointer address, Pointer addressLength);

        static native int getpeername(int fd, Pointer address, Pointer addressLength);

        static native String strerror(int errno);

        static void bind() {
            // nothing: the static initializer does the work, and throws where it cannot
        }

        static {
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }
    }

    /** Sends with the socket of this descriptor from now on; -1 for none. */
    void bind(int descriptor) {
        clear();
        fd = descriptor;
    }

    int descriptor() {
        return fd;
    }

    int size() {
        return count;
    }

    boolean isFull() {
        return count == MAX_PACKETS;
    }

    /** The length of queued packet {@code i}, header and payload. */
    int length(int i) {
        return lengths[i];
    }

    /**
     * Queues a packet: copies the header, references a direct payload or copies a heap one. Moves no position.
     *
     * @return {@link #ADDED}; {@link #FULL} when the batch has no room left (send it and add again); or
     *         {@link #UNSUPPORTED} for a packet no batch can take (a header over {@value #HEADER_SLOT} bytes, a heap
     *         payload over {@value #STAGING_BYTES})
     */
    int add(ByteBuffer header, ByteBuffer payload) {
        int h = header.remaining(), n = payload.remaining();
        boolean direct = payload.isDirect();
        if (h > HEADER_SLOT || !direct && n > STAGING_BYTES) {
            return UNSUPPORTED;
        }
        if (count == MAX_PACKETS || !direct && staged + n > STAGING_BYTES) {
            return FULL;
        }
        int i = count;
        headerView.put(i * HEADER_SLOT, header, header.position(), h);
        int iov = i * 2 * IOV;
        putWord(iovecView, iov + PTR, SIZE_T, h);
        long address;
        if (direct) {
            if (payload != lastDirect) { // one lookup per buffer object: the packetizer reuses its view
                lastDirectAddress = Pointer.nativeValue(Native.getDirectBufferPointer(payload));
                lastDirect = payload;
            }
            address = lastDirectAddress + payload.position();
        } else {
            if (staging == null) {
                staging = new Memory(STAGING_BYTES);
                stagingView = view(staging);
                stagingAddress = Pointer.nativeValue(staging);
            }
            stagingView.put(staged, payload, payload.position(), n);
            address = stagingAddress + staged;
            staged += n;
        }
        putWord(iovecView, iov + IOV, PTR, address);
        putWord(iovecView, iov + IOV + PTR, SIZE_T, n);
        lengths[i] = h + n;
        count++;
        return ADDED;
    }

    /**
     * One {@code sendmmsg} call for queued packets {@code from} to {@code from + vlen - 1}, repeated when a signal
     * interrupts it or (on a non-blocking socket) once when the send buffer is full.
     *
     * @return the number of packets sent, which is less than {@code vlen} when the packet after them failed
     *         ({@code sendmmsg} then does not say why); or {@code -errno} when packet {@code from} failed
     */
    int send(int from, int vlen) {
        boolean waited = false;
        for (;;) {
            int r = LibC.sendmmsg(fd, messageAt[from], vlen, 0);
            if (r >= 0) {
                return r;
            }
            int errno = Native.getLastError();
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN && !waited) {
                waited = true;
                pollfd.setInt(0, fd);
                pollfd.setShort(4, POLLOUT);
                pollfd.setShort(6, (short) 0);
                LibC.poll(pollfd, new NativeLong(1), 1000); // not on the normal path: the socket blocks
                continue;
            }
            return -errno;
        }
    }

    /** Forgets the queued packets (after they were sent or counted as failed). */
    void clear() {
        count = 0;
        staged = 0;
    }

    /** The C library's text for an error number, as the JDK puts it in an {@link IOException}. */
    static String describe(int errno) {
        String s = LibC.strerror(errno);
        return s == null ? "error " + errno : s;
    }

    /**
     * The descriptor of a bound and connected channel's socket: the one socket of this process with the channel's
     * local port and peer. The JDK keeps the number in a field of a class of its own (sun.nio.ch) that
     * reflection may read only with {@code --add-opens java.base/sun.nio.ch}; this look-up needs no such option and
     * no JDK internals. It costs one {@code getsockname} per open descriptor, once per socket.
     *
     * @throws IOException when no socket or more than one matches, or /proc/self/fd cannot be read
     */
    static int descriptorOf(DatagramChannel channel) throws IOException {
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
        if (local == null || peer == null) {
            throw new IOException("the channel is not bound and connected");
        }
        byte[] peerAddress = peer.getAddress().getAddress();
        Memory address = zeroed(128), length = zeroed(4);
        int found = -1;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                int candidate;
                try {
                    candidate = Integer.parseInt(p.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (matches(candidate, address, length, local.getPort(), false, null)
                        && matches(candidate, address, length, peer.getPort(), true, peerAddress)) {
                    if (found >= 0) {
                        throw new IOException("descriptors " + found + " and " + candidate + " both are a socket from "
                                + local + " to " + peer);
                    }
                    found = candidate;
                }
            }
        }
        if (found < 0) {
            throw new IOException("no socket from port " + local.getPort() + " to " + peer + " in /proc/self/fd");
        }
        return found;
    }

    /**
     * Whether the socket's own (or its peer's) address has this port and (when given) these address bytes; an IPv4
     * address also matches its IPv4-mapped IPv6 form (a dual-stack socket).
     */
    private static boolean matches(int fd, Memory address, Memory length, int port, boolean peer, byte[] bytes) {
        length.setInt(0, (int) address.size());
        int r = peer ? LibC.getpeername(fd, address, length) : LibC.getsockname(fd, address, length);
        int family = address.getShort(0) & 0xFFFF;
        if (r != 0 || family != AF_INET && family != AF_INET6) {
            return false; // not a socket, not connected, or not an IP one
        }
        int p = (address.getByte(2) & 0xFF) << 8 | address.getByte(3) & 0xFF;
        if (p != port) {
            return false;
        }
        if (bytes == null) {
            return true;
        }
        if (family == AF_INET) {
            return bytes.length == 4 && Arrays.equals(address.getByteArray(4, 4), bytes);
        }
        byte[] v6 = address.getByteArray(8, 16);
        if (bytes.length == 16) {
            return Arrays.equals(v6, bytes);
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return Arrays.equals(v6, mapped);
    }

    private static Memory zeroed(int size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }

    private static ByteBuffer view(Memory m) {
        return m.getByteBuffer(0, m.size());
    }

    private static void putWord(ByteBuffer b, int index, int size, long value) {
        if (size == 8) {
            b.putLong(index, value);
        } else {
            b.putInt(index, (int) value);
        }
    }

    private static void putWord(Memory m, long offset, int size, long value) {
        if (size == 8) {
            m.setLong(offset, value);
        } else {
            m.setInt(offset, (int) value);
        }
    }

    private static int align(int offset, int to) {
        return (offset + to - 1) / to * to;
    }
}
