package com.expressmonitor.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The versions of the alert rules an alert subtask knows, and which of them a window uses: the highest version whose
 * {@link RuleVersion#effectiveFrom} is at or before the window's start. Versions only take effect later than the ones
 * before them (the coordinator sees to it), so the choice depends on the window alone, never on when the version
 * arrived: every subtask, every run and every parallelism choose alike.
 */
public final class RuleHistory {
    private final List<RuleVersion> versions;

    private RuleHistory(List<RuleVersion> versions) {
        this.versions = versions;
    }

    /** The history of the given versions, in any order. */
    public static RuleHistory of(Iterable<RuleVersion> versions) {
        List<RuleVersion> sorted = new ArrayList<>();
        versions.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(v -> v.version));
        return new RuleHistory(sorted);
    }

    public boolean isEmpty() {
        return versions.isEmpty();
    }

    /** The version a window starting at {@code windowStart} uses, or null when none applies yet. */
    public RuleVersion inForce(long windowStart) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).effectiveFrom <= windowStart) {
                return versions.get(i);
            }
        }
        return null;
    }

    /**
     * The versions no window starting at or after {@code earliestWindowStart} can use: those before the newest
     * version in effect at that instant. They can be dropped once no window before that instant is left to evaluate.
     */
    public List<Long> supersededBefore(long earliestWindowStart) {
        List<Long> superseded = new ArrayList<>();
        RuleVersion current = inForce(earliestWindowStart);
        if (current == null) {
            return superseded;
        }
        for (RuleVersion v : versions) {
            if (v.version < current.version) {
                superseded.add(v.version);
            }
        }
        return superseded;
    }

    /** The newest version, or null. */
    public RuleVersion newest() {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    public List<RuleVersion> versions() {
        return List.copyOf(versions);
    }
}
