package io.mjpegrtp.capture.file.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.FrameSink;

import java.util.LinkedHashSet;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays JPEG pictures from disk at the configured frame rate, looping: for tests, demos and reproducing a problem
 * with recorded frames. Pictures go out as they are; width, height, quality and flip are not applied.
 */
@Component(property = CaptureBackend.PROPERTY + "=file")
public final class FileBackend implements CaptureBackend {
    /** Everything is held in memory; past this a clear error beats an OutOfMemoryError. */
    static final long MAX_BYTES = 512L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(FileBackend.class);

    private final long maxBytes;

    public FileBackend() {
        this(MAX_BYTES);
    }

    FileBackend(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public Availability availability() {
        return Availability.yes("replays .jpg files, folders of them and .mjpeg files");
    }

    @Override
    public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
        if (request.framerate() < 1 || request.framerate() > 1000) {
            throw new CaptureException("file backend: framerate " + request.framerate()
                    + " is not supported; it must be 1..1000");
        }
        PictureLoader.Loaded loaded = new PictureLoader(maxBytes).load(request.device());
        long good = loaded.good();
        long bad = loaded.pictures().size() - good;
        LOG.info("file: camera {} replays {} picture{} ({}) from {} at {} fps, looping{}", request.camera(), good,
                good == 1 ? "" : "s", PictureLoader.size(loaded.bytes()), loaded.path(), request.framerate(),
                bad == 0 ? "" : "; " + bad + " not valid and skipped");
        if (loaded.skippedBytes() > 0) {
            LOG.info("file: camera {}: {} bytes between pictures in {} are not part of any picture and are skipped",
                    request.camera(), loaded.skippedBytes(), loaded.path());
        }
        logSizeMismatch(request, loaded);
        FileCapture capture = new FileCapture(request.camera(), loaded.pictures(), request.framerate(), sink);
        capture.start();
        return capture;
    }

    private static void logSizeMismatch(CaptureRequest request, PictureLoader.Loaded loaded) {
        Set<String> sizes = new LinkedHashSet<>();
        boolean differs = false;
        for (Picture p : loaded.pictures()) {
            if (p.isGood()) {
                sizes.add(p.width() + "x" + p.height());
                differs |= p.width() != request.width() || p.height() != request.height();
            }
        }
        if (differs) {
            String list = sizes.size() <= 3 ? String.join(", ", sizes)
                    : String.join(", ", sizes.stream().limit(3).toList()) + " and " + (sizes.size() - 3) + " more";
            LOG.info("file: camera {}: pictures are {}, configured {}x{}; replay sends them as they are "
                    + "(width, height, quality and flip are not applied)", request.camera(), list, request.width(),
                    request.height());
        }
    }
}
