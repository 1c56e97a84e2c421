package com.expressmonitor.alert;

/** The rules coordinator's checkpointed state: the rules in force and what it has done with the file's. */
public class RulesInForce {
    public long version;
    /** Canonical JSON of the rules. */
    public String rules;
    /** When this version took effect (see {@link RuleVersion#effectiveFrom}). */
    public long effectiveFrom;
    /** The job that last put the configuration file's rules back in force on request, or null. */
    public String resetByJob;

    public RulesInForce() {}

    public RulesInForce(long version, String rules, long effectiveFrom, String resetByJob) {
        this.version = version;
        this.rules = rules;
        this.effectiveFrom = effectiveFrom;
        this.resetByJob = resetByJob;
    }
}
