package com.expressmonitor.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** What a tool wrote to standard error while it ran, for the tests of its one-line messages. */
public final class StandardError {
    private StandardError() {}

    /** The value {@code body} returned and what it wrote to standard error. */
    public record Captured<T>(T value, String err) {}

    /** Runs {@code body} with standard error captured; standard error is restored however it ends. */
    public static <T> Captured<T> capture(Callable<T> body) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            T value = body.call();
            return new Captured<>(value, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }
}
