package com.expressmonitor.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** The line of a cluster's error answer that says what went wrong. */
class FlinkRestTest {
    @Test
    void theInnermostCauseWithoutItsClassName() throws Exception {
        String body = "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute "
                + "application.\\n\\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1"
                + "(JarRunHandler.java:123)\\nCaused by: org.apache.flink.client.program.ProgramInvocationException: The "
                + "main method caused an error: configuration key 'window.size': must divide 24 hours\\n\\tat x.y(Z.java:1)\\n"
                + "Caused by: com.expressmonitor.job.ExpressTrafficMonitor$Refused: configuration key 'window.size': must "
                + "divide 24 hours\\n\\t... 12 more\\n\"]}";
        assertThat(FlinkRest.serverMessage(new ObjectMapper().readTree(body), "HTTP 500"))
                .isEqualTo("configuration key 'window.size': must divide 24 hours");
    }

    @Test
    void aMessageWithoutStackTraceStaysAsItIs() throws Exception {
        assertThat(FlinkRest.serverMessage(new ObjectMapper().readTree("{\"errors\":[\"Job not found: 42\"]}"), "HTTP 404"))
                .isEqualTo("Job not found: 42");
        assertThat(FlinkRest.serverMessage(new ObjectMapper().readTree("{}"), "HTTP 404")).isEqualTo("HTTP 404");
    }
}
