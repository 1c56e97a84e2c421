package com.expressmonitor.io;

import com.expressmonitor.alert.Alert;
import com.expressmonitor.alert.RuleResult;
import com.expressmonitor.config.LocalTimes;
import com.expressmonitor.district.DistrictMetrics;
import com.expressmonitor.event.DeadLetter;
import com.expressmonitor.event.LateEvent;
import com.expressmonitor.event.ScanEvent;
import com.expressmonitor.event.Utf8;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;

/**
 * Writes the four output records as the JSON objects of SPEC §2-§3 (alerts with the version of the rules they were
 * decided by), and the results of rule updates; times in the configured zone's offset.
 */
public final class OutputJson implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    private final int offsetSeconds;

    public OutputJson(int offsetSeconds) {
        this.offsetSeconds = offsetSeconds;
    }

    private String time(long millis) {
        return LocalTimes.format(millis, ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] metrics(DistrictMetrics m) {
        return write(g -> {
            g.writeStringField("district", m.district());
            g.writeStringField("districtName", m.districtName());
            g.writeStringField("facilityType", m.facilityType().name());
            g.writeStringField("windowStart", time(m.windowStart()));
            g.writeStringField("windowEnd", time(m.windowEnd()));
            g.writeNumberField("arrivals", m.arrivals());
            g.writeNumberField("departures", m.departures());
            g.writeNumberField("deliveries", m.deliveries());
            g.writeNumberField("exceptions", m.exceptions());
            g.writeNumberField("backlog", m.backlog());
            g.writeNumberField("stuck", m.stuck());
            g.writeStringField("season", m.season());
        });
    }

    public byte[] alert(Alert a) {
        return write(g -> {
            g.writeStringField("alertId", a.alertId());
            g.writeStringField("district", a.district());
            g.writeStringField("districtName", a.districtName());
            g.writeStringField("facilityType", a.facilityType().name());
            g.writeStringField("kind", a.kind().name());
            g.writeStringField("status", a.status().name());
            g.writeStringField("level", a.level().name());
            g.writeStringField("previousLevel", a.previousLevel().name());
            writeNumber(g, "value", a.value());
            writeNumber(g, "threshold", a.threshold());
            g.writeStringField("windowStart", time(a.windowStart()));
            g.writeStringField("windowEnd", time(a.windowEnd()));
            g.writeStringField("season", a.season());
            g.writeNumberField("rulesVersion", a.rulesVersion());
        });
    }

    /**
     * The result of a rule update: {@code effectiveFrom} is null unless the update was applied and takes effect from a
     * given window start (the configuration file's rules at the start of a job apply from the first window on).
     */
    public byte[] ruleResult(RuleResult r) {
        return write(g -> {
            if (r.version() == null) {
                g.writeNullField("version");
            } else {
                g.writeNumberField("version", r.version());
            }
            g.writeStringField("status", r.status().name());
            g.writeStringField("detail", r.detail());
            Long from = r.effectiveFrom();
            g.writeStringField("effectiveFrom", from == null || from == Long.MIN_VALUE || from == Long.MAX_VALUE
                    ? null : time(from));
            g.writeStringField("appliedAt", time(r.appliedAt()));
            g.writeStringField("source", r.source());
            g.writeNumberField("rulesVersion", r.rulesVersion());
            g.writeFieldName("rules");
            g.writeRawValue(r.rules());
        });
    }

    public byte[] deadLetter(DeadLetter d) {
        return write(g -> {
            g.writeStringField("reason", d.reason().name());
            g.writeStringField("detail", d.detail());
            g.writeStringField("raw", Utf8.rawText(d.raw()));
            if (!Utf8.isValid(d.raw())) {
                g.writeStringField("rawEncoding", "base64");
            }
            g.writeStringField("source", d.source());
        });
    }

    public byte[] lateEvent(LateEvent l) {
        return write(g -> {
            g.writeFieldName("event");
            g.writeStartObject();
            writeEventFields(g, l.event());
            g.writeEndObject();
            g.writeStringField("source", l.source());
            g.writeStringField("cutoff", time(l.cutoff()));
        });
    }

    /** A scan as normalised input JSON (registry values filled in), e.g. for the replay and generator tools. */
    public byte[] scan(ScanEvent e) {
        return write(g -> writeEventFields(g, e));
    }

    private void writeEventFields(JsonGenerator g, ScanEvent e) throws IOException {
        g.writeStringField("eventId", e.eventId());
        g.writeStringField("waybillNo", e.waybillNo());
        g.writeStringField("scanType", e.scanType().name());
        g.writeStringField("facilityId", e.facilityId());
        g.writeStringField("facilityType", e.facilityType().name());
        g.writeStringField("districtCode", e.districtCode());
        g.writeStringField("carrier", e.carrier());
        g.writeStringField("eventTime", time(e.eventTime()));
    }

    /**
     * Rounded to at most two decimals without binary noise (153.6, not 153.60000000000002), and whole numbers
     * without a fraction (5000, not 5000.0).
     */
    private static void writeNumber(JsonGenerator g, String field, double v) throws IOException {
        BigDecimal r = rounded(v);
        if (r.scale() <= 0) {
            g.writeNumberField(field, r.longValueExact());
        } else {
            g.writeNumberField(field, r);
        }
    }

    /**
     * A figure as the outputs show it: rounded half up to at most two decimals, trailing zeros dropped, so that a
     * whole number has scale 0. The console and every JSON output use this.
     */
    public static BigDecimal rounded(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        BigDecimal r = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        return r.scale() < 0 ? r.setScale(0) : r;
    }

    /** {@link #rounded} as plain text, e.g. {@code 153.6} or {@code 5000}. */
    public static String roundedText(double v) {
        return rounded(v).toPlainString();
    }
}
