package com.expressmonitor.io;

/**
 * Something a user can put right, found before the job starts (an input that is not there, an output folder that
 * cannot be used, a Kafka cluster that cannot be reached): the message is the whole sentence shown, naming the
 * thing and what to do; {@code exitCode} is 2 for a bad command line or configuration, 1 otherwise.
 */
public class StartupCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public StartupCheckException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public StartupCheckException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
