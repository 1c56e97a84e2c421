package com.expressmonitor.io;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

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

    /**
     * Reads the file's lines as bytes, skipping blank ones, counting every line for the line numbers. It reads the
     * file a block at a time and finds the line ends in the block (a stream read per byte costs more than all the
     * rest of a replay's reading and parsing together).
     */
    public static final class LineIterator implements Iterator<RawLine> {
        private static final byte[] END = new byte[0];

        private final ReplayFileSplit split;
        private final String partition;
        private InputStream in;
        private boolean finished;
        private RawLine next;
        private long lineNumber;
        /** The block read from the file, its bytes {@code [pos, limit)} not yet taken. */
        private final byte[] block = new byte[1 << 16];
        private int pos;
        private int limit;
        private boolean endOfFile;
        /** A line that goes on past the end of the block, collected here. */
        private byte[] partial = new byte[1024];

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
                    in = FileSystem.get(p.toUri()).open(p);
                    while (lineNumber < split.linesRead() && readLine() != END) {
                        lineNumber++;
                    }
                }
                while (true) {
                    byte[] line = readLine();
                    if (line == END) {
                        close();
                        return false;
                    }
                    lineNumber++;
                    int len = line.length;
                    if (len > 0 && line[len - 1] == '\r') {
                        len--; // CRLF line endings
                    }
                    if (!isBlank(line, len)) {
                        next = new RawLine(line, len, partition, lineNumber);
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

        /** The next line, without its line feed, as an array of its own; {@link #END} after the last line. */
        private byte[] readLine() throws IOException {
            int collected = 0;
            while (true) {
                if (pos == limit && !fill()) {
                    return collected == 0 ? END : java.util.Arrays.copyOf(partial, collected);
                }
                int end = pos;
                while (end < limit && block[end] != '\n') {
                    end++;
                }
                if (end < limit && collected == 0) {
                    byte[] line = java.util.Arrays.copyOfRange(block, pos, end); // the usual case: within the block
                    pos = end + 1;
                    return line;
                }
                int n = end - pos;
                if (collected + n > partial.length) {
                    partial = java.util.Arrays.copyOf(partial, Math.max(partial.length * 2, collected + n));
                }
                System.arraycopy(block, pos, partial, collected, n);
                collected += n;
                if (end < limit) {
                    pos = end + 1;
                    return java.util.Arrays.copyOf(partial, collected);
                }
                pos = limit;
            }
        }

        /** Reads the next block; false at the end of the file. */
        private boolean fill() throws IOException {
            if (endOfFile) {
                return false;
            }
            int read = in.read(block, 0, block.length);
            if (read <= 0) {
                endOfFile = true;
                pos = limit = 0;
                return false;
            }
            pos = 0;
            limit = read;
            return true;
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
