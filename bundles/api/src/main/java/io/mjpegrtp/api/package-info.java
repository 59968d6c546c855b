/**
 * The service provider interfaces of mjpeg-rtp: a {@link io.mjpegrtp.api.CaptureBackend} produces
 * {@link io.mjpegrtp.api.Frame}s for a camera, a {@link io.mjpegrtp.api.TransportFactory} opens a
 * {@link io.mjpegrtp.api.Transport} per camera that puts them on the wire, and each running camera is
 * visible as a {@link io.mjpegrtp.api.Camera} service with its {@link io.mjpegrtp.api.CameraCounters}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.mjpegrtp.api;
