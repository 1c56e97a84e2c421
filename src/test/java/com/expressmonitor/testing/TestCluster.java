package com.expressmonitor.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The mini cluster of the end-to-end tests: one TaskManager with two slots, so jobs run at parallelism 2. */
public final class TestCluster {
    private TestCluster() {}

    public static MiniClusterExtension twoSlots() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    }

    /**
     * Every task of the job runs, or has finished (an input that has ended). The job is RUNNING before its tasks
     * are: a stop with a savepoint, or a measurement from the job's first record on, must wait for this.
     */
    public static boolean allTasksRunning(ClusterClient<?> client, JobID job) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(client.getWebInterfaceURL() + "/jobs/" + job)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode vertices = new ObjectMapper().readTree(r.body()).path("vertices");
        if (vertices.isEmpty()) {
            return false;
        }
        for (JsonNode v : vertices) {
            JsonNode tasks = v.path("tasks");
            if (tasks.path("RUNNING").asInt() + tasks.path("FINISHED").asInt() != v.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }
}
