package com.expressmonitor.district;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.util.Collection;
import java.util.List;

/**
 * Puts a {@link DistrictDelta} into the tumbling window it names ({@code windowEnd}), not the one of its record
 * timestamp: a stay's "stuck from" change belongs to a later window than the scan that caused it.
 */
public class DeltaWindowAssigner extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private final long size;

    public DeltaWindowAssigner(long size) {
        this.size = size;
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, WindowAssignerContext context) {
        long end = ((DistrictDelta) element).windowEnd;
        return List.of(new TimeWindow(end - size, end));
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(org.apache.flink.api.common.ExecutionConfig config) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "DeltaWindowAssigner(" + size + "ms)";
    }
}
