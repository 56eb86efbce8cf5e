package dev.logcore.app;

import io.vertx.core.transport.Transport;

/**
 * Picks Vert.x's network transport: io_uring (netty-transport-native-io_uring) when the kernel
 * allows it, NIO otherwise. {@code auto} falls back to NIO with the reason in the log; asking for
 * io_uring by name where it cannot run is an error, as for the disk backend.
 *
 * @param transport the transport to build Vert.x with
 * @param reason why, for the log
 */
record NetTransport(Transport transport, String reason) {

    static NetTransport choose(String setting) throws IllegalStateException {
        Transport uring = Transport.IO_URING;
        String unavailable = uring == null ? "netty-transport-native-io_uring is not on the class path"
                : uring.available() ? null
                : String.valueOf(rootCause(uring.unavailabilityCause()));
        return switch (setting) {
            case "nio" -> new NetTransport(Transport.NIO, "asked for by name");
            case "io_uring" -> {
                if (unavailable != null) {
                    throw new IllegalStateException("transport io_uring is not available: " + unavailable);
                }
                yield new NetTransport(uring, "asked for by name");
            }
            default -> unavailable == null
                    ? new NetTransport(uring, "auto: the kernel allows io_uring")
                    : new NetTransport(Transport.NIO, "auto: io_uring is not available (" + unavailable + ")");
        };
    }

    private static Throwable rootCause(Throwable t) {
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
