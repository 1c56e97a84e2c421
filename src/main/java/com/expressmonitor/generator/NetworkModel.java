package com.expressmonitor.generator;

import com.expressmonitor.config.ConfigLoader;
import com.expressmonitor.config.DistrictConfig;
import com.expressmonitor.config.MonitorConfig;
import com.expressmonitor.event.FacilityType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated express network: districts with their weight in the traffic, their sorting center and stations.
 * The districts come from the configuration's {@code districts:} list (codes, names, capacities), so the simulated
 * network is the one the monitor is configured for.
 *
 * @param congestedDistrict the district whose sorting center falls behind during the surge
 */
public record NetworkModel(List<District> districts, String congestedDistrict) implements Serializable {

    /** A district of the network; {@code weight} is its share of parcels sent and received. */
    public record District(String code, String name, double weight, int stations) implements Serializable {
        public String sortingCenter() {
            return "SC-" + code;
        }

        public String station(int i) {
            return String.format("ST-%s-%02d", code, i + 1);
        }
    }

    /**
     * The network of the configured districts, weighted by their sorting centers' hourly capacity (1 where none is
     * configured), with two to ten stations each; the first listed district is the congested one. A configuration
     * naming fewer than two districts gives the demo's network.
     */
    public static NetworkModel from(MonitorConfig config) {
        if (config.districts().size() < 2) {
            return demo();
        }
        double smallest = Double.MAX_VALUE;
        for (DistrictConfig d : config.districts().values()) {
            smallest = Math.min(smallest, weightOf(d));
        }
        List<District> districts = new ArrayList<>();
        for (DistrictConfig d : config.districts().values()) {
            double weight = weightOf(d) / smallest;
            int stations = (int) Math.max(2, Math.min(10, Math.round(2 + 2 * weight)));
            districts.add(new District(d.code(), d.name(), weight, stations));
        }
        return new NetworkModel(List.copyOf(districts), districts.get(0).code());
    }

    private static double weightOf(DistrictConfig d) {
        Double capacity = d.capacity(FacilityType.SORTING_CENTER);
        return capacity == null ? 1.0 : capacity;
    }

    /** The demo's network: the districts of the bundled {@code config/demo.yaml}, with Pinghu congested. */
    public static NetworkModel demo() {
        return from(ConfigLoader.loadResource("/config/demo.yaml", java.util.Map.of()));
    }
}
