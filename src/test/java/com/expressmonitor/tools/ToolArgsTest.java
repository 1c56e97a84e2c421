package com.expressmonitor.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** The key the Kafka tools give a scan record: its waybill, or none for anything that is not a scan's object. */
class ToolArgsTest {
    private static String key(String record) {
        byte[] k = ToolArgs.waybillKey(record.getBytes(StandardCharsets.UTF_8));
        return k == null ? null : new String(k, StandardCharsets.UTF_8);
    }

    @Test
    void theWaybillOfAScanIsItsKey() {
        assertThat(key("{\"eventId\":\"e1\",\"waybillNo\":\"ZT1\",\"x\":{\"waybillNo\":\"no\"},\"y\":[1,2]}"))
                .isEqualTo("ZT1");
        assertThat(key(" {\"waybillNo\" : \"平湖-1\"} ")).isEqualTo("平湖-1");
    }

    @Test
    void recordsThatAreNotOneObjectWithAWaybillHaveNoKey() {
        assertThat(key("{\"eventId\":\"e1\",\"waybillNo\":\"ZT1\"} trailing")).isNull();
        assertThat(key("{\"eventId\":\"e1\",\"waybillNo\":\"ZT1\"")).isNull();
        assertThat(key("{\"waybillNo\":42}")).isNull();
        assertThat(key("{\"x\":{\"waybillNo\":\"ZT1\"}}")).isNull();
        assertThat(key("[\"waybillNo\",\"ZT1\"]")).isNull();
        assertThat(key("")).isNull();
    }
}
