package com.expressmonitor.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The generator is deterministic and a checkpointed share resumes exactly where it stopped. */
class GeneratorSplitTest {
    @Test
    void restoredShareContinuesWithTheSameRecords() throws Exception {
        GeneratorSplit split = new GeneratorSplit(NetworkModel.demo(), 1, 2, 5, 200, "2026-11-11", 8 * 3600, 0);
        GeneratorSplit.Records all = split.getIterator();
        List<String> everything = new ArrayList<>();
        all.forEachRemaining(b -> everything.add(new String(b)));
        assertThat(everything).hasSizeGreaterThan(700);

        GeneratorSplit.Records first = split.getIterator();
        for (int i = 0; i < 300; i++) {
            first.next();
        }
        GeneratorSplit checkpointed = (GeneratorSplit) split.getUpdatedSplitForIterator(first);
        GeneratorSplit restored = GeneratorSource.CODEC.deserialize(1, GeneratorSource.CODEC.serialize(checkpointed));
        assertThat(restored).isEqualTo(checkpointed);
        List<String> rest = new ArrayList<>();
        restored.getIterator().forEachRemaining(b -> rest.add(new String(b)));
        assertThat(rest).isEqualTo(everything.subList(300, everything.size()));
    }

    @Test
    void networkComesFromTheConfiguredDistricts() {
        NetworkModel demo = NetworkModel.demo();
        assertThat(demo.districts()).hasSize(22);
        assertThat(demo.congestedDistrict()).isEqualTo("330482");
        assertThat(demo.districts().get(0)).isEqualTo(new NetworkModel.District("330482", "平湖市", 3.0, 8));
        assertThat(Arrays.asList(demo.districts().stream().mapToInt(NetworkModel.District::stations).min().getAsInt(),
                demo.districts().stream().mapToInt(NetworkModel.District::stations).max().getAsInt()))
                .containsExactly(4, 8);
    }
}
