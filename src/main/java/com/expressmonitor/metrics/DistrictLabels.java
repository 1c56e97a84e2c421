package com.expressmonitor.metrics;

import java.util.HashSet;
import java.util.Set;

/**
 * Decides the {@code district} label of one subtask's per-district gauges so that their number stays bounded
 * whatever codes the input carries: a district of the configuration always gets its own label, the first
 * {@code maxOthers} other codes this subtask sees get theirs, and every further code is published as
 * {@value #OTHER}.
 *
 * <p>Validation lets any six-digit code through, so a feed with bad codes would otherwise add series without end.
 * The choice is made once per code and run of the subtask and never changes within it (a gauge, once registered,
 * stays). Used from the task thread only.
 */
public final class DistrictLabels {
    /** The label value under which districts beyond the bound are published together. */
    public static final String OTHER = "other";
    /** Districts outside the configuration that get their own label, per subtask. */
    public static final int MAX_OTHERS = 50;

    private final Set<String> configured;
    private final int maxOthers;
    private final Set<String> others = new HashSet<>();

    public DistrictLabels(Set<String> configured, int maxOthers) {
        this.configured = Set.copyOf(configured);
        this.maxOthers = maxOthers;
    }

    /** The label value of {@code district}: the code itself, or {@value #OTHER} once the bound is reached. */
    public String labelOf(String district) {
        if (configured.contains(district) || others.contains(district)) {
            return district;
        }
        if (others.size() < maxOthers) {
            others.add(district);
            return district;
        }
        return OTHER;
    }

    /** True when {@code district} is published under {@value #OTHER} (deciding its label if not yet done). */
    public boolean isOther(String district) {
        return OTHER.equals(labelOf(district));
    }
}
