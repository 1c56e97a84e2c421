package com.expressmonitor.district;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Sums the changes that fall into one (district, facility type, window) as they arrive. */
public class DeltaSum implements AggregateFunction<DistrictDelta, DistrictDelta, DistrictDelta> {
    private static final long serialVersionUID = 1L;

    @Override
    public DistrictDelta createAccumulator() {
        return new DistrictDelta();
    }

    @Override
    public DistrictDelta add(DistrictDelta value, DistrictDelta acc) {
        acc.key = value.key;
        acc.windowEnd = value.windowEnd;
        acc.add(value);
        return acc;
    }

    @Override
    public DistrictDelta getResult(DistrictDelta acc) {
        return acc;
    }

    @Override
    public DistrictDelta merge(DistrictDelta a, DistrictDelta b) {
        return add(b, a);
    }
}
