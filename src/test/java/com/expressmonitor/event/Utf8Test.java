package com.expressmonitor.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

class Utf8Test {
    /** The JDK's strict decoder: well-formed UTF-8 or not (it rejects overlong forms, surrogates, values past U+10FFFF). */
    private static boolean decodes(byte[] b, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheStrictDecoderOnEveryPositionOfMostlyAsciiText() {
        Random random = new Random(7);
        byte[][] pieces = {
            "a".getBytes(StandardCharsets.UTF_8), "平湖市".getBytes(StandardCharsets.UTF_8),
            "😀".getBytes(StandardCharsets.UTF_8), {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE5}, {(byte) 0x80}, {(byte) 0xFF}};
        for (int run = 0; run < 20_000; run++) {
            ByteBuffer text = ByteBuffer.allocate(256);
            int ascii = random.nextInt(40);
            for (int i = 0; i < ascii; i++) {
                text.put((byte) (' ' + random.nextInt(95)));
            }
            if (random.nextInt(3) > 0) {
                text.put(pieces[random.nextInt(pieces.length)]);
            }
            for (int i = random.nextInt(20); i > 0; i--) {
                text.put((byte) ('a' + random.nextInt(26)));
            }
            byte[] b = new byte[text.position()];
            text.flip().get(b);
            int off = b.length == 0 ? 0 : random.nextInt(b.length);
            int len = random.nextInt(b.length - off + 1);
            assertThat(Utf8.isValid(b, off, len)).as("bytes %s from %d, %d long", java.util.Arrays.toString(b), off, len)
                    .isEqualTo(decodes(b, off, len));
            assertThat(Utf8.isValid(b)).isEqualTo(decodes(b, 0, b.length));
        }
    }
}
