/**
 * RTP/JPEG (RFC 2435): {@link io.mjpegrtp.rtp.RtpJpegPacketizer} cuts a parsed JPEG into packets handed to
 * a {@link io.mjpegrtp.rtp.PacketSink} without copying the picture, {@link io.mjpegrtp.rtp.RtpJpegDepacketizer}
 * rebuilds JPEG files from such packets (a receiver of our own), {@link io.mjpegrtp.rtp.RtpClock} makes
 * 90 kHz timestamps from capture times, and {@link io.mjpegrtp.rtp.SessionDescription} writes the SDP a
 * receiver opens.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.mjpegrtp.rtp;
