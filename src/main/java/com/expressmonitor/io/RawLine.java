package com.expressmonitor.io;

/** One non-blank line of a replay file, before parsing: its bytes and where it stands. */
public final class RawLine {
    final byte[] bytes;
    final int length;
    final String partition;
    final long lineNumber;

    RawLine(byte[] bytes, int length, String partition, long lineNumber) {
        this.bytes = bytes;
        this.length = length;
        this.partition = partition;
        this.lineNumber = lineNumber;
    }
}
