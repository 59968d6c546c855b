/**
 * GStreamer for capture backends: initialised once per JVM by this bundle, it reports which elements are
 * installed, lists what a source element offers, and runs a pipeline description ending in {@code appsink name=sink},
 * handing each sample's buffer to a {@link io.mjpegrtp.api.FrameSink} without copying. 1.1 added
 * {@link io.mjpegrtp.gstreamer.GStreamer#sourceCaps}, {@link io.mjpegrtp.gstreamer.JpegEncoder} and the shared encode
 * tail in {@link io.mjpegrtp.gstreamer.Pipelines}. The bundle also exports gst1-java-core's packages
 * ({@code org.freedesktop.gstreamer.*}, version 1.4.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.mjpegrtp.gstreamer;
