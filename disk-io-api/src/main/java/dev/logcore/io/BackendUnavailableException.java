package dev.logcore.io;

/**
 * The selected backend cannot be used: no provider has that name, or its probe said it is
 * unavailable here. The message is one line that says which and why, fit to print at start-up.
 * There is never a silent fallback to another provider.
 */
public class BackendUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
