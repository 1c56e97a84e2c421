package com.expressmonitor.generator;

import java.io.Serializable;
import java.util.List;

/**
 * The simulated express network: districts with their weight in the traffic, their sorting center and stations.
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

    /** Real GB/T 2260 districts around the Yangtze delta hubs, Hefei, Taiyuan and Jilin. */
    public static NetworkModel china() {
        return new NetworkModel(List.of(
                new District("330482", "平湖市", 3.0, 8),
                new District("330402", "南湖区", 2.0, 6),
                new District("330411", "秀洲区", 1.5, 5),
                new District("330421", "嘉善县", 1.5, 5),
                new District("330481", "海宁市", 1.5, 5),
                new District("330483", "桐乡市", 1.5, 5),
                new District("320505", "虎丘区", 2.0, 6),
                new District("320506", "吴中区", 2.5, 7),
                new District("320507", "相城区", 2.0, 6),
                new District("320508", "姑苏区", 2.0, 6),
                new District("320509", "吴江区", 2.0, 6),
                new District("340102", "瑶海区", 2.0, 6),
                new District("340103", "庐阳区", 2.0, 6),
                new District("340104", "蜀山区", 2.5, 7),
                new District("340111", "包河区", 2.5, 7),
                new District("310109", "虹口区", 2.5, 7),
                new District("310101", "黄浦区", 2.5, 7),
                new District("140105", "小店区", 2.0, 6),
                new District("140106", "迎泽区", 1.5, 5),
                new District("140109", "万柏林区", 1.5, 5),
                new District("220202", "昌邑区", 1.0, 4),
                new District("220204", "船营区", 1.0, 4)),
                "330482");
    }
}
