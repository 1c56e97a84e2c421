package com.expressmonitor.io;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One replay file, an input partition of its own, and how many of its lines were already read (for checkpoints).
 *
 * @param name the file name used in {@code file:NAME:LINE} sources
 */
public record ReplayFileSplit(String path, String name, long linesRead)
        implements SourceSplit, java.io.Serializable {

    @Override
    public String splitId() {
        return path;
    }

    /** Opens the file (lazily, on the first read) past the lines already read. */
    public LineIterator getIterator() {
        return new LineIterator(this);
    }

    /** The same file, to be resumed after its first {@code lines} lines (a checkpoint's position). */
    public ReplayFileSplit after(long lines) {
        return new ReplayFileSplit(path, name, lines);
    }

    /** Reads the file's lines as bytes, skipping blank ones, counting every line for the line numbers. */
    public static final class LineIterator implements Iterator<RawLine> {
        private final ReplayFileSplit split;
        private final String partition;
        private InputStream in;
        private boolean finished;
        private RawLine next;
        private long lineNumber;
        private byte[] buffer = new byte[1024];

        LineIterator(ReplayFileSplit split) {
            this.split = split;
            this.partition = "file:" + split.name() + ":";
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            try {
                if (in == null) {
                    Path p = new Path(split.path());
                    FSDataInputStream raw = FileSystem.get(p.toUri()).open(p);
                    in = new BufferedInputStream(raw, 1 << 16);
                    while (lineNumber < split.linesRead() && readLine() >= 0) {
                        lineNumber++;
                    }
                }
                while (true) {
                    int len = readLine();
                    if (len < 0) {
                        close();
                        return false;
                    }
                    lineNumber++;
                    if (len > 0 && buffer[len - 1] == '\r') {
                        len--; // CRLF line endings
                    }
                    if (!isBlank(buffer, len)) {
                        byte[] copy = new byte[len];
                        System.arraycopy(buffer, 0, copy, 0, len);
                        next = new RawLine(copy, len, partition, lineNumber);
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read replay file " + split.path(), e);
            }
        }

        @Override
        public RawLine next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RawLine r = next;
            next = null;
            return r;
        }

        /** Closes the file (also done when the last line has been read). */
        public void close() {
            finished = true;
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    // nothing left to read from it anyway
                }
                in = null;
            }
        }

        /** Reads one line into the buffer; returns its length without the newline, or -1 at the end of the file. */
        private int readLine() throws IOException {
            int len = 0;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    return len;
                }
                if (len == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                buffer[len++] = (byte) b;
            }
            return len == 0 ? -1 : len;
        }

        private static boolean isBlank(byte[] b, int len) {
            for (int i = 0; i < len; i++) {
                if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                    return false;
                }
            }
            return true;
        }
    }
}
