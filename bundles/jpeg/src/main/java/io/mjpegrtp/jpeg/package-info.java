/**
 * Validation of JPEG frames for RTP/JPEG (RFC 2435): {@link io.mjpegrtp.jpeg.JpegParser} checks that a
 * JPEG can be carried as is and reports what the packetizer needs in a reusable
 * {@link io.mjpegrtp.jpeg.JpegInfo}; {@link io.mjpegrtp.jpeg.JpegRecoder} losslessly re-codes a JPEG the
 * parser rejects as recodable (other Huffman tables, another form of 4:2:2, grayscale) into one it accepts;
 * {@link io.mjpegrtp.jpeg.JpegStreamSplitter} cuts a concatenation of
 * JPEG files (an {@code .mjpeg} file) into pictures.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.mjpegrtp.jpeg;
