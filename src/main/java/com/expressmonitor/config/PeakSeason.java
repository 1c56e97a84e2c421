package com.expressmonitor.config;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * A peak season: inclusive dates, either every year ({@code MM-dd}) or fixed ({@code yyyy-MM-dd}), possibly
 * wrapping the new year.
 *
 * @param yearly true for the {@code MM-dd} form; then only month and day of {@code from}/{@code to} count
 */
public record PeakSeason(String name, LocalDate from, LocalDate to, boolean yearly, double thresholdMultiplier)
        implements Serializable {

    /** Whether a window starting on local date {@code date} is in this season. */
    public boolean contains(LocalDate date) {
        if (!yearly) {
            return !date.isBefore(from) && !date.isAfter(to);
        }
        int d = date.getMonthValue() * 100 + date.getDayOfMonth();
        int f = from.getMonthValue() * 100 + from.getDayOfMonth();
        int t = to.getMonthValue() * 100 + to.getDayOfMonth();
        return f <= t ? d >= f && d <= t : d >= f || d <= t;
    }
}
