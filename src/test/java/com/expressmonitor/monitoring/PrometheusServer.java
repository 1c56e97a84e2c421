package com.expressmonitor.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code prometheus} process started by a test, and the parts of its HTTP API the tests use. */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts Prometheus with {@code config} (data under {@code dir}) and waits until it is ready. */
    static PrometheusServer start(Path config, Path dir) throws Exception {
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(PrometheusInstalled.binary("prometheus").toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + p.exitValue() + ":\n" + server.log());
            }
            try {
                HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        server.close();
        throw new IllegalStateException("prometheus was not ready within 30 s:\n" + server.log());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** What Prometheus has logged so far, for failure messages. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** GET on the API; returns the {@code data} of a successful answer, or throws with Prometheus's error. */
    JsonNode get(String path, String... params) throws Exception {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            q.append(q.length() == 0 ? "?" : "&").append(params[i]).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path + q))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new PromQlError(path + q + " -> " + r.statusCode() + " " + body.path("errorType").asText() + ": "
                    + body.path("error").asText());
        }
        return body.path("data");
    }

    /** The result of an instant query (a vector, or a scalar as a one-element list). */
    JsonNode query(String expr) throws Exception {
        return get("/api/v1/query", "query", expr).path("result");
    }

    /** The series of a range query from {@code start} to {@code end} (epoch seconds). */
    JsonNode queryRange(String expr, long start, long end, int stepSeconds) throws Exception {
        return get("/api/v1/query_range", "query", expr, "start", String.valueOf(start), "end", String.valueOf(end),
                "step", stepSeconds + "s").path("result");
    }

    /** The values of {@code label} among series matching {@code match} (Grafana's {@code label_values}). */
    List<String> labelValues(String label, String match, long start, long end) throws Exception {
        JsonNode data = get("/api/v1/label/" + label + "/values", "match[]", match, "start", String.valueOf(start),
                "end", String.valueOf(end));
        List<String> values = new ArrayList<>();
        data.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Prometheus refused a query (bad syntax, bad parameters). */
    static final class PromQlError extends Exception {
        PromQlError(String message) {
            super(message);
        }
    }
}
