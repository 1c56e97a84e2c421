package com.expressmonitor.config;

import java.io.Serializable;

/** The yellow and red thresholds of one alert kind, before any peak-season multiplier. */
public record LevelThresholds(double yellow, double red) implements Serializable {}
