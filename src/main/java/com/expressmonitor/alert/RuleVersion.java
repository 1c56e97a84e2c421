package com.expressmonitor.alert;

import java.util.Objects;

/**
 * One version of the alert rules with the windows it applies to, as the rules coordinator broadcasts it to every
 * subtask of the alert operator and as that operator keeps it in its broadcast state.
 *
 * <p>The rules travel as their canonical JSON ({@link com.expressmonitor.config.Rules#json()}): text in the shape of
 * the configuration, readable in a savepoint and unaffected by changes of the classes that hold them once read.
 */
public class RuleVersion {
    /** 0 for the rules of the configuration file a job started with; each applied update has a higher one. */
    public long version;
    /**
     * The windows that start at or after this instant (epoch ms) use these rules, until a later version takes over;
     * {@link Long#MIN_VALUE}: every window not evaluated yet.
     */
    public long effectiveFrom;
    /** The rules as canonical JSON. */
    public String rules;

    public RuleVersion() {}

    public RuleVersion(long version, long effectiveFrom, String rules) {
        this.version = version;
        this.effectiveFrom = effectiveFrom;
        this.rules = rules;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleVersion v && v.version == version && v.effectiveFrom == effectiveFrom
                && Objects.equals(v.rules, rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, effectiveFrom, rules);
    }

    @Override
    public String toString() {
        return "RuleVersion{version=" + version + ", effectiveFrom=" + effectiveFrom + "}";
    }
}
