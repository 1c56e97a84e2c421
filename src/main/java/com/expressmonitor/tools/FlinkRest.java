package com.expressmonitor.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A small client of a Flink cluster's REST API (the one the web UI uses), for the operator commands of
 * {@link FlinkJobs}. Every refusal becomes a {@link Refused} carrying the server's own message.
 */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http;

    FlinkRest(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    String base() {
        return base;
    }

    /** The cluster answered with an error, or did not answer; the message is the server's own where there is one. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    JsonNode get(String path) throws Refused {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode post(String path, JsonNode body) throws Refused {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    JsonNode patch(String path) throws Refused {
        return send(HttpRequest.newBuilder(uri(path)).method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode delete(String path) throws Refused {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** Uploads a jar (multipart form field {@code jarfile}); returns the id the cluster gave it. */
    String uploadJar(Path jar) throws Refused {
        String boundary = "----express-monitor-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                    + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Refused("cannot read the job jar " + jar + ": " + e.getMessage());
        }
        JsonNode answer = send(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText("");
        return file.substring(file.lastIndexOf('/') + 1);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private JsonNode send(HttpRequest.Builder request) throws Refused {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new Refused("no Flink cluster answers at " + base + "; start one (jobs/flink-cluster.sh start) or "
                    + "set FLINK_REST to its REST address");
        } catch (IOException e) {
            throw new Refused("the Flink cluster at " + base + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
        JsonNode json;
        try {
            json = response.body().isBlank() ? object() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (response.statusCode() >= 400) {
            throw new Refused(json == null ? "HTTP " + response.statusCode() + ": " + response.body()
                    : serverMessage(json, "HTTP " + response.statusCode()));
        }
        if (json == null) {
            throw new Refused("the cluster's answer is not JSON: " + response.body());
        }
        return json;
    }

    /**
     * The meaningful part of a REST error: Flink answers {@code {"errors": [...]}} whose entries may be whole stack
     * traces; the innermost {@code Caused by:} line, or the first line, says what went wrong.
     */
    static String serverMessage(JsonNode json, String fallback) {
        JsonNode errors = json.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return fallback;
        }
        StringBuilder all = new StringBuilder();
        for (JsonNode e : errors) {
            all.append(e.asText()).append('\n');
        }
        return innermostCause(all.toString());
    }

    /** The innermost {@code Caused by:} of a stack trace's text without the exception's class, or its first line. */
    static String innermostCause(String trace) {
        String best = null;
        for (String line : trace.split("\n")) {
            String t = line.strip();
            if (t.startsWith("Caused by: ")) {
                best = t.substring("Caused by: ".length());
            }
        }
        if (best == null) {
            String first = trace.strip().split("\n", 2)[0];
            return first.isEmpty() ? "no message" : withoutClassName(first);
        }
        return withoutClassName(best);
    }

    private static String withoutClassName(String line) {
        // "org.example.SomeException: what happened" -> "what happened"; a line without a class name stays.
        int colon = line.indexOf(": ");
        if (colon > 0 && line.substring(0, colon).matches("([a-z_][\\w]*\\.)+[A-Z][\\w$]*|[\\w.$]+(Exception|Error)")) {
            String rest = line.substring(colon + 2).strip();
            return rest.isEmpty() ? line : rest;
        }
        return line;
    }
}
