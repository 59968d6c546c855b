package io.mjpegrtp.jpeg;

/**
 * A JPEG that is malformed or cannot be carried by RFC 2435 as is. The message is one line naming what
 * was wrong and, where it applies, what is accepted.
 *
 * <p>{@link #recodable()} tells whether {@link JpegRecoder} may turn the picture into one that can be
 * carried, so a sender only pays for re-coding when it can help.
 */
public class JpegFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean recodable;

    /** @param message one line: what was wrong and what is accepted */
    public JpegFormatException(String message) {
        this(message, false);
    }

    JpegFormatException(String message, boolean recodable) {
        super(message);
        this.recodable = recodable;
    }

    /**
     * @return true when {@link JpegParser} found only problems that {@link JpegRecoder#recode} fixes
     *     losslessly (non-standard Huffman tables, 4:2:2 content in another sampling layout, grayscale);
     *     the re-coder may still reject the picture for what the parser does not check (corrupt
     *     entropy-coded data). Always false for the re-coder's own exceptions.
     */
    public boolean recodable() {
        return recodable;
    }
}
