package dev.logcore.app.pubsub;

/** Why a client connection ended; the label of the disconnect counter. */
public enum DisconnectReason {
    /** The client closed the connection. */
    CLIENT_CLOSED("client_closed"),
    /** The client sent QUIT. */
    QUIT("quit"),
    /** Unparseable input (Redis's "Protocol error"). */
    PROTOCOL_ERROR("protocol_error"),
    /** The unprocessed input passed max-query-buffer. */
    QUERY_BUFFER_LIMIT("query_buffer_limit"),
    /** A subscriber's pending output reached the hard limit. */
    OUTPUT_HARD_LIMIT("output_buffer_hard_limit"),
    /** A subscriber's pending output stayed over the soft limit too long. */
    OUTPUT_SOFT_LIMIT("output_buffer_soft_limit"),
    /** Refused at connect: max-connections reached. */
    MAX_CONNECTIONS("max_connections"),
    /** Closed by the server's graceful shutdown. */
    SHUTDOWN("shutdown"),
    /** A socket error (connection reset and the like). */
    IO_ERROR("io_error");

    private final String label;

    DisconnectReason(String label) {
        this.label = label;
    }

    /** The metric label. */
    public String label() {
        return label;
    }
}
