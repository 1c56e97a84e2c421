package com.expressmonitor.config;

import java.io.Serializable;

/**
 * The thresholds of the three alert kinds for one facility type.
 *
 * @param surge ratios of the district's hourly capacity
 */
public record AlertThresholds(LevelThresholds backlog, LevelThresholds stuck, LevelThresholds surge)
        implements Serializable {}
