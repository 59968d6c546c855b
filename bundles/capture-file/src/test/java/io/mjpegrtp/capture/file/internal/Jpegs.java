package io.mjpegrtp.capture.file.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Test pictures made with the JDK's own JPEG writer (baseline JFIF 4:2:0 unless asked otherwise). */
final class Jpegs {
    private Jpegs() {
    }

    static byte[] picture(int width, int height, int seed) {
        return write(image(width, height, seed), false);
    }

    static byte[] progressive(int width, int height) {
        return write(image(width, height, 1), true);
    }

    private static BufferedImage image(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x * 7 + seed * 40) & 0xFF) << 16 | ((y * 5 + seed * 90) & 0xFF) << 8
                        | ((x ^ y) * seed & 0xFF));
            }
        }
        return image;
    }

    private static byte[] write(BufferedImage image, boolean progressive) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                ImageWriteParam param = writer.getDefaultWriteParam();
                if (progressive) {
                    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                }
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The picture with an EXIF APP1 segment right after SOI holding a whole thumbnail JPEG (its own SOI ... EOI),
     * laid out as a camera does: TIFF header, empty IFD0, IFD1 pointing at the thumbnail.
     */
    static byte[] withExifThumbnail(byte[] jpeg, byte[] thumbnail) {
        ByteBuffer tiff = ByteBuffer.allocate(44 + thumbnail.length);
        tiff.put(new byte[] { 'M', 'M', 0, 42 }).putInt(8);
        tiff.putShort((short) 0).putInt(14); // IFD0: no entries, IFD1 follows
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0201).putShort((short) 4).putInt(1).putInt(44); // JPEGInterchangeFormat
        tiff.putShort((short) 0x0202).putShort((short) 4).putInt(1).putInt(thumbnail.length); // ...Length
        tiff.putInt(0);
        tiff.put(thumbnail);
        byte[] exif = "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int length = 2 + exif.length + tiff.capacity();
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exif).put(tiff.array());
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The picture cut in the middle of its scan. */
    static byte[] truncated(byte[] jpeg) {
        return java.util.Arrays.copyOf(jpeg, jpeg.length - jpeg.length / 3);
    }
}
