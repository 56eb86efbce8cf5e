package dev.logcore.app.config;

/** A setting or flag the server cannot start with; the message is one line for the user. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
